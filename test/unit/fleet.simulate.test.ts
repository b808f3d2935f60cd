import { describe, expect, it } from 'vitest';
import { simulate } from '../../models/fleet/runSimulation.ts';
import type {
  Controller,
  FleetConfig,
  GroupUpdate,
  GroupView,
  SimulationSetup,
  StepScalingPolicy,
} from '../../models/fleet/types.ts';

const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const perMinute = (values: number[]) => ({ startSeconds: T0, stepSeconds: 60, values });
const fleet = (over: Partial<FleetConfig> = {}): FleetConfig => ({
  capacityPerInstance: 10,
  minSize: 1,
  maxSize: 50,
  ...over,
});
const minuteOf = (atSeconds: number) => (atSeconds - T0) / 60;

/** A controller that applies the given update at the given minutes only, and records what it saw. */
function scripted(updates: Record<number, GroupUpdate>, seen: GroupView[] = []): Controller {
  return { name: 'script', tickSeconds: 60, tick: (view) => (seen.push(view), updates[minuteOf(view.nowSeconds)]) };
}

const scaleOut = (over: Partial<StepScalingPolicy['alarm']> = {}): StepScalingPolicy => ({
  alarm: {
    threshold: 50,
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: 60,
    evaluationPeriods: 1,
    ...over,
  },
  adjustmentType: 'PercentChangeInCapacity',
  steps: [
    { lowerBound: 0, upperBound: 10, adjustment: 0 },
    { lowerBound: 10, upperBound: 20, adjustment: 10 },
    { lowerBound: 20, adjustment: 30 },
  ],
});
const plusOne = (over: Partial<StepScalingPolicy['alarm']> = {}): StepScalingPolicy => ({
  ...scaleOut(over),
  adjustmentType: 'ChangeInCapacity',
  steps: [{ lowerBound: 0, adjustment: 1 }],
});
const scaleIn = (over: Partial<StepScalingPolicy['alarm']> = {}): StepScalingPolicy => ({
  alarm: { threshold: 30, comparison: 'LessThanOrEqualToThreshold', periodSeconds: 60, evaluationPeriods: 1, ...over },
  adjustmentType: 'ChangeInCapacity',
  steps: [{ upperBound: 0, adjustment: -1 }],
});
const never = scaleIn({ threshold: -1 });

