import { FORECAST_POLICY_KINDS, type ForecastPolicy } from '../../models/policy/decide.ts';
import { PRESCALE_POLICY } from '../../models/policy/defaults.ts';
import { ConfigError, listVar, numberVar, oneOf, optionalString, requiredString } from '../shared/config.ts';
import type { ConfiguredMetric } from '../adapters/CloudWatchMetricSource.ts';
import { loadMetricVar } from '../trainer/config.ts';
import type { ScalerSettings } from './scaleGroup.ts';

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
  const tickSeconds = numberVar(env, 'PRESCALE_TICK_SECONDS', 300, { min: 60, integer: true });
  if (tickSeconds % 60 !== 0) throw new ConfigError(`environment variable PRESCALE_TICK_SECONDS must be whole minutes, got '${tickSeconds}'`);
  const policy: ForecastPolicy = {
    kind: oneOf(env, 'PRESCALE_POLICY_KIND', FORECAST_POLICY_KINDS, PRESCALE_POLICY.kind),
    bufferPct: numberVar(env, 'PRESCALE_BUFFER_PCT', 0, { min: 0, max: 500 }),
    intervalLevel: numberVar(env, 'PRESCALE_INTERVAL_LEVEL', 80, { min: 50, max: 99 }),
    capacityPerInstance: numberVar(env, 'PRESCALE_CAPACITY_PER_INSTANCE', NaN, { min: Number.MIN_VALUE }),
    targetUtilizationPct: numberVar(env, 'PRESCALE_TARGET_UTILIZATION', PRESCALE_POLICY.targetUtilizationPct, { min: 1, max: 100 }),
    quantilePct: numberVar(env, 'PRESCALE_QUANTILE', PRESCALE_POLICY.defaultQuantilePct, { min: 1, max: 99.5 }),
    bootSeconds: numberVar(env, 'PRESCALE_BOOT_SECONDS', 300, { min: 0, integer: true }),
    tickSeconds,
    maxScaleInFraction: numberVar(env, 'PRESCALE_MAX_SCALE_IN_FRACTION', 0.5, { min: 0, max: 1 }),
    observedFloorPct: numberVar(env, 'PRESCALE_OBSERVED_FLOOR_PCT', 0, { min: 0, max: 200 }),
  };
  if (!Number.isFinite(policy.capacityPerInstance)) throw new ConfigError('environment variable PRESCALE_CAPACITY_PER_INSTANCE is required (load units one instance serves per minute at 100% CPU)');
  const load = loadMetricVar(env);
  return {
    mode: oneOf(env, 'PRESCALE_MODE', ['forecast-only', 'forecast-and-scale'] as const, 'forecast-only'),
    drift: {
      windowHours: numberVar(env, 'PRESCALE_DRIFT_WINDOW_HOURS', 6, { min: 1, max: 48 }),
      thresholdMase: numberVar(env, 'PRESCALE_DRIFT_MASE', 1.5, { min: 0 }),
      sustainSeconds: 3600 * numberVar(env, 'PRESCALE_DRIFT_SUSTAIN_HOURS', 2, { min: 0 }),
    },
    trainerFunction: env.PRESCALE_TRAINER_FUNCTION === undefined || env.PRESCALE_TRAINER_FUNCTION === '' ? undefined : env.PRESCALE_TRAINER_FUNCTION,
    policy,
    historyDays: numberVar(env, 'PRESCALE_HISTORY_DAYS', 14, { min: 1, max: 15, integer: true }),
    maxCheckpointAgeHours: numberVar(env, 'PRESCALE_MAX_CHECKPOINT_AGE_HOURS', 48, { min: 1 }),
    groups: listVar(env, 'PRESCALE_GROUPS'),
    discoveryTag: optionalString(env, 'PRESCALE_DISCOVERY_TAG', 'prescale:enabled'),
    bucket: requiredString(env, 'PRESCALE_BUCKET'),
    checkpointPrefix: optionalString(env, 'PRESCALE_CHECKPOINT_PREFIX', 'checkpoints'),
    namespace: optionalString(env, 'PRESCALE_NAMESPACE', 'Prescale'),
    concurrency: numberVar(env, 'PRESCALE_CONCURRENCY', 4, { min: 1, max: 64, integer: true }),
    load,
    scaleOutAlarmName: env.PRESCALE_SCALE_OUT_ALARM === undefined || env.PRESCALE_SCALE_OUT_ALARM === '' ? undefined : env.PRESCALE_SCALE_OUT_ALARM,
  };
}
