import { describe, expect, it } from 'vitest';
import {
  coverage,
  geometricMean,
  mase,
  median,
  relativeWidth,
  seasonalScale,
  smape,
} from '../../models/backtest/metrics.ts';
import { rollingOrigins } from '../../models/backtest/origins.ts';
import { scoreHorizon } from '../../models/backtest/runBacktest.ts';

describe('metrics (docs/backtest-protocol.md §5), hand-computed', () => {
  it('seasonal scale is the in-sample lag-m MAE over n - m terms', () => {
    // m = 2: |3-1| + |5-2| + |4-3| = 6 over 3 terms
    expect(seasonalScale([1, 2, 3, 5, 4], 2)).toBe(2);
  });

  it('MASE divides the forecast MAE by the scale and is undefined for a zero scale', () => {
    expect(mase([10, 12], [11, 10], 2)).toBe(0.75); // MAE (1 + 2) / 2 = 1.5
    expect(mase([1], [2], 0)).toBeUndefined();
  });

  it('sMAPE is 200|y-f|/(|y|+|f|) with 0 for a 0/0 term', () => {
    // terms: 200*2/(10+12) = 18.1818..., 0/0 -> 0
    expect(smape([10, 0], [12, 0])).toBeCloseTo(200 / 11 / 2, 12);
  });

  it('coverage counts bounds inclusively; relative width divides by the window mean', () => {
    expect(coverage([1, 2, 3, 4], [1, 0, 4, 0], [1, 1, 5, 4])).toBe(0.5);
    expect(relativeWidth([0, 2], [4, 4], 3)).toBe(1); // mean width 3 / window mean 3
  });

  it('geometric mean and median', () => {
    expect(geometricMean([1, 4])).toBe(2);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('rolling origins (docs/backtest-protocol.md §2)', () => {
  it('keeps 25 origins on a 14-day 5-minute series and 28 on a long one', () => {
    const short = rollingOrigins(14 * 288, 288);
    expect(short.map((o) => o.j)).toEqual(Array.from({ length: 25 }, (_, i) => i + 4));
    expect(short[0].trainEnd).toBe(14 * 288 - 288 - 24 * 72);
    expect(short.at(-1)).toEqual({ j: 28, trainEnd: 13 * 288, trainFrom: 0 });
    const long = rollingOrigins(40 * 288, 288);
    expect(long).toHaveLength(28);
    expect(long[0].trainEnd - long[0].trainFrom).toBe(14 * 288);
  });
});

describe('scoreHorizon', () => {
  it('pools RMSE over origins and steps and averages the other metrics', () => {
    const m = 4; // a toy 6-hour step: 4 steps per day
    const values = Float64Array.from(Array.from({ length: 40 }, (_, i) => i % 4));
    const series = { startSeconds: 0, stepSeconds: 21_600, values };
    const origins = rollingOrigins(values.length, m);
    const results = origins.map((origin) => ({
      origin,
      elapsedMs: 2,
      failed: false,
      forecast: {
        mean: [1, 1, 1, 1],
        intervals: [80, 95].map((level) => ({ level, lower: [0, 0, 0, 0], upper: [2, 2, 2, 2] })),
      },
    }));
    const row = scoreHorizon('toy', series, 'flat', 'day', results);
    // every origin forecasts 1,1,1,1 against a permutation of 0,1,2,3: squared errors sum to 1+0+1+4 = 6
    expect(row.rmse).toBeCloseTo(Math.sqrt(6 / 4), 12);
    expect(row.cov80).toBe(0.75);
    expect(row.n_origins).toBe(origins.length);
    expect(row.fit_ms_median).toBe(2);
    // the lag-4 in-sample MAE of a period-4 series is 0, so every origin leaves the MASE mean
    expect(row.mase).toBeNaN();
  });
});
