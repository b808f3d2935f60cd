import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateTrace } from '../../models/series/synthetic.ts';
import { readSeriesFile } from '../../models/series/readSeries.ts';
import { main } from '../../scripts/cli.ts';

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;

describe('generateTrace', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(Array.from(generateTrace({ seed: 3, days: 2 }).series.values)).toEqual(Array.from(generateTrace({ seed: 3, days: 2 }).series.values));
    expect(Array.from(generateTrace({ seed: 4, days: 2 }).series.values)).not.toEqual(Array.from(generateTrace({ seed: 3, days: 2 }).series.values));
  });

  it.each([[60, 2880], [300, 576], [3600, 48]])('makes days x 86400 / %d s = %d points holding the interval\'s load', (interval, points) => {
    const { series } = generateTrace({ days: 2, intervalSeconds: interval, noise: 0, flashCrowdsPerWeek: 0, promotionsPerWeek: 0 });
    expect(series.values.length).toBe(points);
    expect(series.stepSeconds).toBe(interval);
    const minute = generateTrace({ days: 2, intervalSeconds: 60, noise: 0, flashCrowdsPerWeek: 0, promotionsPerWeek: 0 }).series;
    const total = Array.from(minute.values).reduce((a, b) => a + b, 0);
    expect(Array.from(series.values).reduce((a, b) => a + b, 0)).toBeCloseTo(total, 6);
  });

  it('peaks in the afternoon, dips at the weekend and grows with the trend', () => {
    const { series } = generateTrace({ days: 14, intervalSeconds: 3600, flashCrowdsPerWeek: 0, promotionsPerWeek: 0 });
    const v = series.values; // starts on a Monday at midnight UTC
    const afternoon = [], night = [];
    for (let d = 0; d < 5; d++) { afternoon.push(v[d * 24 + 15]); night.push(v[d * 24 + 3]); }
    expect(mean(afternoon)).toBeGreaterThan(1.5 * mean(night));
    expect(mean(v.slice(5 * 24, 7 * 24))).toBeLessThan(0.85 * mean(v.slice(0, 5 * 24)));
    expect(mean(v.slice(7 * 24))).toBeGreaterThan(mean(v.slice(0, 7 * 24)) * 1.04);
    const flat = generateTrace({ days: 14, intervalSeconds: 3600, flashCrowdsPerWeek: 0, promotionsPerWeek: 0, trendPerDay: 0, weeklyAmplitude: 0 });
    expect(mean(flat.series.values.slice(7 * 24)) / mean(flat.series.values.slice(0, 7 * 24))).toBeCloseTo(1, 1);
  });

  it('puts a flash crowd well above the surrounding load', () => {
    const { series, events } = generateTrace({ days: 7, intervalSeconds: 60, flashCrowdsPerWeek: 1, flashCrowdPeak: 4, promotionsPerWeek: 0, noise: 0.02, seed: 5 });
    const crowd = events.find((e) => e.kind === 'flash-crowd');
    if (crowd === undefined) throw new Error('expected one flash crowd');
    const at = (crowd.startSeconds - series.startSeconds) / 60;
    const before = series.values[Math.max(0, at - 30)];
    expect(series.values[at + 3]).toBeGreaterThan(2 * before);
    expect(series.values[at + 180] ?? 0).toBeLessThan(series.values[at + 3]);
  });

  it('names a bad option', () => {
    expect(() => generateTrace({ days: -1 })).toThrow(/'days' must be a positive integer, got -1/);
    expect(() => generateTrace({ intervalSeconds: 420 })).toThrow(/'intervalSeconds' must be whole minutes from 60 to 3600 that divide a day, got 420/);
    expect(() => generateTrace({ dailyAmplitude: 1.5 })).toThrow(/'dailyAmplitude' must be within \[0, 1\), got 1.5/);
  });
});

describe('prescale generate', () => {
  let stderr = '';
  let stdout = '';
  beforeEach(() => {
    stderr = '';
    stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => { stdout += String(c); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => { stderr += String(c); return true; });
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes a CSV the series reader takes back', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'prescale-gen-')), 'trace.csv');
    expect(await main(['generate', '--days', '3', '--interval', '15m', '--seed', '2', '--out', out, '--json'])).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ out, points: 288, intervalSeconds: 900, days: 3, seed: 2 });
    const { series, report } = await readSeriesFile(out);
    expect(series.stepSeconds).toBe(900);
    expect(series.values.length).toBe(288);
    expect(report.filledSlots).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[1]).toMatch(/^2026-01-05T00:00:00Z,\d+\.\d\d$/);
  });

  it('names a bad interval or number and exits 2', async () => {
    expect(await main(['generate', '--interval', '7m'])).toBe(2);
    expect(stderr).toMatch(/--interval must be whole minutes from 1m to 1h that divide a day, got '7m'/);
    expect(await main(['generate', '--interval', 'soon'])).toBe(2);
    expect(await main(['generate', '--trend', 'up'])).toBe(2);
    expect(stderr).toMatch(/--trend must be a number, got 'up'/);
    expect(await main(['generate', '--json'])).toBe(2);
  });
});
