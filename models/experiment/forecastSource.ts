import { recentObservedSteps, toLoadForecast } from '../policy/loadForecast.ts';
import type { LoadKind } from '../policy/loadUnits.ts';
import type { ForecastSource } from './strategies/scalerController.ts';

/**
 * Forecasts made once per trace, one per origin, shared by every strategy and setting.
 * Origin o has seen intervals [0, o) of the forecast series and forecasts o .. o+horizonSteps-1.
 */
export interface TickForecasts {
  readonly startSeconds: number;
  readonly stepSeconds: number;
  /** What the forecast values are: sums per interval (a request trace) or levels (total CPU). */
  readonly kind: LoadKind;
  readonly firstOrigin: number;
  /** Origins held: firstOrigin .. firstOrigin + origins - 1. */
  readonly origins: number;
  readonly horizonSteps: number;
  /** Row-major origins × horizonSteps, in the forecast series' units. */
  readonly mean: Float64Array;
  readonly lower: Readonly<Record<number, Float64Array>>;
  readonly upper: Readonly<Record<number, Float64Array>>;
  /** Per origin, the load of the newest interval it had seen (interval origin - 1). */
  readonly lastObserved?: Float64Array;
  /** The forecast series' observed values by interval (for each origin's recent load), when kept. */
  readonly observed?: ArrayLike<number>;
}

/**
 * The scaler's view of precomputed forecasts: at any moment, the forecast from the newest
 * origin whose last interval had been published (ended `delaySeconds` ago); undefined where
 * that origin has no forecast (NaN).
 */
export function forecastSource(forecasts: TickForecasts, delaySeconds: number): ForecastSource {
  const { startSeconds, stepSeconds, firstOrigin, origins, horizonSteps } = forecasts;
  return {
    forecastAt(nowSeconds) {
      const visible = Math.floor((nowSeconds - delaySeconds - startSeconds) / stepSeconds);
      if (visible < firstOrigin || origins === 0) return undefined;
      const o = Math.min(visible, firstOrigin + origins - 1);
      const row = (o - firstOrigin) * horizonSteps;
      // No forecast at this origin: the scaler changed nothing there (too little history, a failed model).
      if (Number.isNaN(forecasts.mean[row])) return undefined;
      const intervals = Object.keys(forecasts.upper)
        .map(Number)
        .map((level) => ({
          level,
          upper: forecasts.upper[level].subarray(row, row + horizonSteps),
          lower: forecasts.lower[level]?.subarray(row, row + horizonSteps),
        }));
      const mean = forecasts.mean.subarray(row, row + horizonSteps);
      const recent = forecasts.observed;
      return toLoadForecast(
        { mean, intervals },
        startSeconds + o * stepSeconds,
        stepSeconds,
        forecasts.kind,
        forecasts.lastObserved?.[o - firstOrigin],
        recent === undefined
          ? undefined
          : Array.prototype.slice.call(recent, Math.max(0, o - recentObservedSteps(stepSeconds)), o),
      );
    },
  };
}
