import type { ScalingAction, SimulationResult } from '../../fleet/types.ts';

export interface OracleOptions {
  /** Load units one instance serves per minute at 100% CPU. */
  readonly capacityPerInstance: number;
  readonly bootSeconds: number;
  /** The group's minimum: the oracle keeps at least this many serving, like every strategy. */
  readonly minSize: number;
  /** The group's maximum: where demand needs more, the oracle serves what MaxSize can. */
  readonly maxSize: number;
  readonly startSeconds: number;
}

/**
 * Perfect foresight: the cheapest schedule that serves every minute's demand at up to 100% CPU
 * (as much of it as MaxSize instances can, where demand needs more).
 *
 * Instances are interchangeable, so the schedule is a stack of layers: layer k serves in the
 * minutes that need at least k instances. Each layer is one instance at a time; between two
 * serving runs it either stays up through the gap or is terminated and relaunched `bootSeconds`
 * before the next run, whichever bills less (bridging wins when the gap is no longer than the
 * boot). Instances serving at the start are taken as already booted, as the simulator's initial
 * capacity is. The result has the simulator's shape so the same metrics apply.
 */
export function oracleSchedule(demand: Float64Array, options: OracleOptions): SimulationResult {
  const minutes = demand.length;
  const bootMinutes = options.bootSeconds / 60;
  const need = new Int32Array(minutes);
  let layers = 0;
  for (let t = 0; t < minutes; t++) {
    need[t] = Math.min(
      options.maxSize,
      Math.max(options.minSize, Math.ceil(demand[t] / options.capacityPerInstance - 1e-9)),
    );
    layers = Math.max(layers, need[t]);
  }
  const servingCount = new Float64Array(minutes);
  const billedCount = new Float64Array(minutes);
  for (let k = 1; k <= layers; k++) addLayer(need, k, bootMinutes, servingCount, billedCount);

  const served = demand.map((d, t) => Math.min(d, servingCount[t] * options.capacityPerInstance));
  const cpuPct = new Float64Array(minutes);
  const actions: ScalingAction[] = [];
  for (let t = 0; t < minutes; t++) {
    cpuPct[t] =
      servingCount[t] > 0 ? Math.min(100, (100 * demand[t]) / (servingCount[t] * options.capacityPerInstance)) : 0;
    if (t > 0 && billedCount[t] !== billedCount[t - 1]) {
      actions.push({
        atSeconds: options.startSeconds + 60 * t,
        source: 'controller',
        from: billedCount[t - 1],
        to: billedCount[t],
        reason: 'oracle',
      });
    }
  }
  return {
    startSeconds: options.startSeconds,
    minutes,
    demand: Float64Array.from(demand),
    served,
    servingCount,
    billedCount,
    desiredCapacity: Float64Array.from(billedCount),
    minSize: new Float64Array(minutes).fill(options.minSize),
    cpuPct,
    billedSeconds: billedCount.map((n) => n * 60),
    actions,
  };
}

/** Add layer k's serving and billed minutes; a launch bills the boot minutes before its run. */
function addLayer(need: Int32Array, k: number, bootMinutes: number, serving: Float64Array, billed: Float64Array): void {
  const minutes = need.length;
  let lastRunEnd = -1;
  let t = 0;
  while (t < minutes) {
    if (need[t] < k) {
      t++;
      continue;
    }
    let end = t;
    while (end < minutes && need[end] >= k) end++;
    const gap = lastRunEnd < 0 ? Infinity : t - lastRunEnd;
    if (gap <= bootMinutes) {
      for (let g = lastRunEnd; g < t; g++) {
        serving[g] += 1;
        billed[g] += 1;
      }
    } else if (t > 0) {
      for (let b = Math.max(0, Math.ceil(t - bootMinutes)); b < t; b++) billed[b] += 1;
    }
    for (let s = t; s < end; s++) {
      serving[s] += 1;
      billed[s] += 1;
    }
    lastRunEnd = end;
    t = end;
  }
}
