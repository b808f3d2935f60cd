import fc from 'fast-check';
import { LOAD_KINDS } from '../../models/policy/loadUnits.ts';
import { describe, expect, it } from 'vitest';
import { clamp } from '../../models/policy/capacity.ts';
import {
  FORECAST_POLICY_KINDS,
  capacityPath,
  decide,
  type ForecastPolicy,
  type GroupState,
  type LoadForecast,
} from '../../models/policy/decide.ts';
import { FORECAST_LEVELS, forecastHorizonSteps } from '../../models/policy/defaults.ts';

/**
 * Property tests for the production decision. Reproducible by default; explore other cases with
 * FC_SEED=<n> npx vitest run test/unit/policy.decide.properties.test.ts
 */
const SEED = Number(process.env.FC_SEED ?? 20_260_611);
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

// Where "now" may sit relative to the forecast's first step, in seconds (the scaler runs a little
// after the newest observed interval ends, the simulator at any tick), and the longest lead time.
const MIN_OFFSET = -300;
const MAX_OFFSET = 1200;
const MAX_BOOT_MINUTES = 20;
const MAX_TICK_MINUTES = 15;
const MAX_EXTRA_STEPS = 2;
const MAX_STEPS = forecastHorizonSteps(60, MAX_OFFSET + (MAX_BOOT_MINUTES + MAX_TICK_MINUTES) * 60) + MAX_EXTRA_STEPS;

/** Load units per interval: zeros and round numbers (which land on instance boundaries) as well as any double. */
const load = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 1e5, noNaN: true }));
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

/**
 * One forecast step: the mean, the gaps from it to the upper bounds by rising level and the
 * fractions that take it down to the lower bounds, so that
 * lower99 <= ... <= lower50 <= mean <= upper50 <= ... <= upper99.
 */
const stepArb = fc.record({
  mean: load,
  up: fc.array(load, { minLength: FORECAST_LEVELS.length, maxLength: FORECAST_LEVELS.length }),
  down: fc.array(fraction, { minLength: FORECAST_LEVELS.length, maxLength: FORECAST_LEVELS.length }),
});

const forecastArb = fc.record({
  startSeconds: fc.integer({ min: 0, max: 1_000_000 }).map((k) => k * 60),
  stepSeconds: fc.constantFrom(60, 300),
  kind: fc.constantFrom(...LOAD_KINDS),
  steps: fc.array(stepArb, { minLength: MAX_STEPS, maxLength: MAX_STEPS }),
  extraSteps: fc.integer({ min: 0, max: MAX_EXTRA_STEPS }),
  withLower: fc.boolean(),
  lastObserved: fc.option(load, { nil: undefined }),
});

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });

// Capacity and utilization are kept out of the subnormal range: there capacityPerInstance x utilization
// underflows to 0, the instances needed become Infinity and only clamping to maxSize keeps the decision finite.
const policyArb: fc.Arbitrary<ForecastPolicy> = fc.record({
  kind: fc.constantFrom(...FORECAST_POLICY_KINDS),
  capacityPerInstance: fc.oneof(
    fc.integer({ min: 1, max: 1000 }),
    fc.double({ min: 10, max: 1000, noNaN: true }),
    fc.double({ min: 1e-3, max: 1e5, noNaN: true }),
  ),
  targetUtilizationPct: fc.oneof(
    fc.constantFrom(100, 80, 50),
    fc.double({ min: 20, max: 100, noNaN: true }),
    fc.double({ min: 0.01, max: 100, noNaN: true }),
  ),
  bufferPct: optional(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 300, noNaN: true }))),
  intervalLevel: optional(fc.constantFrom(...FORECAST_LEVELS)),
  quantilePct: optional(
    fc.oneof(
      fc.constantFrom(1, 2.5, 5, 10, 25, 50, 75, 90, 95, 97.5, 99.5),
      fc.double({ min: 1, max: 99.5, noNaN: true }),
    ),
  ),
  bootSeconds: fc.integer({ min: 0, max: MAX_BOOT_MINUTES }).map((m) => m * 60),
  tickSeconds: fc.integer({ min: 1, max: MAX_TICK_MINUTES }).map((m) => m * 60),
  maxScaleInFraction: optional(fc.oneof(fc.constantFrom(0, 0.1, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true }))),
  observedFloorPct: optional(fc.oneof(fc.constantFrom(0, 100, 200), fc.double({ min: 0, max: 200, noNaN: true }))),
});

