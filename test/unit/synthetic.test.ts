import { describe, expect, it } from 'vitest';
import { SyntheticOptionError } from '../../models/series/errors.ts';
import { generateTrace, generateTraceWithEvents, type SyntheticOptions } from '../../models/series/synthetic.ts';

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;
const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);
const QUIET: SyntheticOptions = { promotionsPerWeek: 0, flashCrowdsPerWeek: 0 };

describe('generateTrace', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateTraceWithEvents({ seed: 3, days: 7 });
    const b = generateTraceWithEvents({ seed: 3, days: 7 });
    expect(Array.from(a.series.values)).toEqual(Array.from(b.series.values));
    expect(a.events).toEqual(b.events);
    const other = generateTrace({ seed: 4, days: 7 });
    expect(Array.from(other.values)).not.toEqual(Array.from(a.series.values));
  });

  it.each([
    [60, 2880],
    [300, 576],
    [3600, 48],
  ])("makes 2 days x 86400 / %d s = %d points holding the interval's load", (interval, points) => {
    const series = generateTrace({ days: 2, intervalSeconds: interval, seed: 9 });
    expect(series.values.length).toBe(points);
    expect(series.stepSeconds).toBe(interval);
    expect(series.startSeconds).toBe(Date.UTC(2026, 0, 5) / 1000);
    // Built minute by minute, so every interval describes the same load, noise and events included.
    expect(sum(series.values)).toBeCloseTo(sum(generateTrace({ days: 2, intervalSeconds: 60, seed: 9 }).values), 3);
  });

  it('keeps values finite and non-negative even at the extremes of its options', () => {
    const extremes: SyntheticOptions[] = [
      {},
      { intervalSeconds: 60, noise: 1, dailyAmplitude: 0.99, weeklyAmplitude: 0.99 },
      { trendPerDay: -0.5, flashCrowdsPerWeek: 20, flashCrowdPeak: 10, promotionsPerWeek: 7 },
    ];
    for (const [seed, options] of extremes.entries()) {
      const { values } = generateTrace({ ...options, seed, days: 14 });
      expect(values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    }
  });

  it('peaks in the afternoon and lies low at night', () => {
    const v = generateTrace({ ...QUIET, intervalSeconds: 3600 }).values; // starts on a Monday at 00:00 UTC
    const hour = (h: number) => [0, 1, 2, 3, 4].map((d) => v[d * 24 + h]);
    expect(mean(hour(15))).toBeGreaterThan(2 * mean(hour(3)));
    expect(mean(hour(15))).toBeGreaterThan(mean(hour(9)));
  });

  it('dips at the weekend only when weeklyAmplitude > 0', () => {
    const weekendOverWeekday = (weeklyAmplitude: number) => {
      const v = generateTrace({ ...QUIET, intervalSeconds: 3600, days: 7, trendPerDay: 0, weeklyAmplitude }).values;
      return mean(v.slice(5 * 24)) / mean(v.slice(0, 5 * 24));
    };
    expect(weekendOverWeekday(0.25)).toBeGreaterThan(0.7);
    expect(weekendOverWeekday(0.25)).toBeLessThan(0.8);
    expect(weekendOverWeekday(0)).toBeCloseTo(1, 1);
  });

  it('grows with the trend', () => {
    const weekOverWeek = (trendPerDay: number) => {
      const v = generateTrace({ ...QUIET, intervalSeconds: 3600, trendPerDay }).values;
      return mean(v.slice(7 * 24)) / mean(v.slice(0, 7 * 24));
    };
    expect(weekOverWeek(0.01)).toBeGreaterThan(1.05); // 1.01^7 = 1.072
    expect(weekOverWeek(0)).toBeCloseTo(1, 1);
    expect(weekOverWeek(-0.02)).toBeLessThan(0.9);
  });

  it('puts a flash crowd well above the surrounding load, rising fast and decaying', () => {
    const base = { days: 7, intervalSeconds: 60, promotionsPerWeek: 0, flashCrowdPeak: 4, seed: 5 };
    const { series, events } = generateTraceWithEvents({ ...base, flashCrowdsPerWeek: 1 });
    const calm = generateTrace({ ...base, flashCrowdsPerWeek: 0 }).values; // same seed: same noise
    expect(events.map((e) => e.kind)).toEqual(['flash-crowd']);
    const [crowd] = events;
    expect(crowd.peak).toBeGreaterThanOrEqual(1 + 3 * 0.7);
    expect(crowd.peak).toBeLessThanOrEqual(1 + 3 * 1.3);
    const at = (crowd.startSeconds - series.startSeconds) / 60;
    const lift = (minute: number) => series.values[at + minute] / calm[at + minute];
    expect(series.values[at + 3]).toBeGreaterThan(2 * mean(series.values.slice(Math.max(0, at - 30), at)));
    expect(lift(-1)).toBeCloseTo(1, 9);
    expect(lift(1)).toBeCloseTo(1 + (crowd.peak - 1) / 3, 9); // a third of the way up after a minute
    expect(lift(3)).toBeCloseTo(crowd.peak, 9);
    const tau = crowd.durationSeconds / 60;
    if (at + 3 + tau < series.values.length) expect(lift(3 + tau)).toBeCloseTo(1 + (crowd.peak - 1) / Math.E, 9);
  });

  it('lifts a promotion as a plateau and leaves the rest of the trace, noise included, untouched', () => {
    const base = { days: 7, seed: 2, flashCrowdsPerWeek: 2, promotionLift: 1.8 };
    const without = generateTraceWithEvents({ ...base, promotionsPerWeek: 0 });
    const withOne = generateTraceWithEvents({ ...base, promotionsPerWeek: 1 });
    const promotion = withOne.events.find((e) => e.kind === 'promotion');
    if (promotion === undefined) throw new Error('expected one promotion');
    expect(withOne.events.filter((e) => e.kind === 'flash-crowd')).toEqual(without.events);
    const from = (promotion.startSeconds - withOne.series.startSeconds) / 300;
    const to = from + promotion.durationSeconds / 300;
    withOne.series.values.forEach((v, i) => {
      expect(v / without.series.values[i]).toBeCloseTo(i >= from && i < to ? 1.8 : 1, 9);
    });
  });

  it('makes noise of about the asked spread that wanders rather than jitters', () => {
    const clean = generateTrace({ ...QUIET, noise: 0, seed: 1 }).values;
    const noisy = generateTrace({ ...QUIET, noise: 0.08, seed: 1 }).values;
    const r = Array.from(noisy, (v, i) => Math.log(v / clean[i]));
    const m = mean(r);
    const variance = mean(r.map((x) => (x - m) ** 2));
    const lag1 = mean(r.slice(1).map((x, i) => (x - m) * (r[i] - m))) / variance;
    expect(Math.sqrt(variance)).toBeGreaterThan(0.06);
    expect(Math.sqrt(variance)).toBeLessThan(0.1);
    expect(lag1).toBeGreaterThan(0.5);
  });

  it.each<[SyntheticOptions, RegExp]>([
    [{ days: -1 }, /'days' must be a positive integer, got -1/],
    [{ days: 1.5 }, /'days' must be a positive integer, got 1.5/],
    [{ intervalSeconds: 420 }, /'intervalSeconds' must be whole minutes from 60 to 3600 that divide a day, got 420/],
    [{ intervalSeconds: 90 }, /'intervalSeconds' .* got 90/],
    [{ intervalSeconds: 7200 }, /'intervalSeconds' .* got 7200/],
    [{ seed: -1 }, /'seed' must be an integer from 0 to 2\^32 - 1, got -1/],
    [{ baseLoadPerMinute: 0 }, /'baseLoadPerMinute' must be positive, got 0/],
    [{ dailyAmplitude: 1.5 }, /'dailyAmplitude' must be within \[0, 1\), got 1.5/],
    [{ weeklyAmplitude: Number.NaN }, /'weeklyAmplitude' must be within \[0, 1\), got NaN/],
    [{ trendPerDay: -1 }, /'trendPerDay' must be above -1, got -1/],
    [{ noise: -0.1 }, /'noise' must be non-negative, got -0.1/],
    [{ flashCrowdPeak: 0.5 }, /'flashCrowdPeak' must be at least 1, got 0.5/],
  ])('names a bad option: %o', (options, message) => {
    expect(() => generateTrace(options)).toThrow(SyntheticOptionError);
    expect(() => generateTrace(options)).toThrow(message);
  });

  it('refuses a trend that overflows rather than writing Infinity', () => {
    expect(() => generateTrace({ ...QUIET, days: 30, trendPerDay: 1e12 })).toThrow(/overflows/);
  });
});
