import { describe, expect, it } from 'vitest';
import { Instances } from '../../models/fleet/instances.ts';
import { simulate } from '../../models/fleet/runSimulation.ts';
import type { Controller, FleetConfig, GroupUpdate, StepScalingPolicy } from '../../models/fleet/types.ts';

const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const perMinute = (values: number[]) => ({ startSeconds: T0, stepSeconds: 60, values });
const fleet = (over: Partial<FleetConfig> = {}): FleetConfig => ({ capacityPerInstance: 10, minSize: 1, maxSize: 50, ...over });

/** A controller that applies the given update at the given minutes only. */
function scripted(updates: Record<number, GroupUpdate>): Controller {
  return { name: 'script', tickSeconds: 60, tick: (view) => updates[(view.nowSeconds - T0) / 60] };
}

const scaleOut = (over: Partial<StepScalingPolicy['alarm']> = {}): StepScalingPolicy => ({
  alarm: { threshold: 50, comparison: 'GreaterThanOrEqualToThreshold', periodSeconds: 60, evaluationPeriods: 1, ...over },
  adjustmentType: 'PercentChangeInCapacity',
  steps: [{ lowerBound: 0, upperBound: 10, adjustment: 0 }, { lowerBound: 10, upperBound: 20, adjustment: 10 }, { lowerBound: 20, adjustment: 30 }],
});
const scaleIn = (over: Partial<StepScalingPolicy['alarm']> = {}): StepScalingPolicy => ({
  alarm: { threshold: 30, comparison: 'LessThanOrEqualToThreshold', periodSeconds: 60, evaluationPeriods: 1, ...over },
  adjustmentType: 'ChangeInCapacity',
  steps: [{ upperBound: 0, adjustment: -1 }],
});
const never = scaleIn({ threshold: -1 });

