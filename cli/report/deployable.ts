import type { Recommendation } from '../../models/experiment/recommend.ts';
import type { StrategyName } from '../../models/experiment/strategies/catalogue.ts';
import { requestsPerTarget } from '../../models/experiment/strategies/catalogue.ts';
import type { ExperimentPlan } from '../../models/experiment/plan.ts';
import { hedgeSetting, PRESCALE_POLICY } from '../../models/policy/defaults.ts';
import { SCALE_IN_GAP_PCT } from '../../models/policy/reactive.ts';
import { scalerEnvironment, type Environment } from '../../lambdas/common/env.ts';

/** How to deploy one strategy's setting: the construct (or CDK method), its props, the scaler's environment. */
export interface Deployable {
  /** What to write in the CDK app. */
  readonly construct: string;
  readonly props: Record<string, unknown>;
  /** The PRESCALE_* values the scaler Lambda runs with (prescale only; the construct sets them from the props). */
  readonly env: Environment;
}

/** An ALB target group's RequestCount, the load a request trace stands for (the name is the user's). */
const REQUEST_COUNT_METRIC = {
  namespace: 'AWS/ApplicationELB',
  metricName: 'RequestCount',
  dimensions: { TargetGroup: 'targetgroup/<your-target-group>/<id>' },
  stat: 'Sum',
};

/** The construct props and environment that deploy a strategy at one setting. */
export function deployable(strategy: StrategyName, knob: number, plan: ExperimentPlan): Deployable {
  const c = plan.config;
  const capacity = c.fleet.capacityPerInstance;
  switch (strategy) {
    case 'prescale': {
      const s = hedgeSetting(knob);
      const requests = c.loadMetric !== 'total-cpu';
      // The props PredictiveScaling takes (Durations written as the CDK code that makes them); its
      // default reactive fallback is the one this setting was simulated with (prescaleFallback).
      const props = {
        mode: 'forecast-and-scale',
        policy: PRESCALE_POLICY.kind,
        quantilePct: s.quantilePct,
        targetUtilizationPct: s.targetUtilizationPct,
        ...(s.observedFloorPct > 0 ? { observedFloorPct: s.observedFloorPct } : {}),
        ...(s.observedPeakSeconds > 0 ? { observedPeakHold: `Duration.seconds(${s.observedPeakSeconds})` } : {}),
        ...(requests ? { loadMetric: REQUEST_COUNT_METRIC, capacityPerInstance: round(capacity) } : {}),
        ...(c.bootSeconds !== 300 ? { bootLeadTime: `Duration.seconds(${c.bootSeconds})` } : {}),
        ...(c.tickSeconds !== 300 ? { tick: `Duration.seconds(${c.tickSeconds})` } : {}),
      };
      const env = scalerEnvironment({
        mode: 'forecast-and-scale',
        load: requests ? REQUEST_COUNT_METRIC : 'total-cpu',
        policy: {
          kind: PRESCALE_POLICY.kind,
          capacityPerInstance: requests ? round(capacity) : 100,
          targetUtilizationPct: s.targetUtilizationPct,
          quantilePct: s.quantilePct,
          observedFloorPct: s.observedFloorPct,
          observedPeakSeconds: s.observedPeakSeconds > 0 ? s.observedPeakSeconds : undefined,
          bootSeconds: c.bootSeconds,
          tickSeconds: c.tickSeconds,
        },
      });
      return { construct: 'PredictiveScaling (prescale)', props, env };
    }
    case 'reactive-step':
      return {
        construct: 'ReactiveScaling (prescale), definition: reactiveScaling({ scaleOutPct, scaleInPct })',
        props: { scaleOutPct: knob, scaleInPct: knob - SCALE_IN_GAP_PCT },
        env: {},
      };
    case 'target-tracking':
      return {
        construct: 'AutoScalingGroup.scaleOnCpuUtilization (aws-cdk-lib)',
        props: { targetUtilizationPercent: knob },
        env: {},
      };
    case 'target-tracking-requests':
      return {
        construct: 'AutoScalingGroup.scaleOnRequestCount (aws-cdk-lib)',
        props: { targetRequestsPerMinute: round(requestsPerTarget({ fleet: c.fleet }, knob)) },
        env: {},
      };
    case 'aws-predictive':
      return {
        construct: 'CfnScalingPolicy PredictiveScaling, with scaleOnCpuUtilization at the same target (aws-cdk-lib)',
        props: {
          policyType: 'PredictiveScaling',
          predictiveScalingConfiguration: {
            mode: 'ForecastAndScale',
            schedulingBufferTime: c.bootSeconds,
            metricSpecifications: [
              { targetValue: knob, predefinedMetricPairSpecification: { predefinedMetricType: 'ASGCPUUtilization' } },
            ],
          },
          targetUtilizationPercent: knob,
        },
        env: {},
      };
    default:
      return { construct: strategy, props: { knob }, env: {} };
  }
}

/** The `--json` recommendation: what to deploy, how, and how it did. */
export function recommendationJson(r: Recommendation, plan: ExperimentPlan) {
  const pick = (m: Recommendation['evaluation']) => ({
    unservedPct: m.unservedPct,
    underProvisionedPct: m.underProvisionedPct,
    instanceHours: m.instanceHours,
    costVsOracle: m.costVsOracle,
  });
  const d = deployable(r.strategy, r.knob, plan);
  return {
    verdict: r.verdict,
    strategy: r.strategy,
    knob: r.knob,
    construct: d.construct,
    props: d.props,
    env: d.env,
    slo: r.slo,
    tunedOn: { start: iso(r.tunedOn.startSeconds), end: iso(r.tunedOn.endSeconds) },
    metSloOnHistory: r.metSloOnHistory,
    history: pick(r.history),
    evaluation: pick(r.evaluation),
    meetsSlo: r.meetsSlo,
    bestBaseline: r.bestBaseline,
    vsBestBaseline: r.vsBestBaseline,
    vsBestBaselineHindsight: r.vsBestBaselineHindsight,
  };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const round = (v: number) => Number(v.toPrecision(6));
