import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustedCapacity,
  capacityChange,
  clampCapacity,
  findStep,
  isScaleOut,
  roundPercentChange,
  stepPolicyCapacity,
  type StepContext,
} from '../../models/fleet/stepScaling.ts';
import { reactiveScaling, type ReactiveThresholds } from '../../models/policy/reactive.ts';
import type {
  AdjustmentType,
  ComparisonOperator,
  StepAdjustment,
  StepScalingPolicy,
} from '../../models/policy/types.ts';

/**
 * Property tests for the step scaling maths, against EC2 Auto Scaling's documented semantics.
 * Reproducible by default; explore other cases with
 * FC_SEED=<n> npx vitest run test/unit/fleet.stepScaling.properties.test.ts
 */
const SEED = Number(process.env.FC_SEED ?? 20_260_612);
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

/**
 * Whether a step's interval holds a metric `diff` (metric minus threshold), as AWS documents
 * MetricIntervalLowerBound / MetricIntervalUpperBound: breaching above the threshold the lower
 * bound is inclusive and the upper exclusive, below it the reverse; a missing bound is infinite.
 */
function holds(step: StepAdjustment, diff: number, above: boolean): boolean {
  const lo = step.lowerBound ?? -Infinity;
  const hi = step.upperBound ?? Infinity;
  return above ? lo <= diff && diff < hi : lo < diff && diff <= hi;
}

/** Whether the alarm is breached: the side of the threshold its comparison fires on. */
function breaches(policy: StepScalingPolicy, metric: number): boolean {
  const t = policy.alarm.threshold;
  switch (policy.alarm.comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return metric >= t;
    case 'GreaterThanThreshold':
      return metric > t;
    case 'LessThanOrEqualToThreshold':
      return metric <= t;
    case 'LessThanThreshold':
      return metric < t;
  }
}

/** Any thresholds reactiveScaling() accepts: scale-out in (0, 100], scale-in in [0, scale-out). */
const thresholdsArb: fc.Arbitrary<ReactiveThresholds> = fc
  .record({
    scaleOutPct: fc.oneof(
      fc.constantFrom(100, 90, 70, 30, 1),
      fc.double({ min: 0, max: 100, minExcluded: true, noNaN: true }),
    ),
    inFraction: fc.option(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.99, noNaN: true })), {
      nil: undefined,
    }),
    periodSeconds: fc.option(fc.constantFrom(60, 300), { nil: undefined }),
  })
  .map(({ scaleOutPct, inFraction, periodSeconds }) => {
    // The default (30 points below) needs a scale-out threshold of at least 30; a fraction of a
    // subnormal threshold can round back up to it, hence the fallback to 0.
    const below = (inFraction ?? 0.5) * scaleOutPct;
    const scaleInPct = inFraction === undefined && scaleOutPct >= 30 ? undefined : below < scaleOutPct ? below : 0;
    return { scaleOutPct, scaleInPct, periodSeconds };
  });

/** Distances from the threshold: the production step bounds, just inside and outside them, and anywhere. */
const distanceArb = fc.oneof(
  fc.constantFrom(0, 10, 20),
  fc.constantFrom(1e-9, 10 - 1e-9, 10 + 1e-9, 20 - 1e-9, 20 + 1e-9, 5e-324),
  fc.double({ min: 0, max: 1000, noNaN: true }),
);

/** A metric value on either side of `threshold`: near it by a distance, or any CPU utilization. */
const metricNear = (threshold: number) =>
  fc.oneof(
    distanceArb.map((d) => threshold + d),
    distanceArb.map((d) => threshold - d),
    fc.double({ min: 0, max: 100, noNaN: true }),
  );

const productionArb = thresholdsArb.map((t) => reactiveScaling(t));

function expectExactlyOneStep(policy: StepScalingPolicy, metric: number): void {
  const diff = metric - policy.alarm.threshold;
  const matching = policy.steps.filter((s) => holds(s, diff, isScaleOut(policy)));
  expect(matching, `metric ${metric}, diff ${diff}`).toHaveLength(1);
  expect(findStep(policy, metric)).toBe(matching[0]);
}

