import type { ExperimentPlan } from '../../models/experiment/plan.ts';
import type { ExperimentOutcome } from '../../models/experiment/runExperiment.ts';
import { fixed, formatTable } from '../lib/table.ts';
import { sloCostComparison } from '../../models/experiment/recommend.ts';
import { FRONTIER_MAX_UNDER_PROVISIONED_PCT } from '../../models/experiment/frontier.ts';
import type { Slo } from '../../models/experiment/slo.ts';
import { recommendationJson } from './deployable.ts';

/** The SLO in words, e.g. "at most 0.1% of demand unserved". */
export function sloText(slo: Slo): string {
  const minutes =
    slo.underProvisionedPct === undefined ? '' : ` and ${slo.underProvisionedPct}% of minutes under-provisioned`;
  return `at most ${slo.unservedPct}% of demand unserved${minutes}`;
}

const VERDICTS = {
  prescale: 'turn on prescale',
  'stay-reactive': 'stay reactive',
  'aws-predictive': 'use AWS predictive scaling',
} as const;

/** The verdict and its evidence at the SLO, for the terminal. */
function renderVerdict(plan: ExperimentPlan, outcome: ExperimentOutcome): string[] {
  const out: string[] = [];
  const r = outcome.recommendation;
  if (r !== undefined) {
    const j = recommendationJson(r, plan);
    const e = r.evaluation;
    const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');
    out.push(
      `Recommendation at the SLO (${sloText(r.slo)}), chosen on the history ${day(j.tunedOn.start)} to ${day(j.tunedOn.end)} UTC:`,
      `  ${VERDICTS[r.verdict]}: ${r.strategy} at ${r.knob}${r.metSloOnHistory ? '' : ' (no setting served all of the history: the closest)'}`,
      `  ${j.construct}: ${JSON.stringify(j.props)}`,
      `  evaluation window: ${fixed(e.unservedPct, 3)}% unserved, ${fixed(e.underProvisionedPct, 2)}% of minutes under-provisioned, ` +
        `${fixed(e.instanceHours, 1)} instance-hours (${fixed(e.costVsOracle, 2)} x oracle): ${r.meetsSlo ? 'meets the SLO' : 'MISSES the SLO'}`,
    );
    if (r.bestBaseline !== null)
      out.push(
        `  against the best baseline tuned the same way (${r.bestBaseline.strategy} at ${r.bestBaseline.knob}): ${fixed(r.vsBestBaseline, 3)}x; ` +
          `against the cheapest baseline setting meeting the SLO in hindsight: ${fixed(r.vsBestBaselineHindsight, 3)}x`,
      );
    out.push('');
  }
  const at = Object.entries(outcome.atSlo);
  if (at.length === 0) return out;
  out.push(
    `Cost at the SLO: hindsight = the cheapest setting meeting it on the evaluation window; tuned = the setting the history chose
`,
  );
  out.push(
    formatTable(
      [
        'strategy',
        'hindsight knob',
        'inst-h',
        'x oracle',
        'tuned knob',
        'inst-h',
        'x oracle',
        'unserved %',
        'meets SLO',
      ],
      at.map(([name, a]) => [
        name,
        a.hindsight === null ? 'none meets' : `${a.hindsight.knob}`,
        fixed(a.hindsight?.evaluation.instanceHours ?? null, 1),
        fixed(a.hindsight?.evaluation.costVsOracle ?? null, 2),
        `${a.tuned.knob}${a.tuned.metSloOnHistory ? '' : ' (closest)'}`,
        fixed(a.tuned.evaluation.instanceHours, 1),
        fixed(a.tuned.evaluation.costVsOracle, 2),
        fixed(a.tuned.evaluation.unservedPct, 3),
        a.tuned.meetsSlo ? 'yes' : 'no',
      ]),
    ),
  );
  const cmp = sloCostComparison(outcome.atSlo);
  out.push(
    `
prescale at the SLO over the best baseline (below 1 favours prescale): hindsight ${fixed(cmp.hindsight.ratio, 3)}` +
      `${cmp.hindsight.bestBaseline === null ? '' : ` (vs ${cmp.hindsight.bestBaseline.strategy} at ${cmp.hindsight.bestBaseline.knob})`}` +
      `, tuned on the history ${fixed(cmp.tuned.ratio, 3)}` +
      `${cmp.tuned.bestBaseline === null ? '' : ` (vs ${cmp.tuned.bestBaseline.strategy} at ${cmp.tuned.bestBaseline.knob})`}`,
  );
  return out;
}

