import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { generateTrace, type SyntheticOptions } from '../models/series/synthetic.ts';
import { UsageError } from './lib/errors.ts';

export const GENERATE_HELP = `Usage: prescale generate [options]

Writes a synthetic 'timestamp,value' load trace: daily and weekly cycles, a trend, correlated
noise, promotions and flash crowds, deterministic for a seed. Each value is the load of its
interval (load per minute x minutes per interval), like a request count.

Options:
  --days N                     length in days (default: 14)
  --interval I                 60, 60s, 1m, 5m, 15m, 1h, ... up to 1h (default: 5m)
  --seed N                     (default: 0)
  --base L                     mean load per minute at the start (default: 1000)
  --daily-amplitude F          daily swing, fraction of the mean (default: 0.6)
  --weekly-amplitude F         weekend dip, fraction (default: 0.25)
  --trend F                    growth per day, fraction (default: 0.01)
  --noise F                    multiplicative noise sd (default: 0.08)
  --promotions-per-week N      multi-hour plateaus (default: 0.5)
  --flash-crowds-per-week N    sudden spikes decaying over ~30 minutes (default: 2)
  --out FILE                   write the CSV there (default: standard output)
  --json                       with --out, print a summary (points, events) as JSON
  -h, --help                   this help
`;

/** '300', '300s', '5m', '1h' -> seconds. */
export function parseInterval(text: string): number {
  const match = /^(\d+)\s*(s|m|h)?$/.exec(text.trim());
  if (match === null) throw new UsageError(`--interval must look like 60, 60s, 5m or 1h, got '${text}'`);
  const seconds = Number(match[1]) * ({ s: 1, m: 60, h: 3600 } as const)[(match[2] ?? 's') as 's' | 'm' | 'h'];
  if (seconds < 60 || seconds > 3600 || seconds % 60 !== 0 || 86_400 % seconds !== 0) {
    throw new UsageError(`--interval must be whole minutes from 1m to 1h that divide a day, got '${text}'`);
  }
  return seconds;
}

export async function generateCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: {
        days: { type: 'string' }, interval: { type: 'string', default: '5m' }, seed: { type: 'string' }, base: { type: 'string' },
        'daily-amplitude': { type: 'string' }, 'weekly-amplitude': { type: 'string' }, trend: { type: 'string' }, noise: { type: 'string' },
        'promotions-per-week': { type: 'string' }, 'flash-crowds-per-week': { type: 'string' }, out: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const v = parsed.values;
  const num = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a number, got '${text}'`);
    return value;
  };
  if (v.json && v.out === undefined) throw new UsageError('--json prints a summary of the file written, so it needs --out FILE');
  const options: SyntheticOptions = {
    days: num('days', v.days), intervalSeconds: parseInterval(v.interval), seed: num('seed', v.seed), baseLoadPerMinute: num('base', v.base),
    dailyAmplitude: num('daily-amplitude', v['daily-amplitude']), weeklyAmplitude: num('weekly-amplitude', v['weekly-amplitude']),
    trendPerDay: num('trend', v.trend), noise: num('noise', v.noise), promotionsPerWeek: num('promotions-per-week', v['promotions-per-week']),
    flashCrowdsPerWeek: num('flash-crowds-per-week', v['flash-crowds-per-week']),
  };
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as SyntheticOptions;
  let trace;
  try {
    trace = generateTrace(defined);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const { series, events } = trace;
  const lines = ['timestamp,value'];
  series.values.forEach((value, i) => {
    lines.push(`${new Date((series.startSeconds + i * series.stepSeconds) * 1000).toISOString().replace('.000Z', 'Z')},${value.toFixed(2)}`);
  });
  const csv = `${lines.join('\n')}\n`;
  if (v.out === undefined) {
    process.stdout.write(csv);
    return 0;
  }
  await writeFile(v.out, csv);
  const summary = {
    out: v.out, points: series.values.length, intervalSeconds: series.stepSeconds, days: series.values.length * series.stepSeconds / 86_400,
    seed: defined.seed ?? 0,
    events: events.map((e) => ({ ...e, start: new Date(e.startSeconds * 1000).toISOString() })),
  };
  if (v.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stderr.write(`wrote ${summary.points} points (${summary.days} days at ${summary.intervalSeconds} s) with ${events.length} events to ${v.out}\n`);
  return 0;
}