describe('instances', () => {
  it('boot, then serve while warming, then serve warm', () => {
    const r = simulate(perMinute(Array(14).fill(25)), { fleet: fleet({ initialCapacity: 1 }), controllers: [scripted({ 0: { desiredCapacity: 3 } })] });
    expect(Array.from(r.servingCount)).toEqual([1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    expect(Array.from(r.billedCount)).toEqual(Array(14).fill(3));
    expect(r.served[0]).toBe(10); // 25 demanded, one instance serves 10
    expect(r.served[5]).toBe(25);
    expect(r.cpuPct[0]).toBe(100);
    expect(r.cpuPct[5]).toBeCloseTo(100 * 25 / 30, 9);
  });

  it('bills per second with a 60-second minimum and terminates booting instances first', () => {
    const r = simulate(perMinute(Array(4).fill(5)), {
      fleet: fleet({ initialCapacity: 2 }), controllers: [scripted({ 0: { desiredCapacity: 5 }, 1: { desiredCapacity: 3 } })],
    });
    expect(Array.from(r.billedSeconds)).toEqual([300, 180, 180, 180]);
    expect(Array.from(r.servingCount)).toEqual([2, 2, 2, 2]);
    const group = new Instances(300, 300);
    group.launch(0, 2);
    group.launch(600, 3);
    expect(group.terminate(600, 4)).toBe(3); // the three launched this minute still bill 60 s each
    expect(group.counts(600)).toEqual({ total: 1, booting: 0, warming: 0, warm: 1 });
  });

  it('holds a coarser trace constant within its interval', () => {
    const r = simulate({ startSeconds: T0, stepSeconds: 300, values: [500, 1000] }, { fleet: fleet({ initialCapacity: 20 }) });
    expect(Array.from(r.demand)).toEqual([100, 100, 100, 100, 100, 200, 200, 200, 200, 200]);
  });

  it('raises desired capacity to a new MinSize and clamps desired capacity to the bounds', () => {
    const r = simulate(perMinute(Array(4).fill(5)), {
      fleet: fleet({ maxSize: 6 }), controllers: [scripted({ 1: { minSize: 4 }, 2: { desiredCapacity: 2 }, 3: { desiredCapacity: 99 } })],
    });
    expect(Array.from(r.minSize)).toEqual([1, 4, 4, 4]);
    expect(Array.from(r.desiredCapacity)).toEqual([1, 4, 4, 6]);
    expect(r.actions.map((a) => a.source)).toEqual(['controller', 'controller']);
  });
});

describe('alarms and step scaling', () => {
  it("reproduces AWS's warm-up example: 60% -> 11; 62% while warming -> still 11; 70% while warming -> 13", () => {
    // 10 warm instances of 10 units: demand 60, 62, 70 gives those CPU values while the new instance boots.
    const r = simulate(perMinute([60, 62, 70, 70, 70]), { fleet: fleet({ initialCapacity: 10 }), reactive: { scaleOut: scaleOut(), scaleIn: never } });
    // Minute m's datapoint is published 60 s after it ends: acted on at minute m + 2.
    expect(Array.from(r.desiredCapacity)).toEqual([10, 10, 11, 11, 13]);
  });

  it('acts only after the period ends and the datapoint is published (300-second periods)', () => {
    const demand = [...Array(10).fill(20), ...Array(12).fill(90)]; // 2 instances: 50% then 100% from minute 10
    const r = simulate(perMinute(demand), {
      fleet: fleet({ initialCapacity: 4 }), reactive: { scaleOut: scaleOut({ periodSeconds: 300, threshold: 70 }), scaleIn: scaleIn({ periodSeconds: 300, threshold: -1 }) },
    });
    // Period [10, 15) ends at minute 15, published at 16.
    expect(r.desiredCapacity[15]).toBe(4);
    expect(r.desiredCapacity[16]).toBeGreaterThan(4);
  });

  it('goes to ALARM when M of the last N datapoints breach', () => {
    // 2 of 3: breaching, not, breaching -> ALARM when the third is published.
    const demand = [2, 6, 2, 6, 2, 2, 2]; // one instance of 10 units: 20%, 60%, 20%, 60%, ...
    const policy = { ...scaleOut({ evaluationPeriods: 3, datapointsToAlarm: 2 }), adjustmentType: 'ChangeInCapacity' as const, steps: [{ lowerBound: 0, adjustment: 1 }] };
    const r = simulate(perMinute(demand), { fleet: fleet({ initialCapacity: 1 }), reactive: { scaleOut: policy, scaleIn: never } });
    // Minute m is published at m + 2: at minute 5 the window is m1..m3 = 60, 20, 60.
    expect(r.actions[0]).toMatchObject({ atSeconds: T0 + 5 * 60, source: 'scale-out-policy', from: 1, to: 2 });
    const strict = simulate(perMinute(demand), {
      fleet: fleet({ initialCapacity: 1 }), reactive: { scaleOut: { ...policy, alarm: { ...policy.alarm, datapointsToAlarm: 3 } }, scaleIn: never },
    });
    expect(strict.actions).toEqual([]);
  });

  it('leaves warming instances out of the metric and blocks scale-in while any instance warms up', () => {
    // 4 warm instances at 20% CPU: the scale-in alarm (<= 30%) fires, but a launch at minute 0 is warming until minute 10.
    const r = simulate(perMinute(Array(16).fill(8)), {
      fleet: fleet({ initialCapacity: 4 }), reactive: { scaleOut: scaleOut({ threshold: 99 }), scaleIn: scaleIn() },
      controllers: [scripted({ 0: { desiredCapacity: 5 } })],
    });
    const firstScaleIn = r.actions.find((a) => a.source === 'scale-in-policy');
    expect(firstScaleIn?.atSeconds).toBe(T0 + 10 * 60);
  });
});

describe('target tracking', () => {
  it('scales out after 3 of 3 datapoints above target, rounding up', () => {
    // 4 instances at 10 units: demand 30 = 75% vs target 50 -> ceil(4 * 75 / 50) = 6.
    const r = simulate(perMinute(Array(8).fill(30)), { fleet: fleet({ initialCapacity: 4 }), targetTracking: { targetUtilizationPct: 50 } });
    const out = r.actions.find((a) => a.source === 'target-tracking');
    expect(out).toMatchObject({ atSeconds: T0 + 4 * 60, from: 4, to: 6 });
  });

  it('scales in after 15 of 15 below target, rounding the removal down', () => {
    // 10 instances, demand 38 = 38% vs 50: remove floor(10 - 7.6) = 2 -> 8, at minute 16.
    const r = simulate(perMinute(Array(20).fill(38)), { fleet: fleet({ initialCapacity: 10 }), targetTracking: { targetUtilizationPct: 50 } });
    expect(r.actions[0]).toMatchObject({ atSeconds: T0 + 16 * 60, from: 10, to: 8 });
    const off = simulate(perMinute(Array(20).fill(38)), { fleet: fleet({ initialCapacity: 10 }), targetTracking: { targetUtilizationPct: 50, disableScaleIn: true } });
    expect(off.actions).toEqual([]);
  });
});

describe('fleet config', () => {
  it('names the bad value', () => {
    expect(() => simulate(perMinute([1]), { fleet: fleet({ capacityPerInstance: 0 }) })).toThrow(/'capacityPerInstance' must be positive, got 0/);
    expect(() => simulate(perMinute([1]), { fleet: fleet({ minSize: 5, maxSize: 2 }) })).toThrow(/'maxSize' \(2\) is below 'minSize' \(5\)/);
    expect(() => simulate(perMinute([1]), { fleet: fleet({ bootSeconds: 90 }) })).toThrow(/'bootSeconds' must be whole minutes/);
  });
});
