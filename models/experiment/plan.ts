import type { DemandTrace } from '../fleet/types.ts';
import { clamp, instancesForLoad } from '../policy/capacity.ts';
import { forecastHorizonSteps, METRIC_PUBLISH_DELAY_SECONDS } from '../policy/defaults.ts';
import type { RegularSeries } from '../series/types.ts';
import { ExperimentInputError } from './errors.ts';
import { percentile } from './metrics.ts';
import type { ModelName } from '../forecast/registry.ts';
import { LOAD_METRICS, type ExperimentConfig, type LoadMetricMode } from './runExperiment.ts';

export interface ExperimentOptions {
  /** Load units one instance serves per minute at 100%, or 'auto' (see `autoCapacityPerInstance`). @default 'auto' */
  readonly capacityPerInstance?: number | 'auto';
  /** @default 300 */
  readonly bootSeconds?: number;
  /** @default 300 */
  readonly warmupSeconds?: number;
  /** Utilization the forecast-driven strategies plan at, and 'auto' sizing's reference. @default 60 */
  readonly targetUtilizationPct?: number;
  /** Seconds between scaler runs. @default 300 */
  readonly tickSeconds?: number;
  /** @default 0.0416 (t3.medium on-demand, us-east-1) */
  readonly pricePerInstanceHour?: number;
  /** @default 1 */
  readonly minSize?: number;
  /** @default five times the instances the history's 99th-percentile demand needs at the target utilization, at least 10 */
  readonly maxSize?: number;
  /** CloudWatch publishing delay of the load and CPU metrics. @default 60 */
  readonly metricDelaySeconds?: number;
  /**
   * What the forecaster and the policy see: 'requests', the trace itself (its demand as counted
   * at the load balancer), or 'total-cpu', what the simulated group publishes to CloudWatch
   * (capped at 100% per serving instance, late, warming instances left out), forecast closed
   * loop. @default 'requests'
   */
  readonly loadMetric?: LoadMetricMode;
  /** The forecaster in 'total-cpu' mode (made during each run). @default 'ensemble' */
  readonly model?: ModelName;
  /** @default 0 */
  readonly seed?: number;
}

/** With 'auto' sizing, the trace's 99th-percentile demand needs this many instances at the target utilization. */
export const AUTO_SIZE_INSTANCES = 20;
/** The forecaster works on 5-minute data, what the scaler reads from CloudWatch. */
export const FORECAST_STEP_SECONDS = 300;
/** The training part is the first 14 days, or the first half of a shorter trace. */
export const TRAINING_DAYS = 14;
/**
 * Settings are tuned on the history's last 7 days (fewer when the history is shorter: all of it
 * but the first day, which the forecaster needs before its first forecast).
 */
export const TUNING_DAYS = 7;
/** Shortest trace the experiment accepts: two days to train, two to evaluate. */
export const MIN_TRACE_DAYS = 4;

export interface ExperimentPlan {
  readonly trace: DemandTrace;
  readonly config: ExperimentConfig;
  /** The trace as the forecaster sees it: at 5-minute periods (`atLoadStep`). */
  readonly forecastSeries: RegularSeries;
  /** First forecast origin (index into forecastSeries) the scaler can use in the evaluation window. */
  readonly firstOrigin: number;
  readonly horizonSteps: number;
  readonly trainingDays: number;
  /** Days at the end of the history the settings are tuned on. */
  readonly tuningDays: number;
  readonly evaluationDays: number;
}

