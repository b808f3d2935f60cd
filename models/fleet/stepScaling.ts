import type { AdjustmentType, StepAdjustment, StepScalingPolicy } from './types.ts';

/**
 * Step scaling maths as EC2 Auto Scaling documents it, as plain functions (after
 * aws-autoscaling-common's interval-utils): choosing a step, rounding a percent change, and
 * the warm-up rules that decide what "current capacity" means.
 */

/** Whether a policy adds capacity: its alarm fires above the threshold. */
export function isScaleOut(policy: StepScalingPolicy): boolean {
  return (
    policy.alarm.comparison === 'GreaterThanOrEqualToThreshold' || policy.alarm.comparison === 'GreaterThanThreshold'
  );
}

/**
 * The step for a metric value, or undefined ("no step adjustment found"). Bounds are relative
 * to the threshold; on a scale-out (greater-than) alarm the lower bound is inclusive and the
 * upper exclusive, on a scale-in (less-than) alarm the reverse. A missing bound is infinite.
 */
export function findStep(policy: StepScalingPolicy, metricValue: number): StepAdjustment | undefined {
  const diff = metricValue - policy.alarm.threshold;
  const above = isScaleOut(policy);
  for (const s of policy.steps) {
    const lo = s.lowerBound ?? -Infinity;
    const hi = s.upperBound ?? Infinity;
    if (above ? diff >= lo && diff < hi : diff > lo && diff <= hi) return s;
  }
  return undefined;
}

/**
 * AWS's rounding of a percent change: above 1 rounds down, between 0 and 1 becomes 1, between
 * -1 and 0 becomes -1, below -1 rounds toward zero. That is truncation toward zero with a
 * floor of one instance either way.
 */
export function roundPercentChange(value: number): number {
  if (value >= 1) return Math.floor(value);
  if (value > 0) return 1;
  if (value === 0) return 0;
  if (value > -1) return -1;
  return Math.ceil(value);
}

/**
 * The change in instances a step makes to `currentCapacity` (ExactCapacity: the difference to
 * the exact value). MinAdjustmentMagnitude applies to percent changes only, as in AWS: a
 * percent step changes capacity by at least that many instances.
 */
export function capacityChange(
  adjustmentType: AdjustmentType,
  adjustment: number,
  currentCapacity: number,
  minAdjustmentMagnitude = 0,
): number {
  switch (adjustmentType) {
    case 'ExactCapacity':
      return adjustment - currentCapacity;
    case 'ChangeInCapacity':
      return adjustment;
    case 'PercentChangeInCapacity': {
      if (adjustment === 0) return 0;
      const change = roundPercentChange((currentCapacity * adjustment) / 100);
      return Math.abs(change) < minAdjustmentMagnitude ? Math.sign(adjustment) * minAdjustmentMagnitude : change;
    }
  }
}

/** Capacity after applying `step` to `currentCapacity`, before clamping to the group's bounds. */
export function adjustedCapacity(policy: StepScalingPolicy, step: StepAdjustment, currentCapacity: number): number {
  return (
    currentCapacity +
    capacityChange(policy.adjustmentType, step.adjustment, currentCapacity, policy.minAdjustmentMagnitude)
  );
}

export function clampCapacity(capacity: number, minSize: number, maxSize: number): number {
  return Math.min(maxSize, Math.max(minSize, capacity));
}

/** What a step policy sees of the group when its alarm invokes it. */
export interface StepContext {
  /** Instances serving and past warm-up. */
  readonly warmCount: number;
  /** Instances launched and still booting or warming up. */
  readonly pendingCount: number;
  readonly desiredCapacity: number;
  readonly minSize: number;
  readonly maxSize: number;
}

/**
 * The new desired capacity a step policy sets for `metricValue`, or undefined for no change.
 *
 * Scaling out, instances still booting or warming up are not part of the current capacity, and
 * desired capacity only rises when the result exceeds it: a breach that persists while the
 * capacity it launched warms up does not launch it again (AWS: 60% then 62% while warming keeps
 * 11; 70% gives 13, adding only 2). Scaling in, terminating instances count as capacity (current
 * capacity is the desired capacity), and a scale-in cannot start while a scale-out is in
 * progress: it waits until no instance is booting or warming.
 */
export function stepPolicyCapacity(
  policy: StepScalingPolicy,
  metricValue: number,
  group: StepContext,
): number | undefined {
  const step = findStep(policy, metricValue);
  if (step === undefined) return undefined;
  if (isScaleOut(policy)) {
    const to = clampCapacity(adjustedCapacity(policy, step, group.warmCount), group.minSize, group.maxSize);
    return to > group.desiredCapacity ? to : undefined;
  }
  if (group.pendingCount > 0) return undefined;
  const to = clampCapacity(adjustedCapacity(policy, step, group.desiredCapacity), group.minSize, group.maxSize);
  return to < group.desiredCapacity ? to : undefined;
}
