/**
 * Benchmark of the forecasts the A/B harness needs: rollingForecasts (the production ensemble by
 * default) at every 5-minute tick over the last 14 days of a 4-week trace, retrained daily on
 * the last 14 days, conditioned every tick. Prints the wall time (trainings included), per-tick
 * times, and the forecasts' MASE and interval coverage over the evaluation part; then the slow
 * reference path (ARIMA refitted every tick, every daily training from scratch) on one day of
 * those ticks against the fast path's forecasts for the same ticks.
 * Usage: npx tsx scripts/bench/benchRolling.ts FILE [--model M] [--days 28] [--slow-days 1] [--json]
 *        (FILE: 5-minute data of at least 15 days, longer than the bundled traces, e.g. NAB's
 *        Twitter_volume_AAPL.csv;
 *        --slow-days 0 skips the reference run, which takes ~2 min per day)
 * Single process; timings are noisy on a busy machine: repeat.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { coverage, mase, mean, median, seasonalScale } from '../../models/backtest/metrics.ts';
import { initTfBackend } from '../../models/forecast/lstm/backend.ts';
import { isModelName } from '../../models/forecast/registry.ts';
import {
  forecastAt,
  rollingForecasts,
  type RollingForecasts,
  type RollingOptions,
} from '../../models/forecast/rollingForecasts.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { slice, stepsPerDay, type RegularSeries } from '../../models/series/types.ts';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: 'ensemble' },
    days: { type: 'string', default: '28' },
    'slow-days': { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (file === undefined) {
  process.stderr.write(
    'usage: npx tsx scripts/bench/benchRolling.ts FILE [--model M] [--days 28] [--slow-days 1] [--json]\n',
  );
  process.exit(2);
}
const model = flags.model;
if (!isModelName(model)) throw new RangeError(`--model: unknown model '${model}'`);
const json = flags.json;
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};

const backend = await initTfBackend();
const { name, series: whole } = await readSeriesFile(file);
const m = stepsPerDay(whole.stepSeconds);
const days = Number(flags.days);
const series = slice(whole, 0, Math.min(whole.values.length, days * m));
const firstOrigin = series.values.length - 14 * m;
if (firstOrigin < m)
  throw new RangeError(
    `${file} has ${whole.values.length} points: too short for 14 days of evaluation after a day of history`,
  );
const H = 12;
const levels = [50, 80, 90, 95, 99];

/** rollingForecasts with the time each origin took (trainings included where they happen). */
async function timed(
  s: RegularSeries,
  options: RollingOptions,
): Promise<{ result: RollingForecasts; wallMs: number; tickMs: number[] }> {
  const tickMs: number[] = [];
  const t0 = performance.now();
  let last = t0;
  const result = await rollingForecasts(s, {
    ...options,
    onProgress: (done, total) => {
      const now = performance.now();
      tickMs.push(now - last);
      last = now;
      if (!json && process.stderr.isTTY && done % 96 === 0) process.stderr.write(`\r  ${done}/${total}`);
    },
  });
  if (!json && process.stderr.isTTY) process.stderr.write('\r');
  return { result, wallMs: performance.now() - t0, tickMs };
}

/** MASE (scale: the 14 days before the origin) and coverage over origins [from, to) that have H actuals. */
function score(result: RollingForecasts, from: number, to: number) {
  const y = whole.values;
  const mases: number[] = [],
    cov80: number[] = [],
    cov95: number[] = [];
  for (let origin = from; origin < to && origin + H <= y.length; origin++) {
    const f = forecastAt(result, origin);
    const actual = y.subarray(origin, origin + H);
    const v = mase(actual, f.mean, seasonalScale(y.subarray(Math.max(0, origin - 14 * m), origin), m));
    if (v !== undefined) mases.push(v);
    cov80.push(coverage(actual, f.lower[80], f.upper[80]));
    cov95.push(coverage(actual, f.lower[95], f.upper[95]));
  }
  return { scored: cov80.length, mase: mean(mases), cov80: mean(cov80), cov95: mean(cov95) };
}

log(`${name}: ${series.values.length} points, ${model}, origins ${firstOrigin}..${series.values.length} (${backend})`);
const fast = await timed(series, { firstOrigin, horizonSteps: H, levels, model, seed: 0 });
// A tick that retrained takes seconds; the others are the scaler's per-tick work.
const trainingTicks = fast.tickMs.filter((ms) => ms > 1000);
const plainTicks = fast.tickMs.filter((ms) => ms <= 1000);
const fastScore = score(fast.result, firstOrigin, series.values.length);
log(
  `fast path: ${(fast.wallMs / 1000).toFixed(1)} s for ${fast.result.origins} origins, ${fast.result.trainings} trainings ` +
    `(first ${((trainingTicks[0] ?? NaN) / 1000).toFixed(1)} s, then median ${(median(trainingTicks.slice(1)) / 1000).toFixed(1)} s), per tick median ${median(plainTicks).toFixed(2)} ms ` +
    `(p99 ${quantile(plainTicks, 0.99).toFixed(1)} ms), failures ${fast.result.failures}`,
);
log(
  `  ${fastScore.scored} scored origins: MASE ${fastScore.mase.toFixed(3)}, cov80 ${fastScore.cov80.toFixed(3)}, cov95 ${fastScore.cov95.toFixed(3)}`,
);

// The reference path on the second evaluation day (so the fast path's training there was warm-started).
const slowDays = Number(flags['slow-days']);
let slow:
  | {
      wallMs: number;
      perTickMs: number;
      trainings: number;
      score: ReturnType<typeof score>;
      fastScore: ReturnType<typeof score>;
    }
  | undefined;
if (slowDays > 0) {
  const from = firstOrigin + m;
  const to = Math.min(series.values.length, from + slowDays * m);
  // End the series one step before `to` so the last origin does not start another training.
  const run = await timed(slice(series, 0, to - 1), {
    firstOrigin: from,
    horizonSteps: H,
    levels,
    model,
    seed: 0,
    arimaCondition: 'refit',
    warmStart: false,
  });
  slow = {
    wallMs: run.wallMs,
    perTickMs: median(run.tickMs.filter((ms) => ms <= 1000 || run.tickMs.length < 2)),
    trainings: run.result.trainings,
    score: score(run.result, from, to - 1),
    fastScore: score(fast.result, from, to - 1),
  };
  log(
    `slow path (arima refit every tick, training from scratch) over ${run.result.origins} origins from day 2: ` +
      `${(run.wallMs / 1000).toFixed(1)} s, per tick median ${slow.perTickMs.toFixed(1)} ms`,
  );
  log(
    `  same origins: slow MASE ${slow.score.mase.toFixed(3)} cov80 ${slow.score.cov80.toFixed(3)} cov95 ${slow.score.cov95.toFixed(3)}` +
      ` | fast MASE ${slow.fastScore.mase.toFixed(3)} cov80 ${slow.fastScore.cov80.toFixed(3)} cov95 ${slow.fastScore.cov95.toFixed(3)}`,
  );
}

if (json) {
  process.stdout.write(
    `${JSON.stringify({
      series: name,
      model,
      backend,
      points: series.values.length,
      firstOrigin,
      horizonSteps: H,
      fast: {
        wallMs: fast.wallMs,
        origins: fast.result.origins,
        trainings: fast.result.trainings,
        failures: fast.result.failures,
        trainingMsMedian: median(trainingTicks),
        tickMsMedian: median(plainTicks),
        tickMsP99: quantile(plainTicks, 0.99),
        ...fastScore,
      },
      slow,
    })}\n`,
  );
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
