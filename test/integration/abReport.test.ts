import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abReportConfig } from '../../lambdas/abReport/config.ts';
import { runAbReport } from '../../lambdas/abReport/runAbReport.ts';
import type { IamCheck } from '../../cli/lib/iam/IamCheck.ts';
import { expectEveryCallAllowed, startIamCheck } from '../helpers/iam.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';

let aws: LocalAws;
let cloudWatch: CloudWatchClient;
let s3: S3Client;
// The ab-report Lambda's own clients: every call recorded and checked against its synthesized role policy.
let iam: IamCheck;
const bucket = 'prescale-ab-test';
const now = Math.floor(Date.now() / 1000 / 3600) * 3600;
const start = now - 24 * 3600;

async function put(
  namespace: string,
  name: string,
  dims: Record<string, string>,
  value: (t: number) => number,
): Promise<void> {
  const data: MetricDatum[] = [];
  for (let t = start; t < now; t += 300)
    data.push({
      MetricName: name,
      Timestamp: new Date(t * 1000),
      Value: value(t),
      Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    });
  for (let i = 0; i < data.length; i += 500)
    await cloudWatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }));
}

beforeAll(async () => {
  aws = await startLocalAws();
  cloudWatch = new CloudWatchClient({ ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint });
  s3 = new S3Client({ ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint, forcePathStyle: true });
  iam = await startIamCheck(aws, { bucket, groups: ['control', 'treatment'] });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // Control: 6 instances, saturated a quarter of the day. Treatment: 5 instances, never saturated.
  await put('AWS/AutoScaling', 'GroupInServiceInstances', { AutoScalingGroupName: 'control' }, () => 6);
  await put('AWS/AutoScaling', 'GroupDesiredCapacity', { AutoScalingGroupName: 'control' }, (t) =>
    (t - start) % 7200 < 3600 ? 6 : 7,
  );
  await put('AWS/EC2', 'CPUUtilization', { AutoScalingGroupName: 'control' }, (t) =>
    (t - start) % 14_400 < 3600 ? 97 : 50,
  );
  await put('AWS/AutoScaling', 'GroupInServiceInstances', { AutoScalingGroupName: 'treatment' }, () => 5);
  await put('AWS/AutoScaling', 'GroupDesiredCapacity', { AutoScalingGroupName: 'treatment' }, () => 5);
  await put('AWS/EC2', 'CPUUtilization', { AutoScalingGroupName: 'treatment' }, () => 60);
  const alb = 'app/ab/123';
  await put(
    'AWS/ApplicationELB',
    'RequestCount',
    { TargetGroup: 'targetgroup/control/1', LoadBalancer: alb },
    () => 1000,
  );
  await put(
    'AWS/ApplicationELB',
    'HTTPCode_Target_5XX_Count',
    { TargetGroup: 'targetgroup/control/1', LoadBalancer: alb },
    () => 10,
  );
  await put(
    'AWS/ApplicationELB',
    'RequestCount',
    { TargetGroup: 'targetgroup/treatment/2', LoadBalancer: alb },
    () => 1000,
  );
  await put(
    'AWS/ApplicationELB',
    'HTTPCode_Target_5XX_Count',
    { TargetGroup: 'targetgroup/treatment/2', LoadBalancer: alb },
    () => 1,
  );
});
afterAll(async () => {
  try {
    await expectEveryCallAllowed(iam, ['cloudwatch:GetMetricData', 's3:PutObject']);
  } finally {
    await iam?.stop();
    cloudWatch?.destroy();
    s3?.destroy();
    await aws?.stop();
  }
});

describe('ab-report Lambda against the local endpoint', () => {
  it('compares the two arms over the window and writes ab/<date>.json and .html', async () => {
    const config = abReportConfig({
      PRESCALE_BUCKET: bucket,
      PRESCALE_AB_CONTROL_GROUP: 'control',
      PRESCALE_AB_TREATMENT_GROUP: 'treatment',
      PRESCALE_AB_CONTROL_TARGET_GROUP: 'targetgroup/control/1',
      PRESCALE_AB_TREATMENT_TARGET_GROUP: 'targetgroup/treatment/2',
      PRESCALE_AB_LOAD_BALANCER: 'app/ab/123',
    });
    const abReport = iam.clientsFor('ab-report');
    const { keys, report } = await runAbReport(now, {
      config,
      cloudWatch: abReport.cloudWatch,
      s3: abReport.s3,
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    });
    const date = new Date(now * 1000).toISOString().slice(0, 10);
    expect(keys).toEqual([`ab/${date}.json`, `ab/${date}.html`]);
    expect(report.control.metrics.instanceHours).toBeCloseTo(6 * 24, 6);
    expect(report.treatment.metrics.instanceHours).toBeCloseTo(5 * 24, 6);
    expect(report.ratios.instanceHours).toBeCloseTo(5 / 6, 6);
    expect(report.control.metrics.saturatedPct).toBeCloseTo(25, 6);
    expect(report.treatment.metrics.saturatedPct).toBe(0);
    expect(report.control.metrics.scalingActions).toBeGreaterThan(0);
    expect(report.control.metrics.errorPct).toBeCloseTo(1, 6);
    expect(report.ratios.errorPct).toBeCloseTo(0.1, 6);
    const json = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keys[0] }))).Body!.transformToString(),
    );
    expect(json.ratios).toEqual(report.ratios);
    const html = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keys[1] }))
    ).Body!.transformToString();
    expect(html).toMatch(/<td>instance-hours<\/td><td>144\.0<\/td><td>120\.0<\/td><td>0\.833<\/td>/);
  });

  it('names a missing arm in its configuration', () => {
    expect(() => abReportConfig({ PRESCALE_BUCKET: bucket, PRESCALE_AB_CONTROL_GROUP: 'control' })).toThrow(
      /PRESCALE_AB_TREATMENT_GROUP is required/,
    );
  });
});
