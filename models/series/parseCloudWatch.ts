import { EmptySeriesError, MetricNotFoundError, SeriesInputError, quote } from './errors.ts';
import { parseTimestamp } from './parseTimestamp.ts';
import type { RawRow } from './types.ts';

/** The one metric picked out of a `get-metric-data` response. */
export interface CloudWatchSeries {
  readonly id: string;
  readonly label: string | undefined;
  /** In file order (CloudWatch's default is newest first); regularization sorts them. */
  readonly rows: RawRow[];
}

export interface ParseCloudWatchOptions {
  /** Which `MetricDataResults` entry to use. @default the first one */
  readonly id?: string;
}

/** One Id's data merged across pages. */
interface MergedResult {
  readonly id: string;
  label: string | undefined;
  readonly timestamps: unknown[];
  readonly values: unknown[];
  readonly statusCodes: Set<string>;
}

const SHAPE =
  "expected the JSON printed by 'aws cloudwatch get-metric-data' " +
  '(an object with a MetricDataResults array, or an array of such objects)';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Line of a JSON.parse failure, from the position V8 puts in its message (format varies by Node version). */
function jsonErrorLine(text: string, message: string): number | undefined {
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line !== null) return Number(line[1]);
  const position = /at position (\d+)/.exec(message);
  if (position === null) return undefined;
  return text.slice(0, Number(position[1])).split('\n').length;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SeriesInputError(file, `invalid JSON: ${message}`, { line: jsonErrorLine(text, message), cause: error });
  }
}

/** Merge every page's results by Id, in order of first appearance, checking each entry's shape. */
function mergeResults(json: unknown, file: string): MergedResult[] {
  const pages = Array.isArray(json) ? json : [json];
  const byId = new Map<string, MergedResult>();
  pages.forEach((page, pageIndex) => {
    const where = Array.isArray(json) ? `[${pageIndex}].MetricDataResults` : 'MetricDataResults';
    if (!isRecord(page) || !Array.isArray(page.MetricDataResults)) {
      throw new SeriesInputError(file, `${SHAPE}; ${where} is missing`);
    }
    page.MetricDataResults.forEach((result: unknown, i: number) => {
      const entry = `${where}[${i}]`;
      if (!isRecord(result) || typeof result.Id !== 'string') {
        throw new SeriesInputError(file, `${entry} has no string Id`);
      }
      const { Id: id, Label: label, Timestamps: timestamps, Values: values, StatusCode: status } = result;
      if (!Array.isArray(timestamps) || !Array.isArray(values)) {
        throw new SeriesInputError(file, `${entry} (Id '${id}') needs Timestamps and Values arrays`);
      }
      if (timestamps.length !== values.length) {
        throw new SeriesInputError(
          file,
          `${entry} (Id '${id}') has ${timestamps.length} Timestamps but ${values.length} Values`,
        );
      }
      let merged = byId.get(id);
      if (merged === undefined) {
        merged = { id, label: undefined, timestamps: [], values: [], statusCodes: new Set() };
        byId.set(id, merged);
      }
      merged.label ??= typeof label === 'string' ? label : undefined;
      // push(...spread) overflows the stack on very long pages, so append in a loop.
      for (let k = 0; k < timestamps.length; k++) {
        merged.timestamps.push(timestamps[k]);
        merged.values.push(values[k]);
      }
      if (typeof status === 'string') merged.statusCodes.add(status);
    });
  });
  return [...byId.values()];
}

function toRows(result: MergedResult, file: string): RawRow[] {
  const rows: RawRow[] = [];
  for (let k = 0; k < result.timestamps.length; k++) {
    const stamp = result.timestamps[k];
    const parsed = typeof stamp === 'string' ? parseTimestamp(stamp) : undefined;
    if (parsed === undefined || !parsed.ok) {
      const reason = parsed === undefined ? 'not a string' : parsed.reason;
      throw new SeriesInputError(
        file,
        `unparseable timestamp ${quote(String(stamp))} at Timestamps[${k}] of Id '${result.id}' (${reason})`,
      );
    }
    const value = result.values[k];
    // JSON cannot hold NaN, so exporters write null for a missing point: a gap, like NaN in CSV.
    if (value !== null && typeof value !== 'number') {
      throw new SeriesInputError(
        file,
        `unparseable value ${quote(JSON.stringify(value))} at Values[${k}] of Id '${result.id}' (expected a number)`,
      );
    }
    rows.push({ epochSeconds: parsed.epochSeconds, value: value ?? NaN });
  }
  return rows;
}

/**
 * Parse the output of `aws cloudwatch get-metric-data` (or a JSON array of several paginated
 * outputs, merged by Id) and pick one metric: `options.id`, or else the first.
 */
export function parseCloudWatch(text: string, file: string, options: ParseCloudWatchOptions = {}): CloudWatchSeries {
  const results = mergeResults(parseJson(text, file), file);
  if (results.length === 0) {
    throw new EmptySeriesError(file, 'no MetricDataResults: the response holds no metric');
  }
  const chosen = options.id === undefined ? results[0] : results.find((r) => r.id === options.id);
  if (chosen === undefined) {
    throw new MetricNotFoundError(
      file,
      options.id ?? '',
      results.map((r) => r.id),
    );
  }
  const rows = toRows(chosen, file);
  if (rows.length < 2) {
    const status = chosen.statusCodes.size === 0 ? '' : ` (StatusCode ${[...chosen.statusCodes].join(', ')})`;
    throw new EmptySeriesError(file, `fewer than two data points for Id '${chosen.id}': found ${rows.length}${status}`);
  }
  return { id: chosen.id, label: chosen.label, rows };
}
