import { describe, it, expect } from 'vitest';
import { EmptySeriesError, MetricNotFoundError, SeriesInputError } from '../../models/series/errors.ts';
import { parseCloudWatch } from '../../models/series/parseCloudWatch.ts';
import { parseSeriesText } from '../../models/series/readSeries.ts';

const FILE = 'exports/cpu.json';
// 2024-05-01 12:00:00 UTC.
const NOON = 1_714_564_800;

interface Result {
  Id: string;
  Label?: string;
  Timestamps: unknown[];
  Values: unknown[];
  StatusCode?: string;
}

function response(...results: Result[]): { MetricDataResults: Result[]; Messages: [] } {
  return { MetricDataResults: results, Messages: [] };
}

function cpu(timestamps: string[], values: unknown[], id = 'cpu'): Result {
  return { Id: id, Label: 'CPUUtilization', Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
}

function thrown(fn: () => unknown): SeriesInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SeriesInputError);
    expect((error as SeriesInputError).file).toBe(FILE);
    expect((error as Error).message.startsWith(`${FILE}`)).toBe(true);
    return error as SeriesInputError;
  }
  throw new Error('expected a SeriesInputError');
}

describe('parseCloudWatch', () => {
  // The CLI prints newest first with `+00:00` offsets.
  const newestFirst = cpu(
    ['2024-05-01T12:10:00+00:00', '2024-05-01T12:05:00+00:00', '2024-05-01T12:00:00+00:00'],
    [30, 20, 10],
  );

  it('reads the CLI output and regularizes it oldest first', () => {
    const text = JSON.stringify(response(newestFirst), null, 4);
    const parsed = parseCloudWatch(text, FILE);
    expect(parsed.id).toBe('cpu');
    expect(parsed.label).toBe('CPUUtilization');
    expect(parsed.rows.map((r) => r.epochSeconds)).toEqual([NOON + 600, NOON + 300, NOON]);

    const { name, series, report } = parseSeriesText(text, { file: FILE });
    expect(name).toBe('cpu');
    expect(series).toEqual({ startSeconds: NOON, stepSeconds: 300, values: new Float64Array([10, 20, 30]) });
    expect(report).toEqual({ rows: 3, slots: 3, filledSlots: 0, mergedRows: 0, nonFiniteRows: 0 });
  });

  it('honours offsets other than UTC', () => {
    const shifted = cpu(['2024-05-01T14:05:00+02:00', '2024-05-01T07:00:00-05:00'], [2, 1]);
    expect(parseCloudWatch(JSON.stringify(response(shifted)), FILE).rows.map((r) => r.epochSeconds)).toEqual([
      NOON + 300,
      NOON,
    ]);
  });

  it('picks the result with the requested Id, else the first', () => {
    const other = cpu(['2024-05-01T12:00:00Z', '2024-05-01T12:05:00Z'], [7, 8], 'net');
    const text = JSON.stringify(response(newestFirst, other));
    expect(parseCloudWatch(text, FILE).id).toBe('cpu');
    expect(parseCloudWatch(text, FILE, { id: 'net' }).rows.map((r) => r.value)).toEqual([7, 8]);
    expect([...parseSeriesText(text, { file: FILE, id: 'net' }).series.values]).toEqual([7, 8]);
  });

  it('lists the available Ids when the requested one is absent', () => {
    const text = JSON.stringify(response(newestFirst, cpu([], [], 'net')));
    const error = thrown(() => parseCloudWatch(text, FILE, { id: 'mem' }));
    expect(error).toBeInstanceOf(MetricNotFoundError);
    expect(error.message).toBe(`${FILE}: no MetricDataResults entry with Id 'mem'; available Ids: 'cpu', 'net'`);
  });

  it('merges paginated responses given as a JSON array, by Id', () => {
    const pages = [
      response(
        cpu(['2024-05-01T12:15:00Z', '2024-05-01T12:10:00Z'], [4, 3]),
        cpu(['2024-05-01T12:00:00Z'], [9], 'net'),
      ),
      response(
        cpu(['2024-05-01T12:05:00Z', '2024-05-01T12:00:00Z'], [2, 1]),
        cpu(['2024-05-01T12:05:00Z'], [8], 'net'),
      ),
    ];
    const text = JSON.stringify(pages);
    expect([...parseSeriesText(text, { file: FILE }).series.values]).toEqual([1, 2, 3, 4]);
    expect([...parseSeriesText(text, { file: FILE, id: 'net' }).series.values]).toEqual([9, 8]);
  });

  it('treats null values as gaps', () => {
    const text = JSON.stringify(
      response(cpu(['2024-05-01T12:00:00Z', '2024-05-01T12:05:00Z', '2024-05-01T12:10:00Z'], [10, null, 30])),
    );
    const { series, report } = parseSeriesText(text, { file: FILE });
    expect([...series.values]).toEqual([10, 20, 30]);
    expect(report).toMatchObject({ nonFiniteRows: 1, filledSlots: 1 });
  });

  it('rejects a response with no results', () => {
    const error = thrown(() => parseCloudWatch(JSON.stringify(response()), FILE));
    expect(error).toBeInstanceOf(EmptySeriesError);
    expect(error.message).toContain('no MetricDataResults');
  });

  it('rejects Timestamps and Values of different lengths, naming the Id', () => {
    const text = JSON.stringify(response(cpu(['2024-05-01T12:00:00Z', '2024-05-01T12:05:00Z'], [1])));
    expect(thrown(() => parseCloudWatch(text, FILE)).message).toBe(
      `${FILE}: MetricDataResults[0] (Id 'cpu') has 2 Timestamps but 1 Values`,
    );
  });

  it('rejects JSON that is not a get-metric-data response', () => {
    expect(thrown(() => parseCloudWatch('{"Datapoints": []}', FILE)).message).toContain('MetricDataResults is missing');
    expect(thrown(() => parseCloudWatch('[{"MetricDataResults": []}, 3]', FILE)).message).toContain(
      '[1].MetricDataResults is missing',
    );
    expect(thrown(() => parseCloudWatch('{"MetricDataResults": [{"Timestamps": []}]}', FILE)).message).toContain(
      'MetricDataResults[0] has no string Id',
    );
  });

  it('rejects invalid JSON, with the line when the engine gives a position', () => {
    const trailingComma = thrown(() => parseCloudWatch('{\n  "MetricDataResults": [\n    {"Id": "a",}\n  ]\n}', FILE));
    expect(trailingComma.line).toBe(3);
    expect(trailingComma.message.startsWith(`${FILE}:3: invalid JSON: `)).toBe(true);
    expect(thrown(() => parseCloudWatch('{\n  "MetricDataResults": [\n    oops\n  ]\n}', FILE)).message).toMatch(
      /^exports\/cpu\.json(:3)?: invalid JSON: /,
    );
  });

  it('rejects unparseable timestamps and values, saying where', () => {
    const badTime = JSON.stringify(response(cpu(['2024-05-01T12:00:00Z', '2024-02-30T00:00:00Z'], [1, 2])));
    expect(thrown(() => parseCloudWatch(badTime, FILE)).message).toContain(
      "unparseable timestamp '2024-02-30T00:00:00Z' at Timestamps[1] of Id 'cpu'",
    );
    const badValue = JSON.stringify(response(cpu(['2024-05-01T12:00:00Z', '2024-05-01T12:05:00Z'], [1, 'abc'])));
    expect(thrown(() => parseCloudWatch(badValue, FILE)).message).toContain(
      `unparseable value '"abc"' at Values[1] of Id 'cpu'`,
    );
  });

  it('rejects fewer than two points, passing on the StatusCode', () => {
    const forbidden = { ...cpu(['2024-05-01T12:00:00Z'], [1]), StatusCode: 'Forbidden' };
    const error = thrown(() => parseCloudWatch(JSON.stringify(response(forbidden)), FILE));
    expect(error).toBeInstanceOf(EmptySeriesError);
    expect(error.message).toBe(`${FILE}: fewer than two data points for Id 'cpu': found 1 (StatusCode Forbidden)`);
  });
});
