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

  it("sizes 'auto' capacity so the p99 demand needs 20 instances at the target utilization", () => {
    const series = syntheticLoad(8);
    const plan = planExperiment(series, 's', { targetUtilizationPct: 50 });
    const perMinute = Array.from(series.values, (v) => v / 5);
    expect(plan.config.fleet.capacityPerInstance).toBeCloseTo(percentile(perMinute, 99) / 10, 9);
    expect(instancesForLoad(percentile(perMinute, 99), plan.config.fleet.capacityPerInstance, 50)).toBe(20);
    expect(plan.config.fleet.maxSize).toBe(100);
    expect(() => autoCapacityPerInstance([0, 0, 0], 50)).toThrow(/no demand/);
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
