import { describe, expect, it } from 'vitest';
import { InsufficientHistoryError } from '../../models/forecast/errors.ts';
import { loadForecaster } from '../../models/forecast/registry.ts';
import { SesForecaster } from '../../models/forecast/SesForecaster.ts';
import type { RegularSeries } from '../../models/series/types.ts';

const STEP = 300;
const M = 288;

/** A daily sine around `level`, with `spike` added to the last value. */
function series(days: number, level: (t: number) => number, spike = 0): RegularSeries {
  const n = days * M;
  const values = Float64Array.from({ length: n }, (_, t) => level(t) + 10 * Math.sin((2 * Math.PI * t) / M));
  values[n - 1] += spike;
  return { startSeconds: 1_700_000_000 - (1_700_000_000 % 86_400), stepSeconds: STEP, values };
}

describe('SesForecaster', () => {
  it('forecasts the daily profile on top of the current level after a level shift', async () => {
    const shifted = series(8, (t) => (t < 7 * M ? 50 : 80));
    const model = await new SesForecaster().fit(shifted);
    const f = model.predict(12, [80]);
    for (let h = 0; h < 12; h++) {
      const t = 8 * M + h;
      expect(f.mean[h]).toBeCloseTo(80 + 10 * Math.sin((2 * Math.PI * t) / M), 0);
    }
  });

  it('does not follow a single spike at the origin as the last value does', async () => {
    const spiky = series(8, () => 50, 500);
    const f = (await new SesForecaster().fit(spiky)).predict(3, [80]);
    // The chosen smoothing constant is small on a series this regular: the spike moves the level little.
    expect(Math.abs(f.mean[0] - 50 - 10 * Math.sin((2 * Math.PI * 8 * M) / M))).toBeLessThan(60);
  });

  it('round-trips through its checkpoint and refuses less than a day', async () => {
    const model = await new SesForecaster({ fitDays: 2 }).fit(series(3, (t) => 20 + t / 100));
    const copy = loadForecaster(model.toCheckpoint());
    expect(copy.predict(300, [80, 95])).toEqual(model.predict(300, [80, 95]));
    await expect(new SesForecaster().fit(series(1, () => 1))).rejects.toBeInstanceOf(InsufficientHistoryError);
    expect(() => new SesForecaster({ alphas: [] })).toThrow(RangeError);
  });
});
