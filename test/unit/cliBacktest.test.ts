import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBacktestArgs } from '../../cli/commands/backtest.ts';
import { main } from '../../cli/main.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';
import { captureOutput } from '../helpers/captureOutput.ts';

function writeCsv(days: number): string {
  const series = syntheticLoad(days, 3);
  const lines = ['timestamp,value'];
  series.values.forEach((v, i) => {
    lines.push(`${new Date((series.startSeconds + i * 300) * 1000).toISOString()},${v.toFixed(3)}`);
  });
  const file = join(mkdtempSync(join(tmpdir(), 'prescale-cli-')), 'toy_load.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const output = captureOutput();

describe('prescale backtest arguments', () => {
  it('defaults to every model and both horizons', () => {
    const args = parseBacktestArgs(['a.csv']);
    expect(args.models).toEqual(['naive', 'snaive', 'arima', 'lstm', 'ensemble']);
    expect(args.horizons).toEqual(['short', 'day']);
    expect(args.members).toEqual(['arima', 'lstm', 'naive', 'ses']);
  });

  it('names a bad model, horizon or job count and exits 2', async () => {
    expect(await main(['backtest', '--models', 'naive,prophet', 'a.csv'])).toBe(2);
    expect(output.stderr).toMatch(/unknown model 'prophet'/);
    expect(await main(['backtest', '--horizon', 'week', 'a.csv'])).toBe(2);
    expect(output.stderr).toMatch(/--horizon must be short, day or both, got 'week'/);
    expect(await main(['backtest', '--jobs', '0', 'a.csv'])).toBe(2);
    expect(await main(['backtest', '--members', 'arima,ensemble', 'a.csv'])).toBe(2);
    expect(output.stderr).toMatch(/bad ensemble member 'ensemble'/);
    expect(await main(['backtest'])).toBe(2);
    expect(output.stderr).toMatch(/no series FILE given/);
  });

  it('fails with the file name when a series cannot be read', async () => {
    expect(await main(['backtest', '--models', 'naive', '/nonexistent/load.csv'])).toBe(1);
    expect(output.stderr).toMatch(/\/nonexistent\/load\.csv/);
  });

  it('prints help', async () => {
    expect(await main(['backtest', '--help'])).toBe(0);
    expect(output.stdout).toMatch(/Usage: prescale backtest/);
    expect(await main(['nope'])).toBe(2);
    expect(output.stderr).toMatch(/unknown command 'nope'/);
  });
});

describe('prescale backtest --json', () => {
  it('prints one row per series, model and horizon with the protocol fields', async () => {
    const file = writeCsv(9);
    expect(await main(['backtest', '--json', '--jobs', '1', '--models', 'naive,snaive', file])).toBe(0);
    const out = JSON.parse(output.stdout) as { protocol: string; results: Record<string, unknown>[] };
    expect(out.protocol).toBe('rolling-origin-v1');
    expect(out.results.map((r) => `${r.horizon}/${r.model}`)).toEqual([
      'short/naive',
      'short/snaive',
      'day/naive',
      'day/snaive',
    ]);
    for (const row of out.results) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining([
          'series',
          'model',
          'horizon',
          'mase',
          'smape',
          'rmse',
          'cov80',
          'cov95',
          'relwidth80',
          'fit_ms_median',
          'n_origins',
          'failures',
        ]),
      );
      expect(row.series).toBe('toy_load');
      // 9 days of 5-minute data: T_j = 2592 - 288 - (28 - j)·72 >= 2016 keeps j = 24..28
      expect(row.n_origins).toBe(5);
      expect(row.failures).toBe(0);
    }
  });
});
