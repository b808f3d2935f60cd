import { beforeAll, describe, expect, it } from 'vitest';
import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import { NaiveForecaster, SeasonalNaiveForecaster } from '../../models/forecast/baselines.ts';
import { EnsembleForecaster } from '../../models/forecast/ensemble/EnsembleForecaster.ts';
import { CheckpointFormatError, CorruptCheckpointError, NotFittedError } from '../../models/forecast/errors.ts';
import { initTfBackend } from '../../models/forecast/lstm/backend.ts';
import { LstmForecaster } from '../../models/forecast/lstm/LstmForecaster.ts';
import { loadForecaster } from '../../models/forecast/registry.ts';
import { SesForecaster } from '../../models/forecast/SesForecaster.ts';
import type { Checkpoint, Forecaster } from '../../models/forecast/types.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

/** Small settings so the whole contract runs in seconds; production defaults are exercised by the benchmarks. */
const tinyLstm = () =>
  new LstmForecaster({
    windowSteps: 24,
    patchSteps: 3,
    hiddenUnits: 4,
    epochs: 2,
    patience: 1,
    maxTrainingWindows: 400,
  });
const MODELS: Record<string, () => Forecaster> = {
  naive: () => new NaiveForecaster(),
  snaive: () => new SeasonalNaiveForecaster(),
  arima: () => new ArimaForecaster(),
  lstm: tinyLstm,
  ses: () => new SesForecaster(),
  ensemble: () =>
    new EnsembleForecaster({
      members: [
        { name: 'arima', create: () => new ArimaForecaster() },
        { name: 'lstm', create: tinyLstm },
        { name: 'snaive', create: () => new SeasonalNaiveForecaster() },
      ],
      validationStrideSteps: 24,
    }),
};

const history = syntheticLoad(4, 7);
const newer = syntheticLoad(4.5, 8);

function roundTrip(checkpoint: Checkpoint): Checkpoint {
  // Through JSON and fresh byte arrays, as a checkpoint store would.
  const manifest = JSON.parse(JSON.stringify(checkpoint.manifest));
  const blobs = Object.fromEntries(Object.entries(checkpoint.blobs).map(([k, v]) => [k, new Uint8Array(v)]));
  return { manifest, blobs };
}

beforeAll(async () => {
  await initTfBackend();
});

describe.each(Object.keys(MODELS))('forecaster contract: %s', (name) => {
  const create = MODELS[name];

  it('forecasts the requested number of steps with ordered bounds at each level', async () => {
    const model = await create().fit(history, { seed: 3 });
    const forecast = model.predict(24, [80, 95]);
    expect(forecast.mean).toHaveLength(24);
    expect(forecast.intervals.map((i) => i.level)).toEqual([80, 95]);
    const [i80, i95] = forecast.intervals;
    for (let h = 0; h < 24; h++) {
      expect(Number.isFinite(forecast.mean[h])).toBe(true);
      expect(i95.lower[h]).toBeLessThanOrEqual(i80.lower[h]);
      expect(i80.lower[h]).toBeLessThanOrEqual(forecast.mean[h]);
      expect(forecast.mean[h]).toBeLessThanOrEqual(i80.upper[h]);
      expect(i80.upper[h]).toBeLessThanOrEqual(i95.upper[h]);
    }
  });

  it('is deterministic under a seed', async () => {
    const a = (await create().fit(history, { seed: 11 })).predict(12);
    const b = (await create().fit(history, { seed: 11 })).predict(12);
    expect(b).toEqual(a);
  });

  it('predicts exactly the same numbers after a checkpoint round trip', async () => {
    const model = await create().fit(history, { seed: 5 });
    const restored = loadForecaster(roundTrip(model.toCheckpoint()));
    expect(restored.name).toBe(model.name);
    expect(restored.predict(36, [80, 95])).toEqual(model.predict(36, [80, 95]));
  });

  it('conditions a restored model on a newer history like the original', async () => {
    const model = await create().fit(history, { seed: 5 });
    const restored = loadForecaster(roundTrip(model.toCheckpoint()));
    await model.condition(newer);
    await restored.condition(newer);
    expect(restored.predict(12)).toEqual(model.predict(12));
  });

  it('refuses to predict before it is fitted', () => {
    expect(() => create().predict(12)).toThrow(NotFittedError);
  });

  it('rejects a checkpoint with an unknown format version or a damaged blob', async () => {
    const checkpoint = (await create().fit(history, { seed: 1 })).toCheckpoint();
    const future = { ...checkpoint, manifest: { ...checkpoint.manifest, formatVersion: 99 } };
    expect(() => loadForecaster(future)).toThrow(CheckpointFormatError);
    const names = Object.keys(checkpoint.blobs).filter((k) => checkpoint.blobs[k].byteLength > 0);
    if (names.length > 0) {
      const damaged = { ...checkpoint.blobs, [names[0]]: checkpoint.blobs[names[0]].slice(0, -1) };
      expect(() => loadForecaster({ ...checkpoint, blobs: damaged })).toThrow(CorruptCheckpointError);
      const flipped = new Uint8Array(checkpoint.blobs[names[0]]);
      flipped[0] ^= 0xff;
      expect(() => loadForecaster({ ...checkpoint, blobs: { ...checkpoint.blobs, [names[0]]: flipped } })).toThrow(
        CorruptCheckpointError,
      );
    }
  });
});

describe('loadForecaster', () => {
  it('names an unknown model kind', async () => {
    const checkpoint = (await new NaiveForecaster().fit(history)).toCheckpoint();
    expect(() => loadForecaster({ ...checkpoint, manifest: { ...checkpoint.manifest, kind: 'prophet' } })).toThrow(
      /unknown model kind 'prophet'/,
    );
  });
});
