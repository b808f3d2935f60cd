import { randomUUID } from 'node:crypto';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { firstTickAtOrAfter, TOTAL_CPU_PER_INSTANCE } from '../../models/experiment/closedLoop.ts';
import { windowMetrics } from '../../models/experiment/metrics.ts';
import { atLoadStep, planExperiment, type ExperimentPlan } from '../../models/experiment/plan.ts';
import { simulateStrategy, strategyContext, type LoadMetricMode } from '../../models/experiment/runExperiment.ts';
import { strategyDefinition } from '../../models/experiment/strategies/catalogue.ts';
import { computeTickForecasts } from '../../models/experiment/tickForecasts.ts';
import { FleetSimulation } from '../../models/fleet/runSimulation.ts';
import type { Controller, GroupUpdate, SimulationResult } from '../../models/fleet/types.ts';
import type { ForecastPolicy } from '../../models/policy/decide.ts';
import { hedgeSetting, PRESCALE_POLICY } from '../../models/policy/defaults.ts';
import type { RegularSeries } from '../../models/series/types.ts';
import { scalerEnvironment, trainerEnvironment } from '../../lambdas/common/env.ts';
import type { ConfiguredMetric } from '../../lambdas/adapters/CloudWatchMetricSource.ts';
import { fallbackNames } from '../../lambdas/adapters/reactiveFallback.ts';
import { IamCheck } from '../lib/iam/IamCheck.ts';
import type { IamSummary } from '../lib/iam/types.ts';
import { LOCAL_AWS_CONFIG, startLocalAws } from '../lib/localAws.ts';
import { BundledLambdas } from './bundledLambdas.ts';
import { provisionGroup } from './provision.ts';
import { TwinPublisher } from './TwinPublisher.ts';
import { TwinInputError } from './errors.ts';

const DAY = 86_400;

export interface TwinOptions {
  readonly series: RegularSeries;
  readonly name: string;
  /** Days of scaler ticks, from the first forecast (288 ticks a day). */
  readonly days: number;
  readonly capacityPerInstance: number | 'auto';
  readonly loadMetric: LoadMetricMode;
  /** Where the bundled Lambdas are (`<name>/index.mjs`). */
  readonly bundleDir: string;
  readonly onPhase?: (phase: string) => void;
  readonly onTick?: (done: number, total: number) => void;
}

export interface TwinFigures {
  readonly instanceHours: number;
  readonly underProvisionedPct: number;
  readonly unservedPct: number;
}

/** The group after a tick's minute: what the scaler (and any policy in that minute) left. */
export interface TickState {
  readonly minSize: number;
  readonly desiredCapacity: number;
}

export interface TwinMismatch {
  readonly tick: string;
  readonly twin: TickState;
  readonly simulated: TickState;
}

export interface TwinResult {
  readonly trace: string;
  readonly loadMetric: LoadMetricMode;
  readonly ticks: number;
  readonly mismatches: number;
  readonly firstMismatch?: TwinMismatch;
  /** The first 20 mismatching ticks. */
  readonly mismatchList: readonly TwinMismatch[];
  readonly twin: TwinFigures;
  readonly simulated: TwinFigures;
  /** (twin - simulated) / simulated instance-hours, in percent. */
  readonly instanceHoursDiffPct: number;
  readonly iam: IamSummary;
  readonly trainings: {
    readonly twin: { readonly runs: number; readonly promoted: number };
    readonly simulated: { readonly runs: number; readonly promoted: number };
  };
  /** Ticks where the twin's MinSize (the floor prescale sets) changed. */
  readonly floorChanges: number;
  /** Per-group errors the bundled scaler reported (the tick applied nothing). */
  readonly scalerErrors: readonly string[];
  readonly firstTick: string;
  readonly seconds: number;
}

/**
 * Closes the loop with the real artefacts: the bundled trainer and scaler against a local AWS
 * endpoint, the fleet behind it simulated minute by minute, and each tick compared with the
 * offline experiment's `prescale` strategy (its default setting) on the same trace and mode.
 *
 * The group, its launch template and reactive fallback are created through the APIs; the
 * history before the first forecast is the simulated group's own, published with its timestamps.
 * From the first forecast the trainer runs as the daily schedule would (first at that tick) and
 * the scaler every tick; the simulation takes MinSize and desired capacity from the Auto Scaling
 * API after each scaler run, sets the scale-out alarm's state from its own alarm (the endpoint
 * evaluates no alarms) and writes the fallback policies' changes back with SetDesiredCapacity.
 */
