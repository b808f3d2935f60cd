import { regularize } from './regularize.ts';
import type { RawRow, RegularSeries } from './types.ts';

/**
 * A gridded series whose missing values are NaN (as CloudWatch returns them) made whole, the
 * way the backtest regularizes files: interior gaps interpolated, leading and trailing gaps
 * dropped. Undefined when fewer than two values are present.
 */
export function fillGaps(series: {
  readonly startSeconds: number;
  readonly stepSeconds: number;
  readonly values: ArrayLike<number>;
}): RegularSeries | undefined {
  const rows: RawRow[] = [];
  for (let i = 0; i < series.values.length; i++) {
    if (Number.isFinite(series.values[i]))
      rows.push({ epochSeconds: series.startSeconds + i * series.stepSeconds, value: series.values[i] });
  }
  if (rows.length < 2) return undefined;
  return regularize(rows, { file: 'metric data', stepSeconds: series.stepSeconds }).series;
}
