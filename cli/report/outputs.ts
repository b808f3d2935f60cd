import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TickForecasts } from '../../models/experiment/forecastSource.ts';
import type { ExperimentPlan } from '../../models/experiment/plan.ts';
import type { ExperimentOutcome } from '../../models/experiment/runExperiment.ts';
import { renderReportHtml, type ReportData } from './report.ts';
import { sloCostComparison } from '../../models/experiment/recommend.ts';
import type { StrategyMetrics } from '../../models/experiment/metrics.ts';
import { recommendationJson } from './deployable.ts';

export interface ExperimentTiming {
  readonly forecastSeconds: number;
  readonly totalSeconds: number;
  readonly trainings: number;
  readonly forecastFailures: number;
}

/** The `--json` document and metrics.json: default-setting metrics, frontiers, ratios. */
export function experimentJson(
  trace: string,
  plan: ExperimentPlan,
  outcome: ExperimentOutcome,
  timing: ExperimentTiming,
) {
  const c = plan.config;
  return {
    trace,
    config: {
      capacityPerInstance: c.fleet.capacityPerInstance,
      targetUtilizationPct: c.targetUtilizationPct,
      bootSeconds: c.bootSeconds,
      warmupSeconds: c.fleet.warmupSeconds,
      tickSeconds: c.tickSeconds,
      minSize: c.fleet.minSize,
      maxSize: c.fleet.maxSize,
      pricePerInstanceHour: c.pricePerInstanceHour,
      metricDelaySeconds: c.metricDelaySeconds,
      traceStepSeconds: plan.trace.stepSeconds,
      forecastStepSeconds: plan.forecastSeries.stepSeconds,
      trainingDays: plan.trainingDays,
      tuningDays: plan.tuningDays,
      evaluationDays: plan.evaluationDays,
      tuningStart: new Date(c.tuningStartSeconds * 1000).toISOString(),
      evaluationStart: new Date(c.evaluationStartSeconds * 1000).toISOString(),
    },
    slo: outcome.slo,
    recommendation: outcome.recommendation === undefined ? null : recommendationJson(outcome.recommendation, plan),
    costAtSlo: sloCostComparison(outcome.atSlo),
    atSlo: Object.fromEntries(
      Object.entries(outcome.atSlo).map(([name, at]) => [
        name,
        {
          hindsight: at.hindsight === null ? null : { knob: at.hindsight.knob, ...sloFigures(at.hindsight.evaluation) },
          tuned: {
            knob: at.tuned.knob,
            metSloOnHistory: at.tuned.metSloOnHistory,
            meetsSlo: at.tuned.meetsSlo,
            history: sloFigures(at.tuned.history),
            evaluation: sloFigures(at.tuned.evaluation),
          },
        },
      ]),
    ),
    frontierVs: outcome.frontierVs,
    strategies: outcome.strategies.map((s) => ({
      name: s.name,
      knobName: s.knobName,
      knob: s.defaultKnob,
      ...s.defaultRun.metrics,
      frontier: s.frontier,
    })),
    default: 'prescale',
    vs: outcome.vs,
    oracleInstanceHours: outcome.oracleInstanceHours,
    timing,
  };
}

function sloFigures(m: StrategyMetrics) {
  return {
    unservedPct: m.unservedPct,
    underProvisionedPct: m.underProvisionedPct,
    instanceHours: m.instanceHours,
    costVsOracle: m.costVsOracle,
  };
}