/**
 * Four sizes sorted: configuredMinSize <= minSize <= desiredCapacity <= maxSize; half the time desired
 * capacity sits at the floor, as it does whenever the reactive policy has added nothing.
 */
const size = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 300 }));
const groupArb: fc.Arbitrary<GroupState> = fc
  .record({ sizes: fc.tuple(size, size, size, size), atFloor: fc.boolean(), scaleOutAlarmActive: fc.boolean() })
  .map(({ sizes, atFloor, scaleOutAlarmActive }) => {
    const [configuredMinSize, minSize, desired, maxSize] = [...sizes].sort((a, b) => a - b);
    return { configuredMinSize, minSize, desiredCapacity: atFloor ? minSize : desired, maxSize, scaleOutAlarmActive };
  });

interface Scenario {
  readonly nowSeconds: number;
  readonly forecast: LoadForecast;
  readonly group: GroupState;
  readonly policy: ForecastPolicy;
}

/**
 * A valid input: the forecast covers the lead time (as the scaler's forecastHorizonSteps does) and
 * the policy's percentile.
 */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    f: forecastArb,
    group: groupArb,
    policy: policyArb,
    offset: fc.integer({ min: MIN_OFFSET, max: MAX_OFFSET }),
  })
  .map(({ f, group, policy: p, offset }) => {
    const length =
      forecastHorizonSteps(f.stepSeconds, Math.max(0, offset) + p.bootSeconds + p.tickSeconds) + f.extraSteps;
    const steps = f.steps.slice(0, length);
    const upper: Record<number, number[]> = {};
    const lower: Record<number, number[]> = {};
    FORECAST_LEVELS.forEach((level, j) => {
      upper[level] = steps.map((s) => s.mean + s.up.slice(0, j + 1).reduce((a, b) => a + b, 0));
      lower[level] = steps.map((s) => s.down.slice(0, j + 1).reduce((a, b) => a * b, s.mean));
    });
    // Without lower bounds a forecast has no percentile below the 50th: plan for its mirror image.
    const policy =
      !f.withLower && p.quantilePct !== undefined && p.quantilePct < 50
        ? { ...p, quantilePct: 100 - p.quantilePct }
        : p;
    const forecast: LoadForecast = {
      startSeconds: f.startSeconds,
      stepSeconds: f.stepSeconds,
      kind: f.kind,
      mean: steps.map((s) => s.mean),
      upper,
      ...(f.withLower ? { lower } : {}),
      lastObserved: f.lastObserved,
    };
    return { nowSeconds: f.startSeconds + offset, forecast, group, policy };
  });

/** The same scenario, or (one time in six) the same scenario without a forecast. */
const maybeNoForecastArb = fc
  .tuple(scenarioArb, fc.integer({ min: 0, max: 5 }))
  .map(([s, dice]) => ({ ...s, forecast: dice === 0 ? undefined : s.forecast }));

/** Every forecast number (mean, every bound, the newest observation) times `k`. */
function scaled(f: LoadForecast, k: number): LoadForecast {
  const times = (values: ArrayLike<number>) => Array.from(values, (v) => v * k);
  const byLevel = (bounds: Readonly<Record<number, ArrayLike<number>>>) =>
    Object.fromEntries(Object.entries(bounds).map(([level, values]) => [level, times(values)]));
  return {
    ...f,
    mean: times(f.mean),
    upper: byLevel(f.upper),
    ...(f.lower === undefined ? {} : { lower: byLevel(f.lower) }),
    lastObserved: f.lastObserved === undefined ? undefined : f.lastObserved * k,
  };
}

const factorArb = fc.oneof(fc.constantFrom(1, 1.000001, 1.5, 2, 10), fc.double({ min: 1, max: 100, noNaN: true }));

