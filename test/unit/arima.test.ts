import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import { huberClean, selectOrder } from '../../models/forecast/arima/orderSelection.ts';
import { fitSeasonal, seasonalValue } from '../../models/forecast/arima/seasonality.ts';
import { seededRng } from '../../models/random.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

describe('seasonal regression', () => {
  it('recovers a pure daily cycle exactly, aligned to UTC slots', () => {
    const m = 48;
    const firstSlot = 1000;
    const values = Array.from(
      { length: 4 * m },
      (_, i) => 10 + 3 * Math.sin((2 * Math.PI * ((firstSlot + i) % m)) / m),
    );
    const fit = fitSeasonal(values, firstSlot, { daySteps: m, dailyHarmonics: 2, weeklyHarmonics: 0 });
    expect(fit.coefficients[0]).toBeCloseTo(10, 6);
    expect(fit.coefficients[1]).toBeCloseTo(3, 6);
    expect(seasonalValue(fit, 25 * m + 12)).toBeCloseTo(13, 6); // a quarter of a UTC day: sin = 1
  });
});

describe('order selection', () => {
  it('keeps a stationary AR(1) in levels and finds its autoregression', () => {
    const rng = seededRng(4);
    const ar = new Float64Array(900);
    for (let t = 1; t < 900; t++) ar[t] = 0.5 * ar[t - 1] + rng() - 0.5;
    const order = selectOrder(ar, { maxP: 2, maxD: 1, maxQ: 1 });
    expect(order.d).toBe(0);
    expect(order.p + order.q).toBeGreaterThan(0);
  });
});

describe('Huber cleaning', () => {
  it('shrinks an isolated spike but follows a lasting level shift', () => {
    const rng = seededRng(9);
    const x = Float64Array.from({ length: 400 }, (_, t) => (t >= 300 ? 50 : 10) + (rng() - 0.5));
    x[150] = 200;
    const { cleaned, varianceRatio } = huberClean(x, 3);
    expect(cleaned[150]).toBeLessThan(15);
    expect(cleaned[399]).toBeGreaterThan(49);
    expect(varianceRatio).toBeGreaterThan(1);
  });

  it('takes a run of clipped innovations that ends the history for a level shift', () => {
    const rng = seededRng(9);
    const x = Float64Array.from({ length: 400 }, (_, t) => (t >= 396 ? -30 : 0) + (rng() - 0.5));
    const { cleaned, levelShift } = huberClean(x, 3);
    // The cleaned series stays at the old level; the shift moves a forecast to the new one.
    expect(Math.abs(cleaned[399])).toBeLessThan(2);
    expect(levelShift).toBeGreaterThan(-31);
    expect(levelShift).toBeLessThan(-29);
    // One spike at the end is still a spike.
    x.fill(0, 396);
    x[399] = 30;
    expect(huberClean(x, 3).levelShift).toBe(0);
  });

  it('stays within the range of its input when the fitted AR is explosive', () => {
    // Deseasonalised Twitter_volume_AAPL before 2015-03-05 (the 864 values before origin 4962):
    // the cleaning used to run away to 1e16 here, and ARIMA forecast 6e14 mentions.
    const x = Float64Array.from(
      JSON.parse(readFileSync(new URL('../fixtures/huberExplosiveAr.json', import.meta.url), 'utf8')) as number[],
    );
    const span = Math.max(...x) - Math.min(...x);
    const { cleaned } = huberClean(x, 3);
    for (const v of cleaned) {
      expect(v).toBeGreaterThanOrEqual(Math.min(...x) - 2 * span);
      expect(v).toBeLessThanOrEqual(Math.max(...x) + 2 * span);
    }
  });
});

describe('ArimaForecaster', () => {
  it('forecasts from the new level after a shift a few steps before the end', async () => {
    const series = syntheticLoad(4, 5);
    const values = Float64Array.from(series.values);
    for (let t = values.length - 4; t < values.length; t++) values[t] -= 80;
    const forecast = (await new ArimaForecaster().fit({ ...series, values })).predict(3, [80]);
    const last = values[values.length - 1];
    for (const f of forecast.mean) expect(Math.abs(f - last)).toBeLessThan(20);
  });

  it('follows the daily cycle of a seasonal series better than its mean', async () => {
    const series = syntheticLoad(6, 2);
    const fitPart = { ...series, values: series.values.slice(0, 5 * 288) };
    const forecast = (await new ArimaForecaster().fit(fitPart)).predict(288, [80]);
    const actual = series.values.slice(5 * 288);
    const mean = fitPart.values.reduce((a, b) => a + b, 0) / fitPart.values.length;
    let modelError = 0,
      meanError = 0;
    for (let h = 0; h < 288; h++) {
      modelError += Math.abs(actual[h] - forecast.mean[h]);
      meanError += Math.abs(actual[h] - mean);
    }
    expect(modelError).toBeLessThan(0.2 * meanError);
  });

  it('names bad hyperparameters and a too-short history', async () => {
    expect(() => new ArimaForecaster({ maxP: -1 })).toThrow(/'maxP' must be a non-negative integer, got -1/);
    await expect(new ArimaForecaster().fit(syntheticLoad(0.5))).rejects.toThrow(
      /at least one day \(288 points\), got 144/,
    );
  });
});
