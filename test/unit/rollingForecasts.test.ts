import { describe, expect, it } from 'vitest';
import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import { estimateArma, forecastArma } from '../../models/forecast/arima/armaFilter.ts';
import { NaiveForecaster } from '../../models/forecast/baselines.ts';
import { EnsembleForecaster } from '../../models/forecast/ensemble/EnsembleForecaster.ts';
import { LstmForecaster } from '../../models/forecast/lstm/LstmForecaster.ts';
import { loadForecaster } from '../../models/forecast/registry.ts';
import { forecastAt, rollingForecasts, type RollingForecasts } from '../../models/forecast/rollingForecasts.ts';
import { seededRng } from '../../models/random.ts';
import { slice } from '../../models/series/types.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

const relativeGap = (a: readonly number[], b: readonly number[]) =>
  a.reduce((s, v, h) => s + Math.abs(v - b[h]), 0) / a.reduce((s, v) => s + Math.abs(v), 0);

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

  it('recovers an ARMA(1, 1) by least conditional squares, MA part included', () => {
    const rng = seededRng(5);
    const x = new Float64Array(3000);
    let previous = 0;
    for (let t = 1; t < x.length; t++) {
      const e = rng() - 0.5;
      x[t] = 0.5 * x[t - 1] + e + 0.6 * previous;
      previous = e;
    }
    const coef = estimateArma(x, { p: 1, d: 0, q: 1 });
    expect(coef.phi[0]).toBeCloseTo(0.5, 1);
    expect(coef.theta[0]).toBeCloseTo(0.6, 1);
    expect(coef.sigma2).toBeCloseTo(1 / 12, 2);
  });

  it("integrates a differenced model: a random walk's forecast stays at the last value", () => {
    const rng = seededRng(4);
    const x = new Float64Array(2000);
    for (let t = 1; t < x.length; t++) x[t] = x[t - 1] + (rng() - 0.5);
    const path = forecastArma(x, estimateArma(x, { p: 1, d: 1, q: 0 }), 5);
    for (const v of path.mean) expect(Math.abs(v - x[x.length - 1])).toBeLessThan(0.2);
    expect(path.variance[4] / path.variance[0]).toBeGreaterThan(3);
  });
});

describe("ARIMA's 'filter' condition", () => {
  const m = 288;
  const series = syntheticLoad(16, 8);

  it("conditioned on its own training window, reproduces the fit's forecast", async () => {
    const window = slice(series, 0, 14 * m);
    const model = await new ArimaForecaster({ conditionMode: 'filter' }).fit(window);
    const fitted = model.predict(12, [80]);
    await model.condition(window);
    const conditioned = model.predict(12, [80]);
    expect(relativeGap(conditioned.mean, fitted.mean)).toBeLessThan(0.01);
    const width = (f: typeof fitted) => f.intervals[0].upper[0] - f.intervals[0].lower[0];
    expect(width(conditioned) / width(fitted)).toBeCloseTo(1, 1);
  });

  it('follows new data without refitting, close to a refit, and survives a checkpoint', async () => {
    const model = await new ArimaForecaster({ conditionMode: 'filter' }).fit(slice(series, 0, 14 * m));
    const orderBefore = model.order;
    await model.condition(slice(series, m, 15 * m));
    expect(model.order).toEqual(orderBefore);
    const fresh = (await new ArimaForecaster().fit(slice(series, m, 15 * m))).predict(12, [80]);
    expect(relativeGap(model.predict(12, [80]).mean, fresh.mean)).toBeLessThan(0.05);
    const reloaded = loadForecaster(model.toCheckpoint());
    await reloaded.condition(slice(series, 2 * m, 16 * m));
    await model.condition(slice(series, 2 * m, 16 * m));
    expect(reloaded.predict(12, [80])).toEqual(model.predict(12, [80]));
  });

  it('refits after all when the new data have left the fit behind (a level shift)', async () => {
    const model = await new ArimaForecaster({ conditionMode: 'filter' }).fit(slice(series, 0, 14 * m));
    const shifted = slice(series, 12, 14 * m + 12);
    const values = shifted.values.map((v, i) => (i >= shifted.values.length - 12 ? v + 60 : v));
    await model.condition({ ...shifted, values });
    const fresh = (await new ArimaForecaster({ conditionMode: 'filter' }).fit({ ...shifted, values })).predict(
      12,
      [80],
    );
    expect(model.predict(12, [80])).toEqual(fresh);
    expect(() => new ArimaForecaster({ refitBiasZ: 0 })).toThrow(/'refitBiasZ' must be positive, got 0/);
  });

  it("leaves the default 'refit' mode refitting on every condition", async () => {
    const model = await new ArimaForecaster().fit(slice(series, 0, 14 * m));
    await model.condition(slice(series, m, 15 * m));
    const fresh = (await new ArimaForecaster().fit(slice(series, m, 15 * m))).predict(12, [80]);
    expect(model.predict(12, [80])).toEqual(fresh);
  });
});

function expectWellFormed(r: RollingForecasts, points: number): void {
  expect(r.origins).toBe(points - r.firstOrigin + 1);
  expect(r.mean.length).toBe(r.origins * r.horizonSteps);
  for (let i = 0; i < r.mean.length; i++) {
    expect(Number.isFinite(r.mean[i])).toBe(true);
    for (let l = 1; l < r.levels.length; l++) {
      expect(r.lower[r.levels[l]][i]).toBeLessThanOrEqual(r.lower[r.levels[l - 1]][i]);
      expect(r.upper[r.levels[l - 1]][i]).toBeLessThanOrEqual(r.upper[r.levels[l]][i]);
    }
    expect(r.lower[r.levels[0]][i]).toBeLessThanOrEqual(r.upper[r.levels[0]][i]);
  }
}

