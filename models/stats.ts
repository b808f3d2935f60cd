/** Order statistics shared by the forecasters, the backtest and the tools. */

/** The median of the values (the mean of the middle two for an even count); NaN when there are none. */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Array.from(values).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The largest value; -Infinity when there are none. A loop, not `Math.max(...values)`, which
 * overflows the call stack on long series (a 9-month hourly trace's report did).
 */
export function maxOf(values: Iterable<number>): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The smallest value; Infinity when there are none (see `maxOf`). */
export function minOf(values: Iterable<number>): number {
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min;
}
