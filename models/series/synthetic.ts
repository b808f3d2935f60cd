import { seededRng, type Rng } from '../random.ts';
import { SyntheticOptionError } from './errors.ts';
import type { RegularSeries } from './types.ts';

/** A synthetic load trace's shape; every field is optional and documents its default. */
export interface SyntheticOptions {
  /** Length in days (a positive integer). @default 14 */
  readonly days?: number;
  /**
   * Seconds per value: whole minutes from 60 to 3600 that divide a day (CloudWatch periods of a
   * minute or more are whole minutes, and the trace is built minute by minute).
   * @default 300
   */
  readonly intervalSeconds?: number;
  /** Epoch seconds of the first value. @default 1767571200 (Monday 2026-01-05 00:00 UTC) */
  readonly startSeconds?: number;
  /** Integer from 0 to 2^32 - 1; the same seed and options always give the same trace. @default 0 */
  readonly seed?: number;
  /**
   * Mean load per minute on day one, before the cycles, noise and events. A value holds the load of
   * its whole interval, like a request count: at the same rate a 1-hour value is 60 times a
   * 1-minute one, and traces at different intervals sum to the same total.
   * @default 1000
   */
  readonly baseLoadPerMinute?: number;
  /**
   * Peak-to-mean swing of the daily cycle, as a fraction in [0, 1): a long flat night trough around
   * 03:00 UTC at about 1 - 0.6 x amplitude and a daytime hump peaking at 15:00 UTC at 1 + amplitude.
   * @default 0.6
   */
  readonly dailyAmplitude?: number;
  /** How far Saturday and Sunday (UTC) fall below weekdays, as a fraction in [0, 1). @default 0.25 */
  readonly weeklyAmplitude?: number;
  /** Growth per day, as a fraction above -1 (0.01 = 1% a day, compounding). @default 0.01 */
  readonly trendPerDay?: number;
  /**
   * Standard deviation of the log of the multiplicative noise (mean 1). The noise is AR(1) with a
   * correlation time of 15 minutes, as real load wanders rather than jitters: 5-minute values see
   * nearly this spread, hourly values less, and neighbouring values are correlated.
   * @default 0.08
   */
  readonly noise?: number;
  /**
   * Planned promotions per week (expected count, not necessarily whole): plateaus starting on the
   * hour between 08:00 and 17:00 UTC, lasting 2 to 6 hours, at `promotionLift` times the load.
   * @default 0.5
   */
  readonly promotionsPerWeek?: number;
  /** Load multiplier during a promotion, at least 1. @default 1.8 */
  readonly promotionLift?: number;
  /**
   * Unplanned flash crowds per week (expected count) at any time of day: the load rises within
   * three minutes to about `flashCrowdPeak` times, then decays with a time constant of 10 to 30 minutes.
   * @default 2
   */
  readonly flashCrowdsPerWeek?: number;
  /** Typical load multiplier at a flash crowd's height, at least 1; each crowd's excess over 1 varies by ±30%. @default 3 */
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
  /** Every event, in start order, including any that begin too late to show fully. */
  readonly events: readonly SyntheticEvent[];
}

export const SYNTHETIC_DEFAULTS: Readonly<Required<SyntheticOptions>> = {
  days: 14,
  intervalSeconds: 300,
  startSeconds: 1_767_571_200,
  seed: 0,
  baseLoadPerMinute: 1000,
  dailyAmplitude: 0.6,
  weeklyAmplitude: 0.25,
  trendPerDay: 0.01,
  noise: 0.08,
  promotionsPerWeek: 0.5,
  promotionLift: 1.8,
  flashCrowdsPerWeek: 2,
  flashCrowdPeak: 3,
};

const NOISE_CORRELATION_SECONDS = 900;
const FLASH_RISE_SECONDS = 180;

/** A seeded synthetic load trace; see `SyntheticOptions` for its shape. */
export function generateTrace(options: SyntheticOptions = {}): RegularSeries {
  return generateTraceWithEvents(options).series;
}

/**
 * The trace and the promotions and flash crowds in it, so tests and reports can look where they
 * are. Built minute by minute and summed into intervals, so traces at different intervals
 * describe the same load.
 */
export function generateTraceWithEvents(options: SyntheticOptions = {}): SyntheticTrace {
  const o = validated({ ...SYNTHETIC_DEFAULTS, ...options });
  // One stream per ingredient, so a what-if that changes one knob (no flash crowds, twice the
  // promotions) leaves the noise and the other events exactly where they were.
  const root = seededRng(o.seed);
  const [noiseRng, promotionRng, crowdRng] = [root(), root(), root()].map((u) => seededRng(Math.floor(u * 2 ** 32)));
  const events = [...drawPromotions(o, promotionRng), ...drawFlashCrowds(o, crowdRng)].sort(
    (a, b) => a.startSeconds - b.startSeconds,
  );

  const minutes = o.days * 1440;
  const minutesPerInterval = o.intervalSeconds / 60;
  const values = new Float64Array(minutes / minutesPerInterval);
  const phi = Math.exp(-60 / NOISE_CORRELATION_SECONDS);
  const innovationSd = o.noise * Math.sqrt(1 - phi ** 2);
  let ar = o.noise * gaussian(noiseRng); // start in the stationary state, not at zero
  for (let t = 0; t < minutes; t++) {
    const seconds = o.startSeconds + 60 * t;
    const load =
      o.baseLoadPerMinute *
      (1 + o.trendPerDay) ** (t / 1440) *
      daily(seconds, o.dailyAmplitude) *
      weekly(seconds, o.weeklyAmplitude) *
      eventLift(events, seconds) *
      Math.exp(ar - o.noise ** 2 / 2);
    values[Math.floor(t / minutesPerInterval)] += load;
    ar = phi * ar + innovationSd * gaussian(noiseRng);
  }
  if (!values.every(Number.isFinite)) {
    throw new RangeError(
      `'baseLoadPerMinute' x (1 + 'trendPerDay') ^ 'days' overflows: ${o.baseLoadPerMinute} x ${1 + o.trendPerDay} ^ ${o.days}`,
    );
  }
  return { series: { startSeconds: o.startSeconds, stepSeconds: o.intervalSeconds, values }, events };
}

