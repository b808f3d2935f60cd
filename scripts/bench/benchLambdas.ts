/**
 * Benchmarks of the AWS runtime against the local endpoint (moto server, or AWS_ENDPOINT_URL):
 *   - bundle and zip sizes (npm run bundle),
 *   - trainer on 14 days of real 5-minute data, in process (one core),
 *   - scaler work per group with a loaded checkpoint, fetch excluded (median of 30 ticks),
 *   - cold start: a fresh Node process imports the bundled scaler and handles one tick.
 * Usage: npx tsx scripts/bench/benchLambdas.ts [FILE] [--json]
 *   FILE: a 5-minute series of at least 14 days (default data/elb_request_count_8c0756.csv)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AsgCapacityTarget } from '../../lambdas/adapters/AsgCapacityTarget.ts';
import { CloudWatchMetricSource, loadKindOf } from '../../lambdas/adapters/CloudWatchMetricSource.ts';
import { S3CheckpointStore } from '../../lambdas/adapters/S3CheckpointStore.ts';
import { scalerConfig } from '../../lambdas/scaler/config.ts';
import { FORECAST_LEVELS } from '../../models/policy/defaults.ts';
import { trainerConfig } from '../../lambdas/trainer/config.ts';
import { runTrainer } from '../../lambdas/trainer/runTrainer.ts';
import { median } from '../../models/backtest/metrics.ts';
import { initTfBackend } from '../../models/forecast/lstm/backend.ts';
import { loadForecaster } from '../../models/forecast/registry.ts';
import { decide } from '../../models/policy/decide.ts';
import { fillGaps } from '../../models/series/fillGaps.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { bundleAll } from '../bundle.ts';
import { LOCAL_AWS_CONFIG, startLocalAws } from '../../test/helpers/localAws.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const json = process.argv.includes('--json');
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};
const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? join(ROOT, 'data/elb_request_count_8c0756.csv');

const sizes = await bundleAll();
log(`bundles: ${sizes.map((s) => `${s.name} ${(s.zipBytes / 1e6).toFixed(2)} MB zipped`).join(', ')}`);

const aws = await startLocalAws();
const config = { ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint };
const clients = {
  autoScaling: new AutoScalingClient(config),
  cloudWatch: new CloudWatchClient(config),
  s3: new S3Client({ ...config, forcePathStyle: true }),
};
const ec2 = new EC2Client(config);
const bucket = 'prescale-bench';
const group = 'bench';
const step = 300;
const now = Math.floor(Date.now() / 1000 / step) * step - 600;
const { name, series } = await readSeriesFile(file);
const points = 14 * 288;
if (series.values.length < points || series.stepSeconds !== step)
  throw new Error(`${file}: need at least 14 days of 5-minute data`);
const values = series.values.slice(series.values.length - points);
try {
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'bench-lt',
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  await clients.autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: group,
      MinSize: 1,
      MaxSize: 100,
      AvailabilityZones: ['us-east-1a'],
      LaunchTemplate: { LaunchTemplateName: 'bench-lt', Version: '$Latest' },
    }),
  );
  const data: MetricDatum[] = Array.from(values, (v, i) => ({
    MetricName: 'Load',
    Timestamp: new Date((now - (points - i) * step) * 1000),
    Value: v,
    Dimensions: [{ Name: 'Group', Value: group }],
  }));
  for (let i = 0; i < data.length; i += 500)
    await clients.cloudWatch.send(
      new PutMetricDataCommand({ Namespace: 'Bench/Load', MetricData: data.slice(i, i + 500) }),
    );
  const env = {
    PRESCALE_BUCKET: bucket,
    PRESCALE_GROUPS: group,
    PRESCALE_DISCOVERY_TAG: 'none',
    PRESCALE_CAPACITY_PER_INSTANCE: String(Math.max(1, median(Array.from(values)) / 5 / 10)),
    PRESCALE_MODE: 'forecast-and-scale',
    PRESCALE_LOAD_METRIC: JSON.stringify({
      namespace: 'Bench/Load',
      metricName: 'Load',
      dimensions: { Group: '{group}' },
    }),
  };
  const silent = new Logger({ serviceName: 'bench', logLevel: 'SILENT' });

  log(`training on 14 days of ${name} (in process, one core)...`);
  await initTfBackend();
  const t0 = performance.now();
  const trained = await runTrainer(now, group, { config: trainerConfig(env), ...clients, logger: silent });
  const trainSeconds = (performance.now() - t0) / 1000;
  if (trained.errors.length > 0 || !trained.groups[0]?.promoted)
    throw new Error(`training failed: ${JSON.stringify(trained)}`);
  log(`trainer: ${trainSeconds.toFixed(1)} s (${trained.groups[0].reason})`);

  const scaler = scalerConfig(env);
  const stored = await new S3CheckpointStore({ client: clients.s3, bucket }).loadPromoted(group);
  const model = loadForecaster(stored!.checkpoint);
  const history = fillGaps(
    await new CloudWatchMetricSource({ client: clients.cloudWatch, load: scaler.load }).fetchLoad(group, {
      startSeconds: now - 14 * 86_400,
      endSeconds: now,
      stepSeconds: step,
    }),
  );
  const state = await new AsgCapacityTarget({ autoScaling: clients.autoScaling }).read(group);
  const tickMs: number[] = [];
  for (let k = 0; k < 31; k++) {
    const start = performance.now();
    await model.condition(history!);
    const f = model.predict(12, FORECAST_LEVELS);
    decide(
      now,
      {
        startSeconds: now,
        stepSeconds: step,
        kind: loadKindOf(scaler.load),
        mean: f.mean,
        upper: Object.fromEntries(f.intervals.map((i) => [i.level, i.upper])),
        lower: Object.fromEntries(f.intervals.map((i) => [i.level, i.lower])),
      },
      state,
      scaler.policy,
    );
    if (k > 0) tickMs.push(performance.now() - start);
  }
  const scalerWorkMs = median(tickMs);
  log(`scaler work per group, loaded checkpoint, fetch excluded: median ${scalerWorkMs.toFixed(1)} ms over 30 ticks`);

  const script = `const t0 = performance.now();
const m = await import(${JSON.stringify(join(ROOT, 'dist/lambdas/scaler/index.mjs'))});
const r = await m.handler({ time: new Date(${now * 1000}).toISOString() }, { functionName: 'prescale-scaler', awsRequestId: 'bench', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:prescale-scaler', memoryLimitInMB: '1024', getRemainingTimeInMillis: () => 60000 });
process.stdout.write('@@result ' + JSON.stringify({ ms: performance.now() - t0, groups: r.groups.map((g) => [g.group, g.action, g.model]), errors: r.errors }) + '\\n');`;
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: '/',
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      ...env,
    },
  });
  const processMs = performance.now() - started;
  const line = child.stdout
    .split('\n')
    .find((l) => l.startsWith('@@result '))
    ?.slice('@@result '.length);
  if (child.status !== 0 || line === undefined) throw new Error(`bundled scaler failed: ${child.stderr}`);
  const cold = JSON.parse(line) as { ms: number; groups: unknown[]; errors: unknown[] };
  log(
    `cold start: import + one tick ${cold.ms.toFixed(0)} ms inside a fresh Node process (${processMs.toFixed(0)} ms with process start); ${JSON.stringify(cold.groups)} errors ${JSON.stringify(cold.errors)}`,
  );
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ series: name, bundles: sizes, trainSeconds, scalerWorkMedianMs: scalerWorkMs, coldStartMs: cold.ms, coldStartProcessMs: processMs, coldStartGroups: cold.groups, coldStartErrors: cold.errors })}\n`,
    );
  }
} finally {
  for (const c of [...Object.values(clients), ec2]) c.destroy();
  await aws.stop();
}
