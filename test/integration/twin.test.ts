import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTwin } from '../../cli/twin/runTwin.ts';
import { bundleAll } from '../../scripts/bundle.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

// A folder of its own: other test files bundle at the same time.
const OUT = mkdtempSync(join(tmpdir(), 'prescale-twin-'));

beforeAll(async () => {
  await bundleAll(OUT);
}, 120_000);

// Eight days of 5-minute requests: four to train on, then the bundled Lambdas take over.
const series = syntheticLoad(8, 5);

describe('prescale twin: the bundled Lambdas against the local endpoint, the group simulated', () => {
  it('makes the decisions the offline experiment makes, tick for tick, in requests mode', async () => {
    const result = await runTwin({
      series,
      name: 'synthetic',
      days: 0.25,
      capacityPerInstance: 'auto',
      loadMetric: 'requests',
      bundleDir: OUT,
    });
    expect(result.ticks).toBe(72);
    expect(result.mismatchList).toEqual([]);
    expect(result.instanceHoursDiffPct).toBe(0);
    expect(result.scalerErrors).toEqual([]);
    // The trainer ran and promoted in both, and the scaler moved the floor: not a comparison of two idle runs.
    expect(result.trainings.twin).toEqual({ runs: 1, promoted: 1 });
    expect(result.trainings.simulated).toEqual({ runs: 1, promoted: 1 });
    expect(result.floorChanges).toBeGreaterThan(0);
    expect(result.iam.calls).toBeGreaterThan(72 * 5);
    expect(result.iam.deniedCalls).toEqual([]);
  }, 240_000);

  it('and in total-CPU mode, where what the scaler reads depends on what it did', async () => {
    const result = await runTwin({
      series,
      name: 'synthetic',
      days: 0.1,
      capacityPerInstance: 'auto',
      loadMetric: 'total-cpu',
      bundleDir: OUT,
    });
    expect(result.ticks).toBe(29);
    expect(result.mismatchList).toEqual([]);
    expect(result.instanceHoursDiffPct).toBe(0);
    expect(result.scalerErrors).toEqual([]);
    expect(result.trainings.twin.promoted).toBe(result.trainings.simulated.promoted);
    expect(result.iam.deniedCalls).toEqual([]);
  }, 240_000);

  it('refuses a --days the trace cannot cover, naming the trace and the limit', async () => {
    await expect(
      runTwin({
        series,
        name: 'synthetic',
        days: 30,
        capacityPerInstance: 'auto',
        loadMetric: 'requests',
        bundleDir: OUT,
      }),
    ).rejects.toThrow(/trace 'synthetic' has 4\.0\d days after the first forecast .*--days must be at most that/);
  });
});
