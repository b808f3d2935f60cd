import type { RegularSeries } from '../series/types.ts';
import { slice, stepsPerDay } from '../series/types.ts';
import { NaiveForecaster, SeasonalNaiveForecaster } from './baselines.ts';
import { intervalAt } from './intervals.ts';
import { createForecaster, type ModelName } from './registry.ts';
import type { Forecast, Forecaster } from './types.ts';

export interface RollingOptions {
  /** First origin: the model has seen values [0, origin) and forecasts origin, origin + 1, ... */
  readonly firstOrigin: number;
  readonly horizonSteps: number;
  readonly levels: readonly number[];
  /** Origins between retrainings. @default one day of steps (the daily trainer) */
  readonly retrainEveryOrigins?: number;
  /** Days of history a model is trained on and conditioned on. @default 14 */
  readonly windowDays?: number;
  /** @default 0 */
  readonly seed?: number;
  /** @default 'ensemble' */
  readonly model?: ModelName;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RollingForecasts {
  readonly stepSeconds: number;
  readonly firstOrigin: number;
  readonly horizonSteps: number;
  readonly levels: readonly number[];
  /** Row-major origins × horizonSteps; origins run from firstOrigin to the series' length inclusive. */
  readonly mean: Float64Array;
  readonly lower: Record<number, Float64Array>;
  readonly upper: Record<number, Float64Array>;
  readonly trainings: number;
  /** Origins where the model could not forecast and seasonal naive (or naive) stood in. */
  readonly failures: number;
}

/**
 * A forecast from every origin as the production loop makes them: the model is trained on the
 * last `windowDays` before an origin once per `retrainEveryOrigins`, and conditioned on the
 * newest window at every origin in between. Strictly causal: origin t reads values [0, t) only.
 */
export async function rollingForecasts(series: RegularSeries, options: RollingOptions): Promise<RollingForecasts> {
  const m = stepsPerDay(series.stepSeconds);
  const n = series.values.length;
  const H = options.horizonSteps;
  const retrainEvery = options.retrainEveryOrigins ?? m;
  const windowPoints = (options.windowDays ?? 14) * m;
  const name = options.model ?? 'ensemble';
  if (!(Number.isInteger(options.firstOrigin) && options.firstOrigin >= 1 && options.firstOrigin <= n)) {
    throw new RangeError(`'firstOrigin' must be within [1, ${n}], got ${options.firstOrigin}`);
  }
  if (!(Number.isInteger(H) && H >= 1)) throw new RangeError(`'horizonSteps' must be a positive integer, got ${H}`);
  const origins = n - options.firstOrigin + 1;
  const mean = new Float64Array(origins * H);
  const lower: Record<number, Float64Array> = {};
  const upper: Record<number, Float64Array> = {};
  for (const level of options.levels) {
    lower[level] = new Float64Array(origins * H);
    upper[level] = new Float64Array(origins * H);
  }
  let model: Forecaster | undefined;
  let trainedAt = -Infinity;
  let trainings = 0;
  let failures = 0;
  for (let k = 0; k < origins; k++) {
    const origin = options.firstOrigin + k;
    const window = slice(series, Math.max(0, origin - windowPoints), origin);
    let forecast: Forecast | undefined;
    try {
      if (model === undefined || origin - trainedAt >= retrainEvery) {
        if (origin - trainedAt >= retrainEvery) {
          trainedAt = origin;
          trainings++;
          // Yesterday's model is the starting point, as the daily trainer continues from the promoted checkpoint.
          model = await createForecaster(name, { scheduledRetraining: true }).fit(window, { seed: options.seed ?? 0, warmStart: model });
        }
      } else {
        await model.condition(window);
      }
      if (model !== undefined) forecast = usable(model.predict(H, options.levels), H);
    } catch {
      // A model that cannot fit or forecast this history is stood in for below, and counted.
    }
    if (forecast === undefined) {
      failures++;
      forecast = await fallback(window, H, options.levels);
    }
    const row = k * H;
    mean.set(forecast.mean, row);
    for (const level of options.levels) {
      const bounds = intervalAt(forecast, level);
      lower[level].set(bounds.lower, row);
      upper[level].set(bounds.upper, row);
    }
    options.onProgress?.(k + 1, origins);
  }
  return { stepSeconds: series.stepSeconds, firstOrigin: options.firstOrigin, horizonSteps: H, levels: options.levels, mean, lower, upper, trainings, failures };
}

function usable(forecast: Forecast, steps: number): Forecast | undefined {
  const arrays = [forecast.mean, ...forecast.intervals.flatMap((i) => [i.lower, i.upper])];
  return arrays.every((a) => a.length === steps && a.every(Number.isFinite)) ? forecast : undefined;
}

async function fallback(window: RegularSeries, steps: number, levels: readonly number[]): Promise<Forecast> {
  try {
    return (await new SeasonalNaiveForecaster().fit(window)).predict(steps, levels);
  } catch {
    return (await new NaiveForecaster().fit(window)).predict(steps, levels);
  }
}