/**
 * Mean 1 over a day. Two harmonics rather than one sine: the second flattens the night (load
 * there sits at its floor for hours, as in real web traffic) and narrows the daytime hump.
 */
function daily(seconds: number, amplitude: number): number {
  const phase = 2 * Math.PI * ((seconds % 86_400) / 86_400 - 15 / 24);
  return 1 + amplitude * (0.8 * Math.cos(phase) + 0.2 * Math.cos(2 * phase));
}

/** Weekdays at 1, Saturday and Sunday (UTC) lower. */
function weekly(seconds: number, amplitude: number): number {
  const day = Math.floor(seconds / 86_400 + 3) % 7; // 1970-01-01 was a Thursday: 0 = Monday
  return day >= 5 ? 1 - amplitude : 1;
}

/** Events overlap multiplicatively: a flash crowd during a promotion lifts the lifted load. */
function eventLift(events: readonly SyntheticEvent[], seconds: number): number {
  let lift = 1;
  for (const e of events) {
    const dt = seconds - e.startSeconds;
    if (dt < 0) break; // sorted by start
    if (e.kind === 'promotion') {
      if (dt < e.durationSeconds) lift *= e.peak;
      continue;
    }
    const rise = Math.min(1, dt / FLASH_RISE_SECONDS);
    const decay = Math.exp(-Math.max(0, dt - FLASH_RISE_SECONDS) / e.durationSeconds);
    lift *= 1 + (e.peak - 1) * rise * decay;
  }
  return lift;
}

/** The expected count exactly on average, with less spread than Poisson so short traces still get their events. */
function eventCount(perWeek: number, days: number, rng: Rng): number {
  const expected = (perWeek * days) / 7;
  return Math.floor(expected) + (rng() < expected - Math.floor(expected) ? 1 : 0);
}

function drawPromotions(o: Required<SyntheticOptions>, rng: Rng): SyntheticEvent[] {
  const events: SyntheticEvent[] = [];
  for (let i = eventCount(o.promotionsPerWeek, o.days, rng); i > 0; i--) {
    // Planned: someone schedules them, on the hour, in working hours.
    const day = Math.floor(rng() * o.days);
    const hour = 8 + Math.floor(rng() * 10);
    const durationSeconds = (2 + Math.floor(rng() * 5)) * 3600;
    events.push({
      kind: 'promotion',
      startSeconds: o.startSeconds + day * 86_400 + hour * 3600,
      durationSeconds,
      peak: o.promotionLift,
    });
  }
  return events;
}

function drawFlashCrowds(o: Required<SyntheticOptions>, rng: Rng): SyntheticEvent[] {
  const events: SyntheticEvent[] = [];
  for (let i = eventCount(o.flashCrowdsPerWeek, o.days, rng); i > 0; i--) {
    const startSeconds = o.startSeconds + Math.floor(rng() * o.days * 1440) * 60;
    const durationSeconds = (10 + Math.floor(rng() * 21)) * 60; // whole minutes, 10 to 30
    // Vary the excess, not the multiplier, so a crowd never becomes a dip.
    const peak = 1 + (o.flashCrowdPeak - 1) * (0.7 + 0.6 * rng());
    events.push({ kind: 'flash-crowd', startSeconds, durationSeconds, peak });
  }
  return events;
}

/** Standard normal by Box–Muller. */
function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function validated(o: Required<SyntheticOptions>): Required<SyntheticOptions> {
  const fail = (option: keyof SyntheticOptions, problem: string): never => {
    throw new SyntheticOptionError(option, problem, o[option]);
  };
  if (!(Number.isInteger(o.days) && o.days >= 1)) fail('days', 'must be a positive integer');
  const i = o.intervalSeconds;
  if (!(Number.isInteger(i) && i >= 60 && i <= 3600 && i % 60 === 0 && 86_400 % i === 0)) {
    fail('intervalSeconds', 'must be whole minutes from 60 to 3600 that divide a day');
  }
  if (!(Number.isInteger(o.seed) && o.seed >= 0 && o.seed < 2 ** 32))
    fail('seed', 'must be an integer from 0 to 2^32 - 1');
  if (!Number.isFinite(o.startSeconds)) fail('startSeconds', 'must be a finite epoch time');
  if (!(Number.isFinite(o.baseLoadPerMinute) && o.baseLoadPerMinute > 0)) fail('baseLoadPerMinute', 'must be positive');
  for (const key of ['dailyAmplitude', 'weeklyAmplitude'] as const) {
    if (!(o[key] >= 0 && o[key] < 1)) fail(key, 'must be within [0, 1)');
  }
  if (!(Number.isFinite(o.trendPerDay) && o.trendPerDay > -1)) fail('trendPerDay', 'must be above -1');
  for (const key of ['noise', 'promotionsPerWeek', 'flashCrowdsPerWeek'] as const) {
    if (!(Number.isFinite(o[key]) && o[key] >= 0)) fail(key, 'must be non-negative');
  }
  for (const key of ['promotionLift', 'flashCrowdPeak'] as const) {
    if (!(Number.isFinite(o[key]) && o[key] >= 1)) fail(key, 'must be at least 1');
  }
  return o;
}
