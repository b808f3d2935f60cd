import { describe, expect, it } from 'vitest';
import { capacityPath, decide, type ForecastPolicy, type GroupState } from '../../models/policy/decide.ts';
import { toLoadForecast } from '../../models/policy/loadForecast.ts';
import { loadPerMinute, loadValue, LOAD_KINDS, type LoadKind } from '../../models/policy/loadUnits.ts';

// Ten instances at 80% CPU, planned at 80%: the group is exactly as big as it should be.
const group: GroupState = {
  minSize: 10,
  maxSize: 50,
  desiredCapacity: 10,
  configuredMinSize: 1,
  scaleOutAlarmActive: false,
};
const policy = (capacityPerInstance: number): ForecastPolicy => ({
  kind: 'quantile',
  quantilePct: 75,
  capacityPerInstance,
  targetUtilizationPct: 80,
  bootSeconds: 300,
  tickSeconds: 300,
});

/** A flat forecast of `value` per step, with every interval bound at the value. */
function flat(value: number, kind: LoadKind, stepSeconds: number, steps: number) {
  const path = new Array<number>(steps).fill(value);
  const intervals = [50, 80, 90].map((level) => ({ level, lower: path, upper: path }));
  return toLoadForecast({ mean: path, intervals }, 0, stepSeconds, kind, value);
}

describe('load kinds', () => {
  // Hand-computed: each row is the same load (10 instances' worth at 80%) in a metric's own units.
  const cases: { what: string; kind: LoadKind; capacity: number; perStep: (stepSeconds: number) => number }[] = [
    // Total CPU: 10 instances at 80% = 800 percent-instances at any period; 100 per instance at 100%.
    { what: 'total CPU (a level)', kind: 'level', capacity: 100, perStep: () => 800 },
    // Requests: 1200 a minute, i.e. 6000 per 5 minutes and 72,000 per hour; 150 a minute per instance.
    { what: 'request count (a sum)', kind: 'sum', capacity: 150, perStep: (s) => (1200 * s) / 60 },
    // A per-second rate: 20 a second at any period = 1200 a minute.
    { what: 'requests per second (a rate)', kind: 'per-second', capacity: 150, perStep: () => 20 },
  ];
  for (const c of cases) {
    for (const stepSeconds of [60, 300, 3600]) {
      it(`${c.what} at ${stepSeconds} s: 10 instances at 80%, target 80% -> 10`, () => {
        const forecast = flat(c.perStep(stepSeconds), c.kind, stepSeconds, Math.ceil(7200 / stepSeconds));
        const decision = decide(0, forecast, group, policy(c.capacity));
        expect(decision.recommendedCapacity).toBe(10);
        expect(decision.minSize).toBe(10);
        expect(decision.desiredCapacity).toBeUndefined();
        expect(capacityPath(forecast, policy(c.capacity))).toEqual(new Array(forecast.mean.length).fill(10));
      });
    }
  }

  it('does not halve a correctly sized floor on the next tick (the total-CPU defect)', () => {
    const forecast = flat(800, 'level', 300, 13);
    let state = group;
    for (let tick = 0; tick < 3; tick++) {
      const d = decide(tick * 300, forecast, state, policy(100));
      state = { ...state, minSize: d.minSize, desiredCapacity: d.desiredCapacity ?? state.desiredCapacity };
    }
    expect(state.minSize).toBe(10);
  });

  it('converts a value to load per minute and back', () => {
    expect(loadPerMinute(6000, 'sum', 300)).toBe(1200);
    expect(loadPerMinute(72_000, 'sum', 3600)).toBe(1200);
    expect(loadPerMinute(20, 'per-second', 3600)).toBe(1200);
    expect(loadPerMinute(800, 'level', 3600)).toBe(800);
    for (const kind of LOAD_KINDS)
      for (const step of [60, 300, 3600])
        expect(loadValue(loadPerMinute(123, kind, step), kind, step)).toBeCloseTo(123);
  });
});
