import { describe, expect, it } from 'vitest';
import { evaluateAlarm, MetricAlarm } from '../../models/fleet/alarm.ts';
import { CpuMetric } from '../../models/fleet/CpuMetric.ts';
import type { CpuAlarm } from '../../models/fleet/types.ts';

const alarm = (
  n: number,
  m: number,
  comparison: CpuAlarm['comparison'] = 'GreaterThanOrEqualToThreshold',
): CpuAlarm => ({
  threshold: 50,
  comparison,
  periodSeconds: 60,
  evaluationPeriods: n,
  datapointsToAlarm: m,
});
const _ = NaN; // a missing datapoint

describe('M of N alarm evaluation', () => {
  it.each([
    // [N, M, datapoints oldest first, ALARM?]
    [3, 3, [60, 60, 60], true],
    [3, 3, [60, 40, 60], false],
    [3, 2, [60, 40, 60], true], // 2 of 3 with a gap
    [3, 2, [40, 40, 60], false],
    [3, 2, [60, 60, 40, 40], false], // the oldest breach left the window
    [3, 2, [60, 40, 40, 60], false],
    [3, 1, [40, 40, 50], true], // GreaterThanOrEqual: at the threshold breaches
    [3, 2, [60, 60, _], true], // missing: the two real datapoints before it are evaluated
    [3, 3, [60, 60, _, 60], true], // the N most recent real datapoints, skipping a missing one
    [3, 3, [40, 60, _, 60], false],
    [3, 3, [_, _, _], false], // INSUFFICIENT_DATA is not ALARM
    [3, 2, [60, _, _, _, _, _, 60], false], // the older breach is beyond the evaluation range (2N)
    [3, 2, [60, _, _, _, _, 60], true],
  ])('%d datapoints, %d to alarm, over %j -> %s', (n, m, datapoints, expected) => {
    expect(evaluateAlarm(alarm(n, m), datapoints, datapoints.length - 1).inAlarm).toBe(expected);
  });

  it.each([
    ['GreaterThanThreshold', 50, false],
    ['GreaterThanThreshold', 50.1, true],
    ['GreaterThanOrEqualToThreshold', 50, true],
    ['LessThanThreshold', 50, false],
    ['LessThanThreshold', 49.9, true],
    ['LessThanOrEqualToThreshold', 50, true],
  ] as const)('%s at %d breaches: %s', (comparison, value, expected) => {
    expect(evaluateAlarm(alarm(1, 1, comparison), [value], 0).inAlarm).toBe(expected);
  });

  it('reports the newest real datapoint as the value to scale on', () => {
    expect(evaluateAlarm(alarm(3, 2), [70, 80, _], 2).metricValue).toBe(80);
  });

  it('invokes its action once per new datapoint while in ALARM', () => {
    const a = new MetricAlarm(alarm(2, 2));
    const values = [60, 60, 60, 40];
    const fired = [0, 0, 1, 1, 2, 2, 3, 3].map((newest) => a.poll(values, newest));
    expect(fired).toEqual([false, false, true, false, true, false, false, false]);
  });
});

describe('CPU datapoints', () => {
  const T0 = 1_700_000_400; // on a 5-minute boundary

  it('averages the minutes of each 300-second period, aligned to the clock, and leaves minutes without a warm instance out', () => {
    const metric = new CpuMetric(300, 60, T0 + 120, 10);
    const cpu = [10, 20, 30, 40, 50, NaN, 70, NaN, NaN, NaN];
    cpu.forEach((v, t) => metric.addMinute(T0 + 120 + 60 * t, v));
    // Periods [T0, T0+300) holds minutes 0..2 (partial), [T0+300, T0+600) minutes 3..7, the last one is still open.
    expect(Array.from(metric.values.slice(0, 2))).toEqual([20, (40 + 50 + 70) / 3]);
    expect(metric.values[2]).toBeNaN();
  });

  it('makes a datapoint visible only once its period ended and the publishing delay passed', () => {
    const metric = new CpuMetric(300, 60, T0, 30);
    expect(metric.newestVisible(T0 + 300)).toBe(-1); // period 0 ended, not yet published
    expect(metric.newestVisible(T0 + 359)).toBe(-1);
    expect(metric.newestVisible(T0 + 360)).toBe(0);
    expect(metric.newestVisible(T0 + 659)).toBe(0);
    expect(metric.newestVisible(T0 + 660)).toBe(1);
    const immediate = new CpuMetric(60, 0, T0, 30);
    expect(immediate.newestVisible(T0 + 60)).toBe(0);
  });
});
