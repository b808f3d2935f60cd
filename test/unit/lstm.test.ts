import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointFormatError,
  CorruptCheckpointError,
  InsufficientHistoryError,
  NotFittedError,
} from '../../models/forecast/errors.ts';
import { initTfBackend } from '../../models/forecast/lstm/backend.ts';
import { LstmForecaster, type LstmProps } from '../../models/forecast/lstm/LstmForecaster.ts';
import type { Checkpoint } from '../../models/forecast/types.ts';
import { seededRng } from '../../models/random.ts';
import type { RegularSeries } from '../../models/series/types.ts';

// Hourly data keeps the daily season at 24 steps, so a tiny model trains in a moment.
const STEP = 3600;
const TINY: LstmProps = {
  windowSteps: 12,
  patchSteps: 3,
  hiddenUnits: 4,
  horizonSteps: 6,
  epochs: 3,
  batchSize: 64,
  profileDays: 3,
};

function dailyCycle(
  points: number,
  seed: number,
  startSeconds = 1_700_000_000 - (1_700_000_000 % STEP),
): RegularSeries {
  const rng = seededRng(seed);
  const values = Float64Array.from(
    { length: points },
    (_, i) => 100 + 30 * Math.sin((2 * Math.PI * i) / 24) + 5 * (rng() - 0.5),
  );
  return { startSeconds, stepSeconds: STEP, values };
}

function stored(cp: Checkpoint): Checkpoint {
  // What a round trip through files or S3 does: JSON for the manifest, copied bytes for blobs.
  const blobs: Record<string, Uint8Array> = {};
  for (const [name, bytes] of Object.entries(cp.blobs)) blobs[name] = Uint8Array.from(bytes);
  return { manifest: JSON.parse(JSON.stringify(cp.manifest)), blobs };
}

describe('LstmForecaster', () => {
  const history = dailyCycle(240, 1);
  let model: LstmForecaster;

  beforeAll(async () => {
    await initTfBackend();
    model = await new LstmForecaster(TINY).fit(history, { seed: 7 });
  });

  it('forecasts the requested steps with ordered bounds, within and beyond its horizon', () => {
    for (const steps of [1, 6, 30]) {
      const forecast = model.predict(steps, [80, 95]);
      expect(forecast.mean).toHaveLength(steps);
      expect(forecast.intervals.map((i) => i.level)).toEqual([80, 95]);
      for (const band of forecast.intervals) {
        expect(band.lower).toHaveLength(steps);
        expect(band.upper).toHaveLength(steps);
        forecast.mean.forEach((m, h) => {
          expect(Number.isFinite(m)).toBe(true);
          expect(band.lower[h]).toBeLessThanOrEqual(m);
          expect(m).toBeLessThanOrEqual(band.upper[h]);
        });
      }
    }
  });

  it('gives identical predictions for the same seed', async () => {
    const again = await new LstmForecaster(TINY).fit(history, { seed: 7 });
    expect(again.predict(30)).toEqual(model.predict(30));
    again.dispose();
  });

  it('predicts exactly the same after a checkpoint round trip', () => {
    const restored = LstmForecaster.fromCheckpoint(stored(model.toCheckpoint()));
    expect(restored.predict(30, [50, 80, 95])).toEqual(model.predict(30, [50, 80, 95]));
    expect(restored.toCheckpoint().manifest).toEqual(model.toCheckpoint().manifest);
    restored.dispose();
  });

  it('rejects a corrupted blob, another format version and another kind', () => {
    const cp = stored(model.toCheckpoint());
    const weights = Uint8Array.from(cp.blobs.weights);
    weights[5] ^= 0xff;
    expect(() => LstmForecaster.fromCheckpoint({ ...cp, blobs: { ...cp.blobs, weights } })).toThrow(
      CorruptCheckpointError,
    );
    expect(() =>
      LstmForecaster.fromCheckpoint({ ...cp, blobs: { ...cp.blobs, context: cp.blobs.context.subarray(8) } }),
    ).toThrow(CorruptCheckpointError);
    expect(() => LstmForecaster.fromCheckpoint({ ...cp, manifest: { ...cp.manifest, formatVersion: 99 } })).toThrow(
      CheckpointFormatError,
    );
    expect(() => LstmForecaster.fromCheckpoint({ ...cp, manifest: { ...cp.manifest, kind: 'arima' } })).toThrow(
      CheckpointFormatError,
    );
  });

  it('refuses to predict or checkpoint before it is fitted', () => {
    const fresh = new LstmForecaster(TINY);
    expect(() => fresh.predict(6)).toThrow(NotFittedError);
    expect(() => fresh.toCheckpoint()).toThrow(NotFittedError);
  });

  it('names both lengths when the history is too short, and fits at exactly the stated length', async () => {
    await expect(new LstmForecaster(TINY).fit(dailyCycle(60, 2))).rejects.toThrow(InsufficientHistoryError);
    await expect(new LstmForecaster(TINY).fit(dailyCycle(60, 2))).rejects.toThrow(/at least \d+ points.*got 60/);
    const error = await new LstmForecaster(TINY).fit(dailyCycle(60, 2)).catch((e: unknown) => e);
    const needed = Number(/at least (\d+) points/.exec(String(error))?.[1]);
    const shortest = await new LstmForecaster(TINY).fit(dailyCycle(needed, 2));
    expect(shortest.predict(6).mean).toHaveLength(6);
    shortest.dispose();
    const restored = LstmForecaster.fromCheckpoint(model.toCheckpoint());
    await expect(restored.condition(dailyCycle(20, 3))).rejects.toThrow(/at least 25 points.*got 20/);
  });

  it('forecasts from a newer history with the same weights after condition()', async () => {
    const restored = LstmForecaster.fromCheckpoint(model.toCheckpoint());
    const before = restored.predict(6);
    // One day later, same phase of the cycle, 50 higher: the forecast must follow the new level.
    const newer = dailyCycle(240, 4, history.startSeconds + 24 * STEP);
    await restored.condition({ ...newer, values: newer.values.map((v) => v + 50) });
    const after = restored.predict(6);
    const average = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
    expect(average(after.mean) - average(before.mean)).toBeGreaterThan(25);
    expect(restored.toCheckpoint().blobs.weights).toEqual(model.toCheckpoint().blobs.weights);
    restored.dispose();
  });

  it('does not leak tensors across repeated fits and predictions', async () => {
    const reused = new LstmForecaster(TINY);
    await reused.fit(history, { seed: 1 });
    reused.predict(30);
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      await reused.fit(history, { seed: 2 + i });
      reused.predict(30);
    }
    expect(tf.memory().numTensors).toBe(after1);
    reused.dispose();
  });
});

