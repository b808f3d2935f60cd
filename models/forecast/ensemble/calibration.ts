import { quantile } from '../intervals.ts';
import type { IntervalBounds } from '../types.ts';

/**
 * Split-conformal style calibration from held-back forecast errors: a robust error scale per
 * horizon step (so intervals widen with the horizon as the errors did), then, per level, the
 * empirical quantiles of the scaled signed errors pooled over steps (so the interval may be
 * asymmetric, as load spikes are).
 */
export interface Calibration {
  /** Error scale per validated horizon step. */
  readonly scaleByStep: number[];
  /** Growth of the members' own uncertainty beyond the validated steps, relative to the last one. */
  readonly levels: { readonly level: number; readonly lowerQuantile: number; readonly upperQuantile: number }[];
}

/** errors[origin][step] = actual - forecast. */
export function calibrate(errors: readonly number[][], levels: readonly number[]): Calibration {
  const steps = errors[0]?.length ?? 0;
  if (errors.length < 5 || steps === 0)
    throw new RangeError(`calibration needs at least 5 validation origins, got ${errors.length}`);
  const raw: number[] = [];
  for (let h = 0; h < steps; h++) {
    const abs = errors.map((e) => Math.abs(e[h])).sort((a, b) => a - b);
    raw.push(Math.max(quantile(abs, 0.5), 1e-12));
  }
  // Errors of a longer horizon are not smaller than of a shorter one: a running maximum keeps
  // the per-step scales monotone and less noisy.
  const scaleByStep: number[] = [];
  let running = 0;
  for (const s of raw) {
    running = Math.max(running, s);
    scaleByStep.push(running);
  }
  const scaled = errors.flatMap((e) => e.map((v, h) => v / scaleByStep[h])).sort((a, b) => a - b);
  return {
    scaleByStep,
    levels: levels.map((level) => {
      const tail = (1 - level / 100) / 2;
      return { level, lowerQuantile: quantile(scaled, tail), upperQuantile: quantile(scaled, 1 - tail) };
    }),
  };
}

/**
 * Interval bounds around `mean`. Past the validated steps the scale grows as `growth` says (the
 * members' own standard deviation relative to the last validated step). Levels that were not
 * calibrated are interpolated between calibrated ones in normal-quantile space by the caller.
 */
export function calibratedIntervals(
  mean: readonly number[],
  calibration: Calibration,
  growth: readonly number[],
  level: number,
): IntervalBounds {
  const q = calibration.levels.find((l) => l.level === level);
  if (q === undefined) {
    throw new RangeError(
      `ensemble was calibrated for levels ${calibration.levels.map((l) => l.level).join(', ')}, not ${level}`,
    );
  }
  const validated = calibration.scaleByStep.length;
  const lower: number[] = [],
    upper: number[] = [];
  for (let h = 0; h < mean.length; h++) {
    const scale = h < validated ? calibration.scaleByStep[h] : calibration.scaleByStep[validated - 1] * growth[h];
    lower.push(mean[h] + Math.min(0, q.lowerQuantile) * scale);
    upper.push(mean[h] + Math.max(0, q.upperQuantile) * scale);
  }
  return { level, lower, upper };
}