/** The experiment's terminal output: the setup line, the strategies at their defaults, the frontier and the comparisons. */
export function renderTables(
  name: string,
  plan: ExperimentPlan,
  outcome: ExperimentOutcome,
  timing: { totalSeconds: number; forecastSeconds: number; trainings: number },
): string {
  const c = plan.config;
  const out: string[] = [];
  out.push(
    `Trace ${name}: ${plan.trainingDays} days of history (settings tuned on its last ${plan.tuningDays}), ${plan.evaluationDays.toFixed(1)} days evaluated; ` +
      `${fixed(c.fleet.capacityPerInstance, 1)} load units/min per instance, boot ${c.bootSeconds} s, ` +
      `group ${c.fleet.minSize}..${c.fleet.maxSize}; ${timing.totalSeconds.toFixed(1)} s ` +
      `(forecasting ${timing.forecastSeconds.toFixed(1)} s, ${timing.trainings} trainings)\n`,
  );
  out.push(...renderVerdict(plan, outcome));
  out.push('\nDefault settings\n');
  out.push(
    formatTable(
      [
        'strategy',
        'knob',
        'inst-h',
        'cost $',
        'x oracle',
        'under-prov %',
        'unserved %',
        'slack %',
        'actions',
        'p95 CPU %',
        'max inst',
      ],
      outcome.strategies.map((s) => {
        const m = s.defaultRun.metrics;
        return [
          s.name,
          s.name === 'oracle' ? '-' : `${s.defaultKnob}`,
          fixed(m.instanceHours, 1),
          fixed(m.costUsd, 2),
          fixed(m.costVsOracle, 2),
          fixed(m.underProvisionedPct, 2),
          fixed(m.unservedPct, 3),
          fixed(m.slackPct, 1),
          String(m.scalingActions),
          fixed(m.p95Utilization, 1),
          String(m.maxInstances),
        ];
      }),
    ),
  );
  const vs = Object.entries(outcome.vs);
  if (vs.length > 0) {
    out.push(
      `\nprescale's frontier against each baseline (below 1 favours prescale): at the baseline's default setting, ` +
        `and over every baseline setting with at most ${FRONTIER_MAX_UNDER_PROVISIONED_PCT}% of minutes under-provisioned\n`,
    );
    out.push(
      formatTable(
        [
          'baseline',
          'default: under-prov ratio at equal cost',
          'cost ratio at equal under-prov',
          'extrapolated',
          'settings',
          'cost ratio median',
          'worst',
        ],
        vs.map(([b, r]) => {
          const f = outcome.frontierVs[b as keyof typeof outcome.frontierVs];
          return [
            b,
            fixed(r.underProvisionedRatioAtEqualCost, 3),
            fixed(r.costRatioAtEqualUnderProvisioning, 3),
            r.extrapolated ? 'yes' : 'no',
            f === undefined ? '-' : `${f.compared} of ${f.settings}`,
            fixed(f?.median ?? null, 3),
            fixed(f?.worst ?? null, 3),
          ];
        }),
      ),
    );
  }
  out.push('\nFrontiers (every setting; * on the cost / under-provisioning Pareto front)\n');
  out.push(
    formatTable(
      ['strategy', 'knob', 'value', 'inst-h', 'under-prov %', 'unserved %'],
      outcome.strategies.flatMap((s) =>
        s.frontier.map((p) => [
          s.name,
          s.knobName,
          `${p.knob}${s.paretoFrontier.includes(p) ? '*' : ''}${p.knob === s.defaultKnob ? ' (default)' : ''}`,
          fixed(p.instanceHours, 1),
          fixed(p.underProvisionedPct, 2),
          fixed(p.unservedPct, 3),
        ]),
      ),
    ),
  );
  return `${out.join('\n')}\n`;
}
