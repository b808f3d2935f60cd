import type { ReactiveScaling } from './types.ts';

export interface ReactiveThresholds {
  /** Average CPU at or above which the group scales out. @default 70 */
  readonly scaleOutPct?: number;
  /** Average CPU at or below which the group scales in. @default scaleOutPct - 30 */
  readonly scaleInPct?: number;
  /** CloudWatch period of the alarms: 60 with detailed monitoring. @default 60 */
  readonly periodSeconds?: number;
}

/** The scale-out threshold of the reactive fallback prescale deploys. */
export const DEFAULT_SCALE_OUT_PCT = 70;
/** Scale-in sits this far below scale-out, so that one scale-out cannot trigger a scale-in. */
export const SCALE_IN_GAP_PCT = 30;

/**
 * The reactive fallback as plain data: what the CDK stack deploys as two CPU alarms with step
 * policies, and what the simulator replays.
 *
 * Scale out fast (3 of 3 one-minute datapoints at or above the threshold; +10%, +20% or +40% of
 * the group depending on how far above, at least one instance); scale in slowly (10 of 10 at
 * or below the lower threshold; -10% a step, at least one instance). Percent steps keep the
 * same definition right for a group of 3 and a group of 300.
 */
export function reactiveScaling(thresholds: ReactiveThresholds = {}): ReactiveScaling {
  const scaleOutPct = thresholds.scaleOutPct ?? DEFAULT_SCALE_OUT_PCT;
  const scaleInPct = thresholds.scaleInPct ?? scaleOutPct - SCALE_IN_GAP_PCT;
  const periodSeconds = thresholds.periodSeconds ?? 60;
  if (!(scaleOutPct > 0 && scaleOutPct <= 100))
    throw new RangeError(`'scaleOutPct' must be within (0, 100], got ${scaleOutPct}`);
  if (!(scaleInPct >= 0 && scaleInPct < scaleOutPct)) {
    throw new RangeError(`'scaleInPct' must be within [0, scaleOutPct=${scaleOutPct}), got ${scaleInPct}`);
  }
  if (periodSeconds !== 60 && periodSeconds !== 300)
    throw new RangeError(`'periodSeconds' must be 60 or 300, got ${periodSeconds}`);
  return {
    scaleOut: {
      alarm: {
        threshold: scaleOutPct,
        comparison: 'GreaterThanOrEqualToThreshold',
        periodSeconds,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
      },
      adjustmentType: 'PercentChangeInCapacity',
      steps: [
        { lowerBound: 0, upperBound: 10, adjustment: 10 },
        { lowerBound: 10, upperBound: 20, adjustment: 20 },
        { lowerBound: 20, adjustment: 40 },
      ],
      minAdjustmentMagnitude: 1,
    },
    scaleIn: {
      alarm: {
        threshold: scaleInPct,
        comparison: 'LessThanOrEqualToThreshold',
        periodSeconds,
        evaluationPeriods: 10,
        datapointsToAlarm: 10,
      },
      adjustmentType: 'PercentChangeInCapacity',
      steps: [{ upperBound: 0, adjustment: -10 }],
      minAdjustmentMagnitude: 1,
    },
  };
}
