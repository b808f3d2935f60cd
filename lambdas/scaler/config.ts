import { FORECAST_POLICY_KINDS, type ForecastPolicy } from '../../models/policy/decide.ts';
import { PRESCALE_POLICY } from '../../models/policy/defaults.ts';
import { ConfigError, listVar, numberVar, oneOf, optionalString, requiredString } from '../common/config.ts';
import type { ConfiguredMetric } from '../adapters/CloudWatchMetricSource.ts';
import { loadMetricVar } from '../trainer/config.ts';
import type { ScalerSettings } from './scaleGroup.ts';
import { ENV } from '../common/env.ts';

export interface ScalerConfig extends ScalerSettings {
  /** Groups managed by name; more are discovered by `discoveryTag`. */
  readonly groups: readonly string[];
  readonly discoveryTag: string;
  readonly bucket: string;
  readonly checkpointPrefix: string;
  readonly namespace: string;
  readonly concurrency: number;
  readonly load: 'total-cpu' | ConfiguredMetric;
  readonly scaleOutAlarmName?: string;
  /** The trainer Lambda asked to retrain a drifting group. @default none: drift is reported only */
  readonly trainerFunction?: string;
}

/** The scaler's configuration from its environment, checked once at cold start. */
export function scalerConfig(env: Readonly<Record<string, string | undefined>>): ScalerConfig {
  const tickSeconds = numberVar(env, ENV.tickSeconds, 300, { min: 60, integer: true });
  if (tickSeconds % 60 !== 0)
    throw new ConfigError(`environment variable PRESCALE_TICK_SECONDS must be whole minutes, got '${tickSeconds}'`);
  const policy: ForecastPolicy = {
    kind: oneOf(env, ENV.policyKind, FORECAST_POLICY_KINDS, PRESCALE_POLICY.kind),
    bufferPct: numberVar(env, ENV.bufferPct, 0, { min: 0, max: 500 }),
    intervalLevel: numberVar(env, ENV.intervalLevel, 80, { min: 50, max: 99 }),
    capacityPerInstance: numberVar(env, ENV.capacityPerInstance, NaN, { min: Number.MIN_VALUE }),
    targetUtilizationPct: numberVar(env, ENV.targetUtilization, PRESCALE_POLICY.targetUtilizationPct, {
      min: 1,
      max: 100,
    }),
    quantilePct: numberVar(env, ENV.quantile, PRESCALE_POLICY.defaultQuantilePct, { min: 1, max: 99.5 }),
    bootSeconds: numberVar(env, ENV.bootSeconds, 300, { min: 0, integer: true }),
    tickSeconds,
    maxScaleInFraction: numberVar(env, ENV.maxScaleInFraction, 0.5, { min: 0, max: 1 }),
    observedFloorPct: numberVar(env, ENV.observedFloorPct, 0, { min: 0, max: 200 }),
    observedPeakSeconds: numberVar(env, ENV.observedPeakSeconds, 0, { min: 0, max: 86_400, integer: true }),
  };
  if (!Number.isFinite(policy.capacityPerInstance))
    throw new ConfigError(
      'environment variable PRESCALE_CAPACITY_PER_INSTANCE is required (load units one instance serves per minute at 100% CPU)',
    );
  const load = loadMetricVar(env);
  return {
    mode: oneOf(env, ENV.mode, ['forecast-only', 'forecast-and-scale'] as const, 'forecast-only'),
    drift: {
      windowHours: numberVar(env, ENV.driftWindowHours, 6, { min: 1, max: 48 }),
      thresholdMase: numberVar(env, ENV.driftMase, 1.5, { min: 0 }),
      sustainSeconds: 3600 * numberVar(env, ENV.driftSustainHours, 2, { min: 0 }),
    },
    trainerFunction:
      env[ENV.trainerFunction] === undefined || env[ENV.trainerFunction] === '' ? undefined : env[ENV.trainerFunction],
    policy,
    historyDays: numberVar(env, ENV.historyDays, 14, { min: 1, max: 15, integer: true }),
    maxCheckpointAgeHours: numberVar(env, ENV.maxCheckpointAgeHours, 48, { min: 1 }),
    groups: listVar(env, ENV.groups),
    discoveryTag: optionalString(env, ENV.discoveryTag, 'prescale:enabled'),
    bucket: requiredString(env, ENV.bucket),
    checkpointPrefix: optionalString(env, ENV.checkpointPrefix, 'checkpoints'),
    namespace: optionalString(env, ENV.namespace, 'Prescale'),
    concurrency: numberVar(env, ENV.concurrency, 4, { min: 1, max: 64, integer: true }),
    load,
    scaleOutAlarmName:
      env[ENV.scaleOutAlarm] === undefined || env[ENV.scaleOutAlarm] === '' ? undefined : env[ENV.scaleOutAlarm],
  };
}
