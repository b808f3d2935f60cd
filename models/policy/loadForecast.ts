import type { LoadForecast } from './decide.ts';
import type { LoadKind } from './loadUnits.ts';

/** A forecaster's output as `decide()` needs it: a mean path and central interval bounds by level. */
export interface ForecastBands {
  readonly mean: ArrayLike<number>;
  readonly intervals: readonly {
    readonly level: number;
    readonly lower?: ArrayLike<number>;
    readonly upper: ArrayLike<number>;
  }[];
}

/**
 * The one way a forecast becomes a `LoadForecast`: the scaler Lambda, the prediction URL and the
 * simulator all call this, so the decision sees the same numbers wherever it runs.
 * `startSeconds` is the start of step 0 (the interval right after the newest observed one);
 * `kind` says what the forecast's values are, as the history it was made from.
 */
export function toLoadForecast(
  bands: ForecastBands,
  startSeconds: number,
  stepSeconds: number,
  kind: LoadKind,
  lastObserved?: number,
  recentObserved?: ArrayLike<number>,
): LoadForecast {
  const upper: Record<number, ArrayLike<number>> = {};
  const lower: Record<number, ArrayLike<number>> = {};
  for (const interval of bands.intervals) {
    upper[interval.level] = interval.upper;
    if (interval.lower !== undefined) lower[interval.level] = interval.lower;
  }
  return { startSeconds, stepSeconds, kind, mean: bands.mean, upper, lower, lastObserved, recentObserved };
}

/** A forecast carries the last day of observed intervals (`LoadForecast.recentObserved`). */
export function recentObservedSteps(stepSeconds: number): number {
  return Math.max(1, Math.round(86_400 / stepSeconds));
}
