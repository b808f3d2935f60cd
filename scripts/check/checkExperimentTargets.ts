/**
 * Reads the metrics.json that `prescale experiment --out DIR` wrote for each trace and checks the
 * A/B targets: median over traces, against reactive-step and target-tracking,
 * costRatioAtEqualUnderProvisioning <= 0.85 and underProvisionedRatioAtEqualCost <= 0.5; against
 * aws-predictive both ratios <= 1.0 on every trace; prescale's default setting at most 1.3x the
 * oracle's instance-hours (median).
 * Usage: npx tsx scripts/check/checkExperimentTargets.ts DIR...   (e.g. reports/exp-*)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../../models/backtest/metrics.ts';
import { fixed, formatTable } from '../../cli/lib/table.ts';

interface Ratios {
  underProvisionedRatioAtEqualCost: number | null;
  costRatioAtEqualUnderProvisioning: number | null;
  extrapolated: boolean;
}
interface Metrics {
  trace: string;
  strategies: {
    name: string;
    knob: number;
    instanceHours: number;
    underProvisionedPct: number;
    unservedPct: number;
    costVsOracle: number | null;
  }[];
  vs: Record<string, Ratios>;
  timing?: { totalSeconds: number };
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  process.stderr.write('usage: npx tsx scripts/check/checkExperimentTargets.ts DIR...\n');
  process.exit(2);
}
const runs = dirs.map((d) => JSON.parse(readFileSync(join(d, 'metrics.json'), 'utf8')) as Metrics);
const baselines = ['reactive-step', 'target-tracking', 'aws-predictive'];

process.stdout.write(
  '\nprescale vs each baseline at its default setting (U = under-provisioned ratio at equal cost, C = cost ratio at equal under-provisioning; * extrapolated)\n',
);
process.stdout.write(
  `${formatTable(
    ['trace', ...baselines.flatMap((b) => [`${b} U`, `${b} C`]), 'prescale x oracle', 'seconds'],
    runs.map((r) => [
      r.trace,
      ...baselines.flatMap((b) => {
        const v = r.vs[b];
        const mark = v?.extrapolated ? '*' : '';
        return [
          `${fixed(v?.underProvisionedRatioAtEqualCost, 3)}${mark}`,
          `${fixed(v?.costRatioAtEqualUnderProvisioning, 3)}${mark}`,
        ];
      }),
      fixed(r.strategies.find((s) => s.name === 'prescale')?.costVsOracle, 3),
      fixed(r.timing?.totalSeconds, 0),
    ]),
  )}\n`,
);

const med = (b: string, key: keyof Omit<Ratios, 'extrapolated'>) => {
  const values = runs.map((r) => r.vs[b]?.[key]).filter((v): v is number => typeof v === 'number');
  return values.length > 0 ? median(values) : NaN;
};
const checks: [string, boolean, string][] = [];
for (const b of ['reactive-step', 'target-tracking']) {
  const c = med(b, 'costRatioAtEqualUnderProvisioning');
  const u = med(b, 'underProvisionedRatioAtEqualCost');
  checks.push([`vs ${b}: median cost ratio at equal under-provisioning <= 0.85`, c <= 0.85, fixed(c, 3)]);
  checks.push([`vs ${b}: median under-provisioned ratio at equal cost <= 0.5`, u <= 0.5, fixed(u, 3)]);
}
for (const r of runs) {
  const v = r.vs['aws-predictive'];
  const ok =
    v !== undefined &&
    (v.underProvisionedRatioAtEqualCost ?? 0) <= 1 &&
    (v.costRatioAtEqualUnderProvisioning ?? Infinity) <= 1;
  checks.push([
    `vs aws-predictive on ${r.trace}: both ratios <= 1.0`,
    ok,
    `${fixed(v?.underProvisionedRatioAtEqualCost, 3)} / ${fixed(v?.costRatioAtEqualUnderProvisioning, 3)}`,
  ]);
}
const xOracle = median(runs.map((r) => r.strategies.find((s) => s.name === 'prescale')?.costVsOracle ?? NaN));
checks.push(['prescale default: median instance-hours <= 1.3x oracle', xOracle <= 1.3, fixed(xOracle, 3)]);
process.stdout.write(
  `\n${formatTable(
    ['target', 'met', 'value'],
    checks.map(([name, ok, value]) => [name, ok ? 'yes' : 'NO', value]),
  )}\n`,
);
