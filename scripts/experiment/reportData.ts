import type { ReportData } from './report.ts';

type Timeline = ReportData['timeline'];

/** Per strategy, buckets of the evaluation window: the highest demand and the lowest capacity in each. */
export function timelineRows(timeline: Timeline, bucketSeconds: number, from?: number, to?: number, only?: readonly string[]) {
  const perBucket = bucketSeconds / 60;
  const first = from ?? Math.max(0, Math.round((timeline.evaluationStartSeconds - timeline.startSeconds) / 60));
  const last = Math.min(to ?? timeline.demandPerMinute.length, timeline.demandPerMinute.length);
  const rows: { strategy: string; time: number; demand: number; capacity: number }[] = [];
  for (const [strategy, capacity] of Object.entries(timeline.capacityPerMinute)) {
    if (only !== undefined && !only.includes(strategy)) continue;
    for (let b = first; b < last; b += perBucket) {
      let demand = 0, cap = Infinity;
      for (let t = b; t < Math.min(last, b + perBucket); t++) {
        demand = Math.max(demand, timeline.demandPerMinute[t]);
        cap = Math.min(cap, capacity[t]);
      }
      rows.push({ strategy, time: (timeline.startSeconds + 60 * b) * 1000, demand: round(demand), capacity: round(cap) });
    }
  }
  return rows;
}

/** The two consecutive days of the evaluation window with the most demand, for a few strategies. */
export function zoomRows(timeline: Timeline, strategies: readonly string[], bucketSeconds: number) {
  const first = Math.max(0, Math.round((timeline.evaluationStartSeconds - timeline.startSeconds) / 60));
  const n = timeline.demandPerMinute.length;
  const span = 2 * 1440;
  if (n - first < span) return [];
  let best = first, bestSum = -Infinity, sum = 0;
  for (let t = first; t < first + span; t++) sum += timeline.demandPerMinute[t];
  for (let start = first; start + span <= n; start += 60) {
    if (sum > bestSum) { bestSum = sum; best = start; }
    for (let t = start; t < start + 60 && t + span < n; t++) sum += timeline.demandPerMinute[t + span] - timeline.demandPerMinute[t];
  }
  return timelineRows(timeline, bucketSeconds, best, best + span, strategies);
}

/** The planned forecast against demand, averaged per bucket over the evaluation window. */
export function forecastRows(timeline: Timeline, bucketSeconds: number) {
  const f = timeline.forecast;
  if (f === undefined) return [];
  const rows: { time: number; mean: number; lower80: number; upper80: number; demand: number }[] = [];
  const perBucket = Math.max(1, Math.round(bucketSeconds / f.stepSeconds));
  for (let i = 0; i < f.mean.length; i += perBucket) {
    let m = 0, lo = 0, hi = 0, d = 0, k = 0;
    for (let j = i; j < Math.min(f.mean.length, i + perBucket); j++) {
      if (!Number.isFinite(f.mean[j])) continue;
      const minute = Math.round((f.startSeconds + j * f.stepSeconds - timeline.startSeconds) / 60);
      let demand = 0, minutes = 0;
      for (let t = minute; t < minute + f.stepSeconds / 60 && t < timeline.demandPerMinute.length; t++) { demand += timeline.demandPerMinute[t]; minutes++; }
      m += f.mean[j]; lo += f.lower80[j]; hi += f.upper80[j]; d += minutes > 0 ? demand / minutes : 0; k++;
    }
    if (k > 0) rows.push({ time: (f.startSeconds + i * f.stepSeconds) * 1000, mean: round(m / k), lower80: round(lo / k), upper80: round(hi / k), demand: round(d / k) });
  }
  return rows;
}

function round(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 100) / 100 : 0;
}
