import type { Forecast, IntervalBounds } from './types.ts';

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** The two-sided normal multiplier for a level in percent: 80 -> 1.2816, 95 -> 1.9600. */
export function zForLevel(levelPct: number): number {
  if (!(levelPct > 0 && levelPct < 100))
    throw new RangeError(`interval level must be in (0, 100) percent, got ${levelPct}`);
  return normalQuantile(0.5 + levelPct / 200);
}

/** mean ± z·sigma_h for each level; `sigma` holds one standard deviation per step. */
export function gaussianForecast(mean: number[], sigma: ArrayLike<number>, levels: readonly number[]): Forecast {
  const intervals: IntervalBounds[] = levels.map((level) => {
    const z = zForLevel(level);
    return {
      level,
      lower: mean.map((m, h) => m - z * sigma[h]),
      upper: mean.map((m, h) => m + z * sigma[h]),
    };
  });
  return { mean, intervals };
}

/** The q-quantile (0..1) of a sample by linear interpolation between order statistics (R type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Bounds of one level from a forecast, or an error naming the missing level. */
export function intervalAt(forecast: Forecast, level: number): IntervalBounds {
  const found = forecast.intervals.find((i) => i.level === level);
  if (found === undefined) {
    throw new RangeError(
      `forecast has no ${level}% interval (has ${forecast.intervals.map((i) => i.level).join(', ')})`,
    );
  }
  return found;
}
