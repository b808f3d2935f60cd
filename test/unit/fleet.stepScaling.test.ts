import { describe, expect, it } from 'vitest';
import {
  adjustedCapacity,
  capacityChange,
  findStep,
  roundPercentChange,
  stepPolicyCapacity,
  type StepContext,
} from '../../models/fleet/stepScaling.ts';
import type { StepScalingPolicy } from '../../models/fleet/types.ts';

// AWS's documented example (Step scaling policies, "Step adjustments"): threshold 50, current 10;
// scale out [0, 10) -> 0, [10, 20) -> +10%, [20, inf) -> +30%; scale in (-10, 0] -> 0,
// (-20, -10] -> -10%, (-inf, -20] -> -30%.
const scaleOut: StepScalingPolicy = {
  alarm: { threshold: 50, comparison: 'GreaterThanOrEqualToThreshold', periodSeconds: 60, evaluationPeriods: 1 },
  adjustmentType: 'PercentChangeInCapacity',
  steps: [
    { lowerBound: 0, upperBound: 10, adjustment: 0 },
    { lowerBound: 10, upperBound: 20, adjustment: 10 },
    { lowerBound: 20, adjustment: 30 },
  ],
};
const scaleIn: StepScalingPolicy = {
  alarm: { threshold: 50, comparison: 'LessThanOrEqualToThreshold', periodSeconds: 60, evaluationPeriods: 1 },
  adjustmentType: 'PercentChangeInCapacity',
  steps: [
    { lowerBound: -10, upperBound: 0, adjustment: 0 },
    { lowerBound: -20, upperBound: -10, adjustment: -10 },
    { upperBound: -20, adjustment: -30 },
  ],
};

function apply(policy: StepScalingPolicy, metric: number, current: number): number {
  const step = findStep(policy, metric);
  return step === undefined ? current : adjustedCapacity(policy, step, current);
}

const settled = (desired: number, over: Partial<StepContext> = {}): StepContext => ({
  warmCount: desired,
  pendingCount: 0,
  desiredCapacity: desired,
  minSize: 1,
  maxSize: 100,
  ...over,
});

describe("AWS's step scaling example", () => {
  it('goes 10 -> 11 (60%) -> 14 (70%) -> 13 (40%) -> 10 (30%)', () => {
    const sequence: [StepScalingPolicy, number, number][] = [
      [scaleOut, 60, 11],
      [scaleOut, 70, 14],
      [scaleIn, 40, 13],
      [scaleIn, 30, 10],
    ];
    let capacity = 10;
    for (const [policy, metric, expected] of sequence) {
      capacity = apply(policy, metric, capacity);
      expect(capacity).toBe(expected);
    }
  });

  it('with the settled group as the policies see it, once each instance is warm', () => {
    let desired = 10;
    for (const [policy, metric, expected] of [
      [scaleOut, 60, 11],
      [scaleOut, 70, 14],
      [scaleIn, 40, 13],
      [scaleIn, 30, 10],
    ] as const) {
      desired = stepPolicyCapacity(policy, metric, settled(desired)) ?? desired;
      expect(desired).toBe(expected);
    }
  });

  it('warm-up: 60% -> 11; 62% while the new instance warms -> still 11; 70% while warming -> 13, adding only 2', () => {
    expect(stepPolicyCapacity(scaleOut, 60, settled(10))).toBe(11);
    const warming = settled(11, { warmCount: 10, pendingCount: 1 });
    expect(stepPolicyCapacity(scaleOut, 62, warming)).toBeUndefined();
    expect(stepPolicyCapacity(scaleOut, 70, warming)).toBe(13);
  });
});