describe('findStep: the production step data covers the breaching half-line exactly once', () => {
  it('scale-out: one step for every metric at or above the threshold, none below it', () => {
    fc.assert(
      fc.property(
        productionArb.chain((r) => fc.tuple(fc.constant(r.scaleOut), metricNear(r.scaleOut.alarm.threshold))),
        ([policy, metric]) => {
          if (breaches(policy, metric)) expectExactlyOneStep(policy, metric);
          else expect(findStep(policy, metric)).toBeUndefined();
        },
      ),
      runs(2000),
    );
  });

  it('scale-in: one step for every metric at or below the threshold, none above it', () => {
    fc.assert(
      fc.property(
        productionArb.chain((r) => fc.tuple(fc.constant(r.scaleIn), metricNear(r.scaleIn.alarm.threshold))),
        ([policy, metric]) => {
          if (breaches(policy, metric)) expectExactlyOneStep(policy, metric);
          else expect(findStep(policy, metric)).toBeUndefined();
        },
      ),
      runs(2000),
    );
  });

  it('the steps tile the half-line: contiguous bounds from the threshold outwards, the outermost open', () => {
    fc.assert(
      fc.property(productionArb, ({ scaleOut, scaleIn }) => {
        const out = [...scaleOut.steps].sort((a, b) => (a.lowerBound ?? -Infinity) - (b.lowerBound ?? -Infinity));
        expect(out[0].lowerBound).toBe(0);
        out.slice(1).forEach((s, i) => expect(s.lowerBound).toBe(out[i].upperBound));
        expect(out[out.length - 1].upperBound).toBeUndefined();
        const inn = [...scaleIn.steps].sort((a, b) => (b.upperBound ?? Infinity) - (a.upperBound ?? Infinity));
        expect(inn[0].upperBound).toBe(0);
        inn.slice(1).forEach((s, i) => expect(s.upperBound).toBe(inn[i].lowerBound));
        expect(inn[inn.length - 1].lowerBound).toBeUndefined();
      }),
      runs(200),
    );
  });
});

/**
 * A step policy whose steps partition a range of distances from the threshold: cut points
 * c0 < ... < ck give [c0, c1), ..., [ck-1, ck) scaling out or (c0, c1], ... scaling in, plus
 * optionally an open-ended step below c0 and one above ck; listed in any order.
 */
const partitionArb = fc
  .record({
    comparison: fc.constantFrom<ComparisonOperator>(
      'GreaterThanOrEqualToThreshold',
      'GreaterThanThreshold',
      'LessThanThreshold',
      'LessThanOrEqualToThreshold',
    ),
    threshold: fc.double({ min: 0, max: 100, noNaN: true }),
    cuts: fc.uniqueArray(fc.oneof(fc.integer({ min: -60, max: 60 }), fc.double({ min: -60, max: 60, noNaN: true })), {
      minLength: 1,
      maxLength: 5,
      comparator: 'SameValueZero',
    }),
    openBelow: fc.boolean(),
    openAbove: fc.boolean(),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 7, maxLength: 7 }),
  })
  .filter(({ cuts, openBelow, openAbove }) => cuts.length > 1 || openBelow || openAbove)
  .map(({ comparison, threshold, cuts, openBelow, openAbove, order }) => {
    const c = [...cuts].sort((a, b) => a - b);
    const steps: StepAdjustment[] = [];
    if (openBelow) steps.push({ upperBound: c[0], adjustment: 0 });
    for (let i = 0; i + 1 < c.length; i++) steps.push({ lowerBound: c[i], upperBound: c[i + 1], adjustment: 0 });
    if (openAbove) steps.push({ lowerBound: c[c.length - 1], adjustment: 0 });
    const shuffled = steps
      .map((s, i) => ({ s: { ...s, adjustment: i + 1 }, key: order[i] }))
      .sort((a, b) => a.key - b.key)
      .map(({ s }) => s);
    const policy: StepScalingPolicy = {
      alarm: { threshold, comparison, periodSeconds: 60, evaluationPeriods: 1 },
      adjustmentType: 'ChangeInCapacity',
      steps: shuffled,
    };
    return { policy, cuts: c, low: openBelow ? -Infinity : c[0], high: openAbove ? Infinity : c[c.length - 1] };
  });

describe('findStep: any contiguous steps', () => {
  it('finds exactly one step inside the range the steps cover and none outside, whatever their order', () => {
    const arb = partitionArb.chain((p) =>
      fc.tuple(fc.constant(p), fc.oneof(fc.constantFrom(...p.cuts), fc.double({ min: -80, max: 80, noNaN: true }))),
    );
    fc.assert(
      fc.property(arb, ([{ policy, low, high }, at]) => {
        const metric = policy.alarm.threshold + at;
        const diff = metric - policy.alarm.threshold;
        const inside = isScaleOut(policy) ? low <= diff && diff < high : low < diff && diff <= high;
        if (inside) expectExactlyOneStep(policy, metric);
        else expect(findStep(policy, metric)).toBeUndefined();
      }),
      runs(1500),
    );
  });
});

