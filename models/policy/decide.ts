import { clamp, instancesForLoad } from './capacity.ts';
import { loadPerMinute, type LoadKind } from './loadUnits.ts';

/**
 * How a forecast becomes a capacity. Every kind is combined with the reactive fallback through
 * the floor semantics below; they differ in which number of the forecast they plan for.
 */
export const FORECAST_POLICY_KINDS = [
  'simple-ceiling',
  'buffered',
  'confidence-aware',
  'incremental',
  'quantile',
] as const;
export type ForecastPolicyKind = (typeof FORECAST_POLICY_KINDS)[number];

export interface ForecastPolicy {
  readonly kind: ForecastPolicyKind;
  /** Load units one instance serves per minute at 100% CPU. */
  readonly capacityPerInstance: number;
  /** Utilization the planned capacity should run at. */
  readonly targetUtilizationPct: number;
  /** Extra load planned for, in percent of the forecast (buffered, incremental). @default 0 */
  readonly bufferPct?: number;
  /** The upper bound of this central interval is planned for (confidence-aware). @default 80 */
  readonly intervalLevel?: number;
  /**
   * The forecast percentile planned for (quantile): above 50 the upper bound of the central
   * interval at level 2q - 100, below 50 the lower bound at level 100 - 2q, 50 the mean. @default 90
   */
  readonly quantilePct?: number;
  /** Lead time: capacity must be serving by now + bootSeconds. */
  readonly bootSeconds: number;
  /** Seconds between scaler runs: the planned capacity must hold until the next run is effective. */
  readonly tickSeconds: number;
  /**
   * Most of the floor removed per tick, as a fraction of it (at least one instance). Halving at
   * most per 5-minute tick lowers capacity gradually yet sheds a burst's instances within
   * minutes; 0.1 kept 20-30% more instance-hours on the Twitter traces for no fewer
   * under-provisioned minutes. @default 0.5
   */
  readonly maxScaleInFraction?: number;
  /**
   * Plan for at least this percent of the newest observed interval's load, whatever the
   * forecast says: a guard against a forecast that collapses while the load holds. The
   * prescale hedge levels above 90 set it to 100. @default 0
   */
  readonly observedFloorPct?: number;
  /**
   * The observed load `observedFloorPct` and a scale-in look at is the highest of the intervals
   * observed over this many seconds before step 0 (from `recentObserved`), not the newest only:
   * capacity a burst needed is held that long after it. @default 0 (the newest interval)
   */
  readonly observedPeakSeconds?: number;
}

/** A load forecast, step 0 being the interval starting at `startSeconds`. */
export interface LoadForecast {
  readonly startSeconds: number;
  readonly stepSeconds: number;
  /** What the values are: sums per interval, per-second rates or levels (see loadUnits.ts). */
  readonly kind: LoadKind;
  readonly mean: ArrayLike<number>;
  /** Upper bounds of central intervals by level (percent). */
  readonly upper: Readonly<Record<number, ArrayLike<number>>>;
  /** Lower bounds of central intervals by level (percent). */
  readonly lower?: Readonly<Record<number, ArrayLike<number>>>;
  /** The newest observed interval's load (the one just before step 0), when known. */
  readonly lastObserved?: number;
  /**
   * The observed load of the intervals before step 0, oldest first, ending with the newest (up
   * to a day of them), when known: what `observedPeakSeconds` reads.
   */
  readonly recentObserved?: ArrayLike<number>;
}

/** The group as the scaler finds it. */
export interface GroupState {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  /** The group's own minimum, restored when prescale lets go. */
  readonly configuredMinSize: number;
  /** The reactive scale-out alarm is in ALARM: the reactive policy wants more than it has. */
  readonly scaleOutAlarmActive: boolean;
}

export interface Decision {
  /** Capacity the forecast asks for, clamped to [configured minimum, maximum]. */
  readonly recommendedCapacity: number;
  /** Load per minute the recommendation plans for. */
  readonly plannedLoadPerMinute: number;
  /** New MinSize (prescale's floor). */
  readonly minSize: number;
  /** New desired capacity, or undefined to leave it alone. */
  readonly desiredCapacity?: number;
  readonly reason: string;
}

/**
 * The one decision function: the scaler Lambda, the simulator and the tests all call it.
 *
 * The forecast becomes a floor (docs/architecture.md, "Floor semantics"): MinSize rises to
 * the recommendation at once, and desired capacity with it when below; it comes down by at most
 * `maxScaleInFraction` per tick, and desired capacity follows it down only when nothing above
 * the floor came from the reactive alarms (desired was at the old floor, and the scale-out alarm
 * is quiet). Capacity the reactive policy added above the floor is left to its own scale-in.
 */