describe('choosing a step', () => {
  it.each([
    // [policy, metric, adjustment or undefined]
    ['out', 49.99, undefined],
    ['out', 50, 0],
    ['out', 59.99, 0],
    ['out', 60, 10],
    ['out', 69.99, 10],
    ['out', 70, 30],
    ['out', 500, 30],
    ['in', 50.01, undefined],
    ['in', 50, 0],
    ['in', 40.01, 0],
    ['in', 40, -10],
    ['in', 30.01, -10],
    ['in', 30, -30],
    ['in', 0, -30],
  ] as const)('%s policy at %d%% takes the step adjusting %s', (which, metric, adjustment) => {
    expect(findStep(which === 'out' ? scaleOut : scaleIn, metric)?.adjustment).toBe(adjustment);
  });

  it('finds no step adjustment outside every interval, and then changes nothing', () => {
    const gappy: StepScalingPolicy = {
      ...scaleOut,
      adjustmentType: 'ChangeInCapacity',
      steps: [{ lowerBound: 10, upperBound: 20, adjustment: 2 }],
    };
    expect(findStep(gappy, 55)).toBeUndefined();
    expect(findStep(gappy, 75)).toBeUndefined();
    expect(stepPolicyCapacity(gappy, 75, settled(4))).toBeUndefined();
    expect(stepPolicyCapacity(gappy, 65, settled(4))).toBe(6);
  });
});

describe('adjustments', () => {
  it.each([
    [3.7, 3],
    [1, 1],
    [1.5, 1],
    [0.4, 1],
    [0.999, 1],
    [0, 0],
    [-0.001, -1],
    [-0.4, -1],
    [-1, -1],
    [-1.5, -1],
    [-3.7, -3],
  ])('rounds a percent change of %d instances to %d', (value, rounded) => {
    expect(roundPercentChange(value)).toBe(rounded);
  });

  it.each([
    // [percent, current, minAdjustmentMagnitude, change]
    [10, 10, 0, 1],
    [10, 4, 0, 1],
    [25, 10, 0, 2],
    [-10, 4, 0, -1],
    [-25, 10, 0, -2],
    [10, 10, 3, 3],
    [30, 40, 3, 12],
    [-10, 5, 2, -2],
    [-50, 10, 2, -5],
    [10, 0, 2, 2],
    [0, 10, 3, 0],
  ])('a %d%% step on %d instances with MinAdjustmentMagnitude %d changes %d', (pct, current, magnitude, change) => {
    expect(capacityChange('PercentChangeInCapacity', pct, current, magnitude)).toBe(change);
  });

  it('MinAdjustmentMagnitude does not apply to other adjustment types', () => {
    expect(capacityChange('ChangeInCapacity', 1, 10, 3)).toBe(1);
    expect(capacityChange('ExactCapacity', 11, 10, 3)).toBe(1);
  });

  it('sets an exact capacity and adds a change in capacity', () => {
    const exact: StepScalingPolicy = {
      ...scaleOut,
      adjustmentType: 'ExactCapacity',
      steps: [{ lowerBound: 0, adjustment: 7 }],
    };
    expect(apply(exact, 80, 2)).toBe(7);
    expect(stepPolicyCapacity(exact, 80, settled(2))).toBe(7);
    expect(stepPolicyCapacity(exact, 80, settled(9))).toBeUndefined(); // a scale-out policy never lowers
    expect(
      apply({ ...scaleOut, adjustmentType: 'ChangeInCapacity', steps: [{ lowerBound: 0, adjustment: 2 }] }, 80, 5),
    ).toBe(7);
  });

  it('clamps the result to [minSize, maxSize]', () => {
    const big: StepScalingPolicy = {
      ...scaleOut,
      adjustmentType: 'ChangeInCapacity',
      steps: [{ lowerBound: 0, adjustment: 50 }],
    };
    expect(stepPolicyCapacity(big, 80, settled(10, { maxSize: 12 }))).toBe(12);
    expect(stepPolicyCapacity(big, 80, settled(12, { maxSize: 12 }))).toBeUndefined();
    const drop: StepScalingPolicy = {
      ...scaleIn,
      adjustmentType: 'ChangeInCapacity',
      steps: [{ upperBound: 0, adjustment: -50 }],
    };
    expect(stepPolicyCapacity(drop, 10, settled(10, { minSize: 3 }))).toBe(3);
    expect(stepPolicyCapacity(drop, 10, settled(3, { minSize: 3 }))).toBeUndefined();
  });

  it('blocks a scale-in while any instance boots or warms up, counting terminating ones as capacity', () => {
    expect(stepPolicyCapacity(scaleIn, 30, settled(13, { pendingCount: 1, warmCount: 12 }))).toBeUndefined();
    expect(stepPolicyCapacity(scaleIn, 30, settled(13))).toBe(10);
  });
});
