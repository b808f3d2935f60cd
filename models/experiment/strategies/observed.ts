import type { DemandTrace } from '../../fleet/types.ts';

/**
 * The load history as a controller could read it from CloudWatch: an interval is visible only
 * once it has ended and its datapoint has been published. Controllers read the trace through
 * this, never directly, which is what keeps every decision free of data from its future.
 */
export interface ObservedLoad {
  readonly trace: DemandTrace;
  /** Seconds after an interval ends before its datapoint can be read. */
  readonly delaySeconds: number;
}

/** How many leading intervals of the trace are visible at `nowSeconds`. */
export function visibleIntervals(observed: ObservedLoad, nowSeconds: number): number {
  const { startSeconds, stepSeconds, values } = observed.trace;
  const ended = Math.floor((nowSeconds - observed.delaySeconds - startSeconds) / stepSeconds);
  return Math.max(0, Math.min(values.length, ended));
}
