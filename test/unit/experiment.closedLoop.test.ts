import { describe, expect, it } from 'vitest';
import { simulateClosedLoop } from '../../models/experiment/closedLoop.ts';
import { scalerController, type ForecastSource } from '../../models/experiment/strategies/scalerController.ts';
import type { DemandTrace, SimulationSetup } from '../../models/fleet/types.ts';
import { SesForecaster } from '../../models/forecast/SesForecaster.ts';
import type { ForecastPolicy } from '../../models/policy/decide.ts';
import { prescaleFallback } from '../../models/policy/defaults.ts';
import { reactiveScaling } from '../../models/policy/reactive.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

const policy: ForecastPolicy = {
  kind: 'quantile',
  quantilePct: 75,
  capacityPerInstance: 100, // total CPU: 100 percent-instances per instance at 100% CPU
  targetUtilizationPct: 80,
  bootSeconds: 300,
  tickSeconds: 300,
};

function setupFor(maxSize: number) {
  return (source: ForecastSource): SimulationSetup => ({
    fleet: { capacityPerInstance: 20, minSize: 1, maxSize, initialCapacity: Math.min(5, maxSize) },
    reactive: reactiveScaling(prescaleFallback(80)),
    controllers: [scalerController(source, policy)],
  });
}

const run = (trace: DemandTrace, maxSize = 40) =>
  simulateClosedLoop(trace, setupFor(maxSize), {
    tickSeconds: 300,
    firstForecastSeconds: trace.startSeconds + 2 * 86_400,
    bootSeconds: 300,
    createModel: () => new SesForecaster(),
    createFallback: () => new SesForecaster(),
  });

describe('closed-loop total CPU', () => {
  it('forecasts from what the group published: never more than 100 per instance it could serve with', async () => {
    // Demand of about 100 a minute for instances of 20 a minute, at most 3 of them: always short.
    const trace = syntheticLoad(3, 5);
    const result = await run(trace, 3);
    expect(result.forecasts.size).toBeGreaterThan(200);
    for (const forecast of result.forecasts.values()) {
      expect(forecast.kind).toBe('level');
      expect(forecast.lastObserved).toBeLessThanOrEqual(300 + 1e-9);
    }
    const unserved = result.simulation.demand.reduce((s, d, i) => s + d - result.simulation.served[i], 0);
    expect(unserved).toBeGreaterThan(0);
  });

  it('a change to the trace from time T on changes no forecast or action before T', async () => {
    const original = syntheticLoad(4, 9);
    const cut = Math.floor(original.values.length * 0.7);
    const changed = { ...original, values: original.values.map((v, i) => (i >= cut ? v * 2 + 30 : v)) };
    const cutSeconds = original.startSeconds + cut * original.stepSeconds;
    const [a, b] = [await run(original), await run(changed)];
    for (const [t, f] of a.forecasts) if (t < cutSeconds) expect(b.forecasts.get(t), `tick ${t}`).toEqual(f);
    const before = (r: typeof a) => r.simulation.actions.filter((x) => x.atSeconds < cutSeconds);
    expect(before(b)).toEqual(before(a));
    expect(b.simulation.actions).not.toEqual(a.simulation.actions);
  });
});
