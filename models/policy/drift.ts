import type { RegularSeries } from '../series/types.ts';

/** The scaler's memory of its own forecasts for one group, kept between ticks. */
export interface DriftState {
  /** One-step-ahead forecasts it made: the interval's start and the load it expected. */
  readonly forecasts: readonly { readonly t: number; readonly value: number }[];
  /** Since when the error has been above the threshold, if it is. */
  readonly aboveSinceSeconds?: number;
  /** When the scaler last asked for a retraining because of it. */
  readonly retrainRequestedAtSeconds?: number;
}

export interface DriftSettings {
  /** Hours of forecasts the error is measured over. @default 6 */
  readonly windowHours: number;
  /** MASE above which the model is drifting. @default 1.5 */
  readonly thresholdMase: number;
  /** How long the error must stay above the threshold before a retraining is asked for. @default 2 h */
  readonly sustainSeconds: number;
}

export interface DriftUpdate {
  readonly state: DriftState;
  /** MASE of the recent forecasts against the load that came; null until enough have come. */
  readonly mase: number | null;
  readonly retrain: boolean;
  readonly reason?: string;
}

/** Fewer scored forecasts than this give no MASE (one hour of 5-minute ticks). */
const MIN_SCORED = 12;

/**
 * Score the forecasts the scaler made against the load that came, as MASE (mean absolute error
 * over the in-sample mean absolute seasonal difference of the history), remember the newest
 * forecast, and say whether the error has stayed above the threshold long enough to ask for a
 * retraining (at most once per sustain period).
 */
export function trackDrift(
  previous: DriftState | undefined,
  nowSeconds: number,
  history: RegularSeries,
  newest: { t: number; value: number },
  settings: DriftSettings,
): DriftUpdate {
  const windowStart = nowSeconds - settings.windowHours * 3600;
  const kept = (previous?.forecasts ?? []).filter((f) => f.t >= windowStart && f.t !== newest.t);
  const forecasts = [...kept, newest].sort((a, b) => a.t - b.t);
  const scale = seasonalScale(history);
  let abs = 0,
    n = 0;
  for (const f of forecasts) {
    const i = Math.round((f.t - history.startSeconds) / history.stepSeconds);
    if (i < 0 || i >= history.values.length) continue;
    abs += Math.abs(history.values[i] - f.value);
    n++;
  }
  const mase = n >= MIN_SCORED && scale > 0 ? abs / n / scale : null;
  const above = mase !== null && mase > settings.thresholdMase;
  const aboveSinceSeconds = above ? (previous?.aboveSinceSeconds ?? nowSeconds) : undefined;
  const sustained = aboveSinceSeconds !== undefined && nowSeconds - aboveSinceSeconds >= settings.sustainSeconds;
  const lastRequest = previous?.retrainRequestedAtSeconds;
  const retrain = sustained && (lastRequest === undefined || nowSeconds - lastRequest >= settings.sustainSeconds);
  return {
    state: { forecasts, aboveSinceSeconds, retrainRequestedAtSeconds: retrain ? nowSeconds : lastRequest },
    mase,
    retrain,
    reason: retrain
      ? `forecast MASE ${mase?.toFixed(2)} above ${settings.thresholdMase} for ${((nowSeconds - (aboveSinceSeconds as number)) / 3600).toFixed(1)} h: retraining requested`
      : undefined,
  };
}

/**
 * Mean absolute difference from the same time a day earlier, over the history's last week; a
 * load that repeats exactly from day to day falls back to the step-to-step difference.
 */
function seasonalScale(history: RegularSeries): number {
  const m = Math.round(86_400 / history.stepSeconds);
  const seasonal = meanAbsDifference(history.values, m, 7 * m);
  return seasonal > 0 ? seasonal : meanAbsDifference(history.values, 1, 7 * m);
}

/** Mean absolute lag-`lag` difference over the last `points` values. */
function meanAbsDifference(y: ArrayLike<number>, lag: number, points: number): number {
  const from = Math.max(lag, y.length - points);
  let sum = 0,
    n = 0;
  for (let i = from; i < y.length; i++) {
    sum += Math.abs(y[i] - y[i - lag]);
    n++;
  }
  return n > 0 ? sum / n : 0;
}
