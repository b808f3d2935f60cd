import { seededRng, type Rng } from '../random.ts';
import type { RegularSeries } from './types.ts';

/** A synthetic load trace's shape; every field is optional and documents its default. */
export interface SyntheticOptions {
  /** Length in days (a positive integer). @default 14 */
  readonly days?: number;
  /** Seconds per value, 60 to 3600 and dividing a day. @default 300 */
  readonly intervalSeconds?: number;
  /** Epoch seconds of the first value. @default 1767571200 (Monday 2026-01-05 00:00 UTC) */
  readonly startSeconds?: number;
  /** @default 0 */
  readonly seed?: number;
  /**
   * Mean load per minute at the start, before the daily and weekly cycles; a value holds the
   * load of its whole interval (load per minute x minutes per interval), like a request count.
   * @default 1000
   */
  readonly baseLoadPerMinute?: number;
  /** Peak-to-mean swing of the daily cycle, as a fraction (peak mid-afternoon UTC, trough before dawn). @default 0.6 */
  readonly dailyAmplitude?: number;
  /** How far Saturday and Sunday fall below weekdays, as a fraction. @default 0.25 */
  readonly weeklyAmplitude?: number;
  /** Growth per day, as a fraction (0.01 = 1% a day, compounding). @default 0.01 */
  readonly trendPerDay?: number;
  /** Standard deviation of the multiplicative noise; it is AR(1) with coefficient 0.6 minute to minute. @default 0.08 */
  readonly noise?: number;
  /** Planned promotions per week: multi-hour plateaus at `promotionLift` times the load. @default 0.5 */
  readonly promotionsPerWeek?: number;
  /** @default 1.8 */
  readonly promotionLift?: number;
  /** Flash crowds per week: a rise within minutes to `flashCrowdPeak` times the load, decaying over about 30 minutes. @default 2 */
  readonly flashCrowdsPerWeek?: number;
  /** @default 3 */
  readonly flashCrowdPeak?: number;
}

export interface SyntheticEvent {
  readonly kind: 'promotion' | 'flash-crowd';
  readonly startSeconds: number;
  /** Promotions: how long the plateau lasts; flash crowds: the decay time constant. */
  readonly durationSeconds: number;
  /** Load multiplier at the event's height. */
  readonly peak: number;
}

export interface SyntheticTrace {
  readonly series: RegularSeries;
  readonly events: readonly SyntheticEvent[];
}

const DEFAULTS: Required<SyntheticOptions> = {
  days: 14, intervalSeconds: 300, startSeconds: 1_767_571_200, seed: 0, baseLoadPerMinute: 1000, dailyAmplitude: 0.6,
  weeklyAmplitude: 0.25, trendPerDay: 0.01, noise: 0.08, promotionsPerWeek: 0.5, promotionLift: 1.8, flashCrowdsPerWeek: 2,
  flashCrowdPeak: 3,
};

/**
 * A load trace with daily and weekly seasonality, a compounding trend, correlated noise,
 * promotions and flash crowds; deterministic for a seed. Built minute by minute and summed into
 * intervals, so traces at different intervals describe the same load.
 */
export function generateTrace(options: SyntheticOptions = {}): SyntheticTrace {
  const o = validated({ ...DEFAULTS, ...options });
  const rng = seededRng(o.seed);
  const minutes = o.days * 1440;
  const events = drawEvents(o, rng);
  const perInterval = o.intervalSeconds / 60;
  const values = new Float64Array(minutes / perInterval);
  let ar = 0;
  const innovationSd = o.noise * Math.sqrt(1 - 0.6 ** 2);
  for (let t = 0; t < minutes; t++) {
    const seconds = o.startSeconds + 60 * t;
    ar = 0.6 * ar + innovationSd * gaussian(rng);
    const load = o.baseLoadPerMinute * (1 + o.trendPerDay) ** (t / 1440) * daily(seconds, o.dailyAmplitude)
      * weekly(seconds, o.weeklyAmplitude) * eventLift(events, seconds) * Math.exp(ar - (o.noise ** 2) / 2);
    values[Math.floor(t / perInterval)] += Math.max(0, load);
  }
  return { series: { startSeconds: o.startSeconds, stepSeconds: o.intervalSeconds, values }, events };
}

