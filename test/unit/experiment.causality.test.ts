import { describe, expect, it } from 'vitest';
import { planExperiment } from '../../models/experiment/plan.ts';
import { runExperiment } from '../../models/experiment/runExperiment.ts';
import { computeTickForecasts } from '../../models/experiment/tickForecasts.ts';
import type { StrategyName } from '../../models/experiment/strategies/catalogue.ts';
import type { RegularSeries } from '../../models/series/types.ts';
import { SesForecaster } from '../../models/forecast/SesForecaster.ts';
import { EnsembleForecaster } from '../../models/forecast/ensemble/EnsembleForecaster.ts';
import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import { LstmForecaster } from '../../models/forecast/lstm/LstmForecaster.ts';
import { NaiveForecaster } from '../../models/forecast/baselines.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

const STRATEGIES: StrategyName[] = [
  'reactive-step',
  'target-tracking',
  'aws-predictive',
  'buffered',
  'confidence-aware',
  'incremental',
  'prescale',
];

async function decisions(series: RegularSeries) {
  const plan = planExperiment(series, 'causality', { capacityPerInstance: 40 });
  const { forecasts } = await computeTickForecasts(plan, {
    createModel: () => new SesForecaster(),
    createFallback: () => new SesForecaster(),
  });
  const outcome = await runExperiment({ trace: plan.trace, forecasts, config: plan.config, strategies: STRATEGIES });
  return { plan, forecasts, outcome };
}

describe('no decision depends on data after its own time', () => {
  it('changing the trace from time T on changes nothing any strategy did before T', async () => {
    const original = syntheticLoad(6, 11);
    const cutIndex = Math.floor(original.values.length * 0.75);
    const changed: RegularSeries = {
      ...original,
      values: original.values.map((v, i) => (i >= cutIndex ? v * 3 + 50 : v)),
    };
    const cutSeconds = original.startSeconds + cutIndex * original.stepSeconds;
    const cutMinute = (cutSeconds - original.startSeconds) / 60;

    const a = await decisions(original);
    const b = await decisions(changed);

    // Forecasts from origins before the cut are identical; the first one that sees changed data differs.
    const f = a.forecasts;
    const rowsBefore = (cutIndex - f.firstOrigin + 1) * f.horizonSteps;
    expect(Array.from(b.forecasts.mean.subarray(0, rowsBefore))).toEqual(Array.from(f.mean.subarray(0, rowsBefore)));
    expect(Array.from(b.forecasts.mean)).not.toEqual(Array.from(f.mean));

    for (const name of STRATEGIES) {
      const sa = a.outcome.strategies.find((s) => s.name === name)?.defaultRun.simulation;
      const sb = b.outcome.strategies.find((s) => s.name === name)?.defaultRun.simulation;
      if (sa === undefined || sb === undefined) throw new Error(`${name} kept no simulation`);
      expect(
        sb.actions.filter((x) => x.atSeconds < cutSeconds),
        name,
      ).toEqual(sa.actions.filter((x) => x.atSeconds < cutSeconds));
      expect(Array.from(sb.desiredCapacity.subarray(0, cutMinute)), name).toEqual(
        Array.from(sa.desiredCapacity.subarray(0, cutMinute)),
      );
      expect(Array.from(sb.minSize.subarray(0, cutMinute)), name).toEqual(
        Array.from(sa.minSize.subarray(0, cutMinute)),
      );
      // ...and the change is felt afterwards, so the comparison above is not vacuous.
      expect(Array.from(sb.desiredCapacity), name).not.toEqual(Array.from(sa.desiredCapacity));
    }
  });
});

/** The production ensemble's members and code, with a small LSTM so that the test stays quick. */
const smallEnsemble = () =>
  new EnsembleForecaster({
    members: [
      { name: 'arima', create: () => new ArimaForecaster({ conditionMode: 'filter' }) },
      {
        name: 'lstm',
        create: () =>
          new LstmForecaster({
            windowSteps: 24,
            patchSteps: 3,
            hiddenUnits: 4,
            horizonSteps: 6,
            epochs: 2,
            warmStartEpochs: 1,
            batchSize: 128,
            profileDays: 1,
          }),
      },
      { name: 'naive', create: () => new NaiveForecaster() },
      { name: 'ses', create: () => new SesForecaster() },
    ],
    validatedSteps: 6,
    validationStrideSteps: 12,
  });

