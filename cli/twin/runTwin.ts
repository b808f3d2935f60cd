import { randomUUID } from 'node:crypto';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { simulateStrategy, strategyContext, type LoadMetricMode } from '../../models/experiment/runExperiment.ts';
import { strategyDefinition } from '../../models/experiment/strategies/catalogue.ts';
import { computeTickForecasts } from '../../models/experiment/tickForecasts.ts';
import type { RegularSeries } from '../../models/series/types.ts';
import type { ConfiguredMetric } from '../../lambdas/adapters/CloudWatchMetricSource.ts';
import { fallbackNames } from '../../lambdas/adapters/reactiveFallback.ts';
import { scalerEnvironment, trainerEnvironment } from '../../lambdas/common/env.ts';
import { IamCheck } from '../lib/iam/IamCheck.ts';
import type { IamSummary } from '../lib/iam/types.ts';
import { LOCAL_AWS_CONFIG, startLocalAws } from '../lib/localAws.ts';
import { BundledLambdas } from './bundledLambdas.ts';
import { compareTicks, floorChanges, windowFigures, type TwinFigures, type TwinMismatch } from './compare.ts';
import { provisionGroup } from './provision.ts';
import { TwinGroup } from './TwinGroup.ts';
import { planTwin } from './twinPlan.ts';

export type { TwinFigures, TwinMismatch };

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

const REQUESTS = { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount' };

/**
 * Closes the loop with the real artefacts: the bundled trainer and scaler against a local AWS
 * endpoint, the fleet behind it simulated minute by minute (`TwinGroup`), and each tick
 * compared with the offline experiment's `prescale` strategy (its default setting) on the same
 * trace and mode. docs/twin.md tells the whole story and what is stood in for.
 */
export async function runTwin(options: TwinOptions): Promise<TwinResult> {
  const started = performance.now();
  const phase = options.onPhase ?? (() => undefined);
  const twinPlan = planTwin(options);
  const { plan, firstTick, endSeconds, ticks, knob } = twinPlan;
  const window = { firstTick, endSeconds, tickSeconds: plan.config.tickSeconds };

  phase('simulating the offline experiment');
  const forecasts = await computeTickForecasts(plan, { skip: options.loadMetric === 'total-cpu' });
  const inputs = { trace: plan.trace, config: plan.config, forecasts: forecasts.forecasts };
  const ctx = strategyContext(inputs);
  const reference = await simulateStrategy(inputs, ctx, 'prescale', knob);
  const reactive = strategyDefinition('prescale').setup(ctx, knob)?.reactive;
  if (reference === undefined || reactive === undefined) throw new Error('the prescale strategy has no fallback');
  const simulatedLoop = forecasts.loop ?? reference.loop;

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
    const fleet = plan.config.fleet;
    await provisionGroup(fixture, { group, bucket, fleet, reactive, names });
    const dimensions = { TargetGroup: `targetgroup/${group}/twin` };
    const twin = new TwinGroup({
      trace: plan.trace,
      fleet,
      reactive,
      tickSeconds: plan.config.tickSeconds,
      group,
      scaleOutAlarm: names.scaleOutAlarm,
      autoScaling,
      cloudWatch,
      requests: { ...REQUESTS, dimensions, series: twinPlan.requests },
    });
    phase('publishing the history');
    await twin.runHistory(firstTick);

    const load: 'total-cpu' | ConfiguredMetric =
      options.loadMetric === 'total-cpu' ? 'total-cpu' : { ...REQUESTS, dimensions, stat: 'Sum' };
    const common = { bucket, groups: [group], load };
    const trainer = await lambdas.load('trainer', 'trainer', trainerEnvironment(common));
    const scaler = await lambdas.load(
      'scaler',
      'scaler',
      scalerEnvironment({
        ...common,
        mode: 'forecast-and-scale',
        policy: twinPlan.policy,
        scaleOutAlarmName: names.scaleOutAlarm,
      }),
    );

    phase('running the bundled Lambdas');
    const trainings = { runs: 0, promoted: 0 };
    const scalerErrors: string[] = [];
    for (let k = 0; k < ticks; k++) {
      const now = twin.nowSeconds;
      const time = iso(now);
      await twin.beforeTick();
      // The trainer's rate(1 day) schedule, the deployment taken as the first tick; then the scaler.
      if ((now - firstTick) % DAY === 0) {
        const summary = (await trainer({ time, source: 'aws.events' })) as { groups: { promoted: boolean }[] };
        trainings.runs++;
        trainings.promoted += summary.groups.filter((g) => g.promoted).length;
      }
      const summary = (await scaler({ time, source: 'aws.events' })) as { errors: { error: string }[] };
      for (const e of summary.errors) scalerErrors.push(`${time}: ${e.error}`);
      await twin.runTick();
      options.onTick?.(k + 1, ticks);
    }

    phase('comparing');
    const mismatches = compareTicks(twin.result(), reference.simulation, window);
    const twinFigures = windowFigures(twin.result(), window, fleet.capacityPerInstance);
    const simulated = windowFigures(reference.simulation, window, fleet.capacityPerInstance);
    return {
      trace: options.name,
      loadMetric: options.loadMetric,
      ticks,
      mismatches: mismatches.length,
      firstMismatch: mismatches[0],
      mismatchList: mismatches.slice(0, 20),
      twin: twinFigures,
      simulated,
      instanceHoursDiffPct: (100 * (twinFigures.instanceHours - simulated.instanceHours)) / simulated.instanceHours,
      iam: await iam.summary(),
      trainings: {
        twin: trainings,
        simulated: { runs: simulatedLoop?.trainings ?? 0, promoted: simulatedLoop?.promotions ?? 0 },
      },
      scalerErrors,
      floorChanges: floorChanges(twin.result(), window),
      firstTick: iso(firstTick),
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

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