/** Split the trace, size the fleet and fix every setting the experiment runs with. */
export function planExperiment(series: RegularSeries, name: string, options: ExperimentOptions = {}): ExperimentPlan {
  const step = series.stepSeconds;
  if (!(step >= 60 && step <= 3600) || 86_400 % step !== 0) {
    throw new ExperimentInputError(
      `trace '${name}' has ${step}-second intervals; the experiment takes 60 s to 1 h intervals that divide a day`,
    );
  }
  const days = (series.values.length * step) / 86_400;
  if (days < MIN_TRACE_DAYS) {
    throw new ExperimentInputError(
      `trace '${name}' covers ${days.toFixed(1)} days; the experiment needs at least ${MIN_TRACE_DAYS} days ` +
        `(the first half, up to ${TRAINING_DAYS} days, trains the forecaster; the rest is evaluated)`,
    );
  }
  const trainingDays = Math.min(TRAINING_DAYS, Math.floor(days / 2));
  const evaluationStartSeconds = series.startSeconds + trainingDays * 86_400;
  const tuningDays = Math.min(TUNING_DAYS, trainingDays - 1);
  const tuningStartSeconds = evaluationStartSeconds - tuningDays * 86_400;
  const targetUtilizationPct = positive('targetUtilizationPct', options.targetUtilizationPct ?? 60);
  if (targetUtilizationPct > 100)
    throw new ExperimentInputError(`'targetUtilizationPct' must be at most 100, got ${targetUtilizationPct}`);
  // Sizing reads the history only: a user sizing a group has not seen the evaluation window.
  const historyIntervals = (trainingDays * 86_400) / step;
  const historyPerMinute = Array.from(series.values.slice(0, historyIntervals), (v) => (v * 60) / step);
  const capacityPerInstance =
    options.capacityPerInstance === undefined || options.capacityPerInstance === 'auto'
      ? autoCapacityPerInstance(historyPerMinute, targetUtilizationPct)
      : positive('capacityPerInstance', options.capacityPerInstance);
  const p99Instances = instancesForLoad(percentile(historyPerMinute, 99), capacityPerInstance, targetUtilizationPct);
  const minSize = nonNegativeInteger('minSize', options.minSize ?? 1);
  const maxSize = nonNegativeInteger('maxSize', options.maxSize ?? Math.max(10, 5 * p99Instances));
  if (maxSize < Math.max(1, minSize))
    throw new ExperimentInputError(`'maxSize' must be at least max(1, minSize=${minSize}), got ${maxSize}`);
  const bootSeconds = nonNegativeInteger('bootSeconds', options.bootSeconds ?? 300);
  const tickSeconds = positive('tickSeconds', options.tickSeconds ?? 300);
  if (tickSeconds % 60 !== 0) throw new ExperimentInputError(`'tickSeconds' must be whole minutes, got ${tickSeconds}`);
  const metricDelaySeconds = nonNegativeInteger(
    'metricDelaySeconds',
    options.metricDelaySeconds ?? METRIC_PUBLISH_DELAY_SECONDS,
  );
  const initialCapacity = clamp(
    instancesForLoad(historyPerMinute[0], capacityPerInstance, targetUtilizationPct),
    minSize,
    maxSize,
  );

  if (series.startSeconds % FORECAST_STEP_SECONDS !== 0)
    throw new ExperimentInputError(
      `trace '${name}' starts at ${new Date(series.startSeconds * 1000).toISOString()}; it must start on a 5-minute boundary (CloudWatch's periods are aligned to the clock)`,
    );
  const forecastSeries = atLoadStep(series);
  const fStep = forecastSeries.stepSeconds;
  // Forecasts start where tuning does, so that settings can be chosen on the history.
  const start = forecastStart(forecastSeries, tuningStartSeconds, { metricDelaySeconds, tickSeconds });
  const horizonSteps = forecastHorizonSteps(fStep, bootSeconds + tickSeconds + metricDelaySeconds);
  const loadMetric = options.loadMetric ?? 'requests';
  if (!LOAD_METRICS.includes(loadMetric))
    throw new ExperimentInputError(
      `'loadMetric' must be one of ${LOAD_METRICS.join(', ')}, got '${String(loadMetric)}'`,
    );
  const firstOrigin = start.firstOrigin;
  return {
    trace: { startSeconds: series.startSeconds, stepSeconds: step, values: series.values },
    forecastSeries,
    firstOrigin,
    horizonSteps,
    trainingDays,
    tuningDays,
    evaluationDays: days - trainingDays,
    config: {
      fleet: {
        capacityPerInstance,
        minSize,
        maxSize,
        initialCapacity,
        bootSeconds,
        warmupSeconds: nonNegativeInteger('warmupSeconds', options.warmupSeconds ?? 300),
        pricePerInstanceHour: positive('pricePerInstanceHour', options.pricePerInstanceHour ?? 0.0416),
        metricPeriodSeconds: 60,
        metricDelaySeconds,
      },
      bootSeconds,
      targetUtilizationPct,
      tickSeconds,
      metricDelaySeconds,
      evaluationStartSeconds,
      tuningStartSeconds,
      loadMetric,
      forecasting: {
        firstForecastSeconds: start.firstForecastSeconds,
        model: options.model,
        seed: options.seed,
      },
      pricePerInstanceHour: options.pricePerInstanceHour ?? 0.0416,
    },
  };
}

