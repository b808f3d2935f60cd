import type { CpuAlarm, TargetTracking } from './types.ts';

/**
 * Target tracking as EC2 Auto Scaling runs it: two alarms it creates and owns, and capacity
 * proportional to the metric. With detailed monitoring (60 s CPU) the alarms read one-minute
 * datapoints: out after 3 of 3 above the target, in after 15 of 15 below 90% of it (AWS scales
 * in only once the metric is "usually more than 10%" below the target; see models/fleet/README.md).
 * With basic monitoring (300 s CPU) we keep the same counts of 300 s datapoints, so scale-out
 * needs 15 minutes of breach and scale-in 75.
 */
export const TT_SCALE_OUT_DATAPOINTS = 3;
export const TT_SCALE_IN_DATAPOINTS = 15;
/** The low alarm's threshold, as a fraction of the target. */
export const TT_SCALE_IN_THRESHOLD_FRACTION = 0.9;

/** The target in the tracked metric's units: CPU percent, or requests per target per minute. */
export function trackingTarget(policy: TargetTracking): number {
  return policy.metric === 'request-count-per-target' ? policy.targetRequestsPerTarget : policy.targetUtilizationPct;
}

/** Floating-point slack so that e.g. 4 x 75 / 50 is 6, not 6.000000000000001 rounded up to 7. */
const EPSILON = 1e-9;

export function trackingAlarms(
  policy: TargetTracking,
  periodSeconds: number,
): { readonly high: CpuAlarm; readonly low: CpuAlarm } {
  const target = trackingTarget(policy);
  return {
    high: {
      threshold: target,
      comparison: 'GreaterThanThreshold',
      periodSeconds,
      evaluationPeriods: TT_SCALE_OUT_DATAPOINTS,
    },
    low: {
      threshold: target * TT_SCALE_IN_THRESHOLD_FRACTION,
      comparison: 'LessThanThreshold',
      periodSeconds,
      evaluationPeriods: TT_SCALE_IN_DATAPOINTS,
    },
  };
}

/**
 * Desired capacity after the high alarm fires: warm capacity x metric / target, rounded up, and
 * never lower than the desired capacity already set (instances still booting or warming are not
 * counted as current capacity, as AWS does, so a scale-out in progress is not repeated on the
 * stale metric that asked for it). Undefined when nothing changes.
 */
export function trackingScaleOut(
  warmCount: number,
  metricValue: number,
  targetPct: number,
  desiredCapacity: number,
): number | undefined {
  if (warmCount <= 0) return undefined;
  const wanted = Math.ceil((warmCount * metricValue) / targetPct - EPSILON);
  return wanted > desiredCapacity ? wanted : undefined;
}

/**
 * Desired capacity after the low alarm fires: remove floor(current - current x metric / target)
 * instances, current being the desired capacity (terminating instances count as capacity).
 * Undefined when nothing would be removed.
 */
export function trackingScaleIn(desiredCapacity: number, metricValue: number, targetPct: number): number | undefined {
  const remove = Math.floor(desiredCapacity - (desiredCapacity * metricValue) / targetPct + EPSILON);
  return remove > 0 ? desiredCapacity - remove : undefined;
}