const ADJUSTMENT_TYPES: readonly AdjustmentType[] = ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'];

/** A policy to apply: the production data or contiguous steps, with any adjustment type and adjustments. */
const anyPolicyArb: fc.Arbitrary<StepScalingPolicy> = fc
  .record({
    base: fc.oneof(
      productionArb.map((r) => r.scaleOut),
      productionArb.map((r) => r.scaleIn),
      partitionArb.map((p) => p.policy),
    ),
    adjustmentType: fc.constantFrom(...ADJUSTMENT_TYPES),
    adjustments: fc.array(fc.integer({ min: -100, max: 300 }), { minLength: 7, maxLength: 7 }),
    minAdjustmentMagnitude: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  })
  .map(({ base, adjustmentType, adjustments, minAdjustmentMagnitude }) => ({
    ...base,
    adjustmentType,
    steps: base.steps.map((s, i) => ({
      ...s,
      adjustment: adjustmentType === 'ExactCapacity' ? Math.abs(adjustments[i]) : adjustments[i],
    })),
    minAdjustmentMagnitude,
  }));

/** A group: minSize <= desired <= maxSize; warm and pending instances as they may be mid-scaling. */
const size = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 500 }));
const contextArb: fc.Arbitrary<StepContext> = fc
  .record({
    sizes: fc.tuple(size, size, size),
    settled: fc.boolean(),
    warmLess: fc.integer({ min: -3, max: 20 }),
    pendingCount: fc.integer({ min: 0, max: 20 }),
  })
  .map(({ sizes, settled, warmLess, pendingCount }) => {
    const [minSize, desiredCapacity, maxSize] = [...sizes].sort((a, b) => a - b);
    return settled
      ? { warmCount: desiredCapacity, pendingCount: 0, desiredCapacity, minSize, maxSize }
      : { warmCount: Math.max(0, desiredCapacity - warmLess), pendingCount, desiredCapacity, minSize, maxSize };
  });

/** A settled group: every instance warm, nothing pending. */
const settledArb = contextArb.map((g) => ({ ...g, warmCount: g.desiredCapacity, pendingCount: 0 }));

const applyArb = anyPolicyArb.chain((policy) =>
  fc.tuple(fc.constant(policy), metricNear(policy.alarm.threshold), contextArb),
);

describe('stepPolicyCapacity: the new desired capacity', () => {
  it('is a whole number within [minSize, maxSize] whenever the policy sets one', () => {
    fc.assert(
      fc.property(applyArb, ([policy, metric, group]) => {
        const to = stepPolicyCapacity(policy, metric, group);
        if (to === undefined) return;
        expect(Number.isInteger(to)).toBe(true);
        expect(to).toBeGreaterThanOrEqual(group.minSize);
        expect(to).toBeLessThanOrEqual(group.maxSize);
      }),
      runs(2000),
    );
  });

  it('never lowers capacity on a scale-out and never raises it on a scale-in, and moves only when breached', () => {
    fc.assert(
      fc.property(applyArb, ([policy, metric, group]) => {
        const to = stepPolicyCapacity(policy, metric, group);
        if (findStep(policy, metric) === undefined) expect(to).toBeUndefined();
        if (to === undefined) return;
        if (isScaleOut(policy)) expect(to).toBeGreaterThan(group.desiredCapacity);
        else expect(to).toBeLessThan(group.desiredCapacity);
      }),
      runs(2000),
    );
  });

  it('does not scale in while any instance is booting or warming up', () => {
    fc.assert(
      fc.property(applyArb, ([policy, metric, group]) => {
        fc.pre(!isScaleOut(policy) && group.pendingCount > 0);
        expect(stepPolicyCapacity(policy, metric, group)).toBeUndefined();
      }),
      runs(300),
    );
  });

  it('does not launch again while the capacity a persisting breach launched warms up', () => {
    fc.assert(
      fc.property(applyArb, ([policy, metric, group]) => {
        fc.pre(isScaleOut(policy));
        const settled = { ...group, warmCount: group.desiredCapacity, pendingCount: 0 };
        const first = stepPolicyCapacity(policy, metric, settled);
        if (first === undefined) return;
        const warming = { ...settled, desiredCapacity: first, pendingCount: first - settled.warmCount };
        expect(stepPolicyCapacity(policy, metric, warming)).toBeUndefined();
      }),
      runs(1000),
    );
  });
});

