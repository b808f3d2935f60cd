import { describe, expect, it } from 'vitest';
import { planExperiment } from '../../models/experiment/plan.ts';
import { runExperiment } from '../../models/experiment/runExperiment.ts';
import { computeTickForecasts } from '../../models/experiment/tickForecasts.ts';
import type { StrategyName } from '../../models/experiment/strategies/catalogue.ts';
import type { RegularSeries } from '../../models/series/types.ts';
import { SesForecaster } from '../../models/forecast/SesForecaster.ts';
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