export async function runTwin(options: TwinOptions): Promise<TwinResult> {
  const started = performance.now();
  const phase = options.onPhase ?? (() => undefined);
  const plan = planExperiment(options.series, options.name, {
    capacityPerInstance: options.capacityPerInstance,
    loadMetric: options.loadMetric,
  });
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
  const cut = truncatePlan(plan, endSeconds);
  const knob = PRESCALE_POLICY.defaultQuantilePct;

  phase('simulating the offline experiment');
  const forecasts = await computeTickForecasts(cut, { skip: options.loadMetric === 'total-cpu' });
  const inputs = { trace: cut.trace, config: cut.config, forecasts: forecasts.forecasts };
  const ctx = strategyContext(inputs);
  const reference = await simulateStrategy(inputs, ctx, 'prescale', knob);
  if (reference === undefined) throw new Error('the prescale strategy has no simulator setup');
  const setup = strategyDefinition('prescale').setup(ctx, knob);
  if (setup?.reactive === undefined) throw new Error('the prescale strategy has no reactive fallback');

  phase('starting the local AWS endpoint');
  const aws = await startLocalAws();
  const group = `prescale-twin-${randomUUID().slice(0, 8)}`;
  const bucket = `${group}-bucket`;
  const names = fallbackNames(group);
  const iam = await IamCheck.start({
    endpoint: aws.endpoint,
    binding: { bucket, groups: [group], scaleOutAlarm: names.scaleOutAlarm },
    clientConfig: LOCAL_AWS_CONFIG,
  });
  const fixture = { ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint };
  const autoScaling = new AutoScalingClient(fixture);
  const cloudWatch = new CloudWatchClient(fixture);
  const lambdas = new BundledLambdas({ dir: options.bundleDir, endpoint: iam.endpoint, iam });
  try {
    const fleet = cut.config.fleet;
    await provisionGroup(fixture, { group, bucket, fleet, reactive: setup.reactive, names });

    // The simulated group, its scaler replaced by what the bundled scaler leaves in the API.
    let pending: GroupUpdate | undefined;
    const external: Controller = {
      name: 'prescale-scaler (bundled)',
      tickSeconds: config.tickSeconds,
      tick: () => {
        const update = pending;
        pending = undefined;
        return update;
      },
    };
    const sim = new FleetSimulation(cut.trace, { fleet, reactive: setup.reactive, controllers: [external] });
    const live = sim.result();
    const requestMetric = requestMetricFor(group);
    const publisher = new TwinPublisher(cloudWatch, group, live, fleet.metricDelaySeconds ?? 60, {
      ...requestMetric,
      series: requestSeries(cut),
    });

    phase('publishing the history');
    let minutesRun = 0;
    while (sim.nowSeconds < firstTick && sim.step()) minutesRun++;
    await publisher.publishVisible(firstTick, minutesRun);

    const policy = policyOf(cut, knob, options.loadMetric);
    const load: 'total-cpu' | ConfiguredMetric =
      options.loadMetric === 'total-cpu'
        ? 'total-cpu'
        : {
            namespace: requestMetric.namespace,
            metricName: requestMetric.metricName,
            dimensions: requestMetric.dimensions,
            stat: 'Sum',
          };
    const common = { bucket, groups: [group], load };
    const trainer = await lambdas.load('trainer', 'trainer', trainerEnvironment(common));
    const scaler = await lambdas.load(
      'scaler',
      'scaler',
      scalerEnvironment({ ...common, mode: 'forecast-and-scale', policy, scaleOutAlarmName: names.scaleOutAlarm }),
    );

    let alarmSet: boolean | undefined;
    let desiredInApi = fleet.initialCapacity ?? 0;
    // The fallback policies run in the simulator; what they set goes back into the API.
    const syncDesired = async () => {
      const desired = live.desiredCapacity[minutesRun - 1];
      if (desired === desiredInApi) return;
      await autoScaling.send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: group, DesiredCapacity: desired, HonorCooldown: false }),
      );
      desiredInApi = desired;
    };
    await syncDesired();
    const trainings = { runs: 0, promoted: 0 };
    const scalerErrors: string[] = [];
    let nextTraining = firstTick;
    phase('running the bundled Lambdas');
    for (let k = 0; k < ticks; k++) {
      const now = sim.nowSeconds;
      await publisher.publishVisible(now, minutesRun);
      if (sim.scaleOutAlarmActive !== alarmSet) {
        alarmSet = sim.scaleOutAlarmActive;
        await cloudWatch.send(
          new SetAlarmStateCommand({
            AlarmName: names.scaleOutAlarm,
            StateValue: alarmSet ? 'ALARM' : 'OK',
            StateReason: 'set by prescale twin from the simulated alarm',
          }),
        );
      }
      const time = new Date(now * 1000).toISOString();
      if (now >= nextTraining) {
        const summary = (await trainer({ time, source: 'aws.events' })) as { groups: { promoted: boolean }[] };
        trainings.runs++;
        trainings.promoted += summary.groups.filter((g) => g.promoted).length;
        nextTraining += DAY;
      }
      const summary = (await scaler({ time, source: 'aws.events' })) as { errors: { error: string }[] };
      for (const e of summary.errors) scalerErrors.push(`${time}: ${e.error}`);
      const asg = (await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] })))
        .AutoScalingGroups?.[0];
      if (asg === undefined) throw new Error(`group ${group} disappeared from the endpoint`);
      pending = { minSize: asg.MinSize ?? 0, desiredCapacity: asg.DesiredCapacity ?? 0, reason: 'bundled scaler' };
      desiredInApi = asg.DesiredCapacity ?? 0;
      for (let m = 0; m < config.tickSeconds / 60 && sim.step(); m++) {
        minutesRun++;
        await syncDesired();
      }
      options.onTick?.(k + 1, ticks);
    }

    phase('comparing');
    const comparison = compareTicks(live, reference.simulation, firstTick, endSeconds, config.tickSeconds);
    const fromMinute = (firstTick - cut.trace.startSeconds) / 60;
    // Up to the end of the last tick: a coarse trace's last interval may run past it in the reference.
    const window = {
      fromMinute,
      toMinute: (endSeconds - cut.trace.startSeconds) / 60,
      capacityPerInstance: fleet.capacityPerInstance,
      pricePerInstanceHour: 0,
    };
    const twin = figures(windowMetrics(sim.result(), window));
    const simulated = figures(windowMetrics(reference.simulation, window));
    return {
      trace: options.name,
      loadMetric: options.loadMetric,
      ticks,
      mismatches: comparison.length,
      firstMismatch: comparison[0],
      mismatchList: comparison.slice(0, 20),
      twin,
      simulated,
      instanceHoursDiffPct: (100 * (twin.instanceHours - simulated.instanceHours)) / simulated.instanceHours,
      iam: await iam.summary(),
      trainings: {
        twin: trainings,
        simulated: {
          runs: (forecasts.loop ?? reference.loop)?.trainings ?? 0,
          promoted: (forecasts.loop ?? reference.loop)?.promotions ?? 0,
        },
      },
      scalerErrors,
      floorChanges: floorChanges(live, firstTick, endSeconds, config.tickSeconds),
      firstTick: new Date(firstTick * 1000).toISOString(),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    lambdas.close();
    autoScaling.destroy();
    cloudWatch.destroy();
    await iam.stop();
    await aws.stop();
  }
}