/** Rows of the forecasts made at origins up to and including `last`. */
function rowsUpTo(r: RollingForecasts, last: number): number[] {
  return Array.from(r.mean.subarray(0, (last - r.firstOrigin + 1) * r.horizonSteps));
}

describe('rollingForecasts with ARIMA (5-minute data)', () => {
  const series = syntheticLoad(5, 9);
  const options = { firstOrigin: 3 * 288, horizonSteps: 6, levels: [80, 95], model: 'arima' as const };

  it('forecasts from every origin to the end, with ordered finite bounds', async () => {
    const r = await rollingForecasts(series, options);
    expectWellFormed(r, series.values.length);
    expect(r.trainings).toBe(3); // origins span two days plus one step: retrained once a day
    expect(r.failures).toBe(0);
    expect(r.weights).toBeUndefined();
    const last = forecastAt(r, series.values.length);
    expect(Array.from(last.mean)).toEqual(Array.from(r.mean.subarray(r.mean.length - 6)));
    expect(() => forecastAt(r, options.firstOrigin - 1)).toThrow(
      /origin must be an integer within \[864, 1440\], got 863/,
    );
  });

  it('is causal: changing values from index t on changes no forecast made at origins up to t', async () => {
    const cut = 4 * 288 + 17;
    const changed = { ...series, values: series.values.map((v, i) => (i >= cut ? v * 5 : v)) };
    const a = await rollingForecasts(series, options);
    const b = await rollingForecasts(changed, options);
    expect(rowsUpTo(b, cut)).toEqual(rowsUpTo(a, cut));
    expect(forecastAt(b, cut + 1).mean[0]).not.toBe(forecastAt(a, cut + 1).mean[0]);
  });

  it('stands in seasonal naive (naive on a day or less) while the history is too short, then starts the model', async () => {
    const r = await rollingForecasts(series, { ...options, firstOrigin: 1 });
    expectWellFormed(r, series.values.length);
    // ARIMA needs a day: origins 1..287 are stood in for, and training is retried until it fits.
    expect(r.failures).toBe(287);
    expect(r.trainings).toBe(5); // at 288, 576, 864, 1152, 1440
  });

  it('names a bad origin', async () => {
    await expect(rollingForecasts(series, { ...options, firstOrigin: 0 })).rejects.toThrow(
      /'firstOrigin' must be within \[1, 1440\], got 0/,
    );
  });
});

describe('rollingForecasts with a tiny ensemble (hourly data)', () => {
  const series = syntheticLoad(12, 11, 3600);
  const tinyEnsemble = () =>
    new EnsembleForecaster({
      members: [
        { name: 'arima', create: () => new ArimaForecaster({ conditionMode: 'filter' }) },
        {
          name: 'lstm',
          create: () =>
            new LstmForecaster({
              windowSteps: 12,
              patchSteps: 3,
              hiddenUnits: 4,
              horizonSteps: 6,
              epochs: 3,
              warmStartEpochs: 1,
              batchSize: 64,
              profileDays: 3,
            }),
        },
        { name: 'naive', create: () => new NaiveForecaster() },
      ],
      validatedSteps: 6,
      validationStrideSteps: 2,
    });
  const options = { firstOrigin: 8 * 24, horizonSteps: 6, levels: [50, 80, 95], seed: 3, createModel: tinyEnsemble };

  it('is causal, deterministic under a seed, well formed, and reports the weights of each training', async () => {
    const a = await rollingForecasts(series, options);
    expectWellFormed(a, series.values.length);
    expect(a.failures).toBe(0);
    expect(a.trainings).toBe(5);
    expect(a.weights?.map((w) => w.origin)).toEqual([192, 216, 240, 264, 288]);
    for (const { weights } of a.weights ?? [])
      expect(Object.values(weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 9);

    const again = await rollingForecasts(series, options);
    expect(Array.from(again.mean)).toEqual(Array.from(a.mean));
    expect(Array.from(again.upper[95])).toEqual(Array.from(a.upper[95]));

    const cut = 10 * 24 + 5; // after the third training, before the fourth
    const changed = { ...series, values: series.values.map((v, i) => (i >= cut ? v + 50 : v)) };
    const b = await rollingForecasts(changed, options);
    expect(rowsUpTo(b, cut)).toEqual(rowsUpTo(a, cut));
    expect(Array.from(b.upper[80].subarray(0, (cut - options.firstOrigin + 1) * 6))).toEqual(
      Array.from(a.upper[80].subarray(0, (cut - options.firstOrigin + 1) * 6)),
    );
    expect(forecastAt(b, cut + 1).mean[0]).not.toBe(forecastAt(a, cut + 1).mean[0]);
  }, 60_000);

  it('falls back, counted, while the history is too short for the ensemble to validate, then starts it', async () => {
    // This ensemble validates on a third of the history and needs 6 + 5 * 2 = 16 points there: 48 in all.
    const r = await rollingForecasts(slice(series, 0, 3 * 24), { ...options, firstOrigin: 30 });
    expectWellFormed(r, 3 * 24);
    expect(r.failures).toBe(48 - 30);
    expect(r.weights?.[0].origin).toBe(48);
  }, 30_000);
});
