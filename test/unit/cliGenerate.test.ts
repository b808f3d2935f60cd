import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { generateTrace } from '../../models/series/synthetic.ts';
import { main } from '../../cli/main.ts';
import { parseInterval } from '../../cli/commands/generate.ts';
import { captureOutput } from '../helpers/captureOutput.ts';

const tempFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'prescale-gen-')), name);

const output = captureOutput();

describe('prescale generate', () => {
  it('writes a CSV the series reader takes back, and summarizes it with --json', async () => {
    const out = tempFile('trace.csv');
    expect(
      await main([
        'generate',
        '--days',
        '3',
        '--interval',
        '15m',
        '--seed',
        '2',
        '--flash-crowds-per-week',
        '7',
        '--out',
        out,
        '--json',
      ]),
    ).toBe(0);
    const summary = JSON.parse(output.stdout) as { events: { kind: string; start: string }[] };
    expect(summary).toMatchObject({ out, points: 288, intervalSeconds: 900, days: 3, seed: 2 });
    expect(summary.events.filter((e) => e.kind === 'flash-crowd')).toHaveLength(3);
    expect(summary.events[0].start).toMatch(/^2026-01-0[5-7]T\d\d:\d\d:00Z$/);
    expect(readFileSync(out, 'utf8').split('\n').slice(0, 2)).toEqual([
      'timestamp,value',
      expect.stringMatching(/^2026-01-05T00:00:00Z,\d+\.\d\d$/),
    ]);

    const { series, report } = await readSeriesFile(out);
    expect(series.startSeconds).toBe(Date.UTC(2026, 0, 5) / 1000);
    expect(series.stepSeconds).toBe(900);
    expect(report.filledSlots).toBe(0);
    const expected = generateTrace({ days: 3, intervalSeconds: 900, seed: 2, flashCrowdsPerWeek: 7 }).values;
    expect(series.values.length).toBe(expected.length);
    series.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 2));
  });

  it('writes the CSV to standard output without --out', async () => {
    expect(await main(['generate', '--days', '1', '--interval', '1h'])).toBe(0);
    const lines = output.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(25);
    expect(lines[24]).toMatch(/^2026-01-05T23:00:00Z,/);
    expect(output.stderr).toBe(''); // not a terminal
  });

  it('prints a one-line summary to standard error on a terminal', async () => {
    const original = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      expect(
        await main(['generate', '--days', '7', '--promotions-per-week', '1', '--flash-crowds-per-week', '2']),
      ).toBe(0);
    } finally {
      if (original === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY;
      else Object.defineProperty(process.stderr, 'isTTY', original);
    }
    expect(output.stderr).toBe('generated 2016 points (7 days at 300 s), 1 promotions and 2 flash crowds\n');
  });

  it.each([
    ['60', 60],
    ['60s', 60],
    ['1m', 60],
    ['5m', 300],
    ['15M', 900],
    ['1h', 3600],
  ])('reads --interval %s as %d s', (text, seconds) => {
    expect(parseInterval(text)).toBe(seconds);
  });

  it('names a bad flag and its value and exits 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--interval', '7m'], /--interval must be whole minutes from 1m to 1h that divide a day, got '7m'/],
      [['--interval', '90s'], /--interval must be whole minutes .* got '90s'/],
      [['--interval', '2h'], /--interval must be whole minutes .* got '2h'/],
      [['--interval', 'soon'], /--interval must look like 60, 60s, 5m or 1h, got 'soon'/],
      [['--trend', 'up'], /--trend must be a number, got 'up'/],
      [['--base', '0'], /--base must be positive, got '0'/],
      [['--days=-1'], /--days must be a positive integer, got '-1'/],
      [['--flash-crowd-peak', '0.5'], /--flash-crowd-peak must be at least 1, got '0.5'/],
      [['--json'], /--json .* needs --out FILE/],
      [['--colour'], /Unknown option '--colour'/],
    ];
    for (const [argv, message] of cases) {
      output.stderr = '';
      expect(await main(['generate', ...argv])).toBe(2);
      expect(output.stderr).toMatch(message);
      expect(output.stderr).toMatch(/Usage: prescale generate/);
    }
  });

  it('is listed in the help', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(output.stdout).toMatch(/generate +write a synthetic load trace/);
    output.stdout = '';
    expect(await main(['generate', '--help'])).toBe(0);
    expect(output.stdout).toMatch(/--flash-crowds-per-week N/);
  });
});