export function decide(
  nowSeconds: number,
  forecast: LoadForecast | undefined,
  group: GroupState,
  policy: ForecastPolicy,
): Decision {
  const floorLo = group.configuredMinSize;
  if (forecast === undefined) {
    return {
      recommendedCapacity: group.minSize,
      plannedLoadPerMinute: NaN,
      minSize: group.minSize,
      reason: 'no forecast: capacity left to the reactive policy',
    };
  }
  const plannedLoadPerMinute = Math.max(
    plannedLoad(nowSeconds, forecast, policy),
    (observedLoadPerMinute(forecast, policy.observedPeakSeconds) * (policy.observedFloorPct ?? 0)) / 100,
  );
  const needed = instancesForLoad(plannedLoadPerMinute, policy.capacityPerInstance, policy.targetUtilizationPct);
  const recommended = clamp(needed, floorLo, group.maxSize);
  const current = group.minSize;

  let minSize: number;
  if (policy.kind === 'incremental') {
    minSize = clamp(recommended, current - 1, current + 1);
  } else if (recommended >= current) {
    minSize = recommended;
  } else {
    const maxDrop = Math.max(1, Math.floor(current * (policy.maxScaleInFraction ?? 0.5)));
    minSize = Math.max(
      recommended,
      Math.min(current, instancesToKeep(nowSeconds, forecast, policy)),
      current - maxDrop,
    );
  }
  minSize = clamp(minSize, floorLo, group.maxSize);

  const load = `${plannedLoadPerMinute.toFixed(1)}/min`;
  if (group.desiredCapacity < minSize) {
    return {
      recommendedCapacity: recommended,
      plannedLoadPerMinute,
      minSize,
      desiredCapacity: minSize,
      reason: `raise to ${minSize}: forecast ${load} needs ${needed} at ${policy.targetUtilizationPct}%`,
    };
  }
  const ownsDesired = group.desiredCapacity <= current && !group.scaleOutAlarmActive;
  if (minSize < current && ownsDesired) {
    return {
      recommendedCapacity: recommended,
      plannedLoadPerMinute,
      minSize,
      desiredCapacity: minSize,
      reason: `lower to ${minSize} (recommended ${recommended}): forecast ${load}`,
    };
  }
  return {
    recommendedCapacity: recommended,
    plannedLoadPerMinute,
    minSize,
    reason:
      minSize === current
        ? `hold floor ${minSize}: forecast ${load} needs ${needed}`
        : `floor ${current} -> ${minSize}; desired ${group.desiredCapacity} left to the reactive policy`,
  };
}

/**
 * The load to plan for, per minute: the highest forecast value over the intervals that overlap
 * [now + boot, now + boot + tick], i.e. from when an instance launched now would serve until
 * the next decision could add one. Beyond the forecast's last step the last step stands in.
 */
export function plannedLoad(nowSeconds: number, forecast: LoadForecast, policy: ForecastPolicy): number {
  return peakLoad(
    forecast,
    policy,
    nowSeconds + policy.bootSeconds,
    nowSeconds + policy.bootSeconds + policy.tickSeconds,
  );
}

/**
 * Instances a scale-in must keep. An instance launched now serves only after the boot time, but
 * one terminated now is gone at once: so the floor may fall only to what the forecast asks for
 * over all of [now, now + boot + tick], and never below what the newest observed interval
 * needed at full utilization (a forecast that collapses below the load being served right now,
 * as around a daylight-saving fold, is not trusted for a scale-in).
 */
export function instancesToKeep(nowSeconds: number, forecast: LoadForecast, policy: ForecastPolicy): number {
  const ahead = instancesForLoad(
    peakLoad(forecast, policy, nowSeconds, nowSeconds + policy.bootSeconds + policy.tickSeconds),
    policy.capacityPerInstance,
    policy.targetUtilizationPct,
  );
  const observed = observedLoadPerMinute(forecast, policy.observedPeakSeconds);
  return Math.max(ahead, instancesForLoad(observed, policy.capacityPerInstance, 100));
}

/**
 * The newest observed interval's load per minute, or the highest over the last `peakSeconds`
 * of the recent intervals the forecast carries; 0 when unknown.
 */
