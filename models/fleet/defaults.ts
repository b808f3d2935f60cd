import type { FleetConfig } from './types.ts';

export type ResolvedFleetConfig = Required<FleetConfig>;

/** FleetConfig with every default applied and every value checked; errors name the bad value. */
export function resolveFleetConfig(config: FleetConfig): ResolvedFleetConfig {
  const resolved: ResolvedFleetConfig = {
    bootSeconds: 300, warmupSeconds: 300, pricePerInstanceHour: 0.0416, metricPeriodSeconds: 60, metricDelaySeconds: 60,
    initialCapacity: config.minSize, ...config,
  };
  const nonNegative = ['bootSeconds', 'warmupSeconds', 'metricDelaySeconds', 'minSize', 'maxSize', 'initialCapacity'] as const;
  for (const key of nonNegative) {
    const v = resolved[key];
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`fleet '${key}' must be a non-negative number, got ${v}`);
  }
  for (const key of ['minSize', 'maxSize', 'initialCapacity'] as const) {
    if (!Number.isInteger(resolved[key])) throw new RangeError(`fleet '${key}' must be a whole number of instances, got ${resolved[key]}`);
  }
  for (const key of ['bootSeconds', 'warmupSeconds', 'metricDelaySeconds'] as const) {
    if (resolved[key] % 60 !== 0) throw new RangeError(`fleet '${key}' must be whole minutes (the clock ticks each minute), got ${resolved[key]}`);
  }
  if (!(resolved.capacityPerInstance > 0)) throw new RangeError(`fleet 'capacityPerInstance' must be positive, got ${resolved.capacityPerInstance}`);
  if (!(resolved.pricePerInstanceHour >= 0)) throw new RangeError(`fleet 'pricePerInstanceHour' must be non-negative, got ${resolved.pricePerInstanceHour}`);
  if (resolved.maxSize < resolved.minSize) throw new RangeError(`fleet 'maxSize' (${resolved.maxSize}) is below 'minSize' (${resolved.minSize})`);
  if (resolved.initialCapacity < resolved.minSize || resolved.initialCapacity > resolved.maxSize) {
    throw new RangeError(`fleet 'initialCapacity' must be within [${resolved.minSize}, ${resolved.maxSize}], got ${resolved.initialCapacity}`);
  }
  if (resolved.metricPeriodSeconds !== 60 && resolved.metricPeriodSeconds !== 300) {
    throw new RangeError(`fleet 'metricPeriodSeconds' must be 60 or 300, got ${resolved.metricPeriodSeconds}`);
  }
  return resolved;
}
