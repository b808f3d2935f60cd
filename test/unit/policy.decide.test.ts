import { describe, expect, it } from 'vitest';
import {
  capacityPath,
  decide,
  instancesToKeep,
  plannedLoad,
  type ForecastPolicy,
  type GroupState,
  type LoadForecast,
} from '../../models/policy/decide.ts';
import { instancesForLoad } from '../../models/policy/capacity.ts';

const policy: ForecastPolicy = {
  kind: 'simple-ceiling',
  capacityPerInstance: 100,
  targetUtilizationPct: 50,
  bootSeconds: 300,
  tickSeconds: 300,
};

/** A 5-minute forecast starting at t=0 whose step h holds `values[h]` load units per interval. */
function forecast(values: number[], upper80 = values.map((v) => v * 2)): LoadForecast {
  return { startSeconds: 0, stepSeconds: 300, kind: 'sum', mean: values, upper: { 80: upper80 } };
}

const group = (over: Partial<GroupState> = {}): GroupState => ({
  minSize: 2,
  maxSize: 50,
  desiredCapacity: 2,
  configuredMinSize: 1,
  scaleOutAlarmActive: false,
  ...over,
});

describe('instancesForLoad', () => {
  it.each([
    [0, 100, 50, 0],
    [50, 100, 50, 1],
    [51, 100, 50, 2],
    [500, 100, 50, 10],
    [500, 100, 100, 5],
    [-3, 100, 50, 0],
  ])('load %d, capacity %d at %d%% -> %d instances', (load, cap, util, expected) => {
    expect(instancesForLoad(load, cap, util)).toBe(expected);
  });

  it('names a bad capacity or utilization', () => {
    expect(() => instancesForLoad(1, 0, 50)).toThrow(/capacityPerInstance.*got 0/);
    expect(() => instancesForLoad(1, 10, 120)).toThrow(/targetUtilizationPct.*got 120/);
  });
});

describe('plannedLoad', () => {
  it('takes the peak over the intervals from now + boot to now + boot + tick, per minute', () => {
    // now = 0: window [300, 600) is step 1 only; per-minute load = value / 5.
    expect(plannedLoad(0, forecast([5000, 1000, 9000]), policy)).toBe(200);
    // now = 60: window [360, 660) overlaps steps 1 and 2.
    expect(plannedLoad(60, forecast([5000, 1000, 9000]), policy)).toBe(1800);
  });

  it('reads the planned percentile from the interval bounds', () => {
    const f: LoadForecast = {
      startSeconds: 0,
      stepSeconds: 300,
      kind: 'sum',
      mean: [0, 1000],
      upper: { 80: [0, 3000] },
      lower: { 50: [0, 500] },
    };
    expect(plannedLoad(0, f, { ...policy, kind: 'quantile', quantilePct: 90 })).toBe(600);
    expect(plannedLoad(0, f, { ...policy, kind: 'quantile', quantilePct: 50 })).toBe(200);
    expect(plannedLoad(0, f, { ...policy, kind: 'quantile', quantilePct: 25 })).toBe(100);
    expect(plannedLoad(0, f, { ...policy, kind: 'quantile', quantilePct: 70 })).toBeCloseTo(200 + (400 / 40) * 20, 9); // between the 50th and the 90th
    expect(() => plannedLoad(0, f, { ...policy, kind: 'quantile', quantilePct: 10 })).toThrow(
      /no bounds around the 10th percentile; it has the 25, 50, 90th/,
    );
  });

  it('reads the upper bound for confidence-aware and adds the buffer for buffered', () => {
    const f = forecast([0, 1000, 0], [0, 3000, 0]);
    expect(plannedLoad(0, f, { ...policy, kind: 'confidence-aware', intervalLevel: 80 })).toBe(600);
    expect(plannedLoad(0, f, { ...policy, kind: 'buffered', bufferPct: 15 })).toBeCloseTo(230, 9);
    expect(() => plannedLoad(0, f, { ...policy, kind: 'confidence-aware', intervalLevel: 95 })).toThrow(
      /no 95% interval/,
    );
  });

  it('uses the last step when the window runs past the forecast', () => {
    expect(plannedLoad(3000, forecast([500, 1000]), policy)).toBe(200);
  });
});

