import { describe, expect, it } from 'vitest';
import { simulate } from '../../models/fleet/runSimulation.ts';
import { trackingAlarms, trackingScaleIn, trackingScaleOut } from '../../models/fleet/targetTracking.ts';
import type { Controller, FleetConfig, GroupUpdate, SimulationSetup } from '../../models/fleet/types.ts';

const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const perMinute = (values: number[]) => ({ startSeconds: T0, stepSeconds: 60, values });
const fleet = (over: Partial<FleetConfig> = {}): FleetConfig => ({
  capacityPerInstance: 10,
  minSize: 1,
  maxSize: 50,
  ...over,
});
const minuteOf = (atSeconds: number) => (atSeconds - T0) / 60;
const scripted = (updates: Record<number, GroupUpdate>): Controller => ({
  name: 'script',
  tickSeconds: 60,
  tick: (view) => updates[minuteOf(view.nowSeconds)],
});

describe('target tracking maths', () => {
  it("creates a 3-of-3 high alarm at the target and a 15-of-15 low alarm at 90% of it, on the group's CPU period", () => {
    expect(trackingAlarms({ targetUtilizationPct: 60 }, 300)).toEqual({
      high: { threshold: 60, comparison: 'GreaterThanThreshold', periodSeconds: 300, evaluationPeriods: 3 },
      low: { threshold: 54, comparison: 'LessThanThreshold', periodSeconds: 300, evaluationPeriods: 15 },
    });
    expect(trackingAlarms({ metric: 'request-count-per-target', targetRequestsPerTarget: 800 }, 60)).toEqual({
      high: { threshold: 800, comparison: 'GreaterThanThreshold', periodSeconds: 60, evaluationPeriods: 3 },
      low: { threshold: 720, comparison: 'LessThanThreshold', periodSeconds: 60, evaluationPeriods: 15 },
    });
  });

  it.each([
    // [warm, metric, target, desired, new desired]
    [4, 75, 50, 4, 6],
    [4, 77.5, 50, 4, 7],
    [4, 62.5, 50, 4, 5],
    [4, 75, 50, 6, undefined],
    [4, 75, 50, 5, 6],
    [7, 450 / 7, 45, 7, 10], // 7 x 64.2857... / 45 is 10.000000000000002 in floating point: still 10
    [0, 100, 50, 3, undefined],
  ])('scale-out: %d warm at %d%% vs %d%% with desired %d -> %s', (warm, metric, target, desired, expected) => {
    expect(trackingScaleOut(warm, metric, target, desired)).toBe(expected);
  });

  it.each([
    // [desired, metric, target, new desired]
    [10, 38, 50, 8],
    [10, 36, 50, 8],
    [10, 45, 50, 9],
    [10, 49, 50, undefined],
    [7, 450 / 7, 75, 6], // 7 - 6.000000000000001: still removes 1
  ])('scale-in: %d at %d%% vs %d%% -> %s', (desired, metric, target, expected) => {
    expect(trackingScaleIn(desired, metric, target)).toBe(expected);
  });
});

