import { describe, expect, it } from 'vitest';
import { aggregateTo, autoCapacityPerInstance, planExperiment } from '../../models/experiment/plan.ts';
import { percentile } from '../../models/experiment/metrics.ts';
import { instancesForLoad } from '../../models/policy/capacity.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

describe('planExperiment', () => {
  it('trains on the first 14 days, or the first half of a shorter trace', () => {
    const long = planExperiment(syntheticLoad(30), 'long');
    expect(long.trainingDays).toBe(14);
    expect(long.config.evaluationStartSeconds).toBe(long.trace.startSeconds + 14 * 86_400);
    const short = planExperiment(syntheticLoad(9), 'short');
    expect(short.trainingDays).toBe(4);
    expect(short.evaluationDays).toBeCloseTo(5, 9);
  });

  it('says how much trace it needs', () => {
    expect(() => planExperiment(syntheticLoad(2.5), 'tiny')).toThrow(
      /'tiny' covers 2\.5 days; the experiment needs at least 4 days/,
    );
  });

  it('rejects intervals outside 1 minute to 1 hour, naming the trace', () => {
    const series = { ...syntheticLoad(1, 1, 300), stepSeconds: 7200, values: new Float64Array(100).fill(1) };
    expect(() => planExperiment(series, 'coarse')).toThrow(/'coarse' has 7200-second intervals/);
  });

  it("sizes 'auto' capacity and the default MaxSize from the history only: the history's p99 needs 20 instances", () => {
    const series = syntheticLoad(8);
    // The evaluation window (days 4-8) carries ten times the load: sizing must not see it.
    const values = Float64Array.from(series.values, (v, i) => (i >= (4 * 86_400) / 300 ? 10 * v : v));
    const plan = planExperiment({ ...series, values }, 's', { targetUtilizationPct: 50 });
    const history = Array.from(series.values.slice(0, (4 * 86_400) / 300), (v) => v / 5);
    expect(plan.config.fleet.capacityPerInstance).toBeCloseTo(percentile(history, 99) / 10, 9);
    expect(instancesForLoad(percentile(history, 99), plan.config.fleet.capacityPerInstance, 50)).toBe(20);
    expect(plan.config.fleet.maxSize).toBe(100);
    expect(() => autoCapacityPerInstance([0, 0, 0], 50)).toThrow(/no demand/);
  });

  it("tunes on the history's last 7 days, or all of it but the first day", () => {
    const long = planExperiment(syntheticLoad(30), 'long');
    expect(long.tuningDays).toBe(7);
    expect(long.config.tuningStartSeconds).toBe(long.config.evaluationStartSeconds - 7 * 86_400);
    const short = planExperiment(syntheticLoad(6), 'short');
    expect(short.trainingDays).toBe(3);
    expect(short.tuningDays).toBe(2);
    // The first forecast is made once the tuning window's first period can be forecast.
    expect(short.config.forecasting.firstForecastSeconds).toBeLessThanOrEqual(short.config.tuningStartSeconds);
    expect(short.config.forecasting.firstForecastSeconds).toBeGreaterThan(short.config.tuningStartSeconds - 1800);
  });

  it('names a bad setting', () => {
    expect(() => planExperiment(syntheticLoad(8), 's', { capacityPerInstance: -2 })).toThrow(
      /'capacityPerInstance' must be a positive number, got -2/,
    );
    expect(() => planExperiment(syntheticLoad(8), 's', { minSize: 5, maxSize: 3 })).toThrow(
      /'maxSize' must be at least/,
    );
  });

  it('forecasts 1-minute traces at 5 minutes, summing the minutes', () => {
    const minute = syntheticLoad(5, 1, 60);
    const agg = aggregateTo(minute, 300);
    expect(agg.stepSeconds).toBe(300);
    expect(agg.values.length).toBe(minute.values.length / 5);
    expect(agg.values[3]).toBeCloseTo(
      minute.values.slice(15, 20).reduce((a, b) => a + b, 0),
      9,
    );
    expect(aggregateTo(syntheticLoad(5, 1, 1800), 300).stepSeconds).toBe(1800);
    const plan = planExperiment(minute, 'm');
    expect(plan.forecastSeries.stepSeconds).toBe(300);
    expect(plan.horizonSteps).toBe(12);
  });
});
