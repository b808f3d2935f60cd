import { parseCloudWatch } from './parseCloudWatch.ts';
import { parseCsv } from './parseCsv.ts';
import { regularize } from './regularize.ts';
import type { RawRow, RegularSeries, RegularizeReport } from './types.ts';

export type SeriesFormat = 'csv' | 'cloudwatch' | 'auto';

export interface ReadSeriesOptions {
  /** @default 'auto': CloudWatch JSON if the text starts with `{` or `[`, else CSV */
  readonly format?: SeriesFormat;
  /** CloudWatch `MetricDataResults` Id to use. @default the first result */
  readonly id?: string;
  /** Grid step. @default detected from the data (docs/backtest-protocol.md §1) */
  readonly stepSeconds?: number;
}

export interface ParseSeriesOptions extends ReadSeriesOptions {
  /** Where the text came from: named in errors, and its base name names the series. */
  readonly file: string;
}

/** A regularized series ready for the backtest or the scaler. */
export interface SeriesInput {
  /** The file's base name without extension: `data/nab/nyc_taxi.csv` → `nyc_taxi`. */
  readonly name: string;
  readonly series: RegularSeries;
  readonly report: RegularizeReport;
}

/** `data/nab/nyc_taxi.csv` → `nyc_taxi`; splits on `\` too so Windows paths name series alike. */
export function seriesName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function looksLikeJson(text: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(text);
}

/** Parse and regularize series text (CSV or CloudWatch JSON). */
export function parseSeriesText(text: string, options: ParseSeriesOptions): SeriesInput {
  const { file } = options;
  const format = options.format ?? 'auto';
  const cloudWatch = format === 'cloudwatch' || (format === 'auto' && looksLikeJson(text));
  const rows: RawRow[] = cloudWatch ? parseCloudWatch(text, file, { id: options.id }).rows : parseCsv(text, file);
  const { series, report } = regularize(rows, { file, stepSeconds: options.stepSeconds });
  return { name: seriesName(file), series, report };
}
