/**
 * Copy this research cache's forecasts into scripts/bench/sloBench.ts's cache format
 * (reports/forecast-cache/NAME.json + NAME.bin), so the bench need not forecast again.
 * Usage: npx tsx scripts/research/toSloBenchCache.ts TRACE...
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planExperiment } from '../../models/experiment/plan.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { cachedTickForecasts } from './forecastCache.ts';

const dir = 'reports/forecast-cache';
mkdirSync(dir, { recursive: true });
for (const path of process.argv.slice(2)) {
  const input = await readSeriesFile(path);
  const plan = planExperiment(input.series, input.name);
  const f = await cachedTickForecasts(input.name, plan);
  const key = {
    firstOrigin: plan.firstOrigin,
    horizonSteps: plan.horizonSteps,
    points: plan.forecastSeries.values.length,
  };
  const levels = Object.keys(f.upper).map(Number);
  const parts = [f.mean, ...levels.flatMap((l) => [f.lower[l], f.upper[l]])];
  writeFileSync(
    join(dir, `${input.name}.bin`),
    Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))),
  );
  const { startSeconds, stepSeconds, kind, firstOrigin, origins, horizonSteps } = f;
  writeFileSync(
    join(dir, `${input.name}.json`),
    JSON.stringify({ key, levels, startSeconds, stepSeconds, kind, firstOrigin, origins, horizonSteps }),
  );
  process.stdout.write(`${input.name}: copied\n`);
}
