/**
 * The SLO bench (issue 12's targets): replays traces through prescale and every baseline, with
 * the forecasts cached on disk (they do not depend on the policy in 'requests' mode), and prints
 * per trace and as medians:
 *  - cost at the SLO in hindsight: prescale's cheapest setting meeting it over the cheapest
 *    setting of any baseline (target: median <= 0.85, never above 1.0);
 *  - frontier against frontier: prescale's cost at equal under-provisioning over every baseline
 *    setting with at most 5% of minutes under-provisioned (target: median <= 0.85, worst <= 1.05);
 *  - the history-tuned recommendation: whether it meets the SLO on the evaluation window (all
 *    traces but at most one) and prescale's tuned setting over its hindsight one (<= 1.15).
 *
 * Usage: npx tsx scripts/bench/sloBench.ts [--refresh] [--cache DIR] [--slo-unserved PCT] [--json] TRACE...
 *   --refresh   recompute the forecasts (do this after any change to the forecaster)
 *   --cache     where forecasts are kept (default reports/forecast-cache)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TickForecasts } from '../../models/experiment/forecastSource.ts';
import { planExperiment, type ExperimentPlan } from '../../models/experiment/plan.ts';
import { runExperiment } from '../../models/experiment/runExperiment.ts';
import { computeTickForecasts, lastObservedPerOrigin } from '../../models/experiment/tickForecasts.ts';
import { BASELINES } from '../../models/experiment/strategies/catalogue.ts';
import { compareWithBaseline, FRONTIER_MAX_UNDER_PROVISIONED_PCT } from '../../models/experiment/frontier.ts';
import { sloCostComparison } from '../../models/experiment/recommend.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { fixed, formatTable } from '../../cli/lib/table.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    refresh: { type: 'boolean', default: false },
    cache: { type: 'string', default: 'reports/forecast-cache' },
    'slo-unserved': { type: 'string', default: '0.1' },
    json: { type: 'boolean', default: false },
  },
});
if (positionals.length === 0) {
  process.stderr.write(
    'usage: npx tsx scripts/bench/sloBench.ts [--refresh] [--cache DIR] [--slo-unserved PCT] [--json] TRACE...\n',
  );
  process.exit(2);
}
const slo = { unservedPct: Number(values['slo-unserved']) };

/** Forecasts as one binary file of float64 arrays (NaN kept) and a JSON header. */
async function forecastsFor(name: string, plan: ExperimentPlan): Promise<TickForecasts> {
  const head = join(values.cache, `${name}.json`);
  const body = join(values.cache, `${name}.bin`);
  const key = {
    firstOrigin: plan.firstOrigin,
    horizonSteps: plan.horizonSteps,
    points: plan.forecastSeries.values.length,
  };
  if (!values.refresh && existsSync(head) && existsSync(body)) {
    const h = JSON.parse(readFileSync(head, 'utf8'));
    if (JSON.stringify(h.key) === JSON.stringify(key)) {
      const buf = readFileSync(body);
      const all = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
      const size = h.origins * h.horizonSteps;
      const part = (i: number) => all.slice(i * size, (i + 1) * size);
      const lower: Record<number, Float64Array> = {};
      const upper: Record<number, Float64Array> = {};
      h.levels.forEach((level: number, i: number) => {
        lower[level] = part(1 + 2 * i);
        upper[level] = part(2 + 2 * i);
      });
      return {
        startSeconds: h.startSeconds,
        stepSeconds: h.stepSeconds,
        kind: h.kind,
        firstOrigin: h.firstOrigin,
        origins: h.origins,
        horizonSteps: h.horizonSteps,
        mean: part(0),
        lower,
        upper,
        lastObserved: lastObservedPerOrigin(plan.forecastSeries.values, h.firstOrigin, h.origins),
        // What computeTickForecasts keeps for each forecast's recent observed load.
        observed: plan.forecastSeries.values,
      };
    }
  }
  process.stderr.write(`${name}: forecasting as production does (cached in ${body} afterwards)\n`);
  const started = performance.now();
  const { forecasts } = await computeTickForecasts(plan);
  process.stderr.write(`${name}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  mkdirSync(values.cache, { recursive: true });
  const levels = Object.keys(forecasts.upper).map(Number);
  const parts = [forecasts.mean, ...levels.flatMap((l) => [forecasts.lower[l], forecasts.upper[l]])];
  writeFileSync(body, Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  const { startSeconds, stepSeconds, kind, firstOrigin, origins, horizonSteps } = forecasts;
  writeFileSync(
    head,
    JSON.stringify({ key, levels, startSeconds, stepSeconds, kind, firstOrigin, origins, horizonSteps }),
  );
  return forecasts;
}

const median = (xs: readonly number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  const n = v.length;
  return n === 0 ? null : n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
};

const rows: Record<string, unknown>[] = [];
for (const file of positionals) {
  const input = await readSeriesFile(file);
  const plan = planExperiment(input.series, input.name);
  const forecasts = await forecastsFor(input.name, plan);
  const outcome = await runExperiment({
    trace: plan.trace,
    forecasts,
    config: plan.config,
    strategies: [...BASELINES, 'prescale', 'oracle'],
    slo,
  });
  const prescale = outcome.strategies.find((s) => s.name === 'prescale');
  if (prescale === undefined) throw new Error('prescale did not run');
  // Frontier against frontier, every baseline's settings pooled.
  const pooled: number[] = [];
  for (const b of BASELINES) {
    const s = outcome.strategies.find((o) => o.name === b);
    for (const p of s?.frontier ?? []) {
      if (p.underProvisionedPct > FRONTIER_MAX_UNDER_PROVISIONED_PCT) continue;
      const r = compareWithBaseline(prescale.frontier, p).costRatioAtEqualUnderProvisioning;
      if (r !== null) pooled.push(r);
    }
  }
  const cmp = sloCostComparison(outcome.atSlo);
  const at = outcome.atSlo.prescale;
  const rec = outcome.recommendation;
  rows.push({
    trace: input.name,
    // Every setting's figures on both windows, for choosing rules tried offline.
    runs: outcome.strategies.map((s) => ({
      name: s.name,
      runs: s.runs.map((r) => ({
        knob: r.knob,
        history: {
          hours: r.history.instanceHours,
          unserved: r.history.unservedPct,
          under: r.history.underProvisionedPct,
        },
        evaluation: {
          hours: r.metrics.instanceHours,
          unserved: r.metrics.unservedPct,
          under: r.metrics.underProvisionedPct,
        },
      })),
    })),
    days: { history: plan.trainingDays, tuned: plan.tuningDays, evaluated: Number(plan.evaluationDays.toFixed(2)) },
    hindsight: {
      ratio: cmp.hindsight.ratio,
      prescaleKnob: cmp.hindsight.prescale?.knob ?? null,
      bestBaseline: cmp.hindsight.bestBaseline,
    },
    frontier: { settings: pooled.length, median: median(pooled), worst: pooled.length ? Math.max(...pooled) : null },
    tuned: {
      prescaleKnob: at?.tuned.knob ?? null,
      prescaleMeetsSlo: at?.tuned.meetsSlo ?? null,
      prescaleUnservedPct: at?.tuned.evaluation.unservedPct ?? null,
      prescaleVsHindsight:
        at?.hindsight == null ? null : at.tuned.evaluation.instanceHours / at.hindsight.evaluation.instanceHours,
      ratioVsBestBaselineTuned: cmp.tuned.ratio,
    },
    recommendation:
      rec === undefined
        ? null
        : {
            verdict: rec.verdict,
            strategy: rec.strategy,
            knob: rec.knob,
            meetsSlo: rec.meetsSlo,
            unservedPct: rec.evaluation.unservedPct,
            costVsOracle: rec.evaluation.costVsOracle,
            vsBestBaseline: rec.vsBestBaseline,
            vsBestBaselineHindsight: rec.vsBestBaselineHindsight,
          },
  });
}

type Row = {
  trace: string;
  hindsight: {
    ratio: number | null;
    prescaleKnob: number | null;
    bestBaseline: { strategy: string; knob: number } | null;
  };
  frontier: { settings: number; median: number | null; worst: number | null };
  tuned: {
    prescaleKnob: number | null;
    prescaleMeetsSlo: boolean | null;
    prescaleUnservedPct: number | null;
    prescaleVsHindsight: number | null;
  };
  recommendation: { verdict: string; strategy: string; knob: number; meetsSlo: boolean; unservedPct: number } | null;
};
const typed = rows as Row[];
const num = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
const summary = {
  slo,
  hindsightRatioMedian: median(num(typed.map((r) => r.hindsight.ratio))),
  hindsightRatioWorst: Math.max(...num(typed.map((r) => r.hindsight.ratio))),
  frontierMedianOfMedians: median(num(typed.map((r) => r.frontier.median))),
  frontierWorst: Math.max(...num(typed.map((r) => r.frontier.worst))),
  recommendationMeetsSlo: `${typed.filter((r) => r.recommendation?.meetsSlo).length} of ${typed.length}`,
  prescaleTunedMeetsSlo: `${typed.filter((r) => r.tuned.prescaleMeetsSlo).length} of ${typed.length}`,
  prescaleTunedVsHindsightMedian: median(num(typed.map((r) => r.tuned.prescaleVsHindsight))),
};
if (values.json) {
  process.stdout.write(`${JSON.stringify({ traces: rows, summary })}\n`);
} else {
  process.stdout.write(
    `${formatTable(
      [
        'trace',
        'at SLO: prescale / best baseline (hindsight)',
        'frontier median',
        'worst',
        'tuned prescale',
        'meets',
        'vs its hindsight',
        'recommendation',
        'meets',
      ],
      typed.map((r) => [
        r.trace,
        `${fixed(r.hindsight.ratio, 3)} (${r.hindsight.prescaleKnob ?? '-'} vs ${r.hindsight.bestBaseline ? `${r.hindsight.bestBaseline.strategy} ${r.hindsight.bestBaseline.knob}` : '-'})`,
        fixed(r.frontier.median, 3),
        fixed(r.frontier.worst, 3),
        `${r.tuned.prescaleKnob ?? '-'} (${fixed(r.tuned.prescaleUnservedPct, 3)}% unserved)`,
        r.tuned.prescaleMeetsSlo ? 'yes' : 'no',
        fixed(r.tuned.prescaleVsHindsight, 3),
        r.recommendation ? `${r.recommendation.verdict}: ${r.recommendation.strategy} ${r.recommendation.knob}` : '-',
        r.recommendation?.meetsSlo ? 'yes' : 'no',
      ]),
    )}\n\n${JSON.stringify(summary, null, 2)}\n`,
  );
}
