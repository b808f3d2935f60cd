import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SLO, type Slo } from '../../models/experiment/slo.ts';
import { ExperimentInputError } from '../../models/experiment/errors.ts';
import { AUTO_SIZE_INSTANCES, planExperiment, type ExperimentPlan } from '../../models/experiment/plan.ts';
import { LOAD_METRICS, runExperiment, type LoadMetricMode } from '../../models/experiment/runExperiment.ts';
import { computeTickForecasts, forecastTicks } from '../../models/experiment/tickForecasts.ts';
import {
  FORECAST_STRATEGIES,
  isStrategyName,
  STRATEGY_NAMES,
  type StrategyName,
} from '../../models/experiment/strategies/catalogue.ts';
import { isModelName, MODEL_NAMES, type ModelName } from '../../models/forecast/registry.ts';
import { readSeriesFile } from '../lib/readSeriesFile.ts';
import { readGroupSeries } from '../lib/readGroupSeries.ts';
import { experimentJson, writeExperimentOutputs } from '../report/outputs.ts';
import { UsageError } from '../lib/errors.ts';
import { ProgressBar } from '../lib/ProgressBar.ts';
import { renderTables } from '../report/experimentTables.ts';

export const DEFAULT_TRACE = 'data/elb_request_count_8c0756.csv';

export const EXPERIMENT_HELP = `Usage: prescale experiment [options]

Replays a load trace through every scaling strategy in a simulated EC2 Auto Scaling group,
sweeping each strategy's knob, and says what to deploy at your SLO: each strategy's setting is
chosen on the history alone (its last 7 days, forecasts made as production makes them), then
judged on the evaluation window, beside the cheapest setting meeting the SLO in hindsight.
The first half of the trace (at most 14 days) is the history; the rest is evaluated.

Options:
  --trace FILE                  timestamp,value CSV or CloudWatch JSON, 1-minute to 1-hour
                                intervals; each value is demand in load units per interval
                                (default: ${DEFAULT_TRACE})
  --group NAME                  instead of a file, a live Auto Scaling group's history from
                                CloudWatch, as the scaler reads it: total CPU (CPUUtilization x
                                GroupInServiceInstances, 100 per instance at 100% CPU), default
                                credentials (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL apply)
  --region R                    the group's region (default: the SDK's)
  --period 60|300               with --group: 1-minute data for the last 15 days, or 5-minute
                                data for the last 63 (default: 300)
  --capacity-per-instance N|auto
                                load units one instance serves per minute at 100% CPU; auto:
                                the trace's 99th-percentile demand needs ${AUTO_SIZE_INSTANCES} instances at
                                the target utilization (default: auto)
  --target-utilization PCT      utilization the forecast-driven strategies plan at (default: 60)
  --boot-seconds S              seconds from launch to serving (default: 300)
  --warmup-seconds S            instance warm-up after boot (default: 300)
  --price USD                   price per instance-hour (default: 0.0416)
  --min-size N, --max-size N    group bounds (default: 1, and 5x the p99 instance count)
  --strategies a,b,...          of ${STRATEGY_NAMES.join(', ')} (default: all)
  --forecaster MODEL            the forecast-driven strategies' model, of ${MODEL_NAMES.join(', ')}
                                (default: ensemble, the production model; with another, the
                                scaler's fallback before a model is promoted is that model too)
  --seed N                      seed for the forecaster (default: 0)
  --slo-unserved PCT            the SLO: at most this percent of demand unserved (default: 0.1,
                                i.e. 99.9% served); every strategy's cheapest setting meeting
                                it is reported, and the recommendation is chosen to meet it
  --slo-under-provisioned-minutes PCT
                                and at most this percent of minutes under-provisioned
                                (default: no bound)
  --load-metric requests|total-cpu
                                what the forecaster and the policy see: requests, the trace
                                itself; total-cpu, the total CPU the simulated group publishes
                                (capped at 100% per serving instance, late, warming instances
                                left out), 100 per instance at 100% CPU, forecast closed loop
                                as the scaler does: slower, each setting trains its own models;
                                default strategies then: the baselines, prescale and the oracle
                                (default: requests)
  --out DIR                     where report.html, metrics.csv and metrics.json go
                                (default: reports/<trace>-<time>)
  --json                        print the results as JSON instead of tables
  -h, --help                    this help
`;

