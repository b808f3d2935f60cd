import type { RegularSeries } from '../series/types.ts';
import { slice, stepsPerDay } from '../series/types.ts';
import { intervalAt } from './intervals.ts';
import type { ModelName } from './registry.ts';
import { RollingModel } from './RollingModel.ts';
import type { Forecaster } from './types.ts';

export interface RollingOptions {
  /** First origin: the model has seen values [0, origin) and forecasts origin, origin + 1, ... */
  readonly firstOrigin: number;
  readonly horizonSteps: number;
  /** Interval levels in percent; the ensemble is calibrated for 50, 80, 90, 95 and 99. */
  readonly levels: readonly number[];
  /** Origins between retrainings. @default one day of steps (the daily trainer) */
  readonly retrainEveryOrigins?: number;
  /** Days of history a model is trained on and conditioned on. @default 14 */
  readonly windowDays?: number;
  /** @default 0 */
  readonly seed?: number;
  /** @default 'ensemble' */
  readonly model?: ModelName;
  /**
   * How ARIMA takes in a new tick between retrainings (and at the ensemble's validation
   * origins): 'filter' re-aims the day's fit with its ARMA filter (~1 ms), as the scaler
   * Lambda does; 'refit' fits it again from scratch (~200 ms), the backtest's protocol.
   * @default 'filter'
   */
  readonly arimaCondition?: 'filter' | 'refit';
  /**
   * Each daily training continues from the previous day's model (the LSTM from its weights,
   * for fewer epochs), as the trainer Lambda does; false trains every day from scratch.
   * @default true
   */
  readonly warmStart?: boolean;
  /** Makes each day's new, unfitted model instead of `model` (tests use tiny ones). @default none */
  readonly createModel?: () => Forecaster;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RollingForecasts {
  readonly stepSeconds: number;
  readonly firstOrigin: number;
  readonly horizonSteps: number;
  readonly levels: readonly number[];
  /** Origins held: firstOrigin .. the series' length inclusive (the last forecasts beyond the data). */
  readonly origins: number;
  /** Row-major origins × horizonSteps. */
  readonly mean: Float64Array;
  readonly lower: Record<number, Float64Array>;
  readonly upper: Record<number, Float64Array>;
  /** Successful trainings. */
  readonly trainings: number;
  /** Origins where the model could not forecast and seasonal naive (or naive) stood in. */
  readonly failures: number;
  /** The ensemble's member weights after each successful training, with the origin it was trained at. */
  readonly weights?: readonly { readonly origin: number; readonly weights: Record<string, number> }[];
}

/** One origin's forecast: views into the result's arrays, steps 1..horizonSteps. */
export interface RollingForecast {
  readonly mean: Float64Array;
  readonly lower: Record<number, Float64Array>;
  readonly upper: Record<number, Float64Array>;
}

/**
 * A forecast from every origin as the production loop makes them: the model is trained on the
 * last `windowDays` before an origin once per `retrainEveryOrigins`, and conditioned on the
 * newest window at every origin in between. Strictly causal: origin t reads values [0, t) only.
 *
 * Never throws for a model failure. A training that fails for want of history
 * (InsufficientHistoryError) is tried again at the next origin, so the model starts as soon
 * as the growing history allows; any other failed training keeps the previous model (as the
 * trainer keeps the promoted version) until the next scheduled one. Origins without a usable
 * forecast get seasonal naive's (naive's on a day or less) and are counted in `failures`.
 */
export async function rollingForecasts(series: RegularSeries, options: RollingOptions): Promise<RollingForecasts> {
  const m = stepsPerDay(series.stepSeconds);
  const n = series.values.length;
  const H = options.horizonSteps;
  const retrainEvery = options.retrainEveryOrigins ?? m;
  const windowPoints = (options.windowDays ?? 14) * m;
  const name = options.model ?? 'ensemble';
  const warmStart = options.warmStart ?? true;
  const scheduledRetraining = (options.arimaCondition ?? 'filter') === 'filter';
  if (!(Number.isInteger(options.firstOrigin) && options.firstOrigin >= 1 && options.firstOrigin <= n)) {
    throw new RangeError(`'firstOrigin' must be within [1, ${n}], got ${options.firstOrigin}`);
  }
  if (!(Number.isInteger(H) && H >= 1)) throw new RangeError(`'horizonSteps' must be a positive integer, got ${H}`);
  if (!(Number.isInteger(retrainEvery) && retrainEvery >= 1)) {
    throw new RangeError(`'retrainEveryOrigins' must be a positive integer, got ${retrainEvery}`);
  }
  if (!(Number.isInteger(windowPoints) && windowPoints >= 1))
    throw new RangeError(`'windowDays' must be a positive integer, got ${options.windowDays}`);
  const origins = n - options.firstOrigin + 1;
  const mean = new Float64Array(origins * H);
  const lower: Record<number, Float64Array> = {};
  const upper: Record<number, Float64Array> = {};
  for (const level of options.levels) {
    lower[level] = new Float64Array(origins * H);
    upper[level] = new Float64Array(origins * H);
  }
  const rolling = new RollingModel({
    retrainEveryOrigins: retrainEvery,
    model: name,
    warmStart,
    scheduledRetraining,
    seed: options.seed,
    createModel: options.createModel,
  });
  for (let k = 0; k < origins; k++) {
    const origin = options.firstOrigin + k;
    const window = slice(series, Math.max(0, origin - windowPoints), origin);
    const forecast = await rolling.forecast(window, origin, H, options.levels);
    const row = k * H;
    mean.set(forecast.mean, row);
    for (const level of options.levels) {
      const bounds = intervalAt(forecast, level);
      lower[level].set(bounds.lower, row);
      upper[level].set(bounds.upper, row);
    }
    options.onProgress?.(k + 1, origins);
  }
  return {
    stepSeconds: series.stepSeconds,
    firstOrigin: options.firstOrigin,
    horizonSteps: H,
    levels: options.levels,
    origins,
    mean,
    lower,
    upper,
    trainings: rolling.trainings,
    failures: rolling.failures,
    ...(rolling.weights.length > 0 ? { weights: rolling.weights } : {}),
  };
}

/** The forecast made at `origin` (an index into the series: it had seen values [0, origin)). */
export function forecastAt(result: RollingForecasts, origin: number): RollingForecast {
  const k = origin - result.firstOrigin;
  if (!(Number.isInteger(k) && k >= 0 && k < result.origins)) {
    throw new RangeError(
      `origin must be an integer within [${result.firstOrigin}, ${result.firstOrigin + result.origins - 1}], got ${origin}`,
    );
  }
  const from = k * result.horizonSteps,
    to = from + result.horizonSteps;
  const view = (arrays: Record<number, Float64Array>) =>
    Object.fromEntries(result.levels.map((level) => [level, arrays[level].subarray(from, to)]));
  return { mean: result.mean.subarray(from, to), lower: view(result.lower), upper: view(result.upper) };
}
