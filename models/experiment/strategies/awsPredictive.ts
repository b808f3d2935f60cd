import type { Controller } from '../../fleet/types.ts';
import { clamp, instancesForLoad } from '../../policy/capacity.ts';
import { visibleIntervals, type ObservedLoad } from './observed.ts';

export interface AwsPredictiveOptions {
  readonly capacityPerInstance: number;
  readonly targetUtilizationPct: number;
  /** Hours between forecast refreshes. @default 6 */
  readonly refreshHours?: number;
  /** Days of history the forecast uses, at most. @default 14 */
  readonly historyDays?: number;
  /** Capacity for an hour is applied this long before the hour starts. @default 300 */
  readonly schedulingBufferSeconds?: number;
}

const HOUR = 3600;
const DAY = 86_400;
const WEEK = 7 * DAY;

/**
 * An emulation of EC2 Auto Scaling's native predictive scaling, as documented: an hourly
 * capacity forecast from up to 14 days of history, refreshed every 6 hours, applied
 * `schedulingBufferSeconds` before each hour as the group's minimum capacity, never scaling in
 * by itself (lower capacity is left to the target tracking policy it is paired with; AWS takes
 * the larger of the two). AWS does not disclose its model, so this one is a seasonal profile:
 * the mean of the same hour over the last week's days, averaged with the same hour of the week
 * in the previous weeks once a week of history exists.
 */
export function awsPredictiveController(observed: ObservedLoad, options: AwsPredictiveOptions): Controller {
  const refreshSeconds = (options.refreshHours ?? 6) * HOUR;
  const historySeconds = (options.historyDays ?? 14) * DAY;
  const bufferSeconds = options.schedulingBufferSeconds ?? 300;
  let forecastMadeAt = -Infinity;
  let hourly = new Map<number, number>();

  return {
    name: 'aws-predictive',
    tickSeconds: 60,
    tick(view) {
      const now = view.nowSeconds;
      if (now - forecastMadeAt >= refreshSeconds) {
        hourly = hourlyForecast(observed, now, historySeconds);
        forecastMadeAt = now;
      }
      const hourStart = now + bufferSeconds;
      if (hourStart % HOUR !== 0) return undefined;
      const loadPerMinute = hourly.get(hourStart);
      if (loadPerMinute === undefined) return undefined;
      const capacity = instancesForLoad(loadPerMinute, options.capacityPerInstance, options.targetUtilizationPct);
      const minSize = clamp(capacity, view.configuredMinSize, view.maxSize);
      return {
        minSize,
        reason: `aws-predictive: hour starting ${hourStart} forecast ${loadPerMinute.toFixed(1)}/min -> min ${minSize}`,
      };
    },
  };
}

/** Forecast load per minute for each hour start in the next 48 hours, from data visible at `now`. */
function hourlyForecast(observed: ObservedLoad, nowSeconds: number, historySeconds: number): Map<number, number> {
  const perHour = observedHourlyMeans(observed, nowSeconds, historySeconds);
  const forecast = new Map<number, number>();
  if (perHour.size === 0) return forecast;
  const firstHour = Math.ceil(nowSeconds / HOUR) * HOUR;
  for (let hour = firstHour; hour < firstHour + 48 * HOUR; hour += HOUR) {
    const daily = meanOf(perHour, hour, DAY, 7);
    const weekly = meanOf(perHour, hour, WEEK, 2);
    const value = daily !== undefined && weekly !== undefined ? (daily + weekly) / 2 : (daily ?? weekly);
    if (value !== undefined) forecast.set(hour, value);
  }
  return forecast;
}

/** Mean of the values `period`, 2·period, … before `hour`, up to `count` of them. */
function meanOf(perHour: Map<number, number>, hour: number, period: number, count: number): number | undefined {
  let sum = 0,
    n = 0;
  for (let k = 1; k <= count; k++) {
    const v = perHour.get(hour - k * period);
    if (v !== undefined) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : undefined;
}

/** Mean load per minute of each whole clock hour visible at `now`, over the last `historySeconds`. */
function observedHourlyMeans(observed: ObservedLoad, nowSeconds: number, historySeconds: number): Map<number, number> {
  const { startSeconds, stepSeconds, values } = observed.trace;
  const visible = visibleIntervals(observed, nowSeconds);
  const sums = new Map<number, { load: number; seconds: number }>();
  const first = Math.max(0, Math.ceil((nowSeconds - historySeconds - startSeconds) / stepSeconds));
  for (let i = first; i < visible; i++) {
    const t = startSeconds + i * stepSeconds;
    const hour = Math.floor(t / HOUR) * HOUR;
    const entry = sums.get(hour) ?? { load: 0, seconds: 0 };
    entry.load += values[i];
    entry.seconds += stepSeconds;
    sums.set(hour, entry);
  }
  const means = new Map<number, number>();
  for (const [hour, { load, seconds }] of sums) {
    // A partly visible hour would understate its load: only whole hours count.
    if (seconds >= HOUR) means.set(hour, (load * 60) / seconds);
  }
  return means;
}
