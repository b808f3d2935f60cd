import { MetricAlarm } from './alarm.ts';
import { CpuMetric } from './CpuMetric.ts';
import { resolveFleetConfig, validateSetup, type ResolvedFleetConfig } from './defaults.ts';
import { Instances } from './Instances.ts';
import { clampCapacity, findStep, stepPolicyCapacity } from './stepScaling.ts';
import { trackingAlarms, trackingScaleIn, trackingScaleOut, TT_SCALE_IN_DATAPOINTS } from './targetTracking.ts';
import type {
  Controller,
  DemandTrace,
  GroupView,
  ScalingAction,
  SimulationResult,
  SimulationSetup,
  StepScalingPolicy,
} from './types.ts';

/**
 * Replay a demand trace through an EC2 Auto Scaling group on a one-minute clock. Each minute,
 * in this order:
 * 1. instances move on (boot done -> warming, warm-up done -> warm);
 * 2. controllers due this minute run, in the order given, and their updates apply at once;
 * 3. every alarm with a newly visible datapoint evaluates and, in ALARM, invokes its policy:
 *    the step scale-out policy, the step scale-in policy, then target tracking out and in
 *    (a scale-in sees a scale-out made earlier in the same minute as in progress);
 * 4. the group launches or terminates toward desired capacity;
 * 5. the minute's demand meets the instances serving, and the warm ones' CPU is recorded.
 * So a controller and a policy acting in the same minute both act, the policy last, and a
 * datapoint is acted on no earlier than the minute after its period ended plus the delay.
 */
export function simulate(trace: DemandTrace, setup: SimulationSetup): SimulationResult {
  const fleet = resolveFleetConfig(setup.fleet);
  validateSetup(trace, setup, fleet);
  const stepMinutes = trace.stepSeconds / 60;
  const minutes = trace.values.length * stepMinutes;
  const start = trace.startSeconds;
  const out = allocate(minutes);
  const group = new Group(fleet);

  const metrics: CpuMetric[] = [];
  const metricFor = (periodSeconds: number): CpuMetric => {
    let m = metrics.find((x) => x.periodSeconds === periodSeconds);
    if (m === undefined) metrics.push((m = new CpuMetric(periodSeconds, fleet.metricDelaySeconds, start, minutes)));
    return m;
  };
  const stepPolicies =
    setup.reactive === undefined
      ? []
      : [
          stepPolicyRunner(
            setup.reactive.scaleOut,
            'scale-out-policy',
            metricFor(setup.reactive.scaleOut.alarm.periodSeconds),
          ),
          stepPolicyRunner(
            setup.reactive.scaleIn,
            'scale-in-policy',
            metricFor(setup.reactive.scaleIn.alarm.periodSeconds),
          ),
        ];
  const tracking = setup.targetTracking;
  let lastTrackingScaleIn = -Infinity;
  const ttMetric = tracking === undefined ? undefined : metricFor(fleet.metricPeriodSeconds);
  const ttAlarms = tracking === undefined ? undefined : trackingAlarms(tracking, fleet.metricPeriodSeconds);
  const ttHigh = ttAlarms === undefined ? undefined : new MetricAlarm(ttAlarms.high);
  const ttLow = ttAlarms === undefined ? undefined : new MetricAlarm(ttAlarms.low);
  const controllers = setup.controllers ?? [];
  const instances = group.instances;

  for (let t = 0; t < minutes; t++) {
    const now = start + 60 * t;
    instances.advance(now);

    for (const controller of controllers) {
      if ((60 * t) % controller.tickSeconds === 0)
        group.runController(controller, now, stepPolicies[0]?.alarm.inAlarm ?? false);
    }

    for (const p of stepPolicies) {
      if (!p.alarm.poll(p.metric.values, p.metric.newestVisible(now))) continue;
      const to = stepPolicyCapacity(p.policy, p.alarm.metricValue, group.stepContext());
      if (to !== undefined) group.setDesired(now, to, p.source, p.reason());
    }
    if (tracking !== undefined && ttMetric !== undefined && ttHigh !== undefined && ttLow !== undefined) {
      const target = tracking.targetUtilizationPct;
      const newest = ttMetric.newestVisible(now);
      if (ttHigh.poll(ttMetric.values, newest)) {
        const to = trackingScaleOut(instances.warm, ttHigh.metricValue, target, group.desired);
        if (to !== undefined)
          group.setDesired(now, to, 'target-tracking', `CPU ${ttHigh.metricValue.toFixed(1)}% above target ${target}%`);
      }
      // After a scale-in the low alarm stays in ALARM on datapoints from before it; acting on
      // them again would remove capacity for load it never saw. Target tracking scales in
      // gradually: the next scale-in waits until the alarm's whole window was measured after it.
      const freshSinceScaleIn =
        now - lastTrackingScaleIn >= TT_SCALE_IN_DATAPOINTS * ttMetric.periodSeconds + fleet.metricDelaySeconds;
      if (
        ttLow.poll(ttMetric.values, newest) &&
        tracking.disableScaleIn !== true &&
        group.pendingCount() === 0 &&
        freshSinceScaleIn
      ) {
        const to = trackingScaleIn(group.desired, ttLow.metricValue, target);
        if (to !== undefined) {
          group.setDesired(now, to, 'target-tracking', `CPU ${ttLow.metricValue.toFixed(1)}% below target ${target}%`);
          lastTrackingScaleIn = now;
        }
      }
    }

    const topUpSeconds = group.reconcile(now);

    const demand = trace.values[Math.floor(t / stepMinutes)] / stepMinutes;
    const serving = instances.warming + instances.warm;
    const capacity = serving * fleet.capacityPerInstance;
    const cpu = serving > 0 ? Math.min(100, (100 * demand) / capacity) : demand > 0 ? 100 : 0;
    const warmCpu = instances.warm > 0 ? cpu : NaN;
    for (let i = 0; i < metrics.length; i++) metrics[i].addMinute(now, warmCpu);
    out.demand[t] = demand;
    out.served[t] = Math.min(demand, capacity);
    out.servingCount[t] = serving;
    out.billedCount[t] = instances.total;
    out.billedSeconds[t] = 60 * instances.total + topUpSeconds;
    out.desiredCapacity[t] = group.desired;
    out.minSize[t] = group.minSize;
    out.cpuPct[t] = cpu;
  }
  return { startSeconds: start, minutes, ...out, actions: group.actions };
}

