import { EmptySeriesError, SeriesInputError, quote } from './errors.ts';
import { parseTimestamp } from './parseTimestamp.ts';
import type { RawRow } from './types.ts';

const EXPECTED_HEADER = 'timestamp,value';

// Spellings of "no value" written by pandas, R, numpy and spreadsheets. They mark gaps, which
// regularization fills, so they must not abort the whole file.
const GAP_WORDS = new Set([
  '',
  'nan',
  'na',
  'n/a',
  'null',
  'none',
  'inf',
  '+inf',
  '-inf',
  'infinity',
  '+infinity',
  '-infinity',
]);
// Stricter than Number(): rejects '0x1f', '1_000' and whitespace-only text.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Split one CSV line into fields, honouring double quotes (`""` inside quotes is a quote).
 * Returns undefined when a quote is left open; quoted fields spanning lines are not supported
 * because neither a timestamp nor a number needs them.
 */
function splitCsvLine(line: string): string[] | undefined {
  // Nearly every line has no quotes; the character loop below is for the few that do.
  if (!line.includes('"')) return line.split(',').map((f) => f.trim());
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inQuotes) {
      if (ch !== '"') field += ch;
      else if (line[i + 1] === '"') {
        field += '"';
        i++;
      } else inQuotes = false;
    } else if (ch === '"') inQuotes = true;
    else if (ch === ',') {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  if (inQuotes) return undefined;
  fields.push(field.trim());
  return fields;
}

/** A value field as a number: NaN or ±Infinity for gap words, undefined if not a number at all. */
function parseValue(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (GAP_WORDS.has(lower)) return lower.includes('inf') ? (lower.startsWith('-') ? -Infinity : Infinity) : NaN;
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/**
 * Parse CSV text with header `timestamp,value` into raw rows, in file order.
 * Tolerates a BOM, CRLF or CR line ends, blank lines, surrounding whitespace and quoted fields.
 * Non-finite values (`NaN`, `inf`, an empty field) are kept as gaps; anything else that is not
 * a timestamp and a number is a SeriesInputError naming `file`, the line and the problem.
 */
export function parseCsv(text: string, file: string): RawRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) {
    throw new EmptySeriesError(file, `empty file; expected header '${EXPECTED_HEADER}'`);
  }
  const header = splitCsvLine(lines[headerIndex]);
  if (header === undefined || header.join(',').toLowerCase() !== EXPECTED_HEADER) {
    throw new SeriesInputError(
      file,
      `expected header '${EXPECTED_HEADER}', found ${quote(lines[headerIndex].trim())}`,
      { line: headerIndex + 1 },
    );
  }

  const rows: RawRow[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const line = i + 1;
    const fields = splitCsvLine(raw);
    if (fields === undefined) {
      throw new SeriesInputError(file, `unterminated quoted field in ${quote(raw.trim())}`, { line });
    }
    if (fields.length !== 2) {
      throw new SeriesInputError(
        file,
        `expected 2 columns (${EXPECTED_HEADER}), found ${fields.length}: ${quote(raw.trim())}`,
        { line },
      );
    }
    const [timestampText, valueText] = fields;
    const timestamp = parseTimestamp(timestampText);
    if (!timestamp.ok) {
      throw new SeriesInputError(file, `unparseable timestamp ${quote(timestampText)} (${timestamp.reason})`, { line });
    }
    const value = parseValue(valueText);
    if (value === undefined) {
      throw new SeriesInputError(file, `unparseable value ${quote(valueText)} (expected a number)`, { line });
    }
    rows.push({ epochSeconds: timestamp.epochSeconds, value, line });
  }
  if (rows.length < 2) {
    throw new EmptySeriesError(file, `fewer than two data rows: found ${rows.length}`);
  }
  return rows;
}
