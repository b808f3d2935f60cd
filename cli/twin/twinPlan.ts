import { firstTickAtOrAfter, TOTAL_CPU_PER_INSTANCE } from '../../models/experiment/closedLoop.ts';
import { atLoadStep, forecastStart, planExperiment, type ExperimentPlan } from '../../models/experiment/plan.ts';
import type { LoadMetricMode } from '../../models/experiment/runExperiment.ts';
import type { ForecastPolicy } from '../../models/policy/decide.ts';
import { hedgeSetting, PRESCALE_POLICY } from '../../models/policy/defaults.ts';
import type { RegularSeries } from '../../models/series/types.ts';
import { TwinInputError } from './errors.ts';

const DAY = 86_400;

export interface TwinPlan {
  /** The experiment's plan, cut at the end of the last tick. */
  readonly plan: ExperimentPlan;
  readonly firstTick: number;
  readonly endSeconds: number;
  readonly ticks: number;
  /** The `prescale` strategy's default setting (its hedge). */
  readonly knob: number;
  /** That setting's policy, as the scaler's environment carries it. */
  readonly policy: ForecastPolicy;
  /** The request count as the load balancer publishes it. */
  readonly requests: RegularSeries;
}

/**
 * The twin's run as `prescale experiment` would plan it (capacity per instance, group bounds,
 * the training part), its first forecast at the evaluation window's start, cut at the end of the
 * twin's last tick: every decision
 * before it is causal, so cutting changes none of them.
 */
export function planTwin(options: {
  readonly series: RegularSeries;
  readonly name: string;
  readonly days: number;
  readonly capacityPerInstance: number | 'auto';
  readonly loadMetric: LoadMetricMode;
}): TwinPlan {
  const planned = planExperiment(options.series, options.name, {
    capacityPerInstance: options.capacityPerInstance,
    loadMetric: options.loadMetric,
  });
  // The twin starts where the evaluation does (the experiment forecasts from its tuning window
  // on; the twin need not replay those days to prove the Lambdas decide as the simulation does).
  const start = forecastStart(planned.forecastSeries, planned.config.evaluationStartSeconds, planned.config);
  const plan: ExperimentPlan = {
    ...planned,
    firstOrigin: start.firstOrigin,
    config: {
      ...planned.config,
      forecasting: { ...planned.config.forecasting, firstForecastSeconds: start.firstForecastSeconds },
    },
  };
  const { config } = plan;
  const firstTick = firstTickAtOrAfter(
    plan.trace.startSeconds,
    config.tickSeconds,
    config.forecasting.firstForecastSeconds,
  );
  const ticks = Math.round((options.days * DAY) / config.tickSeconds);
  if (!(ticks >= 1))
    throw new TwinInputError(`--days must cover at least one ${config.tickSeconds}-second tick, got ${options.days}`);
  const endSeconds = firstTick + ticks * config.tickSeconds;
  const traceEnd = plan.trace.startSeconds + plan.trace.values.length * plan.trace.stepSeconds;
  if (endSeconds > traceEnd) {
    throw new TwinInputError(
      `trace '${options.name}' has ${((traceEnd - firstTick) / DAY).toFixed(2)} days after the first forecast ` +
        `(${new Date(firstTick * 1000).toISOString()}); --days must be at most that`,
    );
  }
  const trace = cutAt(plan.trace, endSeconds);
  const cut: ExperimentPlan = { ...plan, trace, forecastSeries: cutAt(plan.forecastSeries, endSeconds) };
  const knob = PRESCALE_POLICY.defaultQuantilePct;
  return {
    plan: cut,
    firstTick,
    endSeconds,
    ticks,
    knob,
    policy: policyOf(cut, knob, options.loadMetric),
    requests: trace.stepSeconds <= 300 ? trace : atLoadStep(trace),
  };
}

/** The intervals of a series that start before `endSeconds`. */
function cutAt(
  s: { readonly startSeconds: number; readonly stepSeconds: number; readonly values: ArrayLike<number> },
  endSeconds: number,
): RegularSeries {
  return {
    startSeconds: s.startSeconds,
    stepSeconds: s.stepSeconds,
    values: Float64Array.from(s.values).slice(0, Math.ceil((endSeconds - s.startSeconds) / s.stepSeconds)),
  };
}

/** The policy the offline `prescale` strategy runs at `knob` (strategies/catalogue.ts). */
function policyOf(plan: ExperimentPlan, knob: number, mode: LoadMetricMode): ForecastPolicy {
  const setting = hedgeSetting(knob);
  return {
    kind: PRESCALE_POLICY.kind,
    capacityPerInstance: mode === 'total-cpu' ? TOTAL_CPU_PER_INSTANCE : plan.config.fleet.capacityPerInstance,
    targetUtilizationPct: setting.targetUtilizationPct,
    quantilePct: setting.quantilePct,
    observedFloorPct: setting.observedFloorPct,
    ...(setting.observedPeakSeconds > 0 ? { observedPeakSeconds: setting.observedPeakSeconds } : {}),
    bootSeconds: plan.config.bootSeconds,
    tickSeconds: plan.config.tickSeconds,
  };
}
