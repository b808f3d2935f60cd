import { median } from '../stats.ts';

export { median };
/**
 * Forecast accuracy metrics of docs/backtest-protocol.md §5, as plain functions over plain arrays.
 * Per-origin values are averaged over origins; RMSE is pooled.
 */

/** In-sample seasonal-naive MAE of the training window: mean |y_t - y_{t-m}| over n - m terms. */
export function seasonalScale(window: ArrayLike<number>, seasonSteps: number): number {
  const n = window.length;
  if (n <= seasonSteps) throw new RangeError(`seasonal scale needs more than ${seasonSteps} points, got ${n}`);
  let sum = 0;
  for (let t = seasonSteps; t < n; t++) sum += Math.abs(window[t] - window[t - seasonSteps]);
  return sum / (n - seasonSteps);
}

export function meanAbsoluteError(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0;
  for (let h = 0; h < actual.length; h++) sum += Math.abs(actual[h] - forecast[h]);
  return sum / actual.length;
}

/** MASE of one origin; undefined when the scale is 0 (the origin is then left out). */
export function mase(actual: ArrayLike<number>, forecast: ArrayLike<number>, scale: number): number | undefined {
  return scale > 0 ? meanAbsoluteError(actual, forecast) / scale : undefined;
}

/** Symmetric MAPE in percent; a term is 0 when |y| + |f| = 0. */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0;
  for (let h = 0; h < actual.length; h++) {
    const denominator = Math.abs(actual[h]) + Math.abs(forecast[h]);
    if (denominator > 0) sum += (200 * Math.abs(actual[h] - forecast[h])) / denominator;
  }
  return sum / actual.length;
}

/** Share of actuals inside [lower, upper], bounds inclusive. */
export function coverage(actual: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  let inside = 0;
  for (let h = 0; h < actual.length; h++) if (lower[h] <= actual[h] && actual[h] <= upper[h]) inside++;
  return inside / actual.length;
}

/** Mean interval width relative to the mean of the training window. */
export function relativeWidth(lower: ArrayLike<number>, upper: ArrayLike<number>, windowMean: number): number {
  let sum = 0;
  for (let h = 0; h < lower.length; h++) sum += upper[h] - lower[h];
  return sum / lower.length / windowMean;
}

export function sumSquaredError(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0;
  for (let h = 0; h < actual.length; h++) sum += (actual[h] - forecast[h]) ** 2;
  return sum;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

export function geometricMean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let sumLog = 0;
  for (let i = 0; i < values.length; i++) sumLog += Math.log(values[i]);
  return Math.exp(sumLog / values.length);
}
