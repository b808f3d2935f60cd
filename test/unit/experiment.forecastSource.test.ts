import { describe, expect, it } from 'vitest';
import { forecastSource, type TickForecasts } from '../../models/experiment/forecastSource.ts';
import { lastObservedPerOrigin } from '../../models/experiment/tickForecasts.ts';

describe('forecastSource', () => {
  // Origins 2..4 of a 5-minute series, two steps each; origin o has seen intervals 0..o-1.
  const values = [10, 20, 30, 40, 50];
  const forecasts: TickForecasts = {
    startSeconds: 0,
    stepSeconds: 300,
    kind: 'sum',
    firstOrigin: 2,
    origins: 3,
    horizonSteps: 2,
    mean: Float64Array.from([1, 2, 3, 4, 5, 6]),
    lower: {},
    upper: { 80: Float64Array.from([11, 12, 13, 14, 15, 16]) },
    lastObserved: lastObservedPerOrigin(values, 2, 3),
  };

  it('gives the newest published origin, with the interval just before its first step as the last observation', () => {
    expect(Array.from(lastObservedPerOrigin(values, 2, 3))).toEqual([20, 30, 40]);
    const source = forecastSource(forecasts, 60);
    // At 960 s the interval [600, 900) has been published (60 s delay): origin 3.
    const f = source.forecastAt(960);
    expect(f?.startSeconds).toBe(900);
    expect(Array.from(f?.mean ?? [])).toEqual([3, 4]);
    expect(f?.lastObserved).toBe(30);
    // At 959 s it has not: origin 2, which saw interval 1 last.
    expect(source.forecastAt(959)?.lastObserved).toBe(20);
    expect(source.forecastAt(600)).toBeUndefined();
  });

  it('marks an origin with nothing before it as unknown rather than inventing a value', () => {
    expect(Number.isNaN(lastObservedPerOrigin(values, 0, 1)[0])).toBe(true);
  });
});