describe('decide(): properties over arbitrary valid inputs', () => {
  it('recommends a whole number of instances within [configuredMinSize, maxSize]', () => {
    fc.assert(
      fc.property(maybeNoForecastArb, ({ nowSeconds, forecast, group, policy }) => {
        const { recommendedCapacity } = decide(nowSeconds, forecast, group, policy);
        expect(Number.isInteger(recommendedCapacity)).toBe(true);
        expect(recommendedCapacity).toBeGreaterThanOrEqual(group.configuredMinSize);
        expect(recommendedCapacity).toBeLessThanOrEqual(group.maxSize);
      }),
      runs(600),
    );
  });

  it('sets MinSize within [configuredMinSize, maxSize], desired (when set) within [new MinSize, maxSize]', () => {
    fc.assert(
      fc.property(maybeNoForecastArb, ({ nowSeconds, forecast, group, policy }) => {
        const d = decide(nowSeconds, forecast, group, policy);
        expect(Number.isInteger(d.minSize)).toBe(true);
        expect(d.minSize).toBeGreaterThanOrEqual(group.configuredMinSize);
        expect(d.minSize).toBeLessThanOrEqual(group.maxSize);
        if (d.desiredCapacity !== undefined) {
          expect(Number.isInteger(d.desiredCapacity)).toBe(true);
          expect(d.desiredCapacity).toBeGreaterThanOrEqual(d.minSize);
          expect(d.desiredCapacity).toBeLessThanOrEqual(group.maxSize);
        }
      }),
      runs(600),
    );
  });

  it('is monotone: scaling every forecast value and lastObserved by k >= 1 never lowers the new MinSize', () => {
    fc.assert(
      fc.property(scenarioArb, factorArb, ({ nowSeconds, forecast, group, policy }, k) => {
        const base = decide(nowSeconds, forecast, group, policy);
        const more = decide(nowSeconds, scaled(forecast, k), group, policy);
        expect(more.minSize).toBeGreaterThanOrEqual(base.minSize);
        expect(more.recommendedCapacity).toBeGreaterThanOrEqual(base.recommendedCapacity);
      }),
      runs(600),
    );
  });

  it(
    "lowers the floor (the group's current MinSize) by at most max(1, floor(maxScaleInFraction x current MinSize)) " +
      'per tick',
    () => {
      fc.assert(
        fc.property(maybeNoForecastArb, ({ nowSeconds, forecast, group, policy }) => {
          const d = decide(nowSeconds, forecast, group, policy);
          const maxDrop = Math.max(1, Math.floor((policy.maxScaleInFraction ?? 0.5) * group.minSize));
          expect(group.minSize - d.minSize).toBeLessThanOrEqual(maxDrop);
          // Desired capacity follows the floor down, never further.
          if (d.desiredCapacity !== undefined && d.desiredCapacity < group.desiredCapacity) {
            expect(group.desiredCapacity - d.desiredCapacity).toBeLessThanOrEqual(maxDrop);
          }
        }),
        runs(800),
      );
    },
  );

  it('moves the floor by at most one instance per tick when incremental', () => {
    fc.assert(
      fc.property(scenarioArb, ({ nowSeconds, forecast, group, policy }) => {
        const d = decide(nowSeconds, forecast, group, { ...policy, kind: 'incremental' });
        expect(Math.abs(d.minSize - group.minSize)).toBeLessThanOrEqual(1);
      }),
      runs(500),
    );
  });

  it('raises the floor to the recommendation at once (every kind but incremental)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ nowSeconds, forecast, group, policy }) => {
        fc.pre(policy.kind !== 'incremental');
        const d = decide(nowSeconds, forecast, group, policy);
        if (d.recommendedCapacity >= group.minSize) expect(d.minSize).toBe(d.recommendedCapacity);
        else expect(d.minSize).toBeGreaterThanOrEqual(d.recommendedCapacity);
      }),
      runs(500),
    );
  });

  it('sets desired capacity only to the new floor: raised when below it, lowered only when prescale owns it', () => {
    fc.assert(
      fc.property(maybeNoForecastArb, ({ nowSeconds, forecast, group, policy }) => {
        const d = decide(nowSeconds, forecast, group, policy);
        if (group.desiredCapacity < d.minSize) {
          expect(d.desiredCapacity).toBe(d.minSize);
        } else if (d.desiredCapacity !== undefined) {
          // Lowered: only capacity at the old floor with the scale-out alarm quiet is prescale's to take away.
          expect(d.desiredCapacity).toBe(d.minSize);
          expect(d.desiredCapacity).toBeLessThan(group.desiredCapacity);
          expect(group.desiredCapacity).toBe(group.minSize);
          expect(group.scaleOutAlarmActive).toBe(false);
        }
      }),
      runs(600),
    );
  });

  it('returns only finite numbers and a non-empty reason for a finite forecast', () => {
    fc.assert(
      fc.property(scenarioArb, ({ nowSeconds, forecast, group, policy }) => {
        const d = decide(nowSeconds, forecast, group, policy);
        for (const [field, value] of Object.entries(d)) {
          if (typeof value === 'number') expect(Number.isFinite(value), `${field} = ${value}`).toBe(true);
        }
        expect(typeof d.reason).toBe('string');
        expect(d.reason.trim()).not.toBe('');
        expect(d.reason).not.toMatch(/NaN|Infinity|undefined/);
      }),
      runs(600),
    );
  });

  it('without a forecast leaves the group alone with finite capacities and says why', () => {
    fc.assert(
      fc.property(scenarioArb, ({ nowSeconds, group, policy }) => {
        const d = decide(nowSeconds, undefined, group, policy);
        expect(d.minSize).toBe(group.minSize);
        expect(d.desiredCapacity).toBeUndefined();
        expect(Number.isFinite(d.recommendedCapacity)).toBe(true);
        // plannedLoadPerMinute is NaN here by construction (there is no plan), the one non-finite field.
        expect(d.reason.trim()).not.toBe('');
      }),
      runs(200),
    );
  });
});

