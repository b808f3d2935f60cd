import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictApp, type PredictDeps, type UrlEvent } from '../../lambdas/predict/route.ts';
import { scalerConfig, type ScalerConfig } from '../../lambdas/scaler/config.ts';
import { runScaler } from '../../lambdas/scaler/runScaler.ts';
import { PredictiveScaling } from '../../lib/PredictiveScaling.ts';
import type { IamCheck, RoleClients } from '../../cli/lib/iam/IamCheck.ts';
import { expectEveryCallAllowed, startIamCheck } from '../helpers/iam.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';

/**
 * The path a user deploys by default, end to end: the construct's default load (total CPU) and
 * capacity per instance, read back by the scaler and the prediction URL from the synthesized
 * environment, on a group of 10 instances at 73-77% CPU with a plan at 80%. Total CPU is a level
 * (730-770 percent-instances, 100 per instance): 10 instances, at every horizon. Read as a sum
 * per 5 minutes it would have been 2, and 1 on the hourly horizons.
 */
let aws: LocalAws;
let config: ScalerConfig;
let clients: { autoScaling: AutoScalingClient; cloudWatch: CloudWatchClient; s3: S3Client };
// Each Lambda's own clients: every call recorded and checked against its synthesized role policy.
let iam: IamCheck;
let scaler: RoleClients;
let predict: RoleClients;
const bucket = 'prescale-total-cpu-test';
const now = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
const days = 3;
const silent = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const cpuPct = (t: number) => 75 + 2 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400);

/** The scaler's environment as the construct synthesizes it with default props. */
function constructEnvironment(): Record<string, string> {
  const assets = mkdtempSync(join(tmpdir(), 'prescale-total-cpu-'));
  for (const name of ['scaler', 'trainer', 'predict']) {
    mkdirSync(join(assets, name));
    writeFileSync(join(assets, name, 'index.mjs'), 'export const handler = () => {};\n');
  }
  const stack = new Stack(new App(), 'TotalCpu', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
  const group = new autoscaling.AutoScalingGroup(stack, 'Group', {
    vpc,
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  new PredictiveScaling(stack, 'Prescale', { autoScalingGroup: group, lambdaAssetDir: assets });
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function', {
    Properties: { Description: 'prescale scaler' },
  });
  const vars = (Object.values(fns)[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } })
    .Properties.Environment.Variables;
  // Tokens (the bucket, the group and alarm names) become this test's resources.
  return Object.fromEntries(
    Object.entries(vars).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

beforeAll(async () => {
  aws = await startLocalAws();
  const c = { ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint };
  clients = {
    autoScaling: new AutoScalingClient(c),
    cloudWatch: new CloudWatchClient(c),
    s3: new S3Client({ ...c, forcePathStyle: true }),
  };
  const ec2Client = new EC2Client(c);
  iam = await startIamCheck(aws, { bucket, groups: ['web'] });
  scaler = iam.clientsFor('scaler');
  predict = iam.clientsFor('predict');
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await ec2Client.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'lt',
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  ec2Client.destroy();
  await clients.autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'web',
      MinSize: 10,
      MaxSize: 50,
      DesiredCapacity: 10,
      AvailabilityZones: ['us-east-1a'],
      LaunchTemplate: { LaunchTemplateName: 'lt', Version: '$Latest' },
    }),
  );
  const cpu: MetricDatum[] = [];
  const inService: MetricDatum[] = [];
  const dimensions = [{ Name: 'AutoScalingGroupName', Value: 'web' }];
  for (let t = now - days * 86_400; t < now; t += 300) {
    const Timestamp = new Date(t * 1000);
    cpu.push({ MetricName: 'CPUUtilization', Timestamp, Value: cpuPct(t), Dimensions: dimensions });
    inService.push({ MetricName: 'GroupInServiceInstances', Timestamp, Value: 10, Dimensions: dimensions });
  }
  for (const [namespace, data] of [
    ['AWS/EC2', cpu],
    ['AWS/AutoScaling', inService],
  ] as const)
    for (let i = 0; i < data.length; i += 500)
      await clients.cloudWatch.send(
        new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }),
      );
  config = scalerConfig({
    ...constructEnvironment(),
    PRESCALE_BUCKET: bucket,
    PRESCALE_GROUPS: 'web',
    PRESCALE_MODE: 'forecast-and-scale',
    PRESCALE_HISTORY_DAYS: String(days),
    PRESCALE_SCALE_OUT_ALARM: '',
    PRESCALE_TRAINER_FUNCTION: '',
  });
});
afterAll(async () => {
  try {
    await expectEveryCallAllowed(iam, [
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DescribeAutoScalingGroups',
      'cloudwatch:GetMetricData',
      'cloudwatch:PutMetricData',
      's3:GetObject',
      's3:PutObject',
    ]);
  } finally {
    await iam?.stop();
    for (const c of Object.values(clients ?? {})) c.destroy();
    await aws?.stop();
  }
});

describe('total CPU, the default load, end to end', () => {
  it('the construct defaults to total CPU with 100 per instance', () => {
    expect(config.load).toBe('total-cpu');
    expect(config.policy.capacityPerInstance).toBe(100);
    expect(config.policy.targetUtilizationPct).toBe(80);
  });

  it('the scaler keeps 10 instances at 73-77% CPU planned at 80% (not 2)', async () => {
    const deps = { config, ...scaler, logger: silent };
    const summary = await runScaler(now, deps);
    expect(summary.errors).toEqual([]);
    const [web] = summary.groups;
    expect(web.decision?.recommendedCapacity).toBe(10);
    expect(web.decision?.minSize).toBe(10);
    // The next tick does not halve the floor either.
    await runScaler(now + 300, deps);
    const group = (
      await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] }))
    ).AutoScalingGroups![0];
    expect(group.MinSize).toBe(10);
    expect(group.DesiredCapacity).toBe(10);
  });

  for (const horizon of ['1h', '1d', '7d'] as const) {
    it(`the prediction URL recommends 10 at every step of the ${horizon} horizon`, async () => {
      const deps: PredictDeps = {
        ...predict,
        bucket,
        checkpointPrefix: config.checkpointPrefix,
        load: config.load,
        policy: config.policy,
        logger: silent,
      };
      const event: UrlEvent = {
        rawPath: '/forecast',
        queryStringParameters: { group: 'web', horizon },
        requestContext: { http: { method: 'GET' } },
      };
      const response = await predictApp(deps, () => now)(event, {} as Context);
      expect(response.statusCode).toBe(200);
      const body = JSON.parse(response.body);
      expect(body.recommendedCapacity.length).toBeGreaterThan(0);
      expect(new Set(body.recommendedCapacity)).toEqual(new Set([10]));
    });
  }
});