/** Two harmonics: a broad afternoon peak and a sharper night trough, as web traffic has; mean 1. */
function daily(seconds: number, amplitude: number): number {
  const phase = (2 * Math.PI * ((seconds % 86_400) / 86_400)) - (2 * Math.PI * 15) / 24;
  return Math.max(0.05, 1 + amplitude * (0.8 * Math.cos(phase) + 0.2 * Math.cos(2 * phase)));
}

/** Weekdays at 1, Saturday and Sunday (UTC) lower. */
function weekly(seconds: number, amplitude: number): number {
  const day = Math.floor(seconds / 86_400 + 3) % 7; // 1970-01-01 was a Thursday: 0 = Monday
  return day >= 5 ? 1 - amplitude : 1;
}

function eventLift(events: readonly SyntheticEvent[], seconds: number): number {
  let lift = 1;
  for (const e of events) {
    const dt = seconds - e.startSeconds;
    if (dt < 0) continue;
    if (e.kind === 'promotion') {
      if (dt < e.durationSeconds) lift *= e.peak;
    } else {
      // Rise over three minutes, then decay exponentially.
      const rise = Math.min(1, dt / 180);
      const decay = dt < 180 ? 1 : Math.exp(-(dt - 180) / e.durationSeconds);
      if (decay > 0.01) lift *= 1 + (e.peak - 1) * rise * decay;
    }
  }
  return lift;
}

function drawEvents(o: Required<SyntheticOptions>, rng: Rng): SyntheticEvent[] {
  const span = o.days * 86_400;
  const events: SyntheticEvent[] = [];
  const count = (perWeek: number) => {
    const expected = (perWeek * o.days) / 7;
    return Math.floor(expected) + (rng() < expected - Math.floor(expected) ? 1 : 0);
  };
  for (let i = count(o.promotionsPerWeek); i > 0; i--) {
    // Promotions start on the hour in the daytime and last 2 to 6 hours.
    const day = Math.floor(rng() * o.days);
    const hour = 8 + Math.floor(rng() * 10);
    events.push({ kind: 'promotion', startSeconds: o.startSeconds + day * 86_400 + hour * 3600, durationSeconds: (2 + Math.floor(rng() * 5)) * 3600, peak: o.promotionLift });
  }
  for (let i = count(o.flashCrowdsPerWeek); i > 0; i--) {
    const at = o.startSeconds + Math.floor(rng() * (span / 60)) * 60;
    events.push({ kind: 'flash-crowd', startSeconds: at, durationSeconds: 600 + Math.floor(rng() * 1200), peak: o.flashCrowdPeak * (0.7 + 0.6 * rng()) });
  }
  return events.sort((a, b) => a.startSeconds - b.startSeconds);
}

/** Standard normal by Box–Muller. */
function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function validated(o: Required<SyntheticOptions>): Required<SyntheticOptions> {
  if (!(Number.isInteger(o.days) && o.days >= 1)) throw new RangeError(`'days' must be a positive integer, got ${o.days}`);
  const i = o.intervalSeconds;
  if (!(Number.isInteger(i) && i >= 60 && i <= 3600 && i % 60 === 0 && 86_400 % i === 0)) {
    throw new RangeError(`'intervalSeconds' must be whole minutes from 60 to 3600 that divide a day, got ${i}`);
  }
  for (const key of ['baseLoadPerMinute', 'promotionLift', 'flashCrowdPeak'] as const) {
    if (!(Number.isFinite(o[key]) && o[key] > 0)) throw new RangeError(`'${key}' must be positive, got ${o[key]}`);
  }
  for (const key of ['dailyAmplitude', 'weeklyAmplitude'] as const) {
    if (!(o[key] >= 0 && o[key] < 1)) throw new RangeError(`'${key}' must be within [0, 1), got ${o[key]}`);
  }
  for (const key of ['noise', 'promotionsPerWeek', 'flashCrowdsPerWeek'] as const) {
    if (!(Number.isFinite(o[key]) && o[key] >= 0)) throw new RangeError(`'${key}' must be non-negative, got ${o[key]}`);
  }
  if (!(o.trendPerDay > -1 && Number.isFinite(o.trendPerDay))) throw new RangeError(`'trendPerDay' must be above -1, got ${o.trendPerDay}`);
  if (!Number.isInteger(o.seed)) throw new RangeError(`'seed' must be an integer, got ${o.seed}`);
  if (!Number.isFinite(o.startSeconds)) throw new RangeError(`'startSeconds' must be a finite epoch time, got ${o.startSeconds}`);
  return o;
}