interface ExperimentArgs {
  readonly trace: string;
  /** A live group to read instead of the trace file. */
  readonly group?: { readonly name: string; readonly region?: string; readonly periodSeconds: number };
  readonly strategies: StrategyName[];
  readonly out?: string;
  readonly json: boolean;
  readonly seed: number;
  readonly forecaster: ModelName;
  readonly slo: Slo;
  readonly options: Parameters<typeof planExperiment>[2];
}

async function readGroup(group: NonNullable<ExperimentArgs['group']>) {
  const bar = new ProgressBar(1, 'reading CloudWatch');
  const read = await readGroupSeries({ group: group.name, region: group.region, periodSeconds: group.periodSeconds });
  bar.tick(`${group.name}: ${read.series.values.length} periods, ${read.gaps} filled`);
  bar.finish();
  return read;
}

function parseNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a number, got '${text}'`);
  return value;
}

function percentFlag(flag: string, text: string): number {
  const value = parseNumber(flag, text) as number;
  if (!(value >= 0 && value <= 100))
    throw new UsageError(`--${flag} must be a percentage within [0, 100], got '${text}'`);
  return value;
}

export function parseExperimentArgs(argv: string[]): ExperimentArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        trace: { type: 'string' },
        group: { type: 'string' },
        region: { type: 'string' },
        period: { type: 'string' },
        'capacity-per-instance': { type: 'string' },
        'target-utilization': { type: 'string' },
        'boot-seconds': { type: 'string' },
        'warmup-seconds': { type: 'string' },
        price: { type: 'string' },
        'min-size': { type: 'string' },
        'max-size': { type: 'string' },
        strategies: { type: 'string' },
        forecaster: { type: 'string', default: 'ensemble' },
        seed: { type: 'string', default: '0' },
        'load-metric': { type: 'string', default: 'requests' },
        'slo-unserved': { type: 'string', default: String(DEFAULT_SLO.unservedPct) },
        'slo-under-provisioned-minutes': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const { values } = parsed;
  const loadMetric = values['load-metric'];
  if (!(LOAD_METRICS as readonly string[]).includes(loadMetric))
    throw new UsageError(`--load-metric must be one of ${LOAD_METRICS.join(', ')}, got '${loadMetric}'`);
  const defaultStrategies =
    loadMetric === 'total-cpu'
      ? STRATEGY_NAMES.filter((s) => s === 'prescale' || !FORECAST_STRATEGIES.has(s))
      : STRATEGY_NAMES;
  const strategies = (values.strategies ?? defaultStrategies.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = strategies.filter((s) => !isStrategyName(s));
  if (unknown.length > 0 || strategies.length === 0) {
    throw new UsageError(
      `unknown strategy '${unknown.join(', ')}' in --strategies; choose from ${STRATEGY_NAMES.join(', ')}`,
    );
  }
  if (values.group !== undefined && values.trace !== undefined)
    throw new UsageError('give --trace FILE or --group NAME, not both');
  if (values.group === undefined && (values.region !== undefined || values.period !== undefined))
    throw new UsageError('--region and --period go with --group NAME');
  if (values.group !== undefined && values.group.trim() === '') throw new UsageError('--group needs a group name');
  const periodSeconds = parseNumber('period', values.period) ?? 300;
  if (periodSeconds !== 60 && periodSeconds !== 300)
    throw new UsageError(`--period must be 60 or 300 seconds, got '${values.period}'`);
  const capacityText = values['capacity-per-instance'];
  const capacity =
    capacityText === undefined || capacityText === 'auto'
      ? capacityText
      : parseNumber('capacity-per-instance', capacityText);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
  if (!isModelName(values.forecaster))
    throw new UsageError(`unknown forecaster '${values.forecaster}'; choose from ${MODEL_NAMES.join(', ')}`);
  const slo: Slo = {
    unservedPct: percentFlag('slo-unserved', values['slo-unserved']),
    underProvisionedPct:
      values['slo-under-provisioned-minutes'] === undefined
        ? undefined
        : percentFlag('slo-under-provisioned-minutes', values['slo-under-provisioned-minutes']),
  };
  return {
    trace: values.trace ?? DEFAULT_TRACE,
    group: values.group === undefined ? undefined : { name: values.group, region: values.region, periodSeconds },
    strategies: strategies as StrategyName[],
    slo,
    out: values.out,
    json: values.json,
    seed,
    forecaster: values.forecaster,
    options: {
      capacityPerInstance: capacity,
      targetUtilizationPct: parseNumber('target-utilization', values['target-utilization']),
      bootSeconds: parseNumber('boot-seconds', values['boot-seconds']),
      warmupSeconds: parseNumber('warmup-seconds', values['warmup-seconds']),
      pricePerInstanceHour: parseNumber('price', values.price),
      minSize: parseNumber('min-size', values['min-size']),
      maxSize: parseNumber('max-size', values['max-size']),
      loadMetric: loadMetric as LoadMetricMode,
      model: values.forecaster,
      seed,
    },
  };
}

export async function experimentCommand(argv: string[]): Promise<number> {
  const args = parseExperimentArgs(argv);
  const input = args.group === undefined ? await readSeriesFile(args.trace) : await readGroup(args.group);
  let plan: ExperimentPlan;
  try {
    // A group's total CPU is in percent-instances: 100 per instance, unless told otherwise.
    const capacityPerInstance =
      args.options?.capacityPerInstance ??
      ('capacityPerInstance' in input ? input.capacityPerInstance : undefined) ??
      'auto';
    plan = planExperiment(input.series, input.name, { ...args.options, capacityPerInstance });
  } catch (error) {
    if (error instanceof ExperimentInputError || error instanceof RangeError)
      throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const startedMs = performance.now();
  // With total CPU each forecast-driven run forecasts closed loop, during the simulation.
  const needsForecasts =
    plan.config.loadMetric !== 'total-cpu' && args.strategies.some((s) => FORECAST_STRATEGIES.has(s));
  const forecastBar = new ProgressBar(needsForecasts ? forecastTicks(plan).length : 0, 'forecasting');
  const forecasts = await computeTickForecasts(plan, {
    seed: args.seed,
    model: args.forecaster,
    skip: !needsForecasts,
    onProgress: () => forecastBar.tick(input.name),
  });
  forecastBar.finish();
  const forecastSeconds = (performance.now() - startedMs) / 1000;
  let simBar: ProgressBar | undefined;
  const outcome = await runExperiment({
    trace: plan.trace,
    forecasts: forecasts.forecasts,
    config: plan.config,
    strategies: args.strategies,
    slo: args.slo,
    onRun: (strategy, knob, totalRuns) =>
      (simBar ??= new ProgressBar(totalRuns, 'simulating')).tick(`${strategy} ${knob}`),
  });
  simBar?.finish();
  const elapsedSeconds = (performance.now() - startedMs) / 1000;
  const timing = {
    forecastSeconds,
    totalSeconds: elapsedSeconds,
    trainings: forecasts.trainings,
    forecastFailures: forecasts.failures,
  };

  const dir = args.out ?? `reports/${input.name}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`;
  await writeExperimentOutputs(dir, input.name, plan, outcome, forecasts.forecasts, timing);
  if (args.json) {
    const json = { ...experimentJson(input.name, plan, outcome, timing), report: join(dir, 'report.html') };
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    process.stdout.write(renderTables(input.name, plan, outcome, timing));
    process.stdout.write(`\nReport: ${dir}/report.html (and metrics.csv, metrics.json)\n`);
  }
  return 0;
}
