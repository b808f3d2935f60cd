import { readFile } from 'node:fs/promises';
import { SeriesInputError } from '../../models/series/errors.ts';
import { parseSeriesText, type ReadSeriesOptions, type SeriesInput } from '../../models/series/readSeries.ts';

/** Read, parse and regularize a series file; a missing or unreadable file is a SeriesInputError. */
export async function readSeriesFile(path: string, options: ReadSeriesOptions = {}): Promise<SeriesInput> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a series file'
          : `cannot read file (${code ?? String(error)})`;
    throw new SeriesInputError(path, problem, { cause: error });
  }
  return parseSeriesText(text, { ...options, file: path });
}
