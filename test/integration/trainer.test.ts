import { Logger } from '@aws-lambda-powertools/logger';
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3CheckpointStore } from '../../lambdas/adapters/S3CheckpointStore.ts';
import { scalerConfig } from '../../lambdas/scaler/config.ts';
import { runScaler } from '../../lambdas/scaler/runScaler.ts';
import { trainerConfig } from '../../lambdas/trainer/config.ts';
import { runTrainer } from '../../lambdas/trainer/runTrainer.ts';
import { seededRng } from '../../models/random.ts';
import type { IamCheck, RoleClients } from '../../cli/lib/iam/IamCheck.ts';
import { expectEveryCallAllowed, startIamCheck } from '../helpers/iam.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';

let aws: LocalAws;
let clients: { autoScaling: AutoScalingClient; cloudWatch: CloudWatchClient; s3: S3Client; ec2: EC2Client };
// Each Lambda's own clients: every call recorded and checked against its synthesized role policy.
let iam: IamCheck;
let trainer: RoleClients;
let scaler: RoleClients;
const bucket = 'prescale-trainer-test';
const step = 300;
const now = Math.floor(Date.now() / 1000 / step) * step - 3600;
const days = 14; // what the trainer fetches in production
const silent = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const metric = JSON.stringify({ namespace: 'Test/Load', metricName: 'Requests', dimensions: { Group: '{group}' } });
const env = {
  PRESCALE_BUCKET: bucket,
  PRESCALE_HISTORY_DAYS: String(days),
  PRESCALE_LOAD_METRIC: metric,
  PRESCALE_DISCOVERY_TAG: 'none',
};

async function putLoad(group: string, value: (t: number) => number): Promise<void> {
  const data: MetricDatum[] = [];
  for (let t = now - days * 86_400; t < now; t += step)
    data.push({
      MetricName: 'Requests',
      Timestamp: new Date(t * 1000),
      Value: value(t),
      Dimensions: [{ Name: 'Group', Value: group }],
    });
  for (let i = 0; i < data.length; i += 500)
    await clients.cloudWatch.send(
      new PutMetricDataCommand({ Namespace: 'Test/Load', MetricData: data.slice(i, i + 500) }),
    );
}

beforeAll(async () => {
  aws = await startLocalAws();
  const config = { ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint };
  clients = {
    autoScaling: new AutoScalingClient(config),
    cloudWatch: new CloudWatchClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    ec2: new EC2Client(config),
  };
  iam = await startIamCheck(aws, { bucket, groups: ['web', 'clockwork'] });
  trainer = iam.clientsFor('trainer');
  scaler = iam.clientsFor('scaler');
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'lt',
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  await clients.autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'web',
      MinSize: 1,
      MaxSize: 30,
      DesiredCapacity: 1,
      AvailabilityZones: ['us-east-1a'],
      LaunchTemplate: { LaunchTemplateName: 'lt', Version: '$Latest' },
    }),
  );
  const rng = seededRng(3);
  // A daily cycle whose level drifts and wanders: a model that follows the level beats "same time yesterday".
  await putLoad(
    'web',
    (t) =>
      (3000 + 2000 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400)) * (1 + (t - now) / (40 * 86_400)) + 300 * rng(),
  );
  // The same day over and over: nothing beats "same time yesterday" there.
  await putLoad('clockwork', (t) => 1000 + 500 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400));
});
afterAll(async () => {
  try {
    await expectEveryCallAllowed(iam, [
      'autoscaling:DescribeAutoScalingGroups',
      'cloudwatch:GetMetricData',
      'cloudwatch:PutMetricData',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
  } finally {
    await iam?.stop();
    for (const c of Object.values(clients ?? {})) c.destroy();
    await aws?.stop();
  }
});

describe('trainer Lambda against the local endpoint', () => {
  it('trains, validates against seasonal naive on the last day, writes the checkpoint and moves the pointer; the scaler then uses it', async () => {
    const summary = await runTrainer(now, 'web', {
      config: trainerConfig({ ...env, PRESCALE_HISTORY_DAYS: '14' }),
      ...trainer,
      logger: silent,
    });
    expect(summary.errors).toEqual([]);
    const web = summary.groups[0];
    expect(web).toMatchObject({ group: 'web', promoted: true });
    expect(web.validationMae).toBeLessThanOrEqual(web.snaiveMae as number);
    const objects = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'checkpoints/web/' }));
    const keys = objects.Contents?.map((o) => o.Key) ?? [];
    expect(keys).toContain(`checkpoints/web/${web.version}/manifest.json`);
    expect(keys).toContain('checkpoints/web/promoted.json');
    const promoted = await new S3CheckpointStore({ client: clients.s3, bucket }).loadPromoted('web');
    expect(promoted?.version).toBe(web.version);
    expect(promoted?.checkpoint.manifest.kind).toBe('ensemble');
    expect(promoted?.checkpoint.manifest.validation?.['lastDay.mae']).toBeCloseTo(web.validationMae as number, 9);

    const scaled = await runScaler(now, {
      config: scalerConfig({
        ...env,
        PRESCALE_GROUPS: 'web',
        PRESCALE_CAPACITY_PER_INSTANCE: '100',
        PRESCALE_MODE: 'forecast-and-scale',
      }),
      ...scaler,
      logger: silent,
    });
    expect(scaled.errors).toEqual([]);
    expect(scaled.groups[0]).toMatchObject({ group: 'web', model: 'ensemble', modelVersion: web.version });
  });

  it('keeps the promoted version when the new model loses to seasonal naive, and says why', async () => {
    const summary = await runTrainer(now, 'clockwork', { config: trainerConfig(env), ...trainer, logger: silent });
    expect(summary.groups[0]).toMatchObject({ group: 'clockwork', promoted: false });
    expect(summary.groups[0].reason).toMatch(/lost to seasonal naive/);
    expect(await new S3CheckpointStore({ client: clients.s3, bucket }).loadPromoted('clockwork')).toBeUndefined();
  });
});
