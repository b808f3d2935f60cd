/** A series on a regular time grid: value i is the slot starting at startSeconds + i * stepSeconds (UTC). */
export interface RegularSeries {
  readonly startSeconds: number;
  readonly stepSeconds: number;
  readonly values: Float64Array;
}

/** What regularization did to the raw rows (docs/backtest-protocol.md §1). */
export interface RegularizeReport {
  readonly rows: number;
  readonly slots: number;
  /** Grid slots that had no row and were filled by linear interpolation. */
  readonly filledSlots: number;
  /** Rows that fell into a slot already occupied by another row (averaged together). */
  readonly mergedRows: number;
  /** Rows whose value was not finite and so were treated as gaps. */
  readonly nonFiniteRows: number;
}

/** Steps per day for a grid step, e.g. 288 for 5 minutes. */
export function stepsPerDay(stepSeconds: number): number {
  const steps = 86_400 / stepSeconds;
  if (!Number.isInteger(steps)) {
    throw new RangeError(`a day must hold a whole number of steps; stepSeconds=${stepSeconds} gives ${steps}`);
  }
  return steps;
}

/** The last `points` values of a series, as a series (shares no memory with the input). */
export function tail(series: RegularSeries, points: number): RegularSeries {
  const from = Math.max(0, series.values.length - points);
  return slice(series, from, series.values.length);
}

/** Values [from, to) of a series, as a series starting at slot `from`. */
export function slice(series: RegularSeries, from: number, to: number): RegularSeries {
  return {
    startSeconds: series.startSeconds + from * series.stepSeconds,
    stepSeconds: series.stepSeconds,
    values: series.values.slice(from, to),
  };
}

/** Epoch seconds of the slot just after the last value: where a forecast starts. */
export function endSeconds(series: RegularSeries): number {
  return series.startSeconds + series.values.length * series.stepSeconds;
}

/** One observation as read from an input file, before regularization. */
export interface RawRow {
  readonly epochSeconds: number;
  /** May be NaN or ±Infinity: such rows are gaps, dropped and counted by regularization. */
  readonly value: number;
  /** 1-based line in the source file, when the format has lines worth pointing at. */
  readonly line?: number;
}
