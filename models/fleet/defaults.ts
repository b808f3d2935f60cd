import { METRIC_PUBLISH_DELAY_SECONDS } from '../policy/defaults.ts';
import { isScaleOut } from './stepScaling.ts';
import type { DemandTrace, FleetConfig, SimulationSetup, StepScalingPolicy } from './types.ts';

/** FleetConfig with every default applied. */
export type ResolvedFleetConfig = Required<FleetConfig>;

/** The defaults documented on FleetConfig, in one place. */
export const FLEET_DEFAULTS = {
  bootSeconds: 300,
  warmupSeconds: 300,
  /** t3.medium on-demand, us-east-1. */
  pricePerInstanceHour: 0.0416,
  metricPeriodSeconds: 60,
  metricDelaySeconds: METRIC_PUBLISH_DELAY_SECONDS,
} as const;

/** FleetConfig with every default applied and every value checked; errors name the bad value. */
export function resolveFleetConfig(config: FleetConfig): ResolvedFleetConfig {
  const resolved: ResolvedFleetConfig = { ...FLEET_DEFAULTS, initialCapacity: config.minSize, ...config };
  const nonNegative = [
    'bootSeconds',
    'warmupSeconds',
    'metricDelaySeconds',
    'minSize',
    'maxSize',
    'initialCapacity',
  ] as const;
  for (const key of nonNegative) {
    const v = resolved[key];
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`fleet '${key}' must be a non-negative number, got ${v}`);
  }
  for (const key of ['minSize', 'maxSize', 'initialCapacity'] as const) {
    if (!Number.isInteger(resolved[key]))
      throw new RangeError(`fleet '${key}' must be a whole number of instances, got ${resolved[key]}`);
  }
  for (const key of ['bootSeconds', 'warmupSeconds', 'metricDelaySeconds'] as const) {
    if (resolved[key] % 60 !== 0)
      throw new RangeError(`fleet '${key}' must be whole minutes (the clock ticks each minute), got ${resolved[key]}`);
  }
  if (!(resolved.capacityPerInstance > 0 && Number.isFinite(resolved.capacityPerInstance))) {
    throw new RangeError(`fleet 'capacityPerInstance' must be positive, got ${resolved.capacityPerInstance}`);
  }
  if (!(resolved.pricePerInstanceHour >= 0))
    throw new RangeError(`fleet 'pricePerInstanceHour' must be non-negative, got ${resolved.pricePerInstanceHour}`);
  if (resolved.maxSize < resolved.minSize)
    throw new RangeError(`fleet 'maxSize' (${resolved.maxSize}) is below 'minSize' (${resolved.minSize})`);
  if (resolved.initialCapacity < resolved.minSize || resolved.initialCapacity > resolved.maxSize) {
    throw new RangeError(
      `fleet 'initialCapacity' must be within [${resolved.minSize}, ${resolved.maxSize}], got ${resolved.initialCapacity}`,
    );
  }
  if (resolved.metricPeriodSeconds !== 60 && resolved.metricPeriodSeconds !== 300) {
    throw new RangeError(`fleet 'metricPeriodSeconds' must be 60 or 300, got ${resolved.metricPeriodSeconds}`);
  }
  return resolved;
}

/** Check the trace, the policies and the controllers against the resolved fleet; errors name the bad value. */
export function validateSetup(trace: DemandTrace, setup: SimulationSetup, fleet: ResolvedFleetConfig): void {
  if (!(Number.isInteger(trace.stepSeconds / 60) && trace.stepSeconds >= 60)) {
    throw new RangeError(`trace 'stepSeconds' must be whole minutes, got ${trace.stepSeconds}`);
  }
  if (!Number.isInteger(trace.startSeconds / 60))
    throw new RangeError(`trace 'startSeconds' must be on a minute, got ${trace.startSeconds}`);
  for (let i = 0; i < trace.values.length; i++) {
    const v = trace.values[i];
    if (!(v >= 0 && Number.isFinite(v)))
      throw new RangeError(`trace value ${i} must be a non-negative number, got ${v}`);
  }
  if (setup.reactive !== undefined) {
    validateStepPolicy('reactive.scaleOut', setup.reactive.scaleOut, fleet, true);
    validateStepPolicy('reactive.scaleIn', setup.reactive.scaleIn, fleet, false);
  }
  const tracking = setup.targetTracking;
  if (tracking?.metric === 'request-count-per-target') {
    const target = tracking.targetRequestsPerTarget;
    if (!(target > 0 && Number.isFinite(target)))
      throw new RangeError(`targetTracking 'targetRequestsPerTarget' must be a positive number, got ${target}`);
  } else if (tracking !== undefined) {
    const target = tracking.targetUtilizationPct;
    if (!(target > 0 && target <= 100))
      throw new RangeError(`targetTracking 'targetUtilizationPct' must be within (0, 100], got ${target}`);
  }
  for (const c of setup.controllers ?? []) {
    if (!(c.tickSeconds >= 60 && Number.isInteger(c.tickSeconds / 60))) {
      throw new RangeError(`controller '${c.name}' 'tickSeconds' must be whole minutes, got ${c.tickSeconds}`);
    }
  }
}

function validateStepPolicy(
  name: string,
  policy: StepScalingPolicy,
  fleet: ResolvedFleetConfig,
  scaleOut: boolean,
): void {
  const { periodSeconds, evaluationPeriods, threshold, comparison } = policy.alarm;
  if (isScaleOut(policy) !== scaleOut) {
    throw new RangeError(
      `${name} alarm 'comparison' must be a ${scaleOut ? 'greater' : 'less'}-than operator, got ${comparison}`,
    );
  }
  const datapointsToAlarm = policy.alarm.datapointsToAlarm ?? evaluationPeriods;
  if (periodSeconds !== 60 && periodSeconds !== 300)
    throw new RangeError(`${name} alarm 'periodSeconds' must be 60 or 300, got ${periodSeconds}`);
  if (periodSeconds < fleet.metricPeriodSeconds) {
    throw new RangeError(
      `${name} alarm 'periodSeconds' is ${periodSeconds} but the group's CPU is published every ${fleet.metricPeriodSeconds} s (fleet 'metricPeriodSeconds')`,
    );
  }
  if (!(Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1)) {
    throw new RangeError(`${name} alarm 'evaluationPeriods' must be a positive whole number, got ${evaluationPeriods}`);
  }
  if (!(Number.isInteger(datapointsToAlarm) && datapointsToAlarm >= 1 && datapointsToAlarm <= evaluationPeriods)) {
    throw new RangeError(
      `${name} alarm 'datapointsToAlarm' must be within [1, evaluationPeriods=${evaluationPeriods}], got ${datapointsToAlarm}`,
    );
  }
  if (!Number.isFinite(threshold)) throw new RangeError(`${name} alarm 'threshold' must be a number, got ${threshold}`);
  if (policy.steps.length === 0) throw new RangeError(`${name} 'steps' must have at least one step, got 0`);
  const magnitude = policy.minAdjustmentMagnitude;
  if (magnitude !== undefined && !(Number.isInteger(magnitude) && magnitude >= 0)) {
    throw new RangeError(`${name} 'minAdjustmentMagnitude' must be a non-negative whole number, got ${magnitude}`);
  }
  policy.steps.forEach((s, i) => {
    if (!Number.isFinite(s.adjustment))
      throw new RangeError(`${name} step ${i} 'adjustment' must be a number, got ${s.adjustment}`);
  });
}
