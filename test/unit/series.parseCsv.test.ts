import { describe, it, expect } from 'vitest';
import { EmptySeriesError, SeriesInputError } from '../../models/series/errors.ts';
import { parseCsv } from '../../models/series/parseCsv.ts';
import { parseTimestamp } from '../../models/series/parseTimestamp.ts';

const FILE = 'data/x.csv';
// 2015-02-26 21:42:53 UTC, the first Twitter_volume timestamp, worked out by hand.
const T0 = 1_424_986_973;

function csv(...lines: string[]): string {
  return ['timestamp,value', ...lines].join('\n');
}

/** Asserts that `fn` throws a SeriesInputError naming the file, the line and the problem. */
function expectInputError(fn: () => unknown, line: number | undefined, problem: string): SeriesInputError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SeriesInputError);
  const error = caught as SeriesInputError;
  expect(error.file).toBe(FILE);
  expect(error.line).toBe(line);
  expect(error.message.startsWith(line === undefined ? `${FILE}: ` : `${FILE}:${line}: `)).toBe(true);
  expect(error.message).toContain(problem);
  return error;
}

describe('parseTimestamp', () => {
  it.each([
    ['2015-02-26 21:42:53', T0],
    ['2015-02-26T21:42:53', T0],
    ['2015-02-26T21:42:53Z', T0],
    ['2015-02-26t21:42:53z', T0],
    ['2015-02-26T21:42:53.250Z', T0 + 0.25],
    ['2015-02-26 21:42:53,5', T0 + 0.5],
    ['2015-02-26T23:42:53+02:00', T0],
    ['2015-02-26T16:12:53-05:30', T0],
    ['2015-02-26T16:12:53-0530', T0],
    ['2015-02-26T22:42:53+01', T0],
    ['2015-02-26T21:42:53+00:00', T0],
    ['2015-02-26 21:42', T0 - 53],
    ['2015-02-26', T0 - (21 * 3600 + 42 * 60 + 53)],
    ['1424986973', T0],
    ['  2015-02-26 21:42:53  ', T0],
    ['2016-02-29 00:00:00', 1_456_704_000],
    ['1970-01-01 00:00:00', 0],
  ])('reads %s', (text, expected) => {
    expect(parseTimestamp(text)).toEqual({ ok: true, epochSeconds: expected });
  });

  it('agrees with Date.UTC across leap years and centuries', () => {
    for (const [y, m, d] of [
      [1900, 3, 1],
      [2000, 2, 29],
      [2100, 12, 31],
      [2024, 1, 1],
    ]) {
      const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')} 06:07:08`;
      expect(parseTimestamp(text)).toEqual({ ok: true, epochSeconds: Date.UTC(y, m - 1, d, 6, 7, 8) / 1000 });
    }
  });

  it.each([
    ['2014-13-45 99:00', 'no month 13'],
    ['2014-02-30 00:00:00', 'no day 30'],
    ['2015-02-29 00:00:00', 'no day 29'],
    ['2014-04-31 00:00:00', 'no day 31'],
    ['2014-04-00 00:00:00', 'no day 0'],
    ['2014-04-01 24:00:00', 'no time 24:00:00'],
    ['2014-04-01 10:60', 'no time 10:60'],
    ['2014-04-01T10:00:00+24:00', 'no UTC offset'],
    ['yesterday', 'expected YYYY-MM-DD'],
    ['2014/04/01 10:00:00', 'expected YYYY-MM-DD'],
    ['', 'expected YYYY-MM-DD'],
    ['9'.repeat(30), 'out of range'],
  ])('rejects %s', (text, reason) => {
    const result = parseTimestamp(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe('parseCsv', () => {
  it('reads NAB-style rows with their line numbers', () => {
    expect(parseCsv(csv('2015-02-26 21:42:53,104', '2015-02-26 21:47:53,100.5'), FILE)).toEqual([
      { epochSeconds: T0, value: 104, line: 2 },
      { epochSeconds: T0 + 300, value: 100.5, line: 3 },
    ]);
  });

  it('tolerates a BOM, CRLF, whitespace, quotes, blank lines and a trailing newline', () => {
    const text =
      '\uFEFF "timestamp" , Value \r\n\r\n' +
      '"2015-02-26 21:42:53", "1e2"\r\n' +
      '   \r\n' +
      '  2015-02-26T21:47:53Z ,-3.5  \r\n';
    expect(parseCsv(text, FILE)).toEqual([
      { epochSeconds: T0, value: 100, line: 3 },
      { epochSeconds: T0 + 300, value: -3.5, line: 5 },
    ]);
  });

  it('accepts lone CR line ends', () => {
    expect(parseCsv('timestamp,value\r1,2\r301,4\r', FILE).map((r) => r.line)).toEqual([2, 3]);
  });

  it('keeps non-finite values as gaps rather than errors', () => {
    const rows = parseCsv(csv('0,NaN', '300,inf', '600,-Infinity', '900,', '1200,""', '1500,NA', '1800,7'), FILE);
    expect(rows.map((r) => r.value)).toEqual([NaN, Infinity, -Infinity, NaN, NaN, NaN, 7]);
  });

  it('rejects an empty file', () => {
    expectInputError(() => parseCsv('', FILE), undefined, 'empty file');
    const error = expectInputError(() => parseCsv('\uFEFF\n  \r\n', FILE), undefined, 'empty file');
    expect(error).toBeInstanceOf(EmptySeriesError);
  });

  it('rejects a missing header, saying what it found', () => {
    expectInputError(
      () => parseCsv('\n2015-02-26 21:42:53,104\n2015-02-26 21:47:53,100', FILE),
      2,
      "expected header 'timestamp,value', found '2015-02-26 21:42:53,104'",
    );
  });

  it('rejects an incorrect header, saying what it found', () => {
    expectInputError(
      () => parseCsv('time,value\n0,1\n300,2', FILE),
      1,
      "expected header 'timestamp,value', found 'time,value'",
    );
    expectInputError(() => parseCsv('timestamp,value,host\n0,1,a\n300,2,a', FILE), 1, "found 'timestamp,value,host'");
  });

  it('rejects an unparseable timestamp on its line', () => {
    const lines = Array.from({ length: 15 }, (_, i) => `${i * 300},1`);
    expectInputError(
      () => parseCsv(csv(...lines, '2014-13-45 99:00,1'), FILE),
      17,
      "unparseable timestamp '2014-13-45 99:00'",
    );
  });

  it('rejects an impossible calendar date', () => {
    expectInputError(
      () => parseCsv(csv('2014-02-28 00:00:00,1', '2014-02-30 00:00:00,1'), FILE),
      3,
      "unparseable timestamp '2014-02-30 00:00:00' (no day 30 in 2014-02)",
    );
  });

  it('rejects an unparseable value', () => {
    expectInputError(() => parseCsv(csv('0,1', '300,abc', '600,3'), FILE), 3, "unparseable value 'abc'");
    expectInputError(() => parseCsv(csv('0,1', '300,0x1f'), FILE), 3, "unparseable value '0x1f'");
    expectInputError(() => parseCsv(csv('0,1', '300,"1,5"'), FILE), 3, "unparseable value '1,5'");
  });

  it('rejects a wrong column count', () => {
    expectInputError(() => parseCsv(csv('0,1', '300,2,3'), FILE), 3, 'expected 2 columns (timestamp,value), found 3');
    expectInputError(() => parseCsv(csv('0,1', '\n', '300'), FILE), 5, 'expected 2 columns (timestamp,value), found 1');
  });

  it('rejects an unterminated quote', () => {
    expectInputError(() => parseCsv(csv('0,1', '"300,2'), FILE), 3, 'unterminated quoted field');
  });

  it('rejects fewer than two data rows', () => {
    const header = expectInputError(
      () => parseCsv('timestamp,value\n\n', FILE),
      undefined,
      'fewer than two data rows: found 0',
    );
    expect(header).toBeInstanceOf(EmptySeriesError);
    expectInputError(() => parseCsv(csv('0,1'), FILE), undefined, 'fewer than two data rows: found 1');
  });

  it('shortens a very long offending line in the message', () => {
    const error = expectInputError(() => parseCsv(`${'x'.repeat(500)}\n0,1\n300,2`, FILE), 1, 'expected header');
    expect(error.message.length).toBeLessThan(200);
  });
});