/**
 * The first forecast origin and the tick that makes it, for forecasts that must cover the scaler's
 * decisions from `atSeconds` on: an origin a tick and a publishing delay ahead of it, forecast
 * once its interval is published.
 */
export function forecastStart(
  forecastSeries: RegularSeries,
  atSeconds: number,
  timing: { readonly metricDelaySeconds: number; readonly tickSeconds: number },
): { firstOrigin: number; firstForecastSeconds: number } {
  const step = forecastSeries.stepSeconds;
  const index = Math.round((atSeconds - forecastSeries.startSeconds) / step);
  const lead = Math.ceil((timing.metricDelaySeconds + timing.tickSeconds) / step) + 1;
  const firstOrigin = Math.max(1, index - lead);
  return {
    firstOrigin,
    firstForecastSeconds: forecastSeries.startSeconds + firstOrigin * step + timing.metricDelaySeconds,
  };
}

/** Capacity per instance such that the (history's) 99th-percentile demand needs 20 instances at the target utilization. */
export function autoCapacityPerInstance(demandPerMinute: readonly number[], targetUtilizationPct: number): number {
  const p99 = percentile(demandPerMinute, 99);
  if (!(p99 > 0))
    throw new ExperimentInputError('the trace has no demand (99th percentile is 0): pass --capacity-per-instance');
  return p99 / (AUTO_SIZE_INSTANCES * (targetUtilizationPct / 100));
}

/**
 * The trace as CloudWatch would hold it at the scaler's 5-minute periods: finer intervals summed,
 * coarser ones spread evenly (the simulator's demand is uniform within an interval).
 */
export function atLoadStep(series: RegularSeries): RegularSeries {
  if (series.stepSeconds <= FORECAST_STEP_SECONDS) return aggregateTo(series, FORECAST_STEP_SECONDS);
  const parts = series.stepSeconds / FORECAST_STEP_SECONDS;
  if (!Number.isInteger(parts))
    throw new ExperimentInputError(
      `a ${series.stepSeconds}-second interval does not split into 5-minute periods; resample the trace`,
    );
  const values = new Float64Array(series.values.length * parts);
  for (let i = 0; i < values.length; i++) values[i] = series.values[Math.floor(i / parts)] / parts;
  return { startSeconds: series.startSeconds, stepSeconds: FORECAST_STEP_SECONDS, values };
}

/** Sum consecutive intervals up to at least `targetStepSeconds` (when that still divides a day). */
export function aggregateTo(series: RegularSeries, targetStepSeconds: number): RegularSeries {
  const factor = Math.ceil(targetStepSeconds / series.stepSeconds);
  const step = factor * series.stepSeconds;
  if (factor <= 1 || 86_400 % step !== 0) return series;
  const n = Math.floor(series.values.length / factor);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < factor; k++) sum += series.values[i * factor + k];
    values[i] = sum;
  }
  return { startSeconds: series.startSeconds, stepSeconds: step, values };
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0))
    throw new ExperimentInputError(`'${name}' must be a positive number, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0))
    throw new ExperimentInputError(`'${name}' must be a non-negative integer, got ${value}`);
  return value;
}
