import { describe, expect, it } from 'vitest';
import { NaiveForecaster, SeasonalNaiveForecaster } from '../../models/forecast/baselines.ts';
import { EnsembleForecaster } from '../../models/forecast/ensemble/EnsembleForecaster.ts';
import { combine, combineByStep, stepWeights } from '../../models/forecast/ensemble/weights.ts';
import { loadForecaster } from '../../models/forecast/registry.ts';
import type { Checkpoint } from '../../models/forecast/types.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

describe('stepWeights', () => {
  // 'near' is exact one step ahead and off by 10 two steps ahead; 'far' the other way round.
  const actuals = Array.from({ length: 8 }, (_, k) => [k, 2 * k]);
  const forecasts = {
    near: actuals.map(([a, b]) => [a, b + 10]),
    far: actuals.map(([a, b]) => [a + 10, b]),
  };

  it("weighs each step by that step's errors alone", () => {
    const [first, second] = stepWeights(forecasts, actuals, 1);
    expect(first).toEqual({ near: 1, far: 0 });
    expect(second).toEqual({ near: 0, far: 1 });
  });

  it('blends the optimum with inverse squared MAE weights (floored) at the given share', () => {
    const byStep = stepWeights(forecasts, actuals, 0.5);
    expect(byStep).toHaveLength(2);
    for (const w of byStep) expect(w.near + w.far).toBeCloseTo(1, 12);
    // inverse squared MAE of an exact member dominates the floored one; half of it is the optimum
    expect(byStep[0].near).toBeGreaterThan(0.98);
    expect(byStep[1].far).toBeGreaterThan(0.98);
  });
});

describe('combineByStep', () => {
  const paths = { a: [1, 1, 1], b: [3, 3, 3] };
  const global = { a: 0.5, b: 0.5 };

  it('uses the step weights where there are some and the fallback past them', () => {
    expect(
      combineByStep(
        paths,
        [
          { a: 1, b: 0 },
          { a: 0.25, b: 0.75 },
        ],
        global,
        3,
      ),
    ).toEqual([1, 2.5, 2]);
  });

  it('is the plain combination without step weights', () => {
    expect(combineByStep(paths, undefined, { a: 0.2, b: 0.8 }, 3)).toEqual(combine(paths, { a: 0.2, b: 0.8 }, 3));
  });

  it('renormalises over the members that forecast', () => {
    for (const v of combineByStep({ b: [3, 3] }, [{ a: 0.9, b: 0.1 }], global, 2)) expect(v).toBeCloseTo(3, 12);
  });
});

describe('ensemble per-step weights in checkpoints', () => {
  const history = syntheticLoad(6, 2);
  const create = (weightsPerStep?: boolean) =>
    new EnsembleForecaster({
      members: [
        { name: 'naive', create: () => new NaiveForecaster() },
        { name: 'snaive', create: () => new SeasonalNaiveForecaster() },
      ],
      validationStrideSteps: 24,
      weightsPerStep,
    });
  const roundTrip = (checkpoint: Checkpoint): Checkpoint => ({
    manifest: JSON.parse(JSON.stringify(checkpoint.manifest)),
    blobs: Object.fromEntries(Object.entries(checkpoint.blobs).map(([k, v]) => [k, new Uint8Array(v)])),
  });

  it('fits one weight vector per validated step and reads them back', async () => {
    const model = await create().fit(history, { seed: 1 });
    expect(model.stepWeights).toHaveLength(12);
    const restored = loadForecaster(roundTrip(model.toCheckpoint())) as EnsembleForecaster;
    expect(restored.stepWeights).toEqual(model.stepWeights);
    expect(restored.predict(36, [80, 95])).toEqual(model.predict(36, [80, 95]));
  });

  it('loads a checkpoint written before per-step weights with the single weight vector for every step', async () => {
    const model = await create(false).fit(history, { seed: 1 });
    expect(model.stepWeights).toBeUndefined();
    const checkpoint = roundTrip(model.toCheckpoint());
    const hyperparameters = { ...(checkpoint.manifest.hyperparameters as Record<string, unknown>) };
    delete hyperparameters.weightsPerStep;
    const old = { ...checkpoint, manifest: { ...checkpoint.manifest, hyperparameters } };
    const restored = loadForecaster(old) as EnsembleForecaster;
    expect(restored.stepWeights).toBeUndefined();
    const forecast = restored.predict(12, [80]);
    expect(forecast).toEqual(model.predict(12, [80]));
    const naive = (await new NaiveForecaster().fit(history)).predict(12, [80]).mean;
    const snaive = (await new SeasonalNaiveForecaster().fit(history)).predict(12, [80]).mean;
    const expected = combine({ naive, snaive }, restored.weights ?? {}, 12);
    forecast.mean.forEach((v, h) => expect(v).toBeCloseTo(expected[h], 9));
  });
});
