import type { SimulationResult } from '../fleet/types.ts';

/** What the harness reports per strategy and setting, over the evaluation window. */
export interface StrategyMetrics {
  /** Minutes with demand above serving capacity, percent of the window's minutes. */
  readonly underProvisionedPct: number;
  /** Demand not served, percent of the window's demand. */
  readonly unservedPct: number;
  readonly instanceHours: number;
  readonly costUsd: number;
  /** Instance-hours over the oracle's (filled in once the oracle is known). */
  readonly costVsOracle: number | null;
  /** Idle serving capacity, percent of serving capacity. */
  readonly slackPct: number;
  /** Changes to desired capacity. */
  readonly scalingActions: number;
  /** 95th percentile of the minute-by-minute average CPU of serving instances. */
  readonly p95Utilization: number;
  readonly maxInstances: number;
}

export interface MetricsWindow {
  /** First minute (index into the result's arrays) of the evaluation window. */
  readonly fromMinute: number;
  /** The minute after the window's last. @default the end of the simulation */
  readonly toMinute?: number;
  readonly capacityPerInstance: number;
  readonly pricePerInstanceHour: number;
}

/** Metrics of one simulation over [fromMinute, toMinute). */
export function windowMetrics(result: SimulationResult, window: MetricsWindow): StrategyMetrics {
  const from = window.fromMinute;
  const to = Math.min(result.minutes, window.toMinute ?? result.minutes);
  if (!(from >= 0 && from < to)) throw new RangeError(`evaluation window [${from}, ${to}) is empty`);
  const startSeconds = result.startSeconds + 60 * from;
  const endSeconds = result.startSeconds + 60 * to;
  let under = 0,
    demand = 0,
    unserved = 0,
    billedSeconds = 0,
    capacity = 0,
    idle = 0,
    maxInstances = 0;
  const cpu = new Float64Array(to - from);
  for (let t = from; t < to; t++) {
    const servingCapacity = result.servingCount[t] * window.capacityPerInstance;
    // A relative tolerance: demand equal to capacity is served, whatever the float rounding.
    if (result.demand[t] > servingCapacity * (1 + 1e-9) + 1e-9) under++;
    demand += result.demand[t];
    unserved += result.demand[t] - result.served[t];
    billedSeconds += result.billedSeconds[t];
    capacity += servingCapacity;
    idle += Math.max(0, servingCapacity - result.served[t]);
    maxInstances = Math.max(maxInstances, result.billedCount[t]);
    cpu[t - from] = result.cpuPct[t];
  }
  const minutes = to - from;
  const instanceHours = billedSeconds / 3600;
  return {
    underProvisionedPct: (100 * under) / minutes,
    unservedPct: demand > 0 ? (100 * unserved) / demand : 0,
    instanceHours,
    costUsd: instanceHours * window.pricePerInstanceHour,
    costVsOracle: null,
    slackPct: capacity > 0 ? (100 * idle) / capacity : 0,
    scalingActions: result.actions.filter((a) => a.atSeconds >= startSeconds && a.atSeconds < endSeconds).length,
    p95Utilization: percentile(cpu, 95),
    maxInstances,
  };
}

/** Linear-interpolated percentile (the R-7 / numpy default) of the values, p in [0, 100]. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}
