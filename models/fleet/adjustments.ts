import type { ComparisonOperator, StepAdjustment, StepScalingPolicy } from './types.ts';

/**
 * Step scaling maths as EC2 Auto Scaling documents it, as plain functions (after
 * aws-autoscaling-common's interval-utils): choosing a step, rounding a percent change.
 */

export function breaches(value: number, threshold: number, comparison: ComparisonOperator): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'GreaterThanThreshold': return value > threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
  }
}

/**
 * The step for a metric value, or undefined ("no step adjustment found"). Bounds are relative
 * to the threshold; on a scale-out (greater-than) alarm the lower bound is inclusive and the
 * upper exclusive, on a scale-in (less-than) alarm the reverse.
 */
export function findStep(policy: StepScalingPolicy, metricValue: number): StepAdjustment | undefined {
  const diff = metricValue - policy.alarm.threshold;
  const above = policy.alarm.comparison.startsWith('Greater');
  return policy.steps.find((s) => {
    const lo = s.lowerBound ?? -Infinity;
    const hi = s.upperBound ?? Infinity;
    return above ? diff >= lo && diff < hi : diff > lo && diff <= hi;
  });
}

/**
 * AWS's rounding of a percent change: above 1 rounds down, between 0 and 1 becomes 1, between
 * -1 and 0 becomes -1, below -1 rounds toward zero.
 */
export function roundPercentChange(value: number): number {
  if (value > 1) return Math.floor(value);
  if (value > 0) return 1;
  if (value === 0) return 0;
  if (value > -1) return -1;
  return Math.ceil(value);
}

/**
 * Capacity after applying a step to `currentCapacity`, before clamping to the group's bounds.
 * MinAdjustmentMagnitude applies to percent changes only, as in AWS.
 */
export function adjustedCapacity(policy: StepScalingPolicy, step: StepAdjustment, currentCapacity: number): number {
  switch (policy.adjustmentType) {
    case 'ExactCapacity':
      return step.adjustment;
    case 'ChangeInCapacity':
      return currentCapacity + step.adjustment;
    case 'PercentChangeInCapacity': {
      let change = roundPercentChange((currentCapacity * step.adjustment) / 100);
      const magnitude = policy.minAdjustmentMagnitude ?? 0;
      if (change !== 0 && Math.abs(change) < magnitude) change = Math.sign(change) * magnitude;
      if (change === 0 && step.adjustment !== 0 && magnitude > 0) change = Math.sign(step.adjustment) * magnitude;
      return currentCapacity + change;
    }
  }
}
