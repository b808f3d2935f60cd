import type { ReportData } from './report.ts';

type Timeline = ReportData['timeline'];

/** One bucket of one strategy's panel; times in epoch milliseconds (vega's temporal unit). */
export interface TimelineRow {
  readonly strategy: string;
  readonly time: number;
  readonly timeEnd: number;
  /** The highest demand of the bucket's minutes, load units per minute. */
  readonly demand: number | null;
  /**
   * Serving capacity as drawn, load units per minute: the bucket's peak demand plus its tightest
   * headroom (the least capacity minus demand over its minutes), so that it is below `demand`
   * exactly when some minute was short. It lies between the bucket's lowest and highest capacity;
   * the lowest capacity when no minute has a demand.
   */
  readonly capacity: number | null;
  /** Minutes of the bucket with demand above capacity (as the metrics count them). */
  readonly underMinutes: number;
}

/** One forecast bucket, load units per minute, the forecast clamped at 0. */
export interface ForecastRow {
  readonly time: number;
  readonly mean: number;
  readonly lower80: number;
  readonly upper80: number;
  readonly demand: number | null;
}

export interface ForecastRows {
  readonly rows: ForecastRow[];
  /** Forecast steps of the evaluation window with demand inside the 80% band, percent; null with none. */
  readonly coverage80Pct: number | null;
}

/** The first minute of the evaluation window, as an index into the per-minute arrays. */
export function evaluationStartMinute(timeline: Timeline): number {
  return Math.max(0, Math.round((timeline.evaluationStartSeconds - timeline.startSeconds) / 60));
}

/** Under-provisioned as the metrics count it: a relative tolerance so equal demand and capacity are served. */
function isUnder(demand: number, capacity: number): boolean {
  return demand > capacity * (1 + 1e-9) + 1e-9;
}

/**
 * The strategies' minutes [fromMinute, toMinute) in buckets: the highest demand of each, and
 * capacity as that peak plus the tightest headroom, so that a short dip below demand stays
 * visible however coarse the buckets, and capacity that followed demand minute by minute is not
 * drawn below it (the highest demand against the lowest capacity would be).
 */
export function timelineRows(
  timeline: Timeline,
  strategies: readonly string[],
  bucketMinutes: number,
  fromMinute: number,
  toMinute: number,
): TimelineRow[] {
  const demand = timeline.demandPerMinute;
  const last = Math.min(toMinute, demand.length);
  const rows: TimelineRow[] = [];
  for (const strategy of strategies) {
    const capacity = timeline.capacityPerMinute[strategy];
    if (capacity === undefined) continue;
    for (let b = fromMinute; b < last; b += bucketMinutes) {
      const end = Math.min(last, b + bucketMinutes);
      let peak = -Infinity,
        low = Infinity,
        headroom = Infinity,
        underMinutes = 0;
      for (let t = b; t < end; t++) {
        const d = demand[t],
          c = t < capacity.length ? capacity[t] : NaN;
        if (Number.isFinite(d)) peak = Math.max(peak, d);
        if (Number.isFinite(c)) low = Math.min(low, c);
        if (Number.isFinite(d) && Number.isFinite(c)) {
          // Within the metrics' tolerance a minute is served: no headroom lost to float rounding.
          headroom = Math.min(headroom, isUnder(d, c) ? c - d : Math.max(0, c - d));
          if (isUnder(d, c)) underMinutes++;
        }
      }
      const peakDemand = roundOrNull(peak);
      rows.push({
        strategy,
        time: msAt(timeline, b),
        timeEnd: msAt(timeline, end),
        demand: peakDemand,
        capacity: peakDemand !== null && Number.isFinite(headroom) ? round(peak + headroom) : roundOrNull(low),
        underMinutes,
      });
    }
  }
  return rows;
}

/**
 * The start of the `spanMinutes` of the evaluation window with the most demand, searched in
 * whole hours; null when the window is shorter than the span.
 */
