import { Logger } from '@aws-lambda-powertools/logger';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CloudWatchClient,
  ListMetricsCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3CheckpointStore } from '../../lambdas/adapters/S3CheckpointStore.ts';
import { scalerConfig } from '../../lambdas/scaler/config.ts';
import { runScaler, type ScalerDeps } from '../../lambdas/scaler/runScaler.ts';
import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import type { IamCheck, RoleClients } from '../../cli/lib/iam/IamCheck.ts';
import { expectEveryCallAllowed, startIamCheck } from '../helpers/iam.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';

let aws: LocalAws;
let clients: { autoScaling: AutoScalingClient; cloudWatch: CloudWatchClient; s3: S3Client; ec2: EC2Client };
// The scaler's own clients: every call recorded and checked against its synthesized role policy.
let iam: IamCheck;
let scaler: RoleClients;
const bucket = 'prescale-scaler-test';
const step = 300;
const now = Math.floor(Date.now() / 1000 / step) * step - 3600;
const days = 3;
const silent = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

/** 3 days of 5-minute request counts with a daily cycle: about 6000 per 5 minutes at the peak. */
function load(t: number): number {
  return 3000 + 2500 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400);
}

function env(overrides: Record<string, string> = {}) {
  return {
    PRESCALE_BUCKET: bucket,
    PRESCALE_CAPACITY_PER_INSTANCE: '100',
    PRESCALE_MODE: 'forecast-and-scale',
    PRESCALE_HISTORY_DAYS: String(days),
    PRESCALE_DISCOVERY_TAG: 'prescale:enabled',
    PRESCALE_LOAD_METRIC: JSON.stringify({
      namespace: 'Test/ALB',
      metricName: 'RequestCount',
      dimensions: { Group: '{group}' },
    }),
    ...overrides,
  };
}

function deps(
  overrides: Record<string, string> = {},
  c: Pick<RoleClients, 'autoScaling' | 'cloudWatch' | 's3'> = scaler,
): ScalerDeps {
  return {
    config: scalerConfig(env(overrides)),
    autoScaling: c.autoScaling,
    cloudWatch: c.cloudWatch,
    s3: c.s3,
    logger: silent,
  };
}

async function createGroup(name: string, tagged: boolean): Promise<void> {
  await clients.autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 1,
      MaxSize: 30,
      DesiredCapacity: 1,
      AvailabilityZones: ['us-east-1a'],
      LaunchTemplate: { LaunchTemplateName: 'lt', Version: '$Latest' },
      Tags: tagged
        ? [
            {
              Key: 'prescale:enabled',
              Value: 'true',
              ResourceId: name,
              ResourceType: 'auto-scaling-group',
              PropagateAtLaunch: false,
            },
          ]
        : [],
    }),
  );
  const data: MetricDatum[] = [];
  for (let t = now - days * 86_400; t < now; t += step) {
    data.push({
      MetricName: 'RequestCount',
      Timestamp: new Date(t * 1000),
      Value: load(t),
      Dimensions: [{ Name: 'Group', Value: name }],
    });
  }
  for (let i = 0; i < data.length; i += 500)
    await clients.cloudWatch.send(
      new PutMetricDataCommand({ Namespace: 'Test/ALB', MetricData: data.slice(i, i + 500) }),
    );
}

async function group(name: string) {
  return (await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })))
    .AutoScalingGroups![0];
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
  iam = await startIamCheck(aws, { bucket, groups: ['web', 'api', 'batch'], trainerFunction: 'prescale-trainer' });
  scaler = iam.clientsFor('scaler');
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'lt',
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  await createGroup('web', true);
  await createGroup('api', false);
  await createGroup('batch', false);
  // A promoted checkpoint for 'web', trained on the history the scaler will fetch.
  const values = new Float64Array(days * 288).map((_, i) => load(now - days * 86_400 + i * step));
  const model = await new ArimaForecaster().fit({ startSeconds: now - days * 86_400, stepSeconds: step, values });
  const store = new S3CheckpointStore({ client: clients.s3, bucket });
  await store.promote('web', await store.save('web', model.toCheckpoint()));
});
afterAll(async () => {
  try {
    await expectEveryCallAllowed(iam, [
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteTags',
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:UpdateAutoScalingGroup',
      'cloudwatch:GetMetricData',
      'cloudwatch:PutMetricData',
      'lambda:InvokeFunction',
      's3:GetObject',
      's3:PutObject',
    ]);
  } finally {
    await iam?.stop();
    for (const c of Object.values(clients ?? {})) c.destroy();
    await aws?.stop();
  }
});

