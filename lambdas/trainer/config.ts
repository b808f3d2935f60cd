import { ConfigError, listVar, numberVar, optionalString, requiredString } from '../common/config.ts';
import { loadKindOf, type ConfiguredMetric } from '../adapters/CloudWatchMetricSource.ts';
import { isLoadKind, LOAD_KINDS } from '../../models/policy/loadUnits.ts';
import { ENV } from '../common/env.ts';

export interface TrainerConfig {
  readonly groups: readonly string[];
  readonly discoveryTag: string;
  readonly bucket: string;
  readonly checkpointPrefix: string;
  /** Checkpoint versions kept per group. */
  readonly keepVersions: number;
  readonly historyDays: number;
  readonly seed: number;
  readonly load: 'total-cpu' | ConfiguredMetric;
}

/** The load metric setting shared by the scaler and the trainer. */
export function loadMetricVar(env: Readonly<Record<string, string | undefined>>): 'total-cpu' | ConfiguredMetric {
  const text = optionalString(env, ENV.loadMetric, 'total-cpu');
  if (text === 'total-cpu') return 'total-cpu';
  let load: ConfiguredMetric;
  try {
    load = JSON.parse(text) as ConfiguredMetric;
  } catch {
    throw new ConfigError(
      `environment variable PRESCALE_LOAD_METRIC must be 'total-cpu' or a JSON metric {namespace, metricName, dimensions, stat, kind}, got '${text}'`,
    );
  }
  if (
    typeof load?.namespace !== 'string' ||
    typeof load.metricName !== 'string' ||
    typeof load.dimensions !== 'object'
  ) {
    throw new ConfigError(
      `environment variable PRESCALE_LOAD_METRIC needs namespace, metricName and dimensions, got '${text}'`,
    );
  }
  if (load.kind !== undefined && !isLoadKind(load.kind))
    throw new ConfigError(
      `environment variable PRESCALE_LOAD_METRIC has kind '${String(load.kind)}'; it must be one of ${LOAD_KINDS.join(', ')}`,
    );
  try {
    loadKindOf(load);
  } catch (error) {
    throw new ConfigError(`environment variable PRESCALE_LOAD_METRIC: ${(error as Error).message}`);
  }
  return load;
}

export function trainerConfig(env: Readonly<Record<string, string | undefined>>): TrainerConfig {
  return {
    groups: listVar(env, ENV.groups),
    discoveryTag: optionalString(env, ENV.discoveryTag, 'prescale:enabled'),
    bucket: requiredString(env, ENV.bucket),
    checkpointPrefix: optionalString(env, ENV.checkpointPrefix, 'checkpoints'),
    keepVersions: numberVar(env, ENV.keepVersions, 10, { min: 2, integer: true }),
    historyDays: numberVar(env, ENV.historyDays, 14, { min: 3, max: 15, integer: true }),
    seed: numberVar(env, ENV.seed, 0, { integer: true }),
    load: loadMetricVar(env),
  };
}