export function busiestSpan(timeline: Timeline, spanMinutes: number): number | null {
  const demand = timeline.demandPerMinute;
  const first = evaluationStartMinute(timeline);
  if (demand.length - first < spanMinutes) return null;
  const prefix = new Float64Array(demand.length + 1);
  for (let t = 0; t < demand.length; t++) prefix[t + 1] = prefix[t] + (Number.isFinite(demand[t]) ? demand[t] : 0);
  let best = first,
    bestSum = -Infinity;
  for (let start = first; start + spanMinutes <= demand.length; start += 60) {
    const sum = prefix[start + spanMinutes] - prefix[start];
    if (sum > bestSum) {
      bestSum = sum;
      best = start;
    }
  }
  return best;
}

/**
 * The forecast the scaler planned with against the demand that came, over the evaluation window
 * (or the minutes [fromMinute, toMinute) of the timeline): each averaged per bucket (both are
 * rates, so a mean compares like with like).
 */
export function forecastRows(
  timeline: Timeline,
  bucketMinutes: number,
  fromMinute?: number,
  toMinute?: number,
): ForecastRows {
  const f = timeline.forecast;
  if (f === undefined || !(f.stepSeconds > 0)) return { rows: [], coverage80Pct: null };
  const stepMinutes = f.stepSeconds / 60;
  const fromSeconds =
    fromMinute === undefined ? timeline.evaluationStartSeconds : timeline.startSeconds + 60 * fromMinute;
  const firstStep = Math.max(0, Math.ceil((fromSeconds - f.startSeconds) / f.stepSeconds));
  const endStep =
    toMinute === undefined
      ? f.mean.length
      : Math.min(f.mean.length, Math.ceil((timeline.startSeconds + 60 * toMinute - f.startSeconds) / f.stepSeconds));
  const perBucket = Math.max(1, Math.round(bucketMinutes / stepMinutes));
  const rows: ForecastRow[] = [];
  let steps = 0,
    inside = 0;
  for (let i = firstStep; i < endStep; i += perBucket) {
    let m = 0,
      lo = 0,
      hi = 0,
      k = 0,
      d = 0,
      kd = 0;
    for (let j = i; j < Math.min(endStep, i + perBucket); j++) {
      if (!Number.isFinite(f.mean[j]) || !Number.isFinite(f.lower80[j]) || !Number.isFinite(f.upper80[j])) continue;
      // Demand cannot be negative: the plotted forecast stops at 0 (coverage is unchanged by it).
      m += Math.max(0, f.mean[j]);
      lo += Math.max(0, f.lower80[j]);
      hi += Math.max(0, f.upper80[j]);
      k++;
      const actual = meanDemand(
        timeline,
        (f.startSeconds + j * f.stepSeconds - timeline.startSeconds) / 60,
        stepMinutes,
      );
      if (actual === null) continue;
      d += actual;
      kd++;
      steps++;
      if (actual >= f.lower80[j] && actual <= f.upper80[j]) inside++;
    }
    if (k > 0) {
      rows.push({
        time: (f.startSeconds + i * f.stepSeconds) * 1000,
        mean: round(m / k),
        lower80: round(lo / k),
        upper80: round(hi / k),
        demand: kd > 0 ? round(d / kd) : null,
      });
    }
  }
  return { rows, coverage80Pct: steps > 0 ? (100 * inside) / steps : null };
}

/** Mean demand per minute over [fromMinute, fromMinute + minutes); null when none of it is known. */
function meanDemand(timeline: Timeline, fromMinute: number, minutes: number): number | null {
  const demand = timeline.demandPerMinute;
  let sum = 0,
    n = 0;
  for (let t = Math.max(0, Math.round(fromMinute)); t < Math.round(fromMinute + minutes) && t < demand.length; t++) {
    if (Number.isFinite(demand[t])) {
      sum += demand[t];
      n++;
    }
  }
  return n > 0 ? sum / n : null;
}

function msAt(timeline: Timeline, minute: number): number {
  return (timeline.startSeconds + 60 * minute) * 1000;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function roundOrNull(v: number): number | null {
  return Number.isFinite(v) ? round(v) : null;
}
