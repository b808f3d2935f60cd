import { describe, expect, it } from 'vitest';
import { NaiveForecaster, SeasonalNaiveForecaster } from '../../models/forecast/baselines.ts';
import { intervalAt, zForLevel } from '../../models/forecast/intervals.ts';

const series = (values: number[]) => ({ startSeconds: 0, stepSeconds: 300, values: Float64Array.from(values) });

describe('naive (docs/backtest-protocol.md §4)', () => {
  it('repeats the last value with intervals widening as sqrt(h)', async () => {
    // one-step differences 2, -1, 3: sigma² = (4 + 1 + 9) / 3 = 14/3
    const f = (await new NaiveForecaster().fit(series([1, 3, 2, 5]))).predict(3, [80]);
    expect(f.mean).toEqual([5, 5, 5]);
    const z = zForLevel(80);
    const i80 = intervalAt(f, 80);
    for (let h = 1; h <= 3; h++) {
      expect(i80.upper[h - 1]).toBeCloseTo(5 + z * Math.sqrt((h * 14) / 3), 12);
      expect(i80.lower[h - 1]).toBeCloseTo(5 - z * Math.sqrt((h * 14) / 3), 12);
    }
  });
});

describe('snaive (docs/backtest-protocol.md §4)', () => {
  it('repeats the last season with a constant interval from lag-m differences', async () => {
    // m = 3: lag-3 differences 3, 3, 6, 0: sigma² = (9 + 9 + 36 + 0) / 4 = 13.5
    const f = (await new SeasonalNaiveForecaster({ seasonSteps: 3 }).fit(series([1, 2, 3, 4, 5, 9, 4]))).predict(
      5,
      [95],
    );
    expect(f.mean).toEqual([5, 9, 4, 5, 9]);
    const half = zForLevel(95) * Math.sqrt(13.5);
    expect(intervalAt(f, 95).upper[0]).toBeCloseTo(5 + half, 12);
    expect(intervalAt(f, 95).lower[4]).toBeCloseTo(9 - half, 12);
  });

  it('uses steps per day as the season by default and needs more than one season', async () => {
    const day = Array.from({ length: 288 }, (_, i) => i);
    const f = (await new SeasonalNaiveForecaster().fit(series([...day, ...day.slice(0, 10)]))).predict(2);
    expect(f.mean).toEqual([10, 11]);
    await expect(new SeasonalNaiveForecaster().fit(series(day))).rejects.toThrow(
      /more than one season \(288 points\), got 288/,
    );
  });
});

describe('zForLevel', () => {
  it('gives the two-sided normal multipliers', () => {
    expect(zForLevel(80)).toBeCloseTo(1.281552, 5);
    expect(zForLevel(95)).toBeCloseTo(1.959964, 5);
    expect(() => zForLevel(100)).toThrow(/got 100/);
  });
});