/** metrics.csv: one row per strategy and setting. */
export function metricsCsv(outcome: ExperimentOutcome): string {
  const header = [
    'strategy',
    'knob_name',
    'knob',
    'is_default',
    'instanceHours',
    'costUsd',
    'costVsOracle',
    'underProvisionedPct',
    'unservedPct',
    'slackPct',
    'scalingActions',
    'p95Utilization',
    'maxInstances',
    'history_instanceHours',
    'history_underProvisionedPct',
    'history_unservedPct',
  ];
  const rows = outcome.strategies.flatMap((s) =>
    s.runs.map((r) => {
      const m = r.metrics;
      return [
        s.name,
        `"${s.knobName}"`,
        r.knob,
        r.knob === s.defaultKnob,
        m.instanceHours,
        m.costUsd,
        m.costVsOracle ?? '',
        m.underProvisionedPct,
        m.unservedPct,
        m.slackPct,
        m.scalingActions,
        m.p95Utilization,
        m.maxInstances,
        r.history.instanceHours,
        r.history.underProvisionedPct,
        r.history.unservedPct,
      ].join(',');
    }),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

/** The forecast the scaler planned each interval with (made a boot time ahead), as a per-minute rate. */
function plannedForecast(
  plan: ExperimentPlan,
  forecasts: TickForecasts,
): NonNullable<ReportData['timeline']['forecast']> | undefined {
  if (forecasts.origins === 0) return undefined;
  const step = forecasts.stepSeconds;
  const lead = Math.min(
    forecasts.horizonSteps - 1,
    Math.ceil((plan.config.bootSeconds + plan.config.metricDelaySeconds) / step),
  );
  const n = plan.forecastSeries.values.length;
  const mean = new Float64Array(n).fill(NaN);
  const lower80 = new Float64Array(n).fill(NaN);
  const upper80 = new Float64Array(n).fill(NaN);
  const perMinute = 60 / step;
  for (let i = 0; i < n; i++) {
    const origin = i - lead;
    if (origin < forecasts.firstOrigin || origin >= forecasts.firstOrigin + forecasts.origins) continue;
    const at = (origin - forecasts.firstOrigin) * forecasts.horizonSteps + lead;
    mean[i] = forecasts.mean[at] * perMinute;
    lower80[i] = (forecasts.lower[80]?.[at] ?? NaN) * perMinute;
    upper80[i] = (forecasts.upper[80]?.[at] ?? NaN) * perMinute;
  }
  return { startSeconds: forecasts.startSeconds, stepSeconds: step, mean, lower80, upper80 };
}

export async function writeExperimentOutputs(
  dir: string,
  trace: string,
  plan: ExperimentPlan,
  outcome: ExperimentOutcome,
  forecasts: TickForecasts,
  timing: ExperimentTiming,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const json = experimentJson(trace, plan, outcome, timing);
  const cap = plan.config.fleet.capacityPerInstance;
  const anyRun = outcome.strategies.find((s) => s.defaultRun.simulation !== undefined)?.defaultRun.simulation;
  const data: ReportData = {
    trace,
    generatedAt: new Date().toISOString(),
    config: Object.fromEntries(
      Object.entries(json.config)
        .filter((e): e is [string, string | number] => e[1] !== undefined)
        .map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(4)) : v]),
    ),
    strategies: outcome.strategies.map((s) => ({
      name: s.name,
      description: s.description,
      knobName: s.knobName,
      defaultKnob: s.defaultKnob,
      metrics: s.defaultRun.metrics,
      frontier: s.frontier,
    })),
    defaultStrategy: 'prescale',
    decision: {
      slo: json.slo,
      recommendation: json.recommendation,
      atSlo: json.atSlo,
      costAtSlo: json.costAtSlo,
      frontierVs: json.frontierVs,
    },
    vs: outcome.vs,
    timeline: {
      startSeconds: plan.trace.startSeconds,
      evaluationStartSeconds: plan.config.evaluationStartSeconds,
      demandPerMinute: anyRun?.demand ?? new Float64Array(0),
      capacityPerMinute: Object.fromEntries(
        outcome.strategies
          .filter((s) => s.defaultRun.simulation !== undefined)
          .map((s) => [
            s.name,
            (s.defaultRun.simulation as NonNullable<typeof s.defaultRun.simulation>).servingCount.map((n) => n * cap),
          ]),
      ),
      forecast: plannedForecast(plan, forecasts),
    },
  };
  await writeFile(join(dir, 'report.html'), await renderReportHtml(data));
  await writeFile(join(dir, 'metrics.csv'), metricsCsv(outcome));
  await writeFile(join(dir, 'metrics.json'), `${JSON.stringify(json, null, 2)}\n`);
}