describe('decide: the forecast as a floor', () => {
  it('raises MinSize and desired capacity at once', () => {
    const d = decide(0, forecast([0, 2500]), group(), policy); // 500/min at 100 x 50% -> 10
    expect(d).toMatchObject({ recommendedCapacity: 10, minSize: 10, desiredCapacity: 10 });
    expect(d.reason).toMatch(/raise to 10/);
  });

  it('lowers the floor by at most half (at least one) per tick, desired following when prescale owns it', () => {
    const d = decide(0, forecast([0, 250]), group({ minSize: 30, desiredCapacity: 30 }), policy);
    expect(d.recommendedCapacity).toBe(1);
    expect(d.minSize).toBe(15);
    expect(d.desiredCapacity).toBe(15);
    expect(decide(0, forecast([0, 250]), group({ minSize: 3, desiredCapacity: 3 }), policy).minSize).toBe(2);
    expect(
      decide(0, forecast([0, 250]), group({ minSize: 30, desiredCapacity: 30 }), { ...policy, maxScaleInFraction: 0.1 })
        .minSize,
    ).toBe(27);
  });

  it('leaves capacity the reactive policy added above the floor alone', () => {
    const above = decide(0, forecast([0, 250]), group({ minSize: 10, desiredCapacity: 14 }), policy);
    expect(above.minSize).toBe(5);
    expect(above.desiredCapacity).toBeUndefined();
    const alarming = decide(
      0,
      forecast([0, 250]),
      group({ minSize: 10, desiredCapacity: 10, scaleOutAlarmActive: true }),
      policy,
    );
    expect(alarming.desiredCapacity).toBeUndefined();
  });

  it('keeps what the forecast asks for before new instances could serve: a scale-in now is felt at once', () => {
    // Step 0 (now .. now+5 min) still needs 2500/5 min = 500/min = 10 instances; step 1 only 1.
    const f = forecast([2500, 250]);
    expect(instancesToKeep(0, f, policy)).toBe(10);
    const d = decide(0, f, group({ minSize: 12, desiredCapacity: 12 }), policy);
    expect(d).toMatchObject({ recommendedCapacity: 1, minSize: 10, desiredCapacity: 10 });
  });

  it('never scales in below what the newest observed interval needed at full utilization', () => {
    // The forecast collapses to nothing, but the last 5 minutes carried 1500 = 300/min: 3 instances at 100%.
    const f: LoadForecast = { ...forecast([0, 0]), lastObserved: 1500 };
    expect(instancesToKeep(0, f, policy)).toBe(3);
    expect(decide(0, f, group({ minSize: 4, desiredCapacity: 4 }), policy)).toMatchObject({
      minSize: 3,
      desiredCapacity: 3,
    });
    // Unknown or non-finite observations impose nothing.
    expect(instancesToKeep(0, { ...f, lastObserved: Number.NaN }, policy)).toBe(0);
  });

  it('plans for at least observedFloorPct of the newest observed load', () => {
    const f: LoadForecast = { ...forecast([0, 250]), lastObserved: 2500 }; // forecast 50/min, observed 500/min
    expect(decide(0, f, group(), policy).recommendedCapacity).toBe(1);
    const held = decide(0, f, group(), { ...policy, observedFloorPct: 100 });
    expect(held).toMatchObject({
      recommendedCapacity: 10,
      plannedLoadPerMinute: 500,
      minSize: 10,
      desiredCapacity: 10,
    });
    expect(decide(0, f, group(), { ...policy, observedFloorPct: 50 }).recommendedCapacity).toBe(5);
  });

  it('never goes below the configured minimum or above the maximum', () => {
    expect(
      decide(0, forecast([0, 0]), group({ minSize: 1, desiredCapacity: 1, configuredMinSize: 1 }), policy).minSize,
    ).toBe(1);
    expect(decide(0, forecast([0, 1e9]), group({ maxSize: 20 }), policy)).toMatchObject({
      minSize: 20,
      desiredCapacity: 20,
    });
  });

  it('moves one instance per tick when incremental', () => {
    const up = decide(0, forecast([0, 2500]), group({ minSize: 2, desiredCapacity: 2 }), {
      ...policy,
      kind: 'incremental',
    });
    expect(up).toMatchObject({ recommendedCapacity: 10, minSize: 3, desiredCapacity: 3 });
    const down = decide(0, forecast([0, 0]), group({ minSize: 8, desiredCapacity: 8 }), {
      ...policy,
      kind: 'incremental',
    });
    expect(down.minSize).toBe(7);
  });

  it('does nothing without a forecast and says so', () => {
    const d = decide(0, undefined, group({ minSize: 4, desiredCapacity: 6 }), policy);
    expect(d.minSize).toBe(4);
    expect(d.desiredCapacity).toBeUndefined();
    expect(d.reason).toMatch(/no forecast/);
  });
});

