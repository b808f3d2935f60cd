import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { parseTwinArgs } from '../../cli/commands/twin.ts';
import { captureOutput } from '../helpers/captureOutput.ts';

const output = captureOutput();

describe('prescale twin arguments', () => {
  it('defaults to two days of the bundled trace in requests mode, bundling this checkout', () => {
    expect(parseTwinArgs([])).toEqual({
      trace: 'data/elb_request_count_8c0756.csv',
      days: 2,
      capacityPerInstance: 'auto',
      loadMetric: 'requests',
      bundleDir: undefined,
      json: false,
    });
    expect(
      parseTwinArgs(['--days', '0.5', '--load-metric', 'total-cpu', '--capacity-per-instance', '12']),
    ).toMatchObject({ days: 0.5, loadMetric: 'total-cpu', capacityPerInstance: 12 });
  });

  it('refuses bad values naming the flag and the value', async () => {
    expect(await main(['twin', '--days', '0'])).toBe(2);
    expect(output.stderr).toMatch(/--days must be a positive number, got '0'/);
    expect(await main(['twin', '--load-metric', 'cpu'])).toBe(2);
    expect(output.stderr).toMatch(/--load-metric must be one of requests, total-cpu, got 'cpu'/);
    expect(await main(['twin', '--capacity-per-instance', 'lots'])).toBe(2);
    expect(output.stderr).toMatch(/--capacity-per-instance must be a positive number or 'auto', got 'lots'/);
  });

  it('is listed in the help and has its own', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(output.stdout).toMatch(/twin +run the bundled Lambdas against a local AWS endpoint/);
    expect(await main(['twin', '--help'])).toBe(0);
    expect(output.stdout).toMatch(/Usage: prescale twin/);
  });
});
