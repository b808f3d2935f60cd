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
  it("creates a 3-of-3 high alarm and a 15-of-15 low alarm at the target, on the group's CPU period", () => {
    expect(trackingAlarms({ targetUtilizationPct: 60 }, 300)).toEqual({
      high: { threshold: 60, comparison: 'GreaterThanThreshold', periodSeconds: 300, evaluationPeriods: 3 },
      low: { threshold: 60, comparison: 'LessThanThreshold', periodSeconds: 300, evaluationPeriods: 15 },
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
    policy: Partial<SimulationSetup['targetTracking']> = {},
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
    [10, 1, false, 45, 9], // remove floor(10 - 9) = 1
    [10, 1, false, 36, 8], // remove floor(10 - 7.2) = 2, not 3
    [10, 1, false, 49, undefined], // remove floor(10 - 9.8) = 0
    [10, 9, false, 38, 9], // never below MinSize
    [10, 1, true, 38, undefined],
  ])(
    '%d instances (min %d, disableScaleIn %s) at demand %d scale in after 15 of 15 below target to %s',
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
});
