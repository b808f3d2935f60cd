/**
 * Policy tuning bench: replays traces through prescale and the three baselines only, with the
 * forecasts cached on disk, so a change to a policy (not to the forecaster) is measured in
 * seconds instead of minutes. Prints prescale's frontier, the baselines' default points and the
 * two ratios per baseline, then the medians `scripts/check/checkExperimentTargets.ts` checks.
 *
 * Usage: npx tsx scripts/bench/sweepPolicy.ts [--refresh] [--cache DIR] TRACE...
 *   --refresh   recompute the forecasts (do this after any change to the forecaster)
 *   --cache     where forecasts are kept (default reports/forecast-cache)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../../models/backtest/metrics.ts';
import type { TickForecasts } from '../../models/experiment/forecastSource.ts';
import { planExperiment, type ExperimentPlan } from '../../models/experiment/plan.ts';
import { runExperiment } from '../../models/experiment/runExperiment.ts';
import { computeTickForecasts, lastObservedPerOrigin } from '../../models/experiment/tickForecasts.ts';
import { BASELINES } from '../../models/experiment/strategies/catalogue.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { fixed, formatTable } from '../../cli/lib/table.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    refresh: { type: 'boolean', default: false },
    cache: { type: 'string', default: 'reports/forecast-cache' },
  },
});
if (positionals.length === 0) {
  process.stderr.write('usage: npx tsx scripts/bench/sweepPolicy.ts [--refresh] [--cache DIR] TRACE...\n');
  process.exit(2);
}

interface CachedForecasts extends Omit<TickForecasts, 'mean' | 'lower' | 'upper' | 'lastObserved'> {
  mean: number[];
  lower: Record<string, number[]>;
  upper: Record<string, number[]>;
}

function toFloat(record: Record<string, number[]>): Record<number, Float64Array> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [Number(k), Float64Array.from(v)]));
}

async function forecastsFor(name: string, plan: ExperimentPlan): Promise<TickForecasts> {
  const file = join(values.cache, `${name}.json`);
  if (!values.refresh && existsSync(file)) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CachedForecasts;
    if (c.firstOrigin === plan.firstOrigin && c.horizonSteps === plan.horizonSteps) {
      return {
        ...c,
        mean: Float64Array.from(c.mean),
        lower: toFloat(c.lower),
        upper: toFloat(c.upper),
        lastObserved: lastObservedPerOrigin(plan.forecastSeries.values, c.firstOrigin, c.origins),
      };
    }
  }
  process.stderr.write(`${name}: forecasting (cached in ${file} afterwards)\n`);
  const { forecasts } = await computeTickForecasts(plan);
  mkdirSync(values.cache, { recursive: true });
  const plain = (r: Readonly<Record<number, Float64Array>>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v)]));
  writeFileSync(
    file,
    JSON.stringify({
      ...forecasts,
      lastObserved: undefined,
      mean: Array.from(forecasts.mean),
      lower: plain(forecasts.lower),
      upper: plain(forecasts.upper),
    }),
  );
  return forecasts;
}

const ratios: Record<string, { u: number | null; c: number | null }[]> = Object.fromEntries(
  BASELINES.map((b) => [b, []]),
);
const xOracle: number[] = [];
for (const file of positionals) {
  const input = await readSeriesFile(file);
  const plan = planExperiment(input.series, input.name);
  const forecasts = await forecastsFor(input.name, plan);
  const outcome = await runExperiment({
    trace: plan.trace,
    forecasts,
    config: plan.config,
    strategies: [...BASELINES, 'prescale', 'oracle'],
  });
  const oracle = outcome.oracleInstanceHours;
  const prescale = outcome.strategies.find((s) => s.name === 'prescale');
  if (prescale === undefined) throw new Error('prescale did not run');
  process.stdout.write(`\n${input.name} (oracle ${oracle.toFixed(0)} instance-hours)\n`);
  const rows = prescale.runs.map((r) => [
    `prescale ${r.knob}${r.knob === prescale.defaultKnob ? ' (default)' : ''}`,
    fixed(r.metrics.instanceHours / oracle, 3),
    fixed(r.metrics.underProvisionedPct, 3),
    '',
  ]);
  for (const b of BASELINES) {
    const s = outcome.strategies.find((o) => o.name === b);
    const v = outcome.vs[b];
    if (s === undefined || v === undefined) continue;
    rows.push([
      `${b} ${s.defaultKnob}`,
      fixed(s.defaultRun.metrics.instanceHours / oracle, 3),
      fixed(s.defaultRun.metrics.underProvisionedPct, 3),
      `U ${fixed(v.underProvisionedRatioAtEqualCost, 4)}  C ${fixed(v.costRatioAtEqualUnderProvisioning, 4)}${v.extrapolated ? ' *' : ''}`,
    ]);
    ratios[b].push({ u: v.underProvisionedRatioAtEqualCost, c: v.costRatioAtEqualUnderProvisioning });
  }
  xOracle.push(prescale.defaultRun.metrics.instanceHours / oracle);
  process.stdout.write(`${formatTable(['setting', 'x oracle', 'under-prov %', 'prescale vs it'], rows)}\n`);
}

const med = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length > 0 ? median(v) : NaN;
};
process.stdout.write(`\nmedians over ${positionals.length} traces\n`);
process.stdout.write(
  `${formatTable(
    ['baseline', 'U (<= 0.5)', 'C (<= 0.85)'],
    BASELINES.map((b) => [b, fixed(med(ratios[b].map((r) => r.u)), 4), fixed(med(ratios[b].map((r) => r.c)), 4)]),
  )}\n`,
);
process.stdout.write(`prescale default x oracle, median: ${fixed(median(xOracle), 3)} (<= 1.3)\n`);
