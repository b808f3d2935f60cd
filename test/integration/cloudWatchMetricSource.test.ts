import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchMetricSource } from '../../lambdas/adapters/CloudWatchMetricSource.ts';
import type { IamCheck } from '../../cli/lib/iam/IamCheck.ts';
import { expectEveryCallAllowed, startIamCheck } from '../helpers/iam.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';

let aws: LocalAws;
let client: CloudWatchClient;
// The client the metric source is given, as the scaler's: every call recorded and checked against its role policy.
let iam: IamCheck;
let scalerCloudWatch: CloudWatchClient;
// A fixed, recent, 5-minute-aligned time: CloudWatch only takes datapoints from the last two weeks.
const end = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
const start = end - 24 * 3600;

async function put(
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  points: [number, number][],
): Promise<void> {
  const data: MetricDatum[] = points.map(([t, v]) => ({
    MetricName: metricName,
    Timestamp: new Date(t * 1000),
    Value: v,
    Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
  }));
  for (let i = 0; i < data.length; i += 500) {
    await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }));
  }
}

beforeAll(async () => {
  aws = await startLocalAws();
  client = new CloudWatchClient({ ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint });
  iam = await startIamCheck(aws, { bucket: 'prescale-metrics-test', groups: ['web'] });
  scalerCloudWatch = iam.clientsFor('scaler').cloudWatch;
  const cpu: [number, number][] = [];
  const inService: [number, number][] = [];
  const requests: [number, number][] = [];
  for (let t = start; t < end; t += 300) {
    const i = (t - start) / 300;
    if (i === 7) continue; // one missing CPU datapoint
    cpu.push([t, 40 + (i % 10)]);
  }
  for (let t = start; t < end; t += 300) inService.push([t, 4]);
  for (let t = start; t < end; t += 300) if ((t - start) / 300 !== 20) requests.push([t, 1000 + (t - start) / 300]);
  await put('AWS/EC2', 'CPUUtilization', { AutoScalingGroupName: 'web' }, cpu);
  await put('AWS/AutoScaling', 'GroupInServiceInstances', { AutoScalingGroupName: 'web' }, inService);
  await put('Prescale/Test', 'RequestCount', { TargetGroup: 'tg-web' }, requests);
});
afterAll(async () => {
  try {
    await expectEveryCallAllowed(iam, ['cloudwatch:GetMetricData']);
  } finally {
    await iam?.stop();
    client?.destroy();
    await aws?.stop();
  }
});

describe('CloudWatchMetricSource against the local endpoint', () => {
  it('computes total CPU as average CPU x in-service instances, with gaps where a datapoint is missing', async () => {
    const source = new CloudWatchMetricSource({ client: scalerCloudWatch });
    const load = await source.fetchLoad('web', { startSeconds: start, endSeconds: end, stepSeconds: 300 });
    expect(load.startSeconds).toBe(start);
    expect(load.values.length).toBe(288);
    expect(load.values[0]).toBe(160);
    expect(load.values[3]).toBe(4 * 43);
    expect(Number.isNaN(load.values[7])).toBe(true);
    expect(load.values.filter((v) => Number.isNaN(v)).length).toBe(1);
  });

  it('reads a configured metric with the group in its dimensions', async () => {
    const source = new CloudWatchMetricSource({
      client: scalerCloudWatch,
      load: { namespace: 'Prescale/Test', metricName: 'RequestCount', dimensions: { TargetGroup: 'tg-{group}' } },
    });
    const load = await source.fetchLoad('web', { startSeconds: start, endSeconds: end, stepSeconds: 300 });
    expect(load.values[0]).toBe(1000);
    expect(load.values[100]).toBe(1100);
    expect(Number.isNaN(load.values[20])).toBe(true);
  });

  it('names a bad window', async () => {
    const source = new CloudWatchMetricSource({ client: scalerCloudWatch });
    await expect(source.fetchLoad('web', { startSeconds: end, endSeconds: start, stepSeconds: 300 })).rejects.toThrow(
      /must be after its start/,
    );
    await expect(source.fetchLoad('web', { startSeconds: start, endSeconds: end, stepSeconds: 90 })).rejects.toThrow(
      /'stepSeconds' must be a whole number of minutes, got 90/,
    );
  });
});
