import type { ExperimentPlan } from '../../models/experiment/plan.ts';
import type { ExperimentOutcome } from '../../models/experiment/runExperiment.ts';
import { fixed, formatTable } from '../lib/table.ts';

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
    `Trace ${name}: ${plan.trainingDays} days to train, ${plan.evaluationDays.toFixed(1)} days evaluated; ` +
      `${fixed(c.fleet.capacityPerInstance, 1)} load units/min per instance, boot ${c.bootSeconds} s, ` +
      `group ${c.fleet.minSize}..${c.fleet.maxSize}; ${timing.totalSeconds.toFixed(1)} s ` +
      `(forecasting ${timing.forecastSeconds.toFixed(1)} s, ${timing.trainings} trainings)\n`,
  );
  out.push('Default settings\n');
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
    out.push('\nprescale against each baseline at its default setting (below 1 favours prescale)\n');
    out.push(
      formatTable(
        ['baseline', 'under-prov ratio at equal cost', 'cost ratio at equal under-prov', 'extrapolated'],
        vs.map(([b, r]) => [
          b,
          fixed(r.underProvisionedRatioAtEqualCost, 3),
          fixed(r.costRatioAtEqualUnderProvisioning, 3),
          r.extrapolated ? 'yes' : 'no',
        ]),
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
