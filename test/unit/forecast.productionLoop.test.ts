import { describe, expect, it } from 'vitest';
import { ProductionLoop, publishedSeries } from '../../models/forecast/ProductionLoop.ts';
import { historyWindow } from '../../models/forecast/scalerForecast.ts';
import { SesForecaster } from '../../models/forecast/SesForecaster.ts';
import { seededRng } from '../../models/random.ts';
import type { RegularSeries } from '../../models/series/types.ts';
import { atLoadStep } from '../../models/experiment/plan.ts';

const DAY = 86_400;
const START = 1_700_006_400; // a day boundary

/** Noise around a level: SES beats seasonal naive on the held-back day, so the trainer promotes. */
function noisyLevel(days: number): RegularSeries {
  const rng = seededRng(3);
  const values = Float64Array.from({ length: (days * DAY) / 300 }, () => 100 + 20 * (rng() - 0.5));
  return { startSeconds: START, stepSeconds: 300, values };
}

function loopOver(series: RegularSeries, first: number, options: { trainEverySeconds?: number } = {}) {
  let now = first;
  const loop = new ProductionLoop({
    kind: 'sum',
    policy: { bootSeconds: 300, tickSeconds: 300 },
    firstTrainingSeconds: first,
    createModel: () => new SesForecaster(),
    createFallback: () => new SesForecaster(),
    ...options,
  });
  const published = publishedSeries(series, 'sum', () => now, 60);
  return {
    loop,
    at: (t: number) => {
      now = t;
      return loop.forecastAt(t, published);
    },
  };
}

describe('the windows the scaler and the trainer read', () => {
  it('end at the newest whole period published by now and reach back the history days', () => {
    // At 12:00 (a tick) the 11:55-12:00 period is not published until 12:01: the window ends at 11:55.
    const noon = START + 12 * 3600;
    expect(historyWindow(noon, 14)).toEqual({
      startSeconds: noon - 300 - 14 * DAY,
      endSeconds: noon - 300,
      stepSeconds: 300,
    });
    expect(historyWindow(noon + 60, 14).endSeconds).toBe(noon);
  });

  it('see no period before it is published', () => {
    const series = noisyLevel(1);
    const published = publishedSeries(series, 'sum', () => START + 3600, 60);
    const seen = published({ startSeconds: START, endSeconds: START + 7200, stepSeconds: 300 });
    // Periods ending by 00:59 are published at 01:00; the one ending at 01:00 is not yet.
    expect(Array.from(seen.values.slice(0, 11))).toEqual(Array.from(series.values.slice(0, 11)));
    expect(seen.values.slice(11).every(Number.isNaN)).toBe(true);
  });
});

describe('the deployed Lambdas replayed in process', () => {
  it('changes nothing with less than a day of history, and does not train on less than three days', async () => {
    const series = noisyLevel(5);
    const { loop, at } = loopOver(series, START + 0.5 * DAY);
    expect(await at(START + 0.5 * DAY)).toBeUndefined();
    expect(loop.insufficientTicks).toBe(1);
    expect(loop.promotions).toBe(0);
  });

  it('trains on its schedule, promotes, and forecasts with the promoted model until it is 48 h stale', async () => {
    const series = noisyLevel(8);
    const first = START + 4 * DAY;
    const { loop, at } = loopOver(series, first, { trainEverySeconds: 30 * DAY });
    const forecast = await at(first);
    expect(loop.trainings).toBe(1);
    expect(loop.promotions).toBe(1);
    expect(loop.fallbackTicks).toBe(0);
    expect(forecast?.startSeconds).toBe(first - 300);
    expect(forecast?.kind).toBe('sum');
    // No training for two days: the checkpoint trained up to `first - 300` goes stale after 48 h.
    await at(first + 2 * DAY - 600);
    expect(loop.fallbackTicks).toBe(0);
    await at(first + 2 * DAY + 300);
    expect(loop.fallbackTicks).toBe(1);
    expect(loop.trainings).toBe(1);
  });

  it('trains again once a day', async () => {
    const series = noisyLevel(7);
    const first = START + 4 * DAY;
    const { loop, at } = loopOver(series, first);
    for (let t = first; t <= first + DAY + 300; t += 3600) await at(t);
    expect(loop.trainings).toBe(2);
  });
});

describe('the trace at the scaler periods', () => {
  it('sums finer intervals and spreads coarser ones evenly', () => {
    const tenMinutes = { startSeconds: START, stepSeconds: 600, values: Float64Array.from([10, 30]) };
    expect(Array.from(atLoadStep(tenMinutes).values)).toEqual([5, 5, 15, 15]);
    const minutes = { startSeconds: START, stepSeconds: 60, values: Float64Array.from({ length: 10 }, (_, i) => i) };
    expect(Array.from(atLoadStep(minutes).values)).toEqual([10, 35]);
  });
});