describe('capacityPath(): properties', () => {
  // capacityPath takes no group, so it has no [configured min, max] to stay within: its elements are the
  // unclamped instances each step asks for. What decide() recommends is that path's peak over the window,
  // clamped to the group's bounds.
  it('gives one whole, non-negative number of instances per forecast step', () => {
    fc.assert(
      fc.property(scenarioArb, ({ forecast, policy }) => {
        const path = capacityPath(forecast, policy);
        expect(path).toHaveLength(forecast.mean.length);
        for (const c of path) {
          expect(Number.isInteger(c)).toBe(true);
          expect(c).toBeGreaterThanOrEqual(0);
        }
      }),
      runs(300),
    );
  });

  it('peaks, clamped to [configuredMinSize, maxSize], at what decide() recommends over [now + boot, + tick]', () => {
    fc.assert(
      fc.property(scenarioArb, ({ nowSeconds, forecast, group, policy: p }) => {
        const policy = { ...p, observedFloorPct: 0 };
        const path = capacityPath(forecast, policy);
        const n = path.length;
        const from = nowSeconds + policy.bootSeconds - forecast.startSeconds;
        const first = clamp(Math.floor(from / forecast.stepSeconds), 0, n - 1);
        const last = clamp(Math.ceil((from + policy.tickSeconds) / forecast.stepSeconds) - 1, first, n - 1);
        const peak = Math.max(...path.slice(first, last + 1));
        expect(decide(nowSeconds, forecast, group, policy).recommendedCapacity).toBe(
          clamp(peak, group.configuredMinSize, group.maxSize),
        );
      }),
      runs(500),
    );
  });

  it('never falls at any step when every forecast value is scaled up by k >= 1', () => {
    fc.assert(
      fc.property(scenarioArb, factorArb, ({ forecast, policy }, k) => {
        const base = capacityPath(forecast, policy);
        const more = capacityPath(scaled(forecast, k), policy);
        base.forEach((c, i) => expect(more[i]).toBeGreaterThanOrEqual(c));
      }),
      runs(300),
    );
  });
});