/** The group's settings (MinSize, desired capacity) and instances, and the log of changes. */
class Group {
  readonly instances: Instances;
  readonly actions: ScalingAction[] = [];
  minSize: number;
  desired: number;

  constructor(private readonly fleet: ResolvedFleetConfig) {
    this.instances = new Instances(fleet.bootSeconds, fleet.warmupSeconds);
    this.instances.addWarm(fleet.initialCapacity);
    this.minSize = fleet.minSize;
    this.desired = fleet.initialCapacity;
  }

  /** Instances booting or warming, counting those desired but not launched yet (a scale-out decided this minute). */
  pendingCount(): number {
    return this.instances.pending + Math.max(0, this.desired - this.instances.total);
  }

  stepContext() {
    return {
      warmCount: this.instances.warm,
      pendingCount: this.pendingCount(),
      desiredCapacity: this.desired,
      minSize: this.minSize,
      maxSize: this.fleet.maxSize,
    };
  }

  /** Set desired capacity, clamped to [MinSize, MaxSize], and log the change if any. */
  setDesired(nowSeconds: number, to: number, source: ScalingAction['source'], reason: string): void {
    const clamped = clampCapacity(to, this.minSize, this.fleet.maxSize);
    if (clamped === this.desired) return;
    this.actions.push({ atSeconds: nowSeconds, source, from: this.desired, to: clamped, reason });
    this.desired = clamped;
  }

  /**
   * Run a controller and apply its update as the Auto Scaling API would: a new MinSize (capped
   * at MaxSize) raises desired capacity to it when below; a desired capacity is clamped to
   * [MinSize, MaxSize]. MinSize applies first, so a controller can lower both in one update.
   */
  runController(controller: Controller, nowSeconds: number, scaleOutAlarmActive: boolean): void {
    const i = this.instances;
    const view: GroupView = {
      nowSeconds,
      minSize: this.minSize,
      maxSize: this.fleet.maxSize,
      desiredCapacity: this.desired,
      configuredMinSize: this.fleet.minSize,
      bootingCount: i.booting,
      warmingCount: i.warming,
      inServiceCount: i.warm,
      scaleOutAlarmActive,
    };
    const update = controller.tick(view);
    if (update === undefined) return;
    const reason = update.reason ?? controller.name;
    if (update.minSize !== undefined) {
      this.minSize = Math.min(this.fleet.maxSize, wholeInstances(controller, 'minSize', update.minSize));
      if (this.desired < this.minSize) this.setDesired(nowSeconds, this.minSize, 'controller', reason);
    }
    if (update.desiredCapacity !== undefined) {
      this.setDesired(
        nowSeconds,
        wholeInstances(controller, 'desiredCapacity', update.desiredCapacity),
        'controller',
        reason,
      );
    }
  }

  /** Launch or terminate toward desired capacity; returns the billing top-up of the terminations. */
  reconcile(nowSeconds: number): number {
    const gap = this.desired - this.instances.total;
    if (gap === 0) return 0;
    let topUp = 0;
    if (gap > 0) this.instances.launch(nowSeconds, gap);
    else topUp = this.instances.terminate(nowSeconds, -gap);
    this.instances.advance(nowSeconds); // with no boot time, a launch serves this very minute
    return topUp;
  }
}

function wholeInstances(controller: Controller, field: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new RangeError(
      `controller '${controller.name}' set '${field}' to ${value}; it must be a non-negative whole number`,
    );
  }
  return value;
}

function stepPolicyRunner(
  policy: StepScalingPolicy,
  source: 'scale-out-policy' | 'scale-in-policy',
  metric: CpuMetric,
) {
  const alarm = new MetricAlarm(policy.alarm);
  return {
    policy,
    source,
    metric,
    alarm,
    reason: () => {
      const step = findStep(policy, alarm.metricValue);
      return `CPU ${alarm.metricValue.toFixed(1)}% vs threshold ${policy.alarm.threshold}%: ${policy.adjustmentType} ${step?.adjustment}`;
    },
  };
}

function allocate(minutes: number) {
  return {
    demand: new Float64Array(minutes),
    served: new Float64Array(minutes),
    servingCount: new Float64Array(minutes),
    billedCount: new Float64Array(minutes),
    desiredCapacity: new Float64Array(minutes),
    minSize: new Float64Array(minutes),
    cpuPct: new Float64Array(minutes),
    billedSeconds: new Float64Array(minutes),
  };
}
