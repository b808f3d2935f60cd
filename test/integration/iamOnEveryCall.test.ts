import { Logger } from '@aws-lambda-powertools/logger';
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IamCheck } from '../../cli/lib/iam/IamCheck.ts';
import { IamEvaluator } from '../../cli/lib/iam/IamEvaluator.ts';
import { rolePolicies } from '../../cli/lib/iam/rolePolicies.ts';
import type { PolicyStatement, RoleName, RolePolicy } from '../../cli/lib/iam/types.ts';
import { S3CheckpointStore } from '../../lambdas/adapters/S3CheckpointStore.ts';
import { scalerConfig } from '../../lambdas/scaler/config.ts';
import { runScaler } from '../../lambdas/scaler/runScaler.ts';
import { NaiveForecaster } from '../../models/forecast/baselines.ts';
import { expectEveryCallAllowed, startIamCheck } from '../helpers/iam.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

/**
 * IAM on every call, end to end: the scaler's real tick on a group it has never seen (no
 * checkpoint, no drift state), its clients recorded and sent through S3's missing-key rule, and
 * the same tick under a policy with one statement taken away.
 */
let aws: LocalAws;
let fixtures: { autoScaling: AutoScalingClient; cloudWatch: CloudWatchClient; s3: S3Client; ec2: EC2Client };
const bucket = 'prescale-iam-test';
const step = 300;
const now = Math.floor(Date.now() / 1000 / step) * step - 3600;
const days = 2;
const silent = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const GROUPS = ['fresh', 'listed-only-under-checkpoints', 'key-as-prefix', 'no-state-writes'];

/** The construct's ListBucket grant before the fix: only under checkpoints/. */
const CHECKPOINTS_ONLY_LIST: PolicyStatement = {
  Effect: 'Allow',
  Action: 's3:ListBucket',
  Resource: `arn:aws:s3:::${bucket}`,
  Condition: { StringLike: { 's3:prefix': ['checkpoints/*'] } },
};

type Policies = readonly RolePolicy[];

/** The scaler's policies with each statement passed through `edit` (undefined drops it), the other roles' unchanged. */
const editScaler =
  (edit: (s: PolicyStatement) => PolicyStatement | undefined) =>
  (role: RoleName, policies: Policies): Policies =>
    role !== 'scaler'
      ? policies
      : policies.map((p) => ({
          ...p,
          document: {
            ...p.document,
            Statement: p.document.Statement.map(edit).filter((s): s is PolicyStatement => s !== undefined),
          },
        }));

const actionsOf = (s: PolicyStatement) => [s.Action ?? []].flat();
const withoutListBucket = editScaler((s) => (actionsOf(s).includes('s3:ListBucket') ? undefined : s));
const withCheckpointsOnlyList = (role: RoleName, policies: Policies): Policies => {
  const [first, ...rest] = withoutListBucket(role, policies);
  if (role !== 'scaler') return [first, ...rest];
  const statements = [...first.document.Statement, CHECKPOINTS_ONLY_LIST];
  return [{ ...first, document: { ...first.document, Statement: statements } }, ...rest];
};

async function tick(iam: IamCheck, group: string) {
  const clients = iam.clientsFor('scaler');
  const config = scalerConfig({
    PRESCALE_BUCKET: bucket,
    PRESCALE_GROUPS: group,
    PRESCALE_DISCOVERY_TAG: 'none',
    PRESCALE_MODE: 'forecast-and-scale',
    PRESCALE_CAPACITY_PER_INSTANCE: '100',
    PRESCALE_HISTORY_DAYS: String(days),
    PRESCALE_LOAD_METRIC: JSON.stringify({
      namespace: 'Test/Load',
      metricName: 'Requests',
      dimensions: { Group: '{group}' },
    }),
  });
  return runScaler(now, { config, ...clients, logger: silent });
}

beforeAll(async () => {
  aws = await startLocalAws();
  const config = { ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint };
  fixtures = {
    autoScaling: new AutoScalingClient(config),
    cloudWatch: new CloudWatchClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    ec2: new EC2Client(config),
  };
  await fixtures.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await fixtures.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'lt',
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  for (const group of GROUPS) {
    await fixtures.autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: group,
        MinSize: 1,
        MaxSize: 30,
        DesiredCapacity: 1,
        AvailabilityZones: ['us-east-1a'],
        LaunchTemplate: { LaunchTemplateName: 'lt', Version: '$Latest' },
      }),
    );
    const data: MetricDatum[] = [];
    for (let t = now - days * 86_400; t < now; t += step)
      data.push({
        MetricName: 'Requests',
        Timestamp: new Date(t * 1000),
        Value: 3000 + 2500 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400),
        Dimensions: [{ Name: 'Group', Value: group }],
      });
    for (let i = 0; i < data.length; i += 500)
      await fixtures.cloudWatch.send(
        new PutMetricDataCommand({ Namespace: 'Test/Load', MetricData: data.slice(i, i + 500) }),
      );
  }
});
afterAll(async () => {
  for (const c of Object.values(fixtures ?? {})) c.destroy();
  await aws?.stop();
});

