import { adjustedCapacity, findStep } from './adjustments.ts';
import { Alarm, CpuMetric } from './cloudwatch.ts';
import { resolveFleetConfig } from './defaults.ts';
import { Instances } from './instances.ts';
import type {
  DemandTrace, GroupView, ScalingAction, SimulationResult, SimulationSetup, StepScalingPolicy, TargetTracking,
} from './types.ts';

/** Target tracking's alarms, as AWS creates them: out after 3 of 3 datapoints above, in after 15 of 15 below. */
const TT_OUT_DATAPOINTS = 3;
const TT_IN_DATAPOINTS = 15;

/**
 * Replay a demand trace through an EC2 Auto Scaling group minute by minute. Each minute, in
 * this order: controllers due this minute apply their updates; alarms evaluate the datapoints
 * published by now and invoke their policies; the group launches or terminates toward desired
 * capacity; then the minute's demand meets the instances serving.
 */
export function simulate(trace: DemandTrace, setup: SimulationSetup): SimulationResult {
  const fleet = resolveFleetConfig(setup.fleet);
  const stepMinutes = trace.stepSeconds / 60;
  if (!Number.isInteger(stepMinutes) || stepMinutes < 1) throw new RangeError(`trace 'stepSeconds' must be whole minutes, got ${trace.stepSeconds}`);
  const minutes = trace.values.length * stepMinutes;
  const start = trace.startSeconds;
  const out = allocate(minutes);
  const actions: ScalingAction[] = [];

  const metrics = new Map<number, CpuMetric>();
  const metricFor = (periodSeconds: number) => {
    let m = metrics.get(periodSeconds);
    if (m === undefined) metrics.set(periodSeconds, m = new CpuMetric(periodSeconds, minutes));
    return m;
  };
  const stepPolicies = setup.reactive === undefined ? [] : [setup.reactive.scaleOut, setup.reactive.scaleIn]
    .map((policy) => ({ policy, alarm: new Alarm(policy.alarm, metricFor(policy.alarm.periodSeconds)) }));
  const tt = setup.targetTracking === undefined ? undefined : trackingAlarms(setup.targetTracking, metricFor(fleet.metricPeriodSeconds));

  const instances = new Instances(fleet.bootSeconds, fleet.warmupSeconds);
  instances.launch(start - fleet.bootSeconds - fleet.warmupSeconds, fleet.initialCapacity);
  let minSize = fleet.minSize;
  let desired = fleet.initialCapacity;
  const setDesired = (now: number, to: number, source: ScalingAction['source'], reason: string) => {
    const clamped = Math.min(fleet.maxSize, Math.max(minSize, to));
    if (clamped !== desired) actions.push({ atSeconds: now, source, from: desired, to: clamped, reason });
    desired = clamped;
  };
  const controllers = setup.controllers ?? [];

  for (let t = 0; t < minutes; t++) {
    const now = start + 60 * t;
    const elapsed = 60 * t;
    let counts = instances.counts(now);

    for (const controller of controllers) {
      if (elapsed % controller.tickSeconds !== 0) continue;
      const update = controller.tick(viewOf(now, counts, minSize, desired, fleet.maxSize, fleet.minSize, stepPolicies[0]?.alarm.inAlarm ?? false));
      if (update === undefined) continue;
      const reason = update.reason ?? controller.name;
      if (update.minSize !== undefined) {
        minSize = Math.min(fleet.maxSize, Math.max(0, Math.round(update.minSize)));
        if (desired < minSize) setDesired(now, minSize, 'controller', reason);
      }
      if (update.desiredCapacity !== undefined) setDesired(now, Math.round(update.desiredCapacity), 'controller', reason);
    }

    const warmingUp = counts.booting + counts.warming > 0;
    for (const { policy, alarm } of stepPolicies) {
      if (!alarm.evaluate(elapsed, fleet.metricDelaySeconds)) continue;
      applyStep(policy, alarm.metricValue, counts.warm, warmingUp, desired, (to, why) => setDesired(now, to, policy === setup.reactive?.scaleOut ? 'scale-out-policy' : 'scale-in-policy', why));
    }
    if (tt !== undefined) {
      const target = tt.definition.targetUtilizationPct;
      if (tt.high.evaluate(elapsed, fleet.metricDelaySeconds) && counts.warm > 0) {
        const wanted = Math.ceil(counts.warm * tt.high.metricValue / target - 1e-9);
        if (wanted > desired) setDesired(now, wanted, 'target-tracking', `CPU ${tt.high.metricValue.toFixed(1)}% above target ${target}%`);
      }
      if (tt.low.evaluate(elapsed, fleet.metricDelaySeconds) && !warmingUp && tt.definition.disableScaleIn !== true) {
        const remove = Math.floor(desired - desired * tt.low.metricValue / target + 1e-9);
        if (remove > 0) setDesired(now, desired - remove, 'target-tracking', `CPU ${tt.low.metricValue.toFixed(1)}% below target ${target}%`);
      }
    }

    const gap = desired - counts.total;
    let sameMinuteTerminations = 0;
    if (gap > 0) instances.launch(now, gap);
    else if (gap < 0) sameMinuteTerminations = instances.terminate(now, -gap);
    if (gap !== 0) counts = instances.counts(now);

    const demand = (trace.values[Math.floor(t / stepMinutes)] / stepMinutes);
    const serving = counts.warming + counts.warm;
    const capacity = serving * fleet.capacityPerInstance;
    const cpu = serving > 0 ? Math.min(100, (100 * demand) / capacity) : demand > 0 ? 100 : 0;
    for (const metric of metrics.values()) metric.addMinute(t, counts.warm > 0 ? cpu : NaN);
    out.demand[t] = demand;
    out.served[t] = Math.min(demand, capacity);
    out.servingCount[t] = serving;
    out.billedCount[t] = counts.total;
    out.billedSeconds[t] = 60 * (counts.total + sameMinuteTerminations);
    out.desiredCapacity[t] = desired;
    out.minSize[t] = minSize;
    out.cpuPct[t] = cpu;
  }
  return { startSeconds: start, minutes, ...out, actions };
}