export function observedLoadPerMinute(forecast: LoadForecast, peakSeconds = 0): number {
  const last = forecast.lastObserved;
  let peak = last === undefined || !Number.isFinite(last) ? 0 : Math.max(0, last);
  const recent = forecast.recentObserved;
  if (peakSeconds > 0 && recent !== undefined) {
    const n = Math.min(recent.length, Math.ceil(peakSeconds / forecast.stepSeconds));
    for (let i = recent.length - n; i < recent.length; i++) if (recent[i] > peak) peak = recent[i];
  }
  return loadPerMinute(peak, forecast.kind, forecast.stepSeconds);
}

function peakLoad(forecast: LoadForecast, policy: ForecastPolicy, from: number, to: number): number {
  const n = forecast.mean.length;
  if (n === 0) throw new RangeError('forecast has no steps');
  const first = clamp(Math.floor((from - forecast.startSeconds) / forecast.stepSeconds), 0, n - 1);
  const last = clamp(Math.ceil((to - forecast.startSeconds) / forecast.stepSeconds) - 1, first, n - 1);
  const values =
    policy.kind === 'confidence-aware'
      ? upperAt(forecast, policy.intervalLevel ?? 80)
      : policy.kind === 'quantile'
        ? quantileAt(forecast, policy.quantilePct ?? 90)
        : forecast.mean;
  const buffer = policy.kind === 'buffered' || policy.kind === 'incremental' ? 1 + (policy.bufferPct ?? 0) / 100 : 1;
  let peak = 0;
  for (let i = first; i <= last; i++) peak = Math.max(peak, values[i]);
  return loadPerMinute(peak * buffer, forecast.kind, forecast.stepSeconds);
}

/**
 * Instances each forecast step asks for under the policy: the planned percentile (quantile), the
 * interval's upper bound (confidence-aware) or the mean with its buffer, at the target
 * utilization. What the prediction service reports next to the forecast.
 */
export function capacityPath(forecast: LoadForecast, policy: ForecastPolicy): number[] {
  const values =
    policy.kind === 'confidence-aware'
      ? upperAt(forecast, policy.intervalLevel ?? 80)
      : policy.kind === 'quantile'
        ? quantileAt(forecast, policy.quantilePct ?? 90)
        : forecast.mean;
  const buffer = policy.kind === 'buffered' || policy.kind === 'incremental' ? 1 + (policy.bufferPct ?? 0) / 100 : 1;
  return Array.from({ length: forecast.mean.length }, (_, i) =>
    instancesForLoad(
      loadPerMinute(values[i] * buffer, forecast.kind, forecast.stepSeconds),
      policy.capacityPerInstance,
      policy.targetUtilizationPct,
    ),
  );
}

/**
 * The forecast's `quantilePct`-th percentile per step. The mean stands for the 50th, the bound
 * of a central interval at level L for the (50 ± L/2)th; a percentile between two available
 * ones is interpolated linearly, one beyond them is refused.
 */
function quantileAt(forecast: LoadForecast, quantilePct: number): ArrayLike<number> {
  if (!(quantilePct > 0 && quantilePct < 100))
    throw new RangeError(`'quantilePct' must be within (0, 100), got ${quantilePct}`);
  const known: [number, ArrayLike<number>][] = [[50, forecast.mean]];
  for (const [level, values] of Object.entries(forecast.upper)) known.push([50 + Number(level) / 2, values]);
  for (const [level, values] of Object.entries(forecast.lower ?? {})) known.push([50 - Number(level) / 2, values]);
  known.sort((a, b) => a[0] - b[0]);
  const exact = known.find(([p]) => p === quantilePct);
  if (exact !== undefined) return exact[1];
  const hi = known.findIndex(([p]) => p > quantilePct);
  if (hi <= 0) {
    throw new RangeError(
      `forecast has no bounds around the ${quantilePct}th percentile; it has the ${known.map(([p]) => p).join(', ')}th`,
    );
  }
  const [pLo, lo] = known[hi - 1];
  const [pHi, up] = known[hi];
  const w = (quantilePct - pLo) / (pHi - pLo);
  return Array.from({ length: forecast.mean.length }, (_, i) => lo[i] + w * (up[i] - lo[i]));
}

function upperAt(forecast: LoadForecast, level: number): ArrayLike<number> {
  const upper = forecast.upper[level];
  if (upper === undefined) {
    throw new RangeError(
      `forecast has no ${level}% interval; it has ${Object.keys(forecast.upper).join(', ') || 'none'}`,
    );
  }
  return upper;
}