describe('target tracking', () => {
  const tt = (
    initialCapacity: number,
    over: Partial<FleetConfig> = {},
    policy: { disableScaleIn?: boolean } = {},
  ): SimulationSetup => ({
    fleet: fleet({ initialCapacity, ...over }),
    targetTracking: { targetUtilizationPct: 50, ...policy },
  });

  it('scales out after 3 of 3 one-minute datapoints above target, rounding up, once while the capacity warms', () => {
    // 4 instances of 10 units: demand 30 = 75% vs target 50 -> ceil(4 x 75 / 50) = 6; 31 -> ceil(6.2) = 7;
    // 25 -> exactly 5; 20 = 50% is not above the target.
    for (const [demand, to] of [
      [30, 6],
      [31, 7],
      [25, 5],
      [20, undefined],
    ] as const) {
      const r = simulate(perMinute(Array(9).fill(demand)), tt(4));
      expect(r.actions.map((a) => [minuteOf(a.atSeconds), a.to])).toEqual(to === undefined ? [] : [[4, to]]);
    }
  });

  it('needs all 3 datapoints above the target', () => {
    const r = simulate(perMinute([30, 30, 20, 30, 30, 20, 30, 30]), tt(4));
    expect(r.actions).toEqual([]);
  });

  it('with 300-second CPU, needs 3 of 3 five-minute datapoints', () => {
    const r = simulate(perMinute(Array(20).fill(30)), tt(4, { metricPeriodSeconds: 300 }));
    expect(r.actions.map((a) => [minuteOf(a.atSeconds), a.to])).toEqual([[16, 6]]);
  });

  it.each([
    // [instances, minSize, disableScaleIn, demand, first scale-in to]
    [10, 1, false, 38, 8], // 38% vs 50: remove floor(10 - 7.6) = 2
    [10, 1, false, 44, 9], // remove floor(10 - 8.8) = 1
    [10, 1, false, 36, 8], // remove floor(10 - 7.2) = 2, not 3
    [10, 1, false, 45, undefined], // 45% is not below the low alarm's 90% of 50
    [10, 1, false, 49, undefined],
    [10, 9, false, 38, 9], // never below MinSize
    [10, 1, true, 38, undefined],
  ])(
    '%d instances (min %d, disableScaleIn %s) at demand %d scale in after 15 of 15 below 90%% of the target to %s',
    (n, minSize, disableScaleIn, demand, to) => {
      const r = simulate(perMinute(Array(20).fill(demand)), tt(n, { minSize }, { disableScaleIn }));
      expect(r.actions.slice(0, 1).map((a) => [minuteOf(a.atSeconds), a.to])).toEqual(
        to === undefined ? [] : [[16, to]],
      );
    },
  );

  it('does not scale in while an instance warms up', () => {
    // 15 of 15 below the target first holds at minute 16. A launch at minute 5 is warm by 15; one at 10 only by 20.
    const r = simulate(perMinute(Array(24).fill(38)), {
      ...tt(10),
      controllers: [scripted({ 5: { desiredCapacity: 11 } })],
    });
    const late = simulate(perMinute(Array(24).fill(38)), {
      ...tt(10),
      controllers: [scripted({ 10: { desiredCapacity: 11 } })],
    });
    expect(minuteOf(r.actions.find((a) => a.source === 'target-tracking')?.atSeconds ?? NaN)).toBe(16);
    expect(minuteOf(late.actions.find((a) => a.source === 'target-tracking')?.atSeconds ?? NaN)).toBe(20);
  });

  it('on requests per target: scales out on demand over serving instances, counts unserved requests, scales in below 90%', () => {
    const onRequests = (initialCapacity: number, target: number): SimulationSetup => ({
      fleet: fleet({ initialCapacity, warmupSeconds: 0, bootSeconds: 0 }),
      targetTracking: { metric: 'request-count-per-target', targetRequestsPerTarget: target },
    });
    // 4 instances of capacity 10 under 60 requests a minute: 15 per target (over capacity, still counted)
    // vs a target of 6: ceil(4 x 15 / 6) = 10.
    const out = simulate(perMinute(Array(9).fill(60)), onRequests(4, 6));
    expect(out.actions.slice(0, 1).map((a) => [minuteOf(a.atSeconds), a.to, a.reason])).toEqual([
      [4, 10, '15.0 requests per target above target 6'],
    ]);
    // 10 instances under 50 a minute: 5 per target vs target 6 is below its 5.4 low threshold: remove floor(10 - 8.33) = 1.
    const inward = simulate(perMinute(Array(20).fill(50)), onRequests(10, 6));
    expect(inward.actions.slice(0, 1).map((a) => [minuteOf(a.atSeconds), a.to])).toEqual([[16, 9]]);
    // 55 a minute is 5.5 per target: above the low threshold, no scale-in.
    expect(simulate(perMinute(Array(20).fill(55)), onRequests(10, 6)).actions).toEqual([]);
  });

  it('refuses a target of requests per target that is not a positive number', () => {
    expect(() =>
      simulate(perMinute([1]), {
        fleet: fleet(),
        targetTracking: { metric: 'request-count-per-target', targetRequestsPerTarget: 0 },
      }),
    ).toThrow(/'targetRequestsPerTarget' must be a positive number, got 0/);
  });
});
