/**
 * Research script (not part of the product): prescale variants against the baselines at fine
 * grids, on cached forecasts.
 *
 * Usage: npx tsx scripts/research/compare.ts [--variants a,b] [--json OUT] TRACE...
 *
 * Per trace: each baseline's cheapest instance-hours with unservedPct <= SLO (0.1), each
 * variant's, the ratio variant / best baseline; the frontier ratios (for every baseline setting
 * with underProvisionedPct <= 5: compareWithBaseline(variantPoints, baselinePoint)
 * .costRatioAtEqualUnderProvisioning), median and worst; then medians across traces.
 * Baseline runs are cached (keyed by the source of the fleet/strategy code) in RESEARCH_CACHE.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { planExperiment } from '../../models/experiment/plan.ts';
import { simulateStrategy, strategyContext } from '../../models/experiment/runExperiment.ts';
import { simulate } from '../../models/fleet/runSimulation.ts';
import { windowMetrics } from '../../models/experiment/metrics.ts';
import { compareWithBaseline, type FrontierPoint } from '../../models/experiment/frontier.ts';
import { BASELINES, strategyDefinition, type StrategyName } from '../../models/experiment/strategies/catalogue.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { CACHE_DIR, cachedTickForecasts } from './forecastCache.ts';
import { VARIANTS } from './variants.ts';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    variants: { type: 'string', default: 'prescale' },
    slo: { type: 'string', default: '0.1' },
    json: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const SLO = Number(opts.slo);
const UNDER_MAX = 5;
const range = (a: number, b: number, s: number) =>
  Array.from({ length: Math.floor((b - a) / s) + 1 }, (_, i) => a + i * s);
/** Fine baseline grids: main's (BASELINES, 5 points apart) and reactive-step from 30. */
const BASELINE_GRIDS: Record<string, number[]> = Object.fromEntries(BASELINES.map((b) => [b, []]));
BASELINE_GRIDS['reactive-step'] = range(30, 95, 5);
BASELINE_GRIDS['target-tracking'] = range(20, 95, 5);
BASELINE_GRIDS['aws-predictive'] = range(20, 95, 5);

function sourceHash(): string {
  const h = createHash('sha1');
  for (const dir of ['models/fleet', 'models/experiment/strategies', 'models/policy', 'models/experiment']) {
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.ts')) h.update(readFileSync(join(dir, f)));
  }
  return h.digest('hex').slice(0, 10);
}