describe("a fresh group's first scaler tick, every call checked against the synthesized scaler policy", () => {
  it('succeeds: no checkpoint and no drift state read as "none yet", every call allowed', async () => {
    const iam = await startIamCheck(aws, { bucket, groups: GROUPS });
    const summary = await tick(iam, 'fresh');
    expect(summary.errors).toEqual([]);
    expect(summary.groups[0]).toMatchObject({
      group: 'fresh',
      action: 'applied',
      fallbackReason: 'no promoted checkpoint',
    });
    const state = await fixtures.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'state/fresh/drift.json' }));
    expect(JSON.parse(await state.Body!.transformToString()).forecasts).toHaveLength(1);
    await expectEveryCallAllowed(iam, [
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:UpdateAutoScalingGroup',
      'cloudwatch:GetMetricData',
      'cloudwatch:PutMetricData',
      's3:GetObject',
      's3:PutObject',
    ]);
    await iam.stop();
  });

  it('fails on AccessDenied when the scaler may list its bucket only under checkpoints/ (the grant before the fix)', async () => {
    const iam = await startIamCheck(aws, { bucket, groups: GROUPS }, { editPolicies: withCheckpointsOnlyList });
    const summary = await tick(iam, 'listed-only-under-checkpoints');
    expect(summary.groups).toEqual([]);
    expect(summary.errors).toEqual([
      { group: 'listed-only-under-checkpoints', error: expect.stringMatching(/^AccessDenied/) },
    ]);
    // A GetObject has no s3:prefix, so the conditioned grant does not count: the first missing key is refused.
    expect(iam.refused).toEqual([
      { role: 'scaler', bucket, key: 'checkpoints/listed-only-under-checkpoints/promoted.json' },
    ]);
    await iam.stop();
  });

  it('fails on the missing drift state even where S3 counts a prefix-conditioned grant for keys under the prefix', async () => {
    const iam = await startIamCheck(
      aws,
      { bucket, groups: GROUPS },
      { editPolicies: withCheckpointsOnlyList, missingKeyRule: 'key-as-prefix' },
    );
    const summary = await tick(iam, 'key-as-prefix');
    expect(summary.errors).toEqual([{ group: 'key-as-prefix', error: expect.stringMatching(/^AccessDenied/) }]);
    expect(iam.refused).toEqual([{ role: 'scaler', bucket, key: 'state/key-as-prefix/drift.json' }]);
    await iam.stop();
  });

  it("reports the denied calls when the scaler's write to state/ is taken away", async () => {
    const noStateWrites = editScaler((s) =>
      actionsOf(s).includes('s3:PutObject')
        ? { ...s, Resource: [s.Resource].flat().filter((r) => !String(r).endsWith('/state/*')) }
        : s,
    );
    const iam = await startIamCheck(aws, { bucket, groups: GROUPS }, { editPolicies: noStateWrites });
    // The local endpoint enforces nothing: the tick succeeds, and only the check sees what AWS would refuse.
    expect((await tick(iam, 'no-state-writes')).errors).toEqual([]);
    const summary = await iam.summary();
    const key = `arn:aws:s3:::${bucket}/state/no-state-writes/drift.json`;
    expect(summary.denied).toBe(2);
    expect(summary.deniedCalls).toEqual([
      expect.objectContaining({ role: 'scaler', action: 's3:GetObject', resources: [key] }),
      expect.objectContaining({
        role: 'scaler',
        action: 's3:PutObject',
        resources: [key],
        reason: expect.stringMatching(/implicitly denied, no statement allows it; .* allows the action on .*locks\/\*/),
      }),
    ]);
    expect(summary.calls).toBeGreaterThan(summary.denied);
    await iam.stop();
  });
});

describe("the checkpoint registry under the trainer's policy and the readers'", () => {
  it("saves, promotes a group's first version, rolls back and prunes as the trainer; the scaler and predict find no checkpoint where there is none", async () => {
    const iam = await startIamCheck(aws, { bucket, groups: GROUPS });
    let clockMs = Date.UTC(2026, 0, 5);
    const trainer = new S3CheckpointStore({
      client: iam.clientsFor('trainer').s3,
      bucket,
      keep: 2,
      clockMs: () => (clockMs += 60_000),
    });
    const checkpoint = (await new NaiveForecaster().fit(syntheticLoad(2))).toCheckpoint();
    const v1 = await trainer.save('registry', checkpoint);
    await trainer.promote('registry', v1); // reads the pointer that is not there yet
    const v2 = await trainer.save('registry', checkpoint);
    const v3 = await trainer.save('registry', checkpoint);
    await trainer.promote('registry', v3);
    expect(await trainer.rollback('registry')).toBe(v1);
    expect(await trainer.prune('registry')).toEqual([v2]);
    for (const role of ['scaler', 'predict'] as const) {
      const reader = new S3CheckpointStore({ client: iam.clientsFor(role).s3, bucket });
      expect(await reader.loadPromoted('never-trained'), role).toBeUndefined();
      expect((await reader.loadPromoted('registry'))?.version, role).toBe(v1);
    }
    await expectEveryCallAllowed(iam, ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    await iam.stop();
  });
});

describe("S3's missing-key rule, as the proxy applies it", () => {
  it('gives 404s under both readings with the construct grant, and names what the checkpoints-only grant refuses', async () => {
    const synthesized = rolePolicies({ bucket, groups: GROUPS }, 'scaler');
    const mayList = async (policies: Policies, context: Record<string, string>) =>
      (await new IamEvaluator(() => policies).decide('scaler', 's3:ListBucket', `arn:aws:s3:::${bucket}`, context))
        .allowed;
    const keys = ['checkpoints/web/promoted.json', 'state/web/drift.json', 'locks/web/1'];
    for (const key of keys) {
      expect(await mayList(synthesized, {}), key).toBe(true);
      expect(await mayList(synthesized, { 's3:prefix': key }), key).toBe(true);
    }
    const before = withCheckpointsOnlyList('scaler', synthesized);
    expect(await mayList(before, {})).toBe(false);
    expect(await mayList(before, { 's3:prefix': keys[0] })).toBe(true);
    expect(await mayList(before, { 's3:prefix': keys[1] })).toBe(false);
    expect(await mayList(withoutListBucket('scaler', synthesized), {})).toBe(false);
  });
});
