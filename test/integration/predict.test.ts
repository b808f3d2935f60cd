import { Logger } from '@aws-lambda-powertools/logger';
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3CheckpointStore } from '../../lambdas/adapters/S3CheckpointStore.ts';
import type { Context } from 'aws-lambda';
import { predictApp, type PredictDeps, type UrlEvent, type UrlResponse } from '../../lambdas/predict/route.ts';
import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import type { IamCheck } from '../../cli/lib/iam/IamCheck.ts';
import { expectEveryCallAllowed, startIamCheck } from '../helpers/iam.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';

let aws: LocalAws;
let deps: PredictDeps;
// The prediction Lambda's own clients: every call recorded and checked against its synthesized role policy.
let iam: IamCheck;
const bucket = 'prescale-predict-test';
const now = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
const load = (t: number) => 3000 + 2000 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400);
// The handler's own middleware chain (route + httpErrors), without Powertools.
const answer = (event: UrlEvent, d: PredictDeps = deps): Promise<UrlResponse> =>
  predictApp(d, () => now)(event, {} as Context);
const get = (path: string, query: Record<string, string> = {}): UrlEvent => ({
  rawPath: path,
  queryStringParameters: query,
  requestContext: { http: { method: 'GET' } },
});

beforeAll(async () => {
  aws = await startLocalAws();
  const config = { ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint };
  const autoScaling = new AutoScalingClient(config);
  const cloudWatch = new CloudWatchClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const ec2 = new EC2Client(config);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'lt',
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'web',
      MinSize: 1,
      MaxSize: 30,
      AvailabilityZones: ['us-east-1a'],
      LaunchTemplate: { LaunchTemplateName: 'lt', Version: '$Latest' },
    }),
  );
  const data: MetricDatum[] = [];
  for (let t = now - 3 * 86_400; t < now; t += 300)
    data.push({
      MetricName: 'Requests',
      Timestamp: new Date(t * 1000),
      Value: load(t),
      Dimensions: [{ Name: 'Group', Value: 'web' }],
    });
  for (let i = 0; i < data.length; i += 500)
    await cloudWatch.send(new PutMetricDataCommand({ Namespace: 'Test/Load', MetricData: data.slice(i, i + 500) }));
  const values = new Float64Array(3 * 288).map((_, i) => load(now - 3 * 86_400 + i * 300));
  const store = new S3CheckpointStore({ client: s3, bucket });
  const model = await new ArimaForecaster({ conditionMode: 'filter' }).fit({
    startSeconds: now - 3 * 86_400,
    stepSeconds: 300,
    values,
  });
  await store.promote('web', await store.save('web', model.toCheckpoint()));
  for (const c of [autoScaling, cloudWatch, s3, ec2]) c.destroy();
  iam = await startIamCheck(aws, { bucket, groups: ['web'] });
  const predict = iam.clientsFor('predict');
  deps = {
    autoScaling: predict.autoScaling,
    cloudWatch: predict.cloudWatch,
    s3: predict.s3,
    bucket,
    checkpointPrefix: 'checkpoints',
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    load: { namespace: 'Test/Load', metricName: 'Requests', dimensions: { Group: '{group}' } },
    policy: {
      kind: 'quantile',
      quantilePct: 75,
      capacityPerInstance: 100,
      targetUtilizationPct: 80,
      bootSeconds: 300,
      tickSeconds: 300,
    },
  };
});
afterAll(async () => {
  try {
    await expectEveryCallAllowed(iam, [
      'autoscaling:DescribeAutoScalingGroups',
      'cloudwatch:GetMetricData',
      's3:GetObject',
    ]);
  } finally {
    await iam?.stop();
    await aws?.stop();
  }
});

describe('predict Function URL against the local endpoint', () => {
  it('answers /health', async () => {
    const r = await answer(get('/health'));
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
  });

  it('forecasts an hour with bounds, recommended capacity and the model version', async () => {
    const r = await answer(get('/forecast', { group: 'web', horizon: '1h' }));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const body = JSON.parse(r.body);
    expect(body.timestamps).toHaveLength(12);
    expect(body.timestamps[0]).toBe(new Date(now * 1000).toISOString());
    for (let h = 0; h < 12; h++) {
      expect(body.lower95[h]).toBeLessThanOrEqual(body.lower80[h]);
      expect(body.lower80[h]).toBeLessThanOrEqual(body.mean[h]);
      expect(body.mean[h]).toBeLessThanOrEqual(body.upper80[h]);
      expect(body.upper80[h]).toBeLessThanOrEqual(body.upper95[h]);
      expect(body.recommendedCapacity[h]).toBeGreaterThan(0);
    }
    expect(Math.abs(body.mean[0] - load(now)) / load(now)).toBeLessThan(0.1);
    expect(body.model).toMatchObject({ kind: 'arima' });
    expect(body.model.version).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
  });

  it('forecasts a week from hourly data', async () => {
    const body = JSON.parse((await answer(get('/forecast', { group: 'web', horizon: '7d' }))).body);
    expect(body.stepSeconds).toBe(3600);
    expect(body.mean).toHaveLength(168);
    expect(body.model.note).toMatch(/hourly data/);
  });

  it('answers a bad query with 400 naming the parameter, an unknown group with 404, a bad path with 404', async () => {
    const badHorizon = await answer(get('/forecast', { group: 'web', horizon: '2w' }));
    expect(badHorizon.statusCode).toBe(400);
    expect(JSON.parse(badHorizon.body)).toMatchObject({
      parameter: 'horizon',
      error: expect.stringMatching(/'horizon' must be one of 1h, 6h, 1d, 7d, 30d, got '2w'/),
    });
    const noGroup = await answer(get('/forecast', { horizon: '1h' }));
    expect(noGroup.statusCode).toBe(400);
    expect(JSON.parse(noGroup.body).parameter).toBe('group');
    const unknown = await answer(get('/forecast', { group: 'ghost' }));
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(unknown.body).error).toMatch(/'ghost' not found/);
    expect((await answer(get('/nope'))).statusCode).toBe(404);
    expect((await answer({ ...get('/forecast'), requestContext: { http: { method: 'POST' } } })).statusCode).toBe(405);
  });

  it('answers 503 without a stack trace when AWS does not answer', async () => {
    const dead = { ...LOCAL_AWS_CONFIG, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 };
    const r = await answer(get('/forecast', { group: 'web' }), { ...deps, autoScaling: new AutoScalingClient(dead) });
    expect(r.statusCode).toBe(503);
    expect(r.body).not.toMatch(/\n\s+at /);
    expect(JSON.parse(r.body).error).toMatch(/did not answer/);
  });
});
