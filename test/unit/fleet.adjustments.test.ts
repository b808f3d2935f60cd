import { describe, expect, it } from 'vitest';
import { adjustedCapacity, findStep, roundPercentChange } from '../../models/fleet/adjustments.ts';
import type { StepScalingPolicy } from '../../models/fleet/types.ts';

// AWS's documented example: threshold 50; +10% for [60, 70), +30% at 70 and above; -10% for (30, 40], -30% at 30 and below.
const scaleOut: StepScalingPolicy = {
  alarm: { threshold: 50, comparison: 'GreaterThanOrEqualToThreshold', periodSeconds: 60, evaluationPeriods: 1 },
  adjustmentType: 'PercentChangeInCapacity',
  steps: [{ lowerBound: 0, upperBound: 10, adjustment: 0 }, { lowerBound: 10, upperBound: 20, adjustment: 10 }, { lowerBound: 20, adjustment: 30 }],
};
const scaleIn: StepScalingPolicy = {
  alarm: { threshold: 50, comparison: 'LessThanOrEqualToThreshold', periodSeconds: 60, evaluationPeriods: 1 },
  adjustmentType: 'PercentChangeInCapacity',
  steps: [{ lowerBound: -10, upperBound: 0, adjustment: 0 }, { lowerBound: -20, upperBound: -10, adjustment: -10 }, { upperBound: -20, adjustment: -30 }],
};

function apply(policy: StepScalingPolicy, metric: number, current: number): number {
  const step = findStep(policy, metric);
  return step === undefined ? current : adjustedCapacity(policy, step, current);
}

describe("AWS's step scaling example", () => {
  it('goes 10 -> 11 -> 14 -> 13 -> 10', () => {
    let capacity = 10;
    capacity = apply(scaleOut, 60, capacity);
    expect(capacity).toBe(11);
    capacity = apply(scaleOut, 70, capacity);
    expect(capacity).toBe(14);
    capacity = apply(scaleIn, 40, capacity);
    expect(capacity).toBe(13);
    capacity = apply(scaleIn, 30, capacity);
    expect(capacity).toBe(10);
  });

  it('takes lower bounds inclusive above the threshold and upper bounds inclusive below it', () => {
    expect(findStep(scaleOut, 59.99)?.adjustment).toBe(0);
    expect(findStep(scaleOut, 60)?.adjustment).toBe(10);
    expect(findStep(scaleOut, 69.99)?.adjustment).toBe(10);
    expect(findStep(scaleOut, 70)?.adjustment).toBe(30);
    expect(findStep(scaleIn, 40)?.adjustment).toBe(-10);
    expect(findStep(scaleIn, 40.01)?.adjustment).toBe(0);
    expect(findStep(scaleIn, 30)?.adjustment).toBe(-30);
    expect(findStep(scaleIn, 30.01)?.adjustment).toBe(-10);
  });

  it('finds no step outside every interval', () => {
    const gappy: StepScalingPolicy = { ...scaleOut, steps: [{ lowerBound: 10, upperBound: 20, adjustment: 2 }] };
    expect(findStep(gappy, 55)).toBeUndefined();
    expect(findStep(gappy, 75)).toBeUndefined();
  });
});

describe('adjustments', () => {
  it.each([[3.7, 3], [1, 1], [0.4, 1], [0, 0], [-0.4, -1], [-1, -1], [-3.7, -3]])('rounds a percent change of %d to %d', (v, r) => {
    expect(roundPercentChange(v)).toBe(r);
  });

  it('applies MinAdjustmentMagnitude to percent changes', () => {
    const policy: StepScalingPolicy = { ...scaleOut, minAdjustmentMagnitude: 3 };
    expect(apply(policy, 65, 10)).toBe(13); // 10% of 10 = 1, raised to 3
    expect(apply(policy, 75, 40)).toBe(52); // 30% of 40 = 12, above the minimum
    expect(apply({ ...scaleIn, minAdjustmentMagnitude: 2 }, 35, 5)).toBe(3);
  });

  it('sets exact capacity and adds a change in capacity', () => {
    expect(apply({ ...scaleOut, adjustmentType: 'ExactCapacity', steps: [{ lowerBound: 0, adjustment: 7 }] }, 80, 2)).toBe(7);
    expect(apply({ ...scaleOut, adjustmentType: 'ChangeInCapacity', steps: [{ lowerBound: 0, adjustment: 2 }] }, 80, 5)).toBe(7);
  });
});
