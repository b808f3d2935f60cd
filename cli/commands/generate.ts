import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SyntheticOptionError } from '../../models/series/errors.ts';
import {
  generateTraceWithEvents,
  SYNTHETIC_DEFAULTS as D,
  type SyntheticOptions,
  type SyntheticTrace,
} from '../../models/series/synthetic.ts';
import { UsageError } from '../lib/errors.ts';

export const GENERATE_HELP = `Usage: prescale generate [options]

Writes a synthetic 'timestamp,value' load trace (ISO-8601 UTC timestamps) starting on Monday
2026-01-05: daily and weekly cycles, a compounding trend, correlated noise, promotions and
flash crowds, deterministic for a seed. Each value is the load of its whole interval (load per
minute x minutes per interval), like a request count.

Options:
  --days N                     length in days (default: ${D.days})
  --interval I                 60, 60s, 1m, 5m, 15m, 1h: whole minutes up to 1h dividing a day (default: 5m)
  --seed N                     0 to 2^32 - 1 (default: ${D.seed})
  --base L                     mean load per minute on day one (default: ${D.baseLoadPerMinute})
  --daily-amplitude F          daily swing, fraction of the mean; peak 15:00 UTC (default: ${D.dailyAmplitude})
  --weekly-amplitude F         weekend dip, fraction (default: ${D.weeklyAmplitude})
  --trend F                    growth per day, fraction, compounding (default: ${D.trendPerDay})
  --noise F                    sd of the multiplicative noise, correlated over ~15 minutes (default: ${D.noise})
  --promotions-per-week N      2-6 hour daytime plateaus (default: ${D.promotionsPerWeek})
  --promotion-lift X           load multiplier during a promotion (default: ${D.promotionLift})
  --flash-crowds-per-week N    sudden spikes decaying over 10-30 minutes (default: ${D.flashCrowdsPerWeek})
  --flash-crowd-peak X         typical multiplier at a spike's height (default: ${D.flashCrowdPeak})
  --out FILE                   write the CSV there (default: standard output)
  --json                       print {"out", "points", "intervalSeconds", "days", "seed", "events"}
                               to standard output; needs --out, since the CSV would go there too
  -h, --help                   this help

On a terminal, a one-line summary (points, events) goes to standard error.
`;

/** Each numeric flag and the option it sets, so an option's error can be restated as its flag's. */
const NUMERIC_FLAGS = {
  days: 'days',
  seed: 'seed',
  base: 'baseLoadPerMinute',
  'daily-amplitude': 'dailyAmplitude',
  'weekly-amplitude': 'weeklyAmplitude',
  trend: 'trendPerDay',
  noise: 'noise',
  'promotions-per-week': 'promotionsPerWeek',
  'promotion-lift': 'promotionLift',
  'flash-crowds-per-week': 'flashCrowdsPerWeek',
  'flash-crowd-peak': 'flashCrowdPeak',
} as const satisfies Record<string, keyof SyntheticOptions>;

type NumericFlag = keyof typeof NUMERIC_FLAGS;

export interface GenerateArgs {
  /** Only the options given on the command line; the core applies its defaults to the rest. */
  readonly options: SyntheticOptions;
  readonly out: string | undefined;
  readonly json: boolean;
}

/** '300', '300s', '5m', '1h' -> seconds. */
export function parseInterval(text: string): number {
  const match = /^(\d+)\s*([smh]?)$/i.exec(text.trim());
  if (match === null) throw new UsageError(`--interval must look like 60, 60s, 5m or 1h, got '${text}'`);
  const unitSeconds = { '': 1, s: 1, m: 60, h: 3600 }[match[2].toLowerCase() as '' | 's' | 'm' | 'h'];
  const seconds = Number(match[1]) * unitSeconds;
  if (seconds < 60 || seconds > 3600 || seconds % 60 !== 0 || 86_400 % seconds !== 0) {
    throw new UsageError(`--interval must be whole minutes from 1m to 1h that divide a day, got '${text}'`);
  }
  return seconds;
}

export function parseGenerateArgs(argv: string[]): GenerateArgs {
  const numeric = Object.fromEntries(Object.keys(NUMERIC_FLAGS).map((flag) => [flag, { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        ...numeric,
        interval: { type: 'string', default: '5m' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const out = values.out as string | undefined;
  const json = values.json === true;
  if (json && out === undefined)
    throw new UsageError('--json prints a summary of the file written, so it needs --out FILE');
  const options: Record<string, number> = { intervalSeconds: parseInterval(values.interval as string) };
  for (const [flag, option] of Object.entries(NUMERIC_FLAGS)) {
    const text = values[flag] as string | undefined;
    if (text === undefined) continue;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
      throw new UsageError(`--${flag} must be a number, got '${text}'`);
    options[option] = value;
  }
  return { options, out, json };
}

export async function generateCommand(argv: string[]): Promise<number> {
  const args = parseGenerateArgs(argv);
  let trace: SyntheticTrace;
  try {
    trace = generateTraceWithEvents(args.options);
  } catch (error) {
    if (error instanceof SyntheticOptionError) {
      const flag = Object.keys(NUMERIC_FLAGS).find((f) => NUMERIC_FLAGS[f as NumericFlag] === error.option);
      throw new UsageError(`--${flag ?? error.option} ${error.problem}, got '${String(error.value)}'`, {
        cause: error,
      });
    }
    if (error instanceof RangeError) throw new UsageError(error.message, { cause: error }); // flags that overflow together
    throw error;
  }
  const csv = toCsv(trace);
  if (args.out === undefined) process.stdout.write(csv);
  else await writeFile(args.out, csv);

  const { series, events } = trace;
  const points = series.values.length;
  const days = (points * series.stepSeconds) / 86_400;
  if (args.json) {
    const summary = {
      out: args.out,
      points,
      intervalSeconds: series.stepSeconds,
      days,
      seed: args.options.seed ?? D.seed,
      events: events.map((e) => ({ start: isoSeconds(e.startSeconds), ...e })),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else if (process.stderr.isTTY === true) {
    const promotions = events.filter((e) => e.kind === 'promotion').length;
    const where = args.out === undefined ? '' : ` to ${args.out}`;
    process.stderr.write(
      `generated ${points} points (${days} days at ${series.stepSeconds} s), ` +
        `${promotions} promotions and ${events.length - promotions} flash crowds${where}\n`,
    );
  }
  return 0;
}

function toCsv({ series }: SyntheticTrace): string {
  const lines = ['timestamp,value'];
  series.values.forEach((value, i) => {
    lines.push(`${isoSeconds(series.startSeconds + i * series.stepSeconds)},${value.toFixed(2)}`);
  });
  return `${lines.join('\n')}\n`;
}

/** 2026-01-05T00:00:00Z: whole seconds, as the trace never has fractions of one. */
function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