/**
 * Apply one step policy whose alarm fired. Scaling out, instances still booting or warming up
 * are not part of the current capacity, and desired capacity only rises if the result exceeds
 * it: repeated breaches within one step launch once. Scaling in waits until no instance is
 * booting or warming (a scale-in cannot start while a scale-out is in progress).
 */
function applyStep(
  policy: StepScalingPolicy, metricValue: number, warmCount: number, warmingUp: boolean, desired: number,
  set: (to: number, reason: string) => void,
): void {
  if (Number.isNaN(metricValue)) return;
  const step = findStep(policy, metricValue);
  if (step === undefined) return;
  const scaleOut = policy.alarm.comparison.startsWith('Greater');
  const why = `CPU ${metricValue.toFixed(1)}% vs ${policy.alarm.threshold}%: ${policy.adjustmentType} ${step.adjustment}`;
  if (scaleOut) {
    const to = adjustedCapacity(policy, step, warmCount);
    if (to > desired) set(to, why);
  } else if (!warmingUp) {
    const to = adjustedCapacity(policy, step, desired);
    if (to < desired) set(to, why);
  }
}

function trackingAlarms(definition: TargetTracking, metric: CpuMetric) {
  const target = definition.targetUtilizationPct;
  if (!(target > 0 && target <= 100)) throw new RangeError(`target tracking 'targetUtilizationPct' must be within (0, 100], got ${target}`);
  const periodSeconds = metric.periodSeconds;
  return {
    definition,
    high: new Alarm({ threshold: target, comparison: 'GreaterThanThreshold', periodSeconds, evaluationPeriods: TT_OUT_DATAPOINTS }, metric),
    low: new Alarm({ threshold: target, comparison: 'LessThanThreshold', periodSeconds, evaluationPeriods: TT_IN_DATAPOINTS }, metric),
  };
}

function viewOf(
  nowSeconds: number, counts: { booting: number; warming: number; warm: number }, minSize: number, desiredCapacity: number,
  maxSize: number, configuredMinSize: number, scaleOutAlarmActive: boolean,
): GroupView {
  return {
    nowSeconds, minSize, maxSize, desiredCapacity, configuredMinSize, scaleOutAlarmActive,
    bootingCount: counts.booting, warmingCount: counts.warming, inServiceCount: counts.warm,
  };
}

function allocate(minutes: number) {
  return {
    demand: new Float64Array(minutes), served: new Float64Array(minutes), servingCount: new Float64Array(minutes),
    billedCount: new Float64Array(minutes), desiredCapacity: new Float64Array(minutes), minSize: new Float64Array(minutes),
    cpuPct: new Float64Array(minutes), billedSeconds: new Float64Array(minutes),
  };
}
