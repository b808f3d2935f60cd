import { quantile } from '../intervals.ts';
import type { IntervalBounds } from '../types.ts';
import { median } from '../../stats.ts';

/**
 * What the LSTM does past its own horizon, and its intervals.
 *
 * The net forecasts H steps directly. Feeding its forecasts back in to go further would
 * compound its errors and cost one forward pass per H steps, so beyond H the forecast glides
 * from the net's last step to a daily profile (the per-slot median of the last few days):
 * the net's offset from the profile decays exponentially. Intervals come from data: for
 * steps 1..H the empirical quantiles of the held-back validation residuals of that step,
 * beyond H the wider of step H's and those of the in-sample lag-one-day differences.
 */

/**
 * Expected value at steps 1..m after the end of `context`: for each slot of the day, the
 * median of that slot over the last `days` days the context holds (at least one).
 */
export function seasonalProfile(context: Float64Array, seasonSteps: number, days: number): Float64Array {
  const n = context.length;
  const profile = new Float64Array(seasonSteps);
  for (let j = 0; j < seasonSteps; j++) {
    const same: number[] = [];
    for (let at = n - seasonSteps + j; at >= 0 && same.length < days; at -= seasonSteps) same.push(context[at]);
    profile[j] = same.length > 0 ? median(same) : context[n - 1];
  }
  return profile;
}

/** Net forecast for steps 1..H, then a decaying offset onto the daily profile up to `steps`. */
export function extendForecast(
  netMean: readonly number[],
  context: Float64Array,
  seasonSteps: number,
  profileDays: number,
  offsetDecaySteps: number,
  steps: number,
): number[] {
  const H = netMean.length;
  if (steps <= H) return netMean.slice(0, steps);
  const profile = seasonalProfile(context, seasonSteps, profileDays);
  const at = (h: number): number => profile[(h - 1) % seasonSteps];
  const offset = netMean[H - 1] - at(H);
  const mean = netMean.slice();
  for (let h = H + 1; h <= steps; h++) mean.push(at(h) + offset * Math.exp(-(h - H) / offsetDecaySteps));
  return mean;
}

/** At most `keep` evenly spaced order statistics of a sorted sample (keeps checkpoints small). */
export function thinSorted(sorted: Float64Array, keep: number): Float64Array {
  if (sorted.length <= keep) return sorted;
  const out = new Float64Array(keep);
  for (let i = 0; i < keep; i++) out[i] = sorted[Math.round((i * (sorted.length - 1)) / (keep - 1))];
  return out;
}

/** Sorted scaled lag-m differences of a series: the error distribution of seasonal naive. */
export function seasonalResiduals(z: Float64Array, seasonSteps: number): Float64Array {
  const out = new Float64Array(Math.max(0, z.length - seasonSteps));
  for (let t = seasonSteps; t < z.length; t++) out[t - seasonSteps] = z[t] - z[t - seasonSteps];
  return out.sort();
}

/**
 * Bounds at each level from sorted residuals (actual - forecast, scaled): per step for
 * 1..H, and `tail` widening them beyond H. A bound never crosses the mean, so a biased
 * residual sample still gives lower <= mean <= upper.
 */
export function empiricalIntervals(
  mean: readonly number[],
  stepResiduals: readonly Float64Array[],
  tail: Float64Array,
  scale: number,
  levels: readonly number[],
): IntervalBounds[] {
  const H = stepResiduals.length;
  return levels.map((level) => {
    if (!(level > 0 && level < 100)) throw new RangeError(`interval level must be in (0, 100) percent, got ${level}`);
    const lo = (1 - level / 100) / 2;
    const hi = 1 - lo;
    const lower: number[] = [];
    const upper: number[] = [];
    mean.forEach((m, i) => {
      const own = stepResiduals[Math.min(i, H - 1)];
      let qLo = quantile(own, lo);
      let qHi = quantile(own, hi);
      if (i >= H && tail.length > 0) {
        qLo = Math.min(qLo, quantile(tail, lo));
        qHi = Math.max(qHi, quantile(tail, hi));
      }
      lower.push(m + scale * Math.min(0, qLo));
      upper.push(m + scale * Math.max(0, qHi));
    });
    return { level, lower, upper };
  });
}
