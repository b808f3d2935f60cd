/** Longest excerpt of the offending input quoted in a message, so one bad line cannot flood a log. */
const MAX_QUOTED_CHARS = 80;

/** Quote a piece of input for an error message, shortened if long. */
export function quote(text: string): string {
  const shown = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
  return `'${shown}'`;
}

/**
 * Base class for every problem with a series input file. The message reads like a compiler
 * diagnostic (`data/x.csv:17: unparseable timestamp '2014-13-45 99:00'`) so editors can jump to it.
 */
export class SeriesInputError extends Error {
  /** The file (or label) the input came from, as given by the caller. */
  readonly file: string;
  /** 1-based line number in the file, when the problem is on one line. */
  readonly line: number | undefined;
  /** The problem alone, without the file and line prefix. */
  readonly problem: string;

  constructor(file: string, problem: string, options?: { line?: number; cause?: unknown }) {
    const where = options?.line === undefined ? file : `${file}:${options.line}`;
    super(`${where}: ${problem}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SeriesInputError';
    this.file = file;
    this.line = options?.line;
    this.problem = problem;
  }
}

/** The input parsed but holds too little data to make a series (empty file, < 2 rows or slots). */
export class EmptySeriesError extends SeriesInputError {
  constructor(file: string, problem: string, options?: { line?: number; cause?: unknown }) {
    super(file, problem, options);
    this.name = 'EmptySeriesError';
  }
}

/** A CloudWatch result was asked for by an Id the file does not contain. */
export class MetricNotFoundError extends SeriesInputError {
  readonly availableIds: readonly string[];

  constructor(file: string, id: string, availableIds: readonly string[]) {
    const available = availableIds.length === 0 ? 'none' : availableIds.map((x) => `'${x}'`).join(', ');
    super(file, `no MetricDataResults entry with Id '${id}'; available Ids: ${available}`);
    this.name = 'MetricNotFoundError';
    this.availableIds = availableIds;
  }
}

/**
 * A synthetic trace option out of range. Carries the option's name and the problem apart from
 * the message so a CLI can restate it in terms of its own flag (`--base` for `baseLoadPerMinute`).
 */
export class SyntheticOptionError extends RangeError {
  readonly option: string;
  readonly problem: string;
  readonly value: unknown;

  constructor(option: string, problem: string, value: unknown) {
    super(`'${option}' ${problem}, got ${String(value)}`);
    this.name = 'SyntheticOptionError';
    this.option = option;
    this.problem = problem;
    this.value = value;
  }
}