/** The experiment's plan cut at `endSeconds`: what the decisions before it could depend on. */
function truncatePlan(plan: ExperimentPlan, endSeconds: number): ExperimentPlan {
  const cut = (s: { startSeconds: number; stepSeconds: number; values: ArrayLike<number> }): RegularSeries => ({
    startSeconds: s.startSeconds,
    stepSeconds: s.stepSeconds,
    values: Float64Array.from(s.values).slice(0, Math.ceil((endSeconds - s.startSeconds) / s.stepSeconds)),
  });
  return { ...plan, trace: cut(plan.trace), forecastSeries: cut(plan.forecastSeries) };
}

/** The request count as the load balancer publishes it: the trace's intervals, split to 5 minutes when coarser. */
function requestSeries(plan: ExperimentPlan): RegularSeries {
  const trace = { ...plan.trace, values: Float64Array.from(plan.trace.values) };
  return trace.stepSeconds <= 300 ? trace : atLoadStep(trace);
}

function requestMetricFor(group: string) {
  return {
    namespace: 'AWS/ApplicationELB',
    metricName: 'RequestCount',
    dimensions: { TargetGroup: `targetgroup/${group}/twin` },
  };
}

/** The policy the offline `prescale` strategy runs at `knob` (catalogue.ts), as the scaler's settings. */
function policyOf(plan: ExperimentPlan, knob: number, mode: LoadMetricMode): ForecastPolicy {
  const setting = hedgeSetting(knob);
  return {
    kind: PRESCALE_POLICY.kind,
    capacityPerInstance: mode === 'total-cpu' ? TOTAL_CPU_PER_INSTANCE : plan.config.fleet.capacityPerInstance,
    targetUtilizationPct: setting.targetUtilizationPct,
    quantilePct: setting.quantilePct,
    observedFloorPct: setting.observedFloorPct,
    bootSeconds: plan.config.bootSeconds,
    tickSeconds: plan.config.tickSeconds,
  };
}

function compareTicks(
  twin: SimulationResult,
  simulated: SimulationResult,
  firstTick: number,
  endSeconds: number,
  tickSeconds: number,
): TwinMismatch[] {
  const out: TwinMismatch[] = [];
  for (let t = firstTick; t < endSeconds; t += tickSeconds) {
    const m = (t - twin.startSeconds) / 60;
    const a = { minSize: twin.minSize[m], desiredCapacity: twin.desiredCapacity[m] };
    const b = { minSize: simulated.minSize[m], desiredCapacity: simulated.desiredCapacity[m] };
    if (a.minSize !== b.minSize || a.desiredCapacity !== b.desiredCapacity)
      out.push({ tick: new Date(t * 1000).toISOString(), twin: a, simulated: b });
  }
  return out;
}

function floorChanges(run: SimulationResult, firstTick: number, endSeconds: number, tickSeconds: number): number {
  let changes = 0;
  for (let t = firstTick + tickSeconds; t < endSeconds; t += tickSeconds) {
    const m = (t - run.startSeconds) / 60;
    if (run.minSize[m] !== run.minSize[m - tickSeconds / 60]) changes++;
  }
  return changes;
}

function figures(m: { instanceHours: number; underProvisionedPct: number; unservedPct: number }): TwinFigures {
  return { instanceHours: m.instanceHours, underProvisionedPct: m.underProvisionedPct, unservedPct: m.unservedPct };
}
