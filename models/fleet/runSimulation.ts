import { MetricAlarm } from './alarm.ts';
import { CpuMetric } from './CpuMetric.ts';
import { TOTAL_CPU_PERIOD_SECONDS, TotalCpuMetric } from './TotalCpuMetric.ts';
import { resolveFleetConfig, validateSetup, type ResolvedFleetConfig } from './defaults.ts';
import { Instances } from './Instances.ts';
import { clampCapacity, findStep, stepPolicyCapacity } from './stepScaling.ts';
import {
  trackingAlarms,
  trackingScaleIn,
  trackingScaleOut,
  trackingTarget,
  TT_SCALE_IN_DATAPOINTS,
} from './targetTracking.ts';
import { RequestsPerTargetMetric } from './RequestsPerTargetMetric.ts';
import type {
  Controller,
  DemandTrace,
  GroupView,
  ScalingAction,
  SimulationResult,
  SimulationSetup,
  StepScalingPolicy,
  TargetTracking,
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
  const run = new FleetSimulation(trace, setup);
  while (run.step());
  return run.result();
}

/**
 * The same simulation one minute at a time, for drivers that must act between minutes: the
 * closed-loop experiment (forecasts made from what the group published so far) and the twin
 * (the real Lambdas against a local AWS endpoint). `step()` runs the minute `nowSeconds`.
 */
export class FleetSimulation {
  readonly minutes: number;
  /** Total CPU as CloudWatch shows it to the scaler (5-minute periods, see TotalCpuMetric). */
  readonly totalCpu: TotalCpuMetric;
  private t = 0;
  private readonly fleet: ResolvedFleetConfig;
  private readonly stepMinutes: number;
  private readonly out: ReturnType<typeof allocate>;
  private readonly group: Group;
  private readonly metrics: CpuMetric[] = [];
  private readonly stepPolicies: ReturnType<typeof stepPolicyRunner>[];
  private readonly tracking?: TargetTracking;
  private readonly ttMetric?: CpuMetric | RequestsPerTargetMetric;
  private readonly ttHigh?: MetricAlarm;
  private readonly ttLow?: MetricAlarm;
  private lastTrackingScaleIn = -Infinity;

  constructor(
    private readonly trace: DemandTrace,
    private readonly setup: SimulationSetup,
  ) {
    const fleet = (this.fleet = resolveFleetConfig(setup.fleet));
    validateSetup(trace, setup, fleet);
    this.stepMinutes = trace.stepSeconds / 60;
    this.minutes = trace.values.length * this.stepMinutes;
    this.out = allocate(this.minutes);
    this.group = new Group(fleet);
    this.totalCpu = new TotalCpuMetric(
      TOTAL_CPU_PERIOD_SECONDS,
      fleet.metricDelaySeconds,
      trace.startSeconds,
      this.minutes,
    );
    this.stepPolicies =
      setup.reactive === undefined
        ? []
        : [
            stepPolicyRunner(
              setup.reactive.scaleOut,
              'scale-out-policy',
              this.metricFor(setup.reactive.scaleOut.alarm.periodSeconds),
            ),
            stepPolicyRunner(
              setup.reactive.scaleIn,
              'scale-in-policy',
              this.metricFor(setup.reactive.scaleIn.alarm.periodSeconds),
            ),
          ];
    this.tracking = setup.targetTracking;
    if (this.tracking !== undefined) {
      this.ttMetric =
        this.tracking.metric === 'request-count-per-target'
          ? new RequestsPerTargetMetric(
              fleet.metricPeriodSeconds,
              fleet.metricDelaySeconds,
              trace.startSeconds,
              this.minutes,
            )
          : this.metricFor(fleet.metricPeriodSeconds);
      const alarms = trackingAlarms(this.tracking, fleet.metricPeriodSeconds);
      this.ttHigh = new MetricAlarm(alarms.high);
      this.ttLow = new MetricAlarm(alarms.low);
    }
  }

  /** The start of the next minute `step()` runs. */
  get nowSeconds(): number {
    return this.trace.startSeconds + 60 * this.t;
  }

  /** Whether the reactive scale-out alarm is in ALARM now (false without one). */
  get scaleOutAlarmActive(): boolean {
    return this.stepPolicies[0]?.alarm.inAlarm ?? false;
  }