describe('LSTM anchor level', () => {
  it('is the median of the last anchorSteps values, the last value by default', async () => {
    const { anchorLevel, buildTargets } = await import('../../models/forecast/lstm/features.ts');
    const z = Float64Array.from([1, 2, 3, 10, 4, 100]);
    expect(anchorLevel(z, 5)).toBe(100);
    expect(anchorLevel(z, 5, 3)).toBe(10);
    expect(anchorLevel(z, 4, 2)).toBe(7);
    expect(anchorLevel(z, 0, 3)).toBe(1);
    expect(Array.from(buildTargets(z, 1, [3], 3))).toEqual([4 - 3]);
    expect(Array.from(buildTargets(z, 1, [3]))).toEqual([4 - 10]);
  });
});

describe('LSTM anchor in checkpoints', () => {
  beforeAll(async () => {
    await initTfBackend();
  });

  it('keeps its anchor through a checkpoint, and reads checkpoints from before it as the last value', async () => {
    const history = dailyCycle(240, 3);
    const anchored = await new LstmForecaster({ ...TINY, anchorSteps: 3 }).fit(history, { seed: 2 });
    expect(LstmForecaster.fromCheckpoint(stored(anchored.toCheckpoint())).predict(6, [80])).toEqual(
      anchored.predict(6, [80]),
    );
    const last = await new LstmForecaster(TINY).fit(history, { seed: 2 });
    const old = stored(last.toCheckpoint());
    const layout = (old.manifest.state as { layout: Record<string, unknown> }).layout;
    expect(layout.anchorSteps).toBe(1); // 'auto' on hourly data: one value is already an hour
    delete layout.anchorSteps;
    expect(LstmForecaster.fromCheckpoint(old).predict(6, [80])).toEqual(last.predict(6, [80]));
  });
});