describe('scaler Lambda against the local endpoint', () => {
  it('raises the floor of a tagged group from its forecast and publishes what it did', async () => {
    const summary = await runScaler(now, deps());
    expect(summary.errors).toEqual([]);
    const web = summary.groups.find((g) => g.group === 'web');
    expect(web).toMatchObject({ action: 'applied', model: 'arima', insufficientHistory: false });
    expect(web?.fallbackReason).toBeUndefined();
    expect(summary.groups.map((g) => g.group)).toEqual(['web']); // 'api' is neither listed nor tagged
    const asg = await group('web');
    expect(asg.MinSize).toBe(web?.decision?.minSize);
    expect(asg.MinSize).toBeGreaterThan(1);
    expect(asg.DesiredCapacity).toBeGreaterThanOrEqual(asg.MinSize ?? 0);
    const listed = await clients.cloudWatch.send(
      new ListMetricsCommand({ Namespace: 'Prescale', Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }] }),
    );
    expect(new Set(listed.Metrics?.map((m) => m.MetricName))).toEqual(
      new Set([
        'LoadForecast',
        'LoadForecastUpper',
        'RecommendedCapacity',
        'AppliedCapacity',
        'ModelAgeHours',
        'InsufficientHistory',
        'FallbackModel',
        'RetrainRequested',
        'Errors',
      ]),
    );
  });

  it('changes nothing in forecast-only mode', async () => {
    const summary = await runScaler(
      now,
      deps({ PRESCALE_MODE: 'forecast-only', PRESCALE_GROUPS: 'api', PRESCALE_DISCOVERY_TAG: 'none' }),
    );
    expect(summary.groups[0]).toMatchObject({ group: 'api', action: 'forecast-only' });
    expect(summary.groups[0].decision?.minSize).toBeGreaterThan(1);
    expect((await group('api')).MinSize).toBe(1);
  });

  it('falls back to a model fitted on the spot when the checkpoint is corrupt, and says so', async () => {
    const store = new S3CheckpointStore({ client: clients.s3, bucket });
    const promoted = await store.loadPromoted('web');
    const version = await store.save('web', promoted!.checkpoint);
    await clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: `checkpoints/web/${version}/blobs/mean`, Body: new Uint8Array(16) }),
    );
    await store.promote('web', version);
    const summary = await runScaler(now + 300, deps());
    const web = summary.groups.find((g) => g.group === 'web');
    expect(web?.model).toBe('arima (fallback)');
    expect(web?.fallbackReason).toMatch(/checkpoint unusable/);
    expect(summary.errors).toEqual([]);
  });

  it('applies a tick once when two runs overlap', async () => {
    const [a, b] = await Promise.all([
      runScaler(now + 600, deps({ PRESCALE_GROUPS: 'batch', PRESCALE_DISCOVERY_TAG: 'none' })),
      runScaler(now + 600, deps({ PRESCALE_GROUPS: 'batch', PRESCALE_DISCOVERY_TAG: 'none' })),
    ]);
    const actions = [a.groups[0]?.action, b.groups[0]?.action].sort();
    expect(actions).toEqual(['applied', 'skipped-overlap']);
  });

  it('ends cleanly and changes nothing when the endpoint is unreachable', async () => {
    const dead = { ...LOCAL_AWS_CONFIG, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 };
    const offline = {
      autoScaling: new AutoScalingClient(dead),
      cloudWatch: new CloudWatchClient(dead),
      s3: new S3Client({ ...dead, forcePathStyle: true }),
      ec2: clients.ec2,
    };
    const before = await group('web');
    const summary = await runScaler(now + 900, deps({ PRESCALE_GROUPS: 'web' }, offline));
    expect(summary.groups).toEqual([]);
    expect(summary.errors.map((e) => e.group)).toEqual(['*', 'web', '*']); // discovery, the group, the release sweep
    expect(summary.errors[1].error).toMatch(/ECONNREFUSED|connect/i);
    const after = await group('web');
    expect([after.MinSize, after.DesiredCapacity]).toEqual([before.MinSize, before.DesiredCapacity]);
  });

  it('publishes its forecast error and asks the trainer to retrain a group whose forecasts keep missing', async () => {
    const lambda = new LambdaClient({ ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint });
    const iam = new IAMClient({ ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint });
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'trainer-role', AssumeRolePolicyDocument: '{}' }));
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'prescale-trainer',
        Runtime: 'nodejs20.x',
        Role: role.Role!.Arn!,
        Handler: 'index.handler',
        Code: { ZipFile: new Uint8Array([80, 75, 5, 6, ...new Array(18).fill(0)]) },
      }),
    );
    // Three hours of remembered forecasts, all 5000 too high, and the error above the threshold for three hours.
    const t = now + 1200;
    const forecasts = Array.from({ length: 36 }, (_, k) => ({
      t: t - (36 - k) * step,
      value: load(t - (36 - k) * step) + 5000,
    }));
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'state/api/drift.json',
        Body: JSON.stringify({ forecasts, aboveSinceSeconds: t - 3 * 3600 }),
      }),
    );
    const d = {
      ...deps({
        PRESCALE_GROUPS: 'api',
        PRESCALE_DISCOVERY_TAG: 'none',
        PRESCALE_MODE: 'forecast-only',
        PRESCALE_TRAINER_FUNCTION: 'prescale-trainer',
      }),
      lambda: scaler.lambda,
    };
    const summary = await runScaler(t, d);
    expect(summary.errors).toEqual([]);
    expect(summary.groups[0].forecastMase).toBeGreaterThan(1.5);
    expect(summary.groups[0].drift).toMatch(/retraining requested/);
    const again = await runScaler(t + 300, d);
    expect(again.groups[0].drift).toBeUndefined(); // asked once per sustain period
    lambda.destroy();
    iam.destroy();
  });

  it('gives a group its own minimum back once prescale no longer manages it', async () => {
    expect((await group('batch')).MinSize).toBeGreaterThan(1); // raised by the overlap test above
    const summary = await runScaler(now + 1800, deps({ PRESCALE_GROUPS: 'web', PRESCALE_DISCOVERY_TAG: 'none' }));
    expect(summary.released).toContain('batch');
    expect(summary.released).not.toContain('web');
    const batch = await group('batch');
    expect(batch.MinSize).toBe(1);
    expect(batch.Tags?.some((t) => t.Key === 'prescale:configured-min-size')).toBe(false);
  });

  it('refuses a bad configuration naming the variable', () => {
    expect(() => scalerConfig({ PRESCALE_BUCKET: 'b' })).toThrow(/PRESCALE_CAPACITY_PER_INSTANCE is required/);
    expect(() => scalerConfig(env({ PRESCALE_MODE: 'yolo' }))).toThrow(
      /PRESCALE_MODE must be one of forecast-only, forecast-and-scale, got 'yolo'/,
    );
    expect(() => scalerConfig(env({ PRESCALE_TICK_SECONDS: '30' }))).toThrow(
      /PRESCALE_TICK_SECONDS must be an integer >= 60, got '30'/,
    );
    expect(() => scalerConfig({ PRESCALE_CAPACITY_PER_INSTANCE: '5' })).toThrow(/PRESCALE_BUCKET is required/);
    expect(() => scalerConfig(env({ PRESCALE_POLICY_KIND: 'magic' }))).toThrow(
      /PRESCALE_POLICY_KIND must be one of simple-ceiling, buffered, confidence-aware, incremental, quantile, got 'magic'/,
    );
    expect(scalerConfig(env({ PRESCALE_POLICY_KIND: 'buffered', PRESCALE_BUFFER_PCT: '20' })).policy).toMatchObject({
      kind: 'buffered',
      bufferPct: 20,
    });
    expect(scalerConfig(env({ PRESCALE_OBSERVED_FLOOR_PCT: '100' })).policy.observedFloorPct).toBe(100);
    expect(scalerConfig(env({})).policy.observedFloorPct).toBe(0);
    expect(() => scalerConfig(env({ PRESCALE_OBSERVED_FLOOR_PCT: '500' }))).toThrow(/PRESCALE_OBSERVED_FLOOR_PCT/);
  });
});