describe('capacityPath', () => {
  it('turns each step of the planned percentile into instances at the target utilization', () => {
    const f: LoadForecast = {
      startSeconds: 0,
      stepSeconds: 300,
      kind: 'sum',
      mean: [500, 1000],
      upper: { 80: [1000, 3000] },
    };
    expect(capacityPath(f, { ...policy, kind: 'quantile', quantilePct: 90 })).toEqual([4, 12]); // 200/min and 600/min at 50 per instance
    expect(capacityPath(f, policy)).toEqual([2, 4]);
  });
});

describe('prescale hedge levels', () => {
  it('plan a percentile at 80% CPU up to 90, then the 90th percentile at lower CPU', async () => {
    const { hedgeSetting } = await import('../../models/policy/defaults.ts');
    const none = { observedPeakSeconds: 0 };
    expect(hedgeSetting(75)).toEqual({ quantilePct: 75, targetUtilizationPct: 80, observedFloorPct: 0, ...none });
    expect(hedgeSetting(90)).toEqual({ quantilePct: 90, targetUtilizationPct: 80, observedFloorPct: 0, ...none });
    expect(hedgeSetting(110)).toEqual({ quantilePct: 90, targetUtilizationPct: 60, observedFloorPct: 100, ...none });
    expect(() => hedgeSetting(0)).toThrow(/hedge must be within \(0, 160\], got 0/);
  });

  it("hold the last hour's peak observed load above 120, then hold longer at 20% CPU up to a day at 160", async () => {
    const { hedgeSetting } = await import('../../models/policy/defaults.ts');
    expect(hedgeSetting(120).observedPeakSeconds).toBe(0);
    expect(hedgeSetting(125)).toEqual({
      quantilePct: 90,
      targetUtilizationPct: 45,
      observedFloorPct: 100,
      observedPeakSeconds: 3600,
    });
    expect(hedgeSetting(150)).toMatchObject({ targetUtilizationPct: 20, observedPeakSeconds: 3600 });
    expect(hedgeSetting(155)).toMatchObject({ targetUtilizationPct: 20, observedPeakSeconds: 45_000 });
    expect(hedgeSetting(160)).toMatchObject({ targetUtilizationPct: 20, observedPeakSeconds: 86_400 });
    expect(() => hedgeSetting(161)).toThrow(/got 161/);
  });

  it('put the fallback 10 points above the planned CPU, at 90% at most', async () => {
    const { prescaleFallback } = await import('../../models/policy/defaults.ts');
    expect(prescaleFallback(80)).toEqual({ scaleOutPct: 90 });
    expect(prescaleFallback(95)).toEqual({ scaleOutPct: 90 });
    expect(prescaleFallback(50)).toEqual({ scaleOutPct: 60 });
  });
});
