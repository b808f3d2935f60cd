import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { SeriesInputError } from '../../models/series/errors.ts';
import { parseSeriesText, seriesName } from '../../models/series/readSeries.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';

// 2014-07-01 00:00:00 UTC, the first nyc_taxi timestamp.
const JULY_1 = 1_404_172_800;

/** A nyc_taxi-like CSV: half-hourly from 2014-07-01, one value per given number. */
function halfHourly(values: number[]): string {
  const lines = values.map((v, i) => {
    const stamp = new Date((JULY_1 + i * 1800) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    return `${stamp},${v}`;
  });
  return ['timestamp,value', ...lines, ''].join('\n');
}

describe('seriesName', () => {
  it.each([
    ['data/nab/nyc_taxi.csv', 'nyc_taxi'],
    ['nyc_taxi.csv', 'nyc_taxi'],
    ['C:\\data\\cpu.json', 'cpu'],
    ['exports/cpu.2024-05.json', 'cpu.2024-05'],
    ['noext', 'noext'],
    ['dir/.hidden', '.hidden'],
  ])('%s -> %s', (file, name) => {
    expect(seriesName(file)).toBe(name);
  });
});

describe('parseSeriesText', () => {
  it('reads CSV into a named, regularized series with a 30-minute step', () => {
    const { name, series, report } = parseSeriesText(halfHourly([10844, 8127, 6210]), {
      file: 'data/nab/nyc_taxi.csv',
    });
    expect(name).toBe('nyc_taxi');
    expect(series).toEqual({ startSeconds: JULY_1, stepSeconds: 1800, values: new Float64Array([10844, 8127, 6210]) });
    expect(report).toEqual({ rows: 3, slots: 3, filledSlots: 0, mergedRows: 0, nonFiniteRows: 0 });
  });

  it('passes an explicit step through', () => {
    const { series, report } = parseSeriesText(halfHourly([1, 3, 5, 7]), { file: 'a.csv', stepSeconds: 3600 });
    expect([...series.values]).toEqual([2, 6]);
    expect(report.mergedRows).toBe(2);
  });

  it('detects JSON by its first character, after a BOM and whitespace', () => {
    const json =
      '\uFEFF\n  {"MetricDataResults": [{"Id": "m", "Timestamps": ' +
      '["2014-07-01T00:30:00Z", "2014-07-01T00:00:00Z"], "Values": [2, 1]}]}';
    expect([...parseSeriesText(json, { file: 'm.json' }).series.values]).toEqual([1, 2]);
  });

  it('obeys an explicit format over detection', () => {
    expect(() => parseSeriesText('{"MetricDataResults": []}', { file: 'm.json', format: 'csv' })).toThrow(
      /^m\.json:1: expected header 'timestamp,value', found '\{"MetricDataResults": \[\]\}'/,
    );
    expect(() => parseSeriesText(halfHourly([1, 2]), { file: 'm.csv', format: 'cloudwatch' })).toThrow(
      /^m\.csv(:1)?: invalid JSON/,
    );
  });

  it('reports regularization problems against the file', () => {
    const oneSlot = 'timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:01:00,2\n';
    expect(() => parseSeriesText(oneSlot, { file: 'data/short.csv', stepSeconds: 300 })).toThrow(
      /^data\/short\.csv: fewer than two occupied slots/,
    );
  });
});

describe('readSeriesFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prescale-series-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file and names the series after it', async () => {
    const path = join(dir, 'nyc_taxi.csv');
    await writeFile(path, halfHourly([5, Number.NaN, 7]));
    const { name, series, report } = await readSeriesFile(path);
    expect(name).toBe('nyc_taxi');
    expect([...series.values]).toEqual([5, 6, 7]);
    expect(report.nonFiniteRows).toBe(1);
  });

  it('names the path of a missing file', async () => {
    const path = join(dir, 'absent.csv');
    const error = await readSeriesFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeriesInputError);
    expect((error as SeriesInputError).file).toBe(path);
    expect((error as Error).message).toBe(`${path}: no such file`);
  });

  it('names a directory given as a file', async () => {
    await expect(readSeriesFile(dir)).rejects.toThrow(`${dir}: is a directory, not a series file`);
  });

  it('names the path in parse errors', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:30:00,abc\n');
    await expect(readSeriesFile(path)).rejects.toThrow(`${path}:3: unparseable value 'abc'`);
  });
});