describe('nothing sized, tuned or decided reads the evaluation window before its time', () => {
  it("with 'auto' sizing, a binding MaxSize, a 1-minute trace cut inside a 5-minute period and the ensemble", async () => {
    // 3 days of history; the trainer first promotes after 3 days (before that the scaler's
    // fallback forecasts, SES here for speed), so the ensemble plans from day 4 on.
    const original = syntheticLoad(7, 5, 60);
    const plan0 = planExperiment(original, 'causality');
    // Two and a half days into the evaluation window, 2 minutes into a 5-minute period.
    const cutIndex = (plan0.config.evaluationStartSeconds - original.startSeconds) / 60 + 2.5 * 1440 + 2;
    const changed: RegularSeries = {
      ...original,
      values: original.values.map((v, i) => (i >= cutIndex ? v * 0.3 : v)),
    };
    const cutSeconds = original.startSeconds + cutIndex * 60;
    const strategies: StrategyName[] = [...STRATEGIES, 'target-tracking-requests', 'static', 'oracle'];
    const run = async (series: RegularSeries) => {
      // MaxSize 14 binds: 'auto' sizes the history's p99 to need 20 instances at the target.
      const plan = planExperiment(series, 'causality', { maxSize: 14 });
      const { forecasts, loop } = await computeTickForecasts(plan, {
        createModel: smallEnsemble,
        createFallback: () => new SesForecaster(),
        seed: 1,
      });
      const outcome = await runExperiment({ trace: plan.trace, forecasts, config: plan.config, strategies });
      return { plan, forecasts, outcome, loop };
    };
    const a = await run(original);
    const b = await run(changed);
    // The ensemble was promoted and planned for a day and a half before the cut (5-minute ticks).
    const ticksBeforeCut = (cutSeconds - a.plan.config.forecasting.firstForecastSeconds) / 300;
    expect(a.loop?.promotions).toBeGreaterThan(0);
    expect(a.loop?.fallbackTicks).toBeLessThan(ticksBeforeCut - 400);

    expect(b.plan.config.fleet).toEqual(a.plan.config.fleet);
    // Every origin up to the period the cut falls in has seen none of the change.
    const period = Math.floor(cutIndex / 5);
    const f = a.forecasts;
    const sameRows = (period - f.firstOrigin + 1) * f.horizonSteps;
    expect(Array.from(b.forecasts.mean.subarray(0, sameRows))).toEqual(Array.from(f.mean.subarray(0, sameRows)));
    expect(Array.from(b.forecasts.mean.subarray(sameRows))).not.toEqual(Array.from(f.mean.subarray(sameRows)));
    expect(Number.isNaN(f.mean[sameRows - 1])).toBe(false);

    const felt: string[] = [];
    for (const name of strategies) {
      const sa = a.outcome.strategies.find((s) => s.name === name);
      const sb = b.outcome.strategies.find((s) => s.name === name);
      const simA = sa?.defaultRun.simulation;
      const simB = sb?.defaultRun.simulation;
      if (sa === undefined || sb === undefined || simA === undefined || simB === undefined)
        throw new Error(`${name} kept no simulation`);
      // The history's figures, and so every choice made on them, are the same.
      expect(
        sb.runs.map((r) => r.history),
        name,
      ).toEqual(sa.runs.map((r) => r.history));
      if (name === 'oracle') {
        expect(Math.max(...simA.billedCount)).toBe(14);
        continue;
      }
      expect(b.outcome.atSlo[name]?.tuned.knob, name).toBe(a.outcome.atSlo[name]?.tuned.knob);
      expect(
        simB.actions.filter((x) => x.atSeconds < cutSeconds),
        name,
      ).toEqual(simA.actions.filter((x) => x.atSeconds < cutSeconds));
      expect(Array.from(simB.desiredCapacity.subarray(0, cutIndex)), name).toEqual(
        Array.from(simA.desiredCapacity.subarray(0, cutIndex)),
      );
      expect(Array.from(simB.minSize.subarray(0, cutIndex)), name).toEqual(
        Array.from(simA.minSize.subarray(0, cutIndex)),
      );
      if (Array.from(simB.desiredCapacity).some((d, t) => d !== simA.desiredCapacity[t])) felt.push(name);
      expect(Math.max(...simA.desiredCapacity), name).toBeLessThanOrEqual(14);
    }
    // The change is felt after the cut (a strategy pinned at MaxSize either way may not feel it).
    expect(felt).toEqual(expect.arrayContaining(['prescale', 'buffered', 'confidence-aware', 'target-tracking']));
    expect(a.outcome.recommendation).toBeDefined();
    expect(b.outcome.recommendation?.strategy).toBe(a.outcome.recommendation?.strategy);
    expect(b.outcome.recommendation?.knob).toBe(a.outcome.recommendation?.knob);
    expect(b.outcome.recommendation?.history).toEqual(a.outcome.recommendation?.history);
  }, 240_000);
});