describe('capacity changes', () => {
  it('ChangeInCapacity adds exactly the adjustment before clamping, whatever the MinAdjustmentMagnitude', () => {
    fc.assert(
      fc.property(applyArb, settledArb, ([p, metric], group) => {
        const policy: StepScalingPolicy = { ...p, adjustmentType: 'ChangeInCapacity' };
        const step = findStep(policy, metric);
        if (step === undefined) return;
        const d = group.desiredCapacity;
        expect(adjustedCapacity(policy, step, d)).toBe(d + step.adjustment);
        const clamped = clampCapacity(d + step.adjustment, group.minSize, group.maxSize);
        const moves = isScaleOut(policy) ? clamped > d : clamped < d;
        expect(stepPolicyCapacity(policy, metric, group)).toBe(moves ? clamped : undefined);
      }),
      runs(1000),
    );
  });

  it('ExactCapacity sets exactly the adjustment before clamping', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 20 }),
        (adjustment, current, magnitude) => {
          expect(current + capacityChange('ExactCapacity', adjustment, current, magnitude)).toBe(adjustment);
        },
      ),
      runs(500),
    );
  });

  it('rounds a percent change toward zero, to at least one instance either way', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
        const r = roundPercentChange(v);
        expect(Number.isInteger(r)).toBe(true);
        expect(Math.sign(r) === Math.sign(v) || (r === 0 && v === 0)).toBe(true);
        expect(Math.abs(r)).toBeLessThanOrEqual(Math.max(1, Math.abs(v))); // toward zero (or up to one)...
        expect(Math.abs(r)).toBeGreaterThan(Math.abs(v) - 1); // ...by less than one instance
      }),
      runs(2000),
    );
  });

  it('PercentChangeInCapacity changes by at least MinAdjustmentMagnitude, in the sign of the adjustment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 500 }).filter((a) => a !== 0),
        fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 10_000 })),
        fc.integer({ min: 0, max: 20 }),
        (adjustment, current, magnitude) => {
          const change = capacityChange('PercentChangeInCapacity', adjustment, current, magnitude);
          const exact = (current * adjustment) / 100;
          expect(Number.isInteger(change)).toBe(true);
          expect(Math.abs(change)).toBeGreaterThanOrEqual(magnitude);
          if (change !== 0) expect(Math.sign(change)).toBe(Math.sign(adjustment));
          else expect(current === 0 && magnitude === 0).toBe(true);
          // Where the percentage alone is at least the magnitude (and one instance), it is only truncated.
          if (Math.abs(exact) >= Math.max(1, magnitude)) expect(change).toBe(Math.trunc(exact));
        },
      ),
      runs(2000),
    );
  });

  it('a percent step policy moves a settled group by at least MinAdjustmentMagnitude unless clamped', () => {
    const arb = fc
      .record({
        production: productionArb,
        out: fc.boolean(),
        percents: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 3, maxLength: 3 }),
        magnitude: fc.integer({ min: 1, max: 20 }),
      })
      .map(({ production, out, percents, magnitude }) => {
        const base = out ? production.scaleOut : production.scaleIn;
        const policy: StepScalingPolicy = {
          ...base,
          steps: base.steps.map((s, i) => ({ ...s, adjustment: out ? percents[i] : -Math.min(100, percents[i]) })),
          minAdjustmentMagnitude: magnitude,
        };
        return policy;
      })
      .chain((policy) => fc.tuple(fc.constant(policy), metricNear(policy.alarm.threshold), settledArb));
    fc.assert(
      fc.property(arb, ([policy, metric, group]) => {
        fc.pre(breaches(policy, metric));
        const m = policy.minAdjustmentMagnitude ?? 0;
        const d = group.desiredCapacity;
        const to = stepPolicyCapacity(policy, metric, group);
        if (isScaleOut(policy) ? d >= group.maxSize : d <= group.minSize) {
          expect(to).toBeUndefined(); // already at the bound it moves towards
          return;
        }
        expect(to).toBeDefined();
        const moved = Math.abs((to ?? d) - d);
        expect(moved >= m || to === (isScaleOut(policy) ? group.maxSize : group.minSize), `${d} -> ${to}`).toBe(true);
      }),
      runs(1500),
    );
  });

  it('clamps any capacity into [minSize, maxSize], leaving one already inside alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 2000 }), fc.tuple(size, size), (capacity, [a, b]) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const c = clampCapacity(capacity, lo, hi);
        expect(c).toBeGreaterThanOrEqual(lo);
        expect(c).toBeLessThanOrEqual(hi);
        if (capacity >= lo && capacity <= hi) expect(c).toBe(capacity);
      }),
      runs(500),
    );
  });
});
