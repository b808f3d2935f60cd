import { describe, expect, it } from 'vitest';
import {
  decide,
  instancesToKeep,
  observedLoadPerMinute,
  type ForecastPolicy,
  type GroupState,
  type LoadForecast,
} from '../../models/policy/decide.ts';
import { forecastSource } from '../../models/experiment/forecastSource.ts';
import { recentObservedSteps } from '../../models/policy/loadForecast.ts';

const policy: ForecastPolicy = {
  kind: 'simple-ceiling',
  capacityPerInstance: 100,
  targetUtilizationPct: 50,
  bootSeconds: 300,
  tickSeconds: 300,
};
const group = (over: Partial<GroupState> = {}): GroupState => ({
  minSize: 2,
  maxSize: 50,
  desiredCapacity: 2,
  configuredMinSize: 1,
  scaleOutAlarmActive: false,
  ...over,
});
/** A forecast of `values` per 5-minute interval, the last observed intervals `recent` (oldest first). */
function forecast(values: number[], recent?: number[]): LoadForecast {
  return {
    startSeconds: 0,
    stepSeconds: 300,
    kind: 'sum',
    mean: values,
    upper: {},
    lastObserved: recent?.[recent.length - 1],
    recentObserved: recent,
  };
}

describe('decide: holding what a recent burst needed (observedPeakSeconds)', () => {
  // A burst of 5000 per 5 minutes (1000/min) 40 minutes ago; the last interval carried 500 (100/min).
  const recent = [500, 5000, 500, 500, 500, 500, 500, 500, 500];

  it('reads the peak of the recent intervals within the window, the newest alone without one', () => {
    const f = forecast([500, 500], recent);
    expect(observedLoadPerMinute(f)).toBe(100);
    expect(observedLoadPerMinute(f, 1800)).toBe(100); // the last 6 intervals: no burst
    expect(observedLoadPerMinute(f, 3600)).toBe(1000); // the last 12 (9 known): the burst
    expect(observedLoadPerMinute(forecast([500], undefined), 3600)).toBe(0);
  });

  it('plans for the held peak at the planned CPU and keeps it on a scale-in', () => {
    const f = forecast([500, 500], recent);
    const held = { ...policy, observedFloorPct: 100, observedPeakSeconds: 3600 };
    // 1000/min at 50% of 100 per instance: 20 instances, whatever the forecast says.
    expect(decide(0, f, group(), held)).toMatchObject({ recommendedCapacity: 20, minSize: 20, desiredCapacity: 20 });
    // Without the hold the plan is the newest interval's 100/min: 2 instances.
    expect(decide(0, f, group(), { ...policy, observedFloorPct: 100 }).recommendedCapacity).toBe(2);
    // A scale-in keeps what the held peak needs at full CPU (10), not the newest interval's (1).
    expect(instancesToKeep(0, f, { ...policy, observedPeakSeconds: 3600 })).toBe(10);
    expect(instancesToKeep(0, f, policy)).toBe(2);
  });

  it('ignores non-finite recent values', () => {
    const f = forecast([0, 0], [Number.NaN, 2500, Number.NaN]);
    expect(observedLoadPerMinute(f, 3600)).toBe(500);
  });
});

describe('forecastSource: the recent observed load comes with each forecast', () => {
  it('is the day of intervals before the origin, nothing after it', () => {
    const values = Float64Array.from({ length: 400 }, (_, i) => i);
    const horizon = 2;
    const origins = 10;
    const f = {
      startSeconds: 0,
      stepSeconds: 300,
      kind: 'sum' as const,
      firstOrigin: 300,
      origins,
      horizonSteps: horizon,
      mean: new Float64Array(origins * horizon).fill(1),
      lower: {},
      upper: {},
      observed: values,
    };
    // At 303 intervals + the publishing delay, origin 303 is the newest visible: intervals [15, 303).
    const lf = forecastSource(f, 60).forecastAt(303 * 300 + 60);
    expect(lf?.recentObserved?.length).toBe(recentObservedSteps(300));
    expect(lf?.recentObserved?.[0]).toBe(303 - 288);
    expect(lf?.recentObserved?.[287]).toBe(302);
  });
});