describe('instances and demand', () => {
  it('booting instances do not serve; launched ones serve after bootSeconds', () => {
    const r = simulate(perMinute(Array(14).fill(25)), {
      fleet: fleet({ initialCapacity: 1 }),
      controllers: [scripted({ 0: { desiredCapacity: 3 } })],
    });
    expect(Array.from(r.servingCount)).toEqual([1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    expect(Array.from(r.billedCount)).toEqual(Array(14).fill(3));
    expect(r.served[0]).toBe(10); // 25 demanded, one instance serves 10
    expect(r.served[5]).toBe(25);
    expect(r.cpuPct[0]).toBe(100);
    expect(r.cpuPct[5]).toBeCloseTo((100 * 25) / 30, 9);
  });

  it('reports CPU 100 with demand and nothing serving, 0 with neither', () => {
    const r = simulate(perMinute([5, 0, 5]), { fleet: fleet({ minSize: 0, initialCapacity: 0 }) });
    expect(Array.from(r.cpuPct)).toEqual([100, 0, 100]);
    expect(Array.from(r.served)).toEqual([0, 0, 0]);
  });

  it.each([
    [60, [7, 8], [7, 8]],
    [300, [500, 1000], [...Array(5).fill(100), ...Array(5).fill(200)]],
    [900, [90], Array(15).fill(6)],
  ])('holds a %d-second trace constant within its interval', (stepSeconds, values, demand) => {
    const r = simulate({ startSeconds: T0, stepSeconds, values }, { fleet: fleet({ initialCapacity: 20 }) });
    expect(Array.from(r.demand)).toEqual(demand);
    expect(r.minutes).toBe(demand.length);
  });

  it('bills 60 s per instance-minute; terminates booting instances before serving ones', () => {
    const r = simulate(perMinute(Array(4).fill(5)), {
      fleet: fleet({ initialCapacity: 2 }),
      controllers: [scripted({ 0: { desiredCapacity: 5 }, 1: { desiredCapacity: 3 } })],
    });
    expect(Array.from(r.billedSeconds)).toEqual([300, 180, 180, 180]);
    expect(Array.from(r.servingCount)).toEqual([2, 2, 2, 2]);
  });

  it('terminates warming instances before warm ones', () => {
    const seen: GroupView[] = [];
    const r = simulate(perMinute(Array(5).fill(5)), {
      fleet: fleet({ initialCapacity: 2, bootSeconds: 60 }),
      controllers: [scripted({ 0: { desiredCapacity: 4 }, 3: { desiredCapacity: 3 } }, seen)],
    });
    // Launched at 0, serving (warming) from 1; one of them goes at 3.
    expect(Array.from(r.servingCount)).toEqual([2, 4, 4, 3, 3]);
    expect(Array.from(r.billedCount)).toEqual([4, 4, 4, 3, 3]);
    expect([seen[4].warmingCount, seen[4].inServiceCount]).toEqual([1, 2]);
  });
});

describe('controllers', () => {
  it('raise desired capacity to a new MinSize and clamp desired capacity to [MinSize, MaxSize]', () => {
    const r = simulate(perMinute(Array(5).fill(5)), {
      fleet: fleet({ maxSize: 6 }),
      controllers: [
        scripted({
          1: { minSize: 4, reason: 'floor' },
          2: { desiredCapacity: 2 },
          3: { desiredCapacity: 99 },
          4: { minSize: 1, desiredCapacity: 2 },
        }),
      ],
    });
    expect(Array.from(r.minSize)).toEqual([1, 4, 4, 4, 1]);
    expect(Array.from(r.desiredCapacity)).toEqual([1, 4, 4, 6, 2]);
    expect(r.actions.map((a) => [minuteOf(a.atSeconds), a.source, a.from, a.to, a.reason])).toEqual([
      [1, 'controller', 1, 4, 'floor'],
      [3, 'controller', 4, 6, 'script'],
      [4, 'controller', 6, 2, 'script'],
    ]);
  });

  it('run every tickSeconds from the start and see the group as it is', () => {
    const seen: GroupView[] = [];
    const recorder: Controller = { name: 'rec', tickSeconds: 300, tick: (view) => void seen.push(view) };
    simulate(perMinute(Array(12).fill(5)), {
      fleet: fleet({ minSize: 2, initialCapacity: 3 }),
      controllers: [recorder, scripted({ 0: { desiredCapacity: 5 } })],
    });
    expect(seen.map((v) => minuteOf(v.nowSeconds))).toEqual([0, 5, 10]);
    expect(
      seen.map((v) => [v.bootingCount, v.warmingCount, v.inServiceCount, v.desiredCapacity, v.configuredMinSize]),
    ).toEqual([
      [0, 0, 3, 3, 2],
      [0, 2, 3, 5, 2],
      [0, 0, 5, 5, 2],
    ]);
  });

  it('act before the alarms in the same minute; they see the scale-out alarm state as of the previous evaluation', () => {
    // AWS's warm-up example below: the policy sets 13 at minute 4; a controller set 12 first that minute.
    const seen: GroupView[] = [];
    const r = simulate(perMinute([60, 62, 70, 70, 70]), {
      fleet: fleet({ initialCapacity: 10 }),
      reactive: { scaleOut: scaleOut(), scaleIn: never },
      controllers: [scripted({ 4: { desiredCapacity: 12 } }, seen)],
    });
    expect(r.actions.map((a) => [minuteOf(a.atSeconds), a.source, a.from, a.to])).toEqual([
      [2, 'scale-out-policy', 10, 11],
      [4, 'controller', 11, 12],
      [4, 'scale-out-policy', 12, 13],
    ]);
    expect(seen.map((v) => v.scaleOutAlarmActive)).toEqual([false, false, false, true, true]);
  });
});

describe('alarms and step scaling', () => {
  it("reproduces AWS's warm-up example: 60% -> 11; 62% while warming -> still 11; 70% while warming -> 13", () => {
    // 10 warm instances of 10 units: demand 60, 62, 70 gives those CPU values while the new instance boots.
    const r = simulate(perMinute([60, 62, 70, 70, 70]), {
      fleet: fleet({ initialCapacity: 10 }),
      reactive: { scaleOut: scaleOut(), scaleIn: never },
    });
    // Minute m's datapoint is published 60 s after it ends: acted on at minute m + 2.
    expect(Array.from(r.desiredCapacity)).toEqual([10, 10, 11, 11, 13]);
  });

  it.each([
    // [periodSeconds, metricDelaySeconds, minute of the first scale-out]; the breach starts at minute 10.
    [60, 0, 11],
    [60, 60, 12],
    [60, 180, 14],
    [300, 0, 15],
    [300, 60, 16],
    [300, 120, 17],
  ])('with %d-second periods and a %d-second delay, acts at minute %d', (periodSeconds, metricDelaySeconds, minute) => {
    const demand = [...Array(10).fill(20), ...Array(12).fill(90)]; // 4 instances: 50%, then 100% from minute 10
    const r = simulate(perMinute(demand), {
      fleet: fleet({ initialCapacity: 4, metricDelaySeconds }),
      reactive: {
        scaleOut: plusOne({ periodSeconds, threshold: 70 }),
        scaleIn: scaleIn({ periodSeconds, threshold: -1 }),
      },
    });
    expect(minuteOf(r.actions[0].atSeconds)).toBe(minute);
  });

  it('goes to ALARM when M of the last N datapoints breach, and acts again each period while in ALARM', () => {
    const demand = [2, 6, 2, 6, 2, 2, 2, 2]; // one instance of 10 units: 20%, 60%, 20%, 60%, 20%...
    const run = (datapointsToAlarm: number) =>
      simulate(perMinute(demand), {
        fleet: fleet({ initialCapacity: 1, bootSeconds: 0, warmupSeconds: 0, metricDelaySeconds: 0 }),
        reactive: { scaleOut: plusOne({ evaluationPeriods: 3, datapointsToAlarm }), scaleIn: never },
      });
    // Minute m is visible at m + 1: at minute 4 the window is m1..m3 = 60, 20, 60 (2 of 3 with a gap).
    // At minute 5, m2..m4 = 20, 60, 20 (with 2 instances: 10%): 1 of 3, OK.
    expect(run(2).actions.map((a) => [minuteOf(a.atSeconds), a.to])).toEqual([[4, 2]]);
    expect(run(3).actions).toEqual([]);
    const held = simulate(perMinute(Array(4).fill(100)), {
      fleet: fleet({ initialCapacity: 1, bootSeconds: 0, warmupSeconds: 0, metricDelaySeconds: 0, maxSize: 3 }),
      reactive: { scaleOut: plusOne(), scaleIn: never },
    });
    expect(held.actions.map((a) => [minuteOf(a.atSeconds), a.to])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(Array.from(held.servingCount)).toEqual([1, 2, 3, 3]); // with no boot time, a launch serves in its own minute
  });

  it('leaves warming instances out of the metric: no warm instance, no datapoint, no alarm', () => {
    const r = simulate(perMinute(Array(16).fill(30)), {
      fleet: fleet({ minSize: 0, initialCapacity: 0 }),
      reactive: { scaleOut: plusOne(), scaleIn: never },
      controllers: [scripted({ 0: { desiredCapacity: 1 } })],
    });
    // Booting 0-4 (CPU 100, not published), warming 5-9 (serving, not published), warm from 10:
    // the first datapoint is minute 10's, visible at 12.
    const firstPolicy = r.actions.find((a) => a.source === 'scale-out-policy');
    expect(firstPolicy === undefined ? undefined : minuteOf(firstPolicy.atSeconds)).toBe(12);
    expect(r.servingCount[5]).toBe(1);
  });

  it('treats a scale-out decided earlier in the same minute as in progress: the scale-in waits', () => {
    // Overlapping alarms at 55%: scale out at >= 50, scale in at <= 60; both fire every minute from minute 2.
    const r = simulate(perMinute(Array(6).fill(55)), {
      fleet: fleet({ initialCapacity: 10 }),
      reactive: { scaleOut: plusOne(), scaleIn: scaleIn({ threshold: 60 }) },
    });
    expect(r.actions.map((a) => [minuteOf(a.atSeconds), a.source, a.to])).toEqual([[2, 'scale-out-policy', 11]]);
  });

  it('blocks policy scale-in while any instance boots or warms up', () => {
    // 4 warm instances at 20% CPU: the scale-in alarm (<= 30%) fires from minute 2.
    const run = (controllers: Controller[]) =>
      simulate(perMinute(Array(16).fill(8)), {
        fleet: fleet({ initialCapacity: 4 }),
        reactive: { scaleOut: scaleOut({ threshold: 99 }), scaleIn: scaleIn() },
        controllers,
      });
    const first = (setup: ReturnType<typeof run>) =>
      minuteOf(setup.actions.find((a) => a.source === 'scale-in-policy')?.atSeconds ?? NaN);
    expect(first(run([]))).toBe(2);
    // A launch at minute 0 boots until 5 and warms until 10.
    expect(first(run([scripted({ 0: { desiredCapacity: 5 } })]))).toBe(10);
  });
});

describe('validation', () => {
  it.each([
    [{ fleet: fleet({ capacityPerInstance: 0 }) }, /fleet 'capacityPerInstance' must be positive, got 0/],
    [{ fleet: fleet({ minSize: 5, maxSize: 2 }) }, /'maxSize' \(2\) is below 'minSize' \(5\)/],
    [{ fleet: fleet({ bootSeconds: 90 }) }, /'bootSeconds' must be whole minutes.*got 90/],
    [{ fleet: fleet({ metricPeriodSeconds: 120 }) }, /'metricPeriodSeconds' must be 60 or 300, got 120/],
    [{ fleet: fleet({ initialCapacity: 99 }) }, /'initialCapacity' must be within \[1, 50\], got 99/],
    [
      { fleet: fleet({ metricPeriodSeconds: 300 }), reactive: { scaleOut: plusOne(), scaleIn: never } },
      /reactive.scaleOut alarm 'periodSeconds' is 60 but .* every 300 s/,
    ],
    [
      {
        fleet: fleet(),
        reactive: { scaleOut: plusOne({ datapointsToAlarm: 4, evaluationPeriods: 3 }), scaleIn: never },
      },
      /'datapointsToAlarm' must be within \[1, evaluationPeriods=3\], got 4/,
    ],
    [
      { fleet: fleet(), reactive: { scaleOut: never, scaleIn: never } },
      /reactive.scaleOut alarm 'comparison' must be a greater-than operator/,
    ],
    [
      { fleet: fleet(), targetTracking: { targetUtilizationPct: 0 } },
      /'targetUtilizationPct' must be within \(0, 100\], got 0/,
    ],
    [
      { fleet: fleet(), controllers: [{ name: 'x', tickSeconds: 90, tick: () => undefined }] },
      /controller 'x' 'tickSeconds' must be whole minutes, got 90/,
    ],
    [
      { fleet: fleet(), controllers: [scripted({ 0: { desiredCapacity: 2.5 } })] },
      /controller 'script' set 'desiredCapacity' to 2.5/,
    ],
  ] as [SimulationSetup, RegExp][])('names the bad value (%#)', (setup, message) => {
    expect(() => simulate(perMinute([1]), setup)).toThrow(message);
  });

  it('checks the trace', () => {
    expect(() => simulate({ startSeconds: T0, stepSeconds: 90, values: [1] }, { fleet: fleet() })).toThrow(
      /'stepSeconds' must be whole minutes, got 90/,
    );
    expect(() => simulate(perMinute([1, NaN]), { fleet: fleet() })).toThrow(
      /trace value 1 must be a non-negative number, got NaN/,
    );
  });
});

describe('target tracking scale-in pacing', () => {
  it('waits for a fresh window of datapoints before scaling in again', () => {
    // 20 instances at 20% CPU against a 50% target scale in to 8; the load then falls further,
    // but the next scale-in waits until 15 datapoints measured after the first (plus the delay),
    // rather than acting again on the stale 20% datapoints still in the window.
    const demand = [...Array(20).fill(40), ...Array(60).fill(10)];
    const r = simulate(perMinute(demand), {
      fleet: fleet({ initialCapacity: 20 }),
      targetTracking: { targetUtilizationPct: 50 },
    });
    const ins = r.actions.filter((a) => a.source === 'target-tracking' && a.to < a.from);
    expect(ins.length).toBeGreaterThanOrEqual(2);
    expect(ins[0]).toMatchObject({ from: 20, to: 8 });
    for (let k = 1; k < ins.length; k++)
      expect(ins[k].atSeconds - ins[k - 1].atSeconds).toBeGreaterThanOrEqual(16 * 60);
  });
});