  /** Run one minute; false once the trace is over. */
  step(): boolean {
    if (this.t >= this.minutes) return false;
    const { fleet, group, out, t } = this;
    const instances = group.instances;
    const now = this.nowSeconds;
    instances.advance(now);

    for (const controller of this.setup.controllers ?? []) {
      if ((60 * t) % controller.tickSeconds === 0) group.runController(controller, now, this.scaleOutAlarmActive);
    }

    for (const p of this.stepPolicies) {
      if (!p.alarm.poll(p.metric.values, p.metric.newestVisible(now))) continue;
      const to = stepPolicyCapacity(p.policy, p.alarm.metricValue, group.stepContext());
      if (to !== undefined) group.setDesired(now, to, p.source, p.reason());
    }
    const { tracking, ttMetric, ttHigh, ttLow } = this;
    if (tracking !== undefined && ttMetric !== undefined && ttHigh !== undefined && ttLow !== undefined) {
      const target = trackingTarget(tracking);
      const onRequests = tracking.metric === 'request-count-per-target';
      const what = (value: number) =>
        onRequests ? `${value.toFixed(1)} requests per target` : `CPU ${value.toFixed(1)}%`;
      const newest = ttMetric.newestVisible(now);
      if (ttHigh.poll(ttMetric.values, newest)) {
        // Instances in warm-up are not counted as current capacity (AWS), whichever the metric.
        const to = trackingScaleOut(instances.warm, ttHigh.metricValue, target, group.desired);
        if (to !== undefined)
          group.setDesired(now, to, 'target-tracking', `${what(ttHigh.metricValue)} above target ${target}`);
      }
      // After a scale-in the low alarm stays in ALARM on datapoints from before it; acting on
      // them again would remove capacity for load it never saw. Target tracking scales in
      // gradually: the next scale-in waits until the alarm's whole window was measured after it.
      const freshSinceScaleIn =
        now - this.lastTrackingScaleIn >= TT_SCALE_IN_DATAPOINTS * ttMetric.periodSeconds + fleet.metricDelaySeconds;
      if (
        ttLow.poll(ttMetric.values, newest) &&
        tracking.disableScaleIn !== true &&
        group.pendingCount() === 0 &&
        freshSinceScaleIn
      ) {
        const to = trackingScaleIn(group.desired, ttLow.metricValue, target);
        if (to !== undefined) {
          group.setDesired(now, to, 'target-tracking', `${what(ttLow.metricValue)} below target ${target}`);
          this.lastTrackingScaleIn = now;
        }
      }
    }

    const topUpSeconds = group.reconcile(now);

    const demand = this.trace.values[Math.floor(t / this.stepMinutes)] / this.stepMinutes;
    const serving = instances.warming + instances.warm;
    const capacity = serving * fleet.capacityPerInstance;
    const cpu = serving > 0 ? Math.min(100, (100 * demand) / capacity) : demand > 0 ? 100 : 0;
    const warmCpu = instances.warm > 0 ? cpu : NaN;
    for (let i = 0; i < this.metrics.length; i++) this.metrics[i].addMinute(now, warmCpu);
    if (this.ttMetric instanceof RequestsPerTargetMetric) this.ttMetric.addMinute(now, demand, serving);
    this.totalCpu.addMinute(now, warmCpu, instances.warm, serving);
    out.demand[t] = demand;
    out.served[t] = Math.min(demand, capacity);
    out.servingCount[t] = serving;
    out.warmCount[t] = instances.warm;
    out.billedCount[t] = instances.total;
    out.billedSeconds[t] = 60 * instances.total + topUpSeconds;
    out.desiredCapacity[t] = group.desired;
    out.minSize[t] = group.minSize;
    out.cpuPct[t] = cpu;
    this.t++;
    return true;
  }

  /** The outcome so far (the whole run once `step()` returned false). */
  result(): SimulationResult {
    return { startSeconds: this.trace.startSeconds, minutes: this.minutes, ...this.out, actions: this.group.actions };
  }

  private metricFor(periodSeconds: number): CpuMetric {
    let m = this.metrics.find((x) => x.periodSeconds === periodSeconds);
    if (m === undefined)
      this.metrics.push(
        (m = new CpuMetric(periodSeconds, this.fleet.metricDelaySeconds, this.trace.startSeconds, this.minutes)),
      );
    return m;
  }
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
    warmCount: new Float64Array(minutes),
    billedCount: new Float64Array(minutes),
    desiredCapacity: new Float64Array(minutes),
    minSize: new Float64Array(minutes),
    cpuPct: new Float64Array(minutes),
    billedSeconds: new Float64Array(minutes),
  };
}
