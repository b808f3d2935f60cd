import { dot, leastSquares } from '../linalg.ts';

/**
 * Daily (and weekly) seasonality as a Fourier regression on the slot index, fitted outside the
 * ARIMA recursion: seasonal ARIMA with a 288-step season is impractical in the `arima` package
 * (docs/architecture.md), and a handful of harmonics capture a daily load shape well.
 */
export interface SeasonalTerms {
  /** Steps per day (288 for 5-minute data). */
  readonly daySteps: number;
  /** Daily harmonics. */
  readonly dailyHarmonics: number;
  /** Weekly harmonics; 0 when the history is too short to see a week twice. */
  readonly weeklyHarmonics: number;
}

export interface SeasonalFit extends SeasonalTerms {
  /** Intercept, then sin/cos pairs for each daily harmonic, then for each weekly one. */
  readonly coefficients: number[];
}

/** Regressors for absolute slot `slot` (epoch seconds / step): intercept, daily and weekly sin/cos. */
export function seasonalRow(slot: number, terms: SeasonalTerms): Float64Array {
  const row = new Float64Array(1 + 2 * terms.dailyHarmonics + 2 * terms.weeklyHarmonics);
  row[0] = 1;
  const dayPhase = (2 * Math.PI * (slot % terms.daySteps)) / terms.daySteps;
  for (let k = 1; k <= terms.dailyHarmonics; k++) {
    row[2 * k - 1] = Math.sin(k * dayPhase);
    row[2 * k] = Math.cos(k * dayPhase);
  }
  const weekSteps = 7 * terms.daySteps;
  const weekPhase = (2 * Math.PI * (slot % weekSteps)) / weekSteps;
  const offset = 2 * terms.dailyHarmonics;
  for (let k = 1; k <= terms.weeklyHarmonics; k++) {
    row[offset + 2 * k - 1] = Math.sin(k * weekPhase);
    row[offset + 2 * k] = Math.cos(k * weekPhase);
  }
  return row;
}

/** Least-squares Fourier fit over values whose first element sits at absolute slot `firstSlot`. */
export function fitSeasonal(values: ArrayLike<number>, firstSlot: number, terms: SeasonalTerms): SeasonalFit {
  const rows = Array.from({ length: values.length }, (_, i) => seasonalRow(firstSlot + i, terms));
  return { ...terms, coefficients: Array.from(leastSquares(rows, values)) };
}

export function seasonalValue(fit: SeasonalFit, slot: number): number {
  return dot(seasonalRow(slot, fit), fit.coefficients);
}
