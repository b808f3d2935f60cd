import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricSource, type ConfiguredMetric } from '../../lambdas/adapters/CloudWatchMetricSource.ts';
import { fillGaps } from '../../models/series/fillGaps.ts';
import type { RegularSeries } from '../../models/series/types.ts';
import { UsageError } from './errors.ts';

/** CloudWatch keeps 1-minute datapoints for 15 days and 5-minute ones for 63. */
export const RETENTION_DAYS: Readonly<Record<number, number>> = { 60: 15, 300: 63 };

export interface GroupSeriesOptions {
  readonly group: string;
  /** @default the SDK's (AWS_REGION, the profile) */
  readonly region?: string;
  /** 60 (the last 15 days) or 300 (the last 63). @default 300 */
  readonly periodSeconds?: number;
  /** The load, as the scaler reads it. @default 'total-cpu' */
  readonly load?: 'total-cpu' | ConfiguredMetric;
  /** @default now */
  readonly nowSeconds?: number;
  /** For tests: a client of the caller's. @default a CloudWatch client with the default credentials */
  readonly client?: CloudWatchClient;
}

export interface GroupSeries {
  readonly name: string;
  /** Load units per interval: requests per period for a sum, load-minutes for total CPU or a level. */
  readonly series: RegularSeries;
  /** Load one instance serves per minute at 100% CPU, when the load says (total CPU: 100). */
  readonly capacityPerInstance?: number;
  /** Intervals CloudWatch had no datapoint for, filled by interpolation. */
  readonly gaps: number;
}

/**
 * A live group's load history from CloudWatch, through the scaler's own metric source: total
 * CPU (CPUUtilization × GroupInServiceInstances, in percent-instances, 100 per instance at 100%)
 * or the configured metric. Gaps are interpolated, leading and trailing ones dropped; the series
 * starts on a 5-minute boundary, as CloudWatch's periods do.
 */
export async function readGroupSeries(options: GroupSeriesOptions): Promise<GroupSeries> {
  const period = options.periodSeconds ?? 300;
  const days = RETENTION_DAYS[period];
  if (days === undefined) throw new UsageError(`--period must be 60 or 300 seconds, got ${period}`);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  // Whole periods that ended at least a minute ago (the newest one may still be filling in).
  const end = Math.floor((now - 60) / 300) * 300;
  const client = options.client ?? new CloudWatchClient(options.region === undefined ? {} : { region: options.region });
  const source = new CloudWatchMetricSource({ client, load: options.load });
  let raw;
  try {
    raw = await source.fetchLoad(options.group, {
      startSeconds: end - days * 86_400,
      endSeconds: end,
      stepSeconds: period,
    });
  } catch (error) {
    throw new UsageError(`could not read group '${options.group}' from CloudWatch: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const present = Array.from(raw.values).filter(Number.isFinite).length;
  const filled = fillGaps(raw);
  if (filled === undefined)
    throw new UsageError(
      `CloudWatch has no load data for group '${options.group}' in the last ${days} days at ${period}-second periods ` +
        `(is the name right, the region, and detailed monitoring on for 60-second data?)`,
    );
  // Levels (total CPU, a gauge) hold over the period; the experiment wants load per interval.
  const perInterval = raw.kind === 'sum' ? 1 : raw.kind === 'per-second' ? period : period / 60;
  const skip = ((300 - (filled.startSeconds % 300)) % 300) / period;
  const values = Float64Array.from(filled.values.subarray(skip), (v) => Math.max(0, v) * perInterval);
  return {
    name: options.group,
    series: { startSeconds: filled.startSeconds + skip * period, stepSeconds: period, values },
    capacityPerInstance: options.load === undefined || options.load === 'total-cpu' ? 100 : undefined,
    gaps: filled.values.length - present,
  };
}
