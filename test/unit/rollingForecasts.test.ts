import { describe, expect, it } from 'vitest';
import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import { estimateArma, forecastArma } from '../../models/forecast/arima/armaFilter.ts';
import { loadForecaster } from '../../models/forecast/registry.ts';
import { rollingForecasts } from '../../models/forecast/rollingForecasts.ts';
import { seededRng } from '../../models/random.ts';
import { slice } from '../../models/series/types.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

describe('ARMA filter', () => {
  it('recovers AR(1) coefficients and forecasts their decay with growing variance', () => {
    const rng = seededRng(3);
    const x = new Float64Array(3000);
    for (let t = 1; t < x.length; t++) x[t] = 0.7 * x[t - 1] + (rng() - 0.5);
    const coef = estimateArma(x, { p: 1, d: 0, q: 0 });
    expect(coef.phi[0]).toBeCloseTo(0.7, 1);
    const path = forecastArma(x, coef, 10);
    expect(path.mean[1]).toBeCloseTo(coef.intercept + coef.phi[0] * path.mean[0], 9);
    for (let h = 1; h < 10; h++) expect(path.variance[h]).toBeGreaterThan(path.variance[h - 1]);
    expect(path.variance[0]).toBeCloseTo(1 / 12, 2); // uniform(-0.5, 0.5) innovations
  });

  it("integrates a differenced model: a random walk's forecast stays at the last value", () => {
    const rng = seededRng(4);
    const x = new Float64Array(2000);
    for (let t = 1; t < x.length; t++) x[t] = x[t - 1] + (rng() - 0.5);
    const path = forecastArma(x, estimateArma(x, { p: 1, d: 1, q: 0 }), 5);
    for (const v of path.mean) expect(Math.abs(v - x[x.length - 1])).toBeLessThan(0.2);
    expect(path.variance[4] / path.variance[0]).toBeGreaterThan(3);
  });

  it("lets a fitted ARIMA condition on new data without refitting, and survives a checkpoint", async () => {
    const series = syntheticLoad(16, 8);
    const m = 288;
    const model = await new ArimaForecaster({ conditionMode: 'filter' }).fit(slice(series, 0, 14 * m));
    const orderBefore = model.order;
    await model.condition(slice(series, m, 15 * m));
    expect(model.order).toEqual(orderBefore);
    const conditioned = model.predict(12, [80]);
    const fresh = (await new ArimaForecaster().fit(slice(series, m, 15 * m))).predict(12, [80]);
    const scale = fresh.mean.reduce((s, v) => s + Math.abs(v), 0) / 12;
    const gap = conditioned.mean.reduce((s, v, h) => s + Math.abs(v - fresh.mean[h]), 0) / 12;
    expect(gap / scale).toBeLessThan(0.05);
    const reloaded = loadForecaster(model.toCheckpoint());
    await reloaded.condition(slice(series, 2 * m, 16 * m));
    await model.condition(slice(series, 2 * m, 16 * m));
    expect(reloaded.predict(12, [80])).toEqual(model.predict(12, [80]));
  });
});

describe('rollingForecasts', () => {
  const series = syntheticLoad(5, 9);
  const options = { firstOrigin: 3 * 288, horizonSteps: 6, levels: [80, 95], model: 'arima' as const };

  it('forecasts from every origin to the end, with ordered finite bounds', async () => {
    const r = await rollingForecasts(series, options);
    const origins = series.values.length - options.firstOrigin + 1;
    expect(r.mean.length).toBe(origins * 6);
    expect(r.trainings).toBe(3); // origins span two days plus one step: retrained once a day
    expect(r.failures).toBe(0);
    for (let i = 0; i < r.mean.length; i++) {
      expect(Number.isFinite(r.mean[i])).toBe(true);
      expect(r.lower[95][i]).toBeLessThanOrEqual(r.lower[80][i]);
      expect(r.lower[80][i]).toBeLessThanOrEqual(r.upper[80][i]);
      expect(r.upper[80][i]).toBeLessThanOrEqual(r.upper[95][i]);
    }
  });

  it('is causal: changing values from index t on changes no forecast made at origins up to t', async () => {
    const cut = 4 * 288 + 17;
    const changed = { ...series, values: series.values.map((v, i) => (i >= cut ? v * 5 : v)) };
    const a = await rollingForecasts(series, options);
    const b = await rollingForecasts(changed, options);
    const rows = (cut - options.firstOrigin + 1) * 6;
    expect(Array.from(b.mean.subarray(0, rows))).toEqual(Array.from(a.mean.subarray(0, rows)));
    expect(b.mean[rows]).not.toBe(a.mean[rows]);
  });

  it('stands in seasonal naive where the model cannot fit, and counts it', async () => {
    const r = await rollingForecasts(series, { ...options, firstOrigin: 100, model: 'arima' });
    expect(r.failures).toBeGreaterThan(0);
    expect(r.mean.every(Number.isFinite)).toBe(true);
  });

  it('names a bad origin', async () => {
    await expect(rollingForecasts(series, { ...options, firstOrigin: 0 })).rejects.toThrow(/'firstOrigin' must be within \[1, 1440\], got 0/);
  });
});