const variantNames = opts.variants.split(',');
const summary: Record<string, unknown>[] = [];
const BH = sourceHash();
for (const path of positionals) {
  const input = await readSeriesFile(path);
  const name = input.name;
  const plan = planExperiment(input.series, name);
  const forecasts = await cachedTickForecasts(name, plan);
  const inputs = { trace: plan.trace, forecasts, config: plan.config };
  const ctx = strategyContext(inputs);
  const window = {
    fromMinute: Math.round((plan.config.evaluationStartSeconds - plan.trace.startSeconds) / 60),
    capacityPerInstance: plan.config.fleet.capacityPerInstance,
    pricePerInstanceHour: plan.config.pricePerInstanceHour,
  };
  // Baselines (cached).
  const bfile = join(CACHE_DIR, `baselines-${name}-${BH}.json`);
  let baselines: Record<string, FrontierPoint[]>;
  if (existsSync(bfile)) baselines = JSON.parse(readFileSync(bfile, 'utf8'));
  else {
    baselines = {};
    for (const [b, fine] of Object.entries(BASELINE_GRIDS)) {
      const def = strategyDefinition(b as StrategyName);
      const grid = [...new Set([...fine, ...def.grid(ctx), def.defaultKnob(ctx)])].sort((x, y) => x - y);
      baselines[b] = [];
      for (const knob of grid) {
        const sim = (await simulateStrategy(inputs, ctx, b as StrategyName, knob))!.simulation;
        const m = windowMetrics(sim, window);
        baselines[b].push({
          knob,
          instanceHours: m.instanceHours,
          underProvisionedPct: m.underProvisionedPct,
          unservedPct: m.unservedPct,
        });
      }
    }
    writeFileSync(bfile, JSON.stringify(baselines));
  }
  const cheapest = (pts: FrontierPoint[]) => {
    const ok = pts.filter((p) => p.unservedPct <= SLO).sort((a, b) => a.instanceHours - b.instanceHours);
    return ok[0];
  };
  const bestB = Object.entries(baselines)
    .map(([b, pts]) => ({ b, p: cheapest(pts) }))
    .filter((x) => x.p !== undefined)
    .sort((x, y) => x.p!.instanceHours - y.p!.instanceHours)[0];
  const line: string[] = [];
  for (const [b, pts] of Object.entries(baselines)) {
    const c = cheapest(pts);
    line.push(`${b}=${c ? `${c.instanceHours.toFixed(0)}@${c.knob}` : 'none'}`);
  }
  process.stdout.write(
    `\n== ${name}  best baseline at <=${SLO}% unserved: ${bestB ? `${bestB.b}@${bestB.p!.knob} ${bestB.p!.instanceHours.toFixed(1)}` : 'none'}\n   ${line.join('  ')}\n`,
  );
  for (const v of variantNames) {
    const variant = VARIANTS[v];
    if (variant === undefined) throw new Error(`no variant ${v}`);
    const pts: FrontierPoint[] = [];
    for (const knob of variant.grid) {
      const sim = simulate(plan.trace, variant.setup(ctx, knob));
      const m = windowMetrics(sim, window);
      pts.push({
        knob,
        instanceHours: m.instanceHours,
        underProvisionedPct: m.underProvisionedPct,
        unservedPct: m.unservedPct,
      });
    }
    const c = cheapest(pts);
    const sloRatio = c && bestB ? c.instanceHours / bestB.p!.instanceHours : Infinity;
    const fr: number[] = [];
    const perBaseline: Record<string, number[]> = {};
    for (const [b, bpts] of Object.entries(baselines)) {
      for (const bp of bpts) {
        if (bp.underProvisionedPct > UNDER_MAX) continue;
        const r = compareWithBaseline(pts, bp).costRatioAtEqualUnderProvisioning;
        const x = r === null ? Infinity : r;
        fr.push(x);
        (perBaseline[b] ??= []).push(x);
      }
    }
    const med = median(fr);
    const worst = Math.max(...fr);
    const worstB = Object.entries(perBaseline)
      .map(
        ([b, xs]) =>
          `${b.replace('target-tracking', 'tt').replace('reactive-step', 'rs').replace('aws-predictive', 'ap').replace('tt-requests', 'ttr')}:${Math.max(...xs).toFixed(2)}`,
      )
      .join(' ');
    process.stdout.write(
      `   ${v.padEnd(28)} slo: ${c ? `${c.instanceHours.toFixed(1)}@${c.knob}` : 'none'} ratio ${sloRatio.toFixed(3)}  frontier median ${med.toFixed(3)} worst ${worst.toFixed(3)} (${fr.length} pts; ${worstB})\n`,
    );
    if (!opts.quiet)
      process.stdout.write(
        `      ${pts.map((p) => `${p.knob}:${p.instanceHours.toFixed(0)}/${p.underProvisionedPct.toFixed(2)}/${p.unservedPct.toFixed(3)}`).join(' ')}\n`,
      );
    summary.push({
      trace: name,
      variant: v,
      sloRatio,
      frontierMedian: med,
      frontierWorst: worst,
      cheapest: c,
      best: bestB,
      frontierRatios: fr,
      points: pts,
    });
  }
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

process.stdout.write(`\n== medians across traces\n`);
for (const v of variantNames) {
  const rows = summary.filter((r) => r.variant === v) as {
    sloRatio: number;
    frontierMedian: number;
    frontierWorst: number;
    frontierRatios: number[];
  }[];
  const pooled = rows.flatMap((r) => r.frontierRatios);
  process.stdout.write(
    `   ${v.padEnd(28)} slo ratio median ${median(rows.map((r) => r.sloRatio)).toFixed(3)} max ${Math.max(...rows.map((r) => r.sloRatio)).toFixed(3)} | frontier: median of trace medians ${median(rows.map((r) => r.frontierMedian)).toFixed(3)}, pooled median ${median(pooled).toFixed(3)}, worst ${Math.max(...pooled).toFixed(3)}\n`,
  );
}
if (opts.json) writeFileSync(opts.json, JSON.stringify(summary, null, 1));
