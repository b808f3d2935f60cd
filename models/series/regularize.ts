import { EmptySeriesError, SeriesInputError } from './errors.ts';
import type { RawRow, RegularSeries, RegularizeReport } from './types.ts';

export interface RegularizeOptions {
  /** Named in error messages. @default '<input>' */
  readonly file?: string;
  /** Grid step, overriding detection. @default the most common spacing, rounded to a whole minute */
  readonly stepSeconds?: number;
}

export interface RegularizeResult {
  readonly series: RegularSeries;
  readonly report: RegularizeReport;
}

/**
 * A grid this long almost always means a stray timestamp (a year typo, milliseconds read as
 * seconds); refusing beats allocating gigabytes. 5 M slots is 47 years at 5 minutes.
 */
export const MAX_SLOTS = 5_000_000;

/**
 * The most common spacing between consecutive distinct times, rounded to a whole minute
 * (docs/backtest-protocol.md §1). Each spacing is rounded before counting, so clock jitter (299 s, 301 s)
 * votes for the same step. Ties go to the shorter step, which loses no resolution.
 * `sortedSeconds` must be ascending. Returns undefined when all times are equal.
 */
export function detectStepSeconds(sortedSeconds: ArrayLike<number>): number | undefined {
  const votes = new Map<number, number>();
  for (let i = 1; i < sortedSeconds.length; i++) {
    const gap = sortedSeconds[i] - sortedSeconds[i - 1];
    if (gap <= 0) continue;
    // Sub-minute sampling still gets a 1-minute grid: a zero step is no grid at all.
    const minutes = Math.max(1, Math.round(gap / 60));
    votes.set(minutes, (votes.get(minutes) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestVotes = 0;
  for (const [minutes, count] of votes) {
    if (count > bestVotes || (count === bestVotes && best !== undefined && minutes < best)) {
      best = minutes;
      bestVotes = count;
    }
  }
  return best === undefined ? undefined : best * 60;
}

/**
 * All rows ascending by time (stable, so equal times keep file order), plus the finite ones
 * split into typed arrays. Step detection uses every row's time: a NaN row still shows when
 * the source sampled, and dropping it first could turn two 5-minute gaps into one 10-minute one.
 */
function sortRows(rows: readonly RawRow[]): { allTimes: Float64Array; times: Float64Array; values: Float64Array } {
  let ordered = rows;
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1].epochSeconds > rows[i].epochSeconds) {
      ordered = [...rows].sort((a, b) => a.epochSeconds - b.epochSeconds);
      break;
    }
  }
  const finite = ordered.filter((r) => Number.isFinite(r.value));
  return {
    allTimes: Float64Array.from(ordered, (r) => r.epochSeconds),
    times: Float64Array.from(finite, (r) => r.epochSeconds),
    values: Float64Array.from(finite, (r) => r.value),
  };
}

/** Mean of values[from, to) when their plain sum overflows (values near ±1.8e308). */
function overflowSafeMean(values: Float64Array, from: number, to: number): number {
  let mean = 0;
  for (let i = from; i < to; i++) mean += values[i] / (to - from);
  return mean;
}

/**
 * The value j/span of the way from a to b. Multiplying before dividing keeps hand-checkable
 * cases exact (10 → 40 over 3 steps gives 20 and 30); the weighted form is the fallback when
 * b - a overflows, so the grid can never hold ±Infinity or NaN from finite inputs.
 */
function lerp(a: number, b: number, j: number, span: number): number {
  const direct = a + ((b - a) * j) / span;
  return Number.isFinite(direct) ? direct : a * ((span - j) / span) + b * (j / span);
}

function checkStep(stepSeconds: number, file: string): number {
  if (!Number.isInteger(stepSeconds) || stepSeconds <= 0) {
    throw new SeriesInputError(file, `stepSeconds must be a positive whole number of seconds, got ${stepSeconds}`);
  }
  return stepSeconds;
}

/**
 * Put raw rows on a regular grid exactly as docs/backtest-protocol.md §1 says: `slot = floor(t/step)*step`,
 * rows sharing a slot averaged, the grid spanning first to last occupied slot, empty slots
 * filled by linear interpolation between their occupied neighbours. Rows with non-finite values
 * are gaps: dropped and counted. O(n log n) for unsorted rows, O(n + slots) when sorted.
 */
export function regularize(rows: readonly RawRow[], options: RegularizeOptions = {}): RegularizeResult {
  const file = options.file ?? '<input>';
  const { allTimes, times, values } = sortRows(rows);
  const nonFiniteRows = rows.length - times.length;
  const detected = options.stepSeconds ?? detectStepSeconds(allTimes);
  if (detected === undefined) {
    throw new EmptySeriesError(
      file,
      `fewer than two occupied slots: no two of the ${rows.length} row(s) are at different times`,
    );
  }
  const step = checkStep(detected, file);

  // Occupied slots in ascending order with the mean of their rows.
  const slotTimes: number[] = [];
  const slotMeans: number[] = [];
  for (let i = 0; i < times.length;) {
    const slot = Math.floor(times[i] / step) * step;
    let sum = 0;
    let count = 0;
    for (; i < times.length && Math.floor(times[i] / step) * step === slot; i++, count++) sum += values[i];
    slotTimes.push(slot);
    slotMeans.push(Number.isFinite(sum) ? sum / count : overflowSafeMean(values, i - count, i));
  }
  const occupied = slotTimes.length;
  if (occupied < 2) {
    throw new EmptySeriesError(
      file,
      `fewer than two occupied slots of ${step} s: ${times.length} finite row(s) (${nonFiniteRows} non-finite)`,
    );
  }

  const startSeconds = slotTimes[0];
  const slots = (slotTimes[occupied - 1] - startSeconds) / step + 1;
  if (slots > MAX_SLOTS) {
    throw new SeriesInputError(
      file,
      `a ${step} s grid from epoch ${startSeconds} to ${slotTimes[occupied - 1]} would hold ${slots} slots ` +
        `(limit ${MAX_SLOTS}); check for a stray timestamp or pass stepSeconds`,
    );
  }
  const grid = new Float64Array(slots);
  let prevIndex = 0;
  grid[0] = slotMeans[0];
  for (let k = 1; k < occupied; k++) {
    const index = (slotTimes[k] - startSeconds) / step;
    const from = slotMeans[k - 1];
    const span = index - prevIndex;
    for (let j = 1; j < span; j++) grid[prevIndex + j] = lerp(from, slotMeans[k], j, span);
    grid[index] = slotMeans[k];
    prevIndex = index;
  }

  return {
    series: { startSeconds, stepSeconds: step, values: grid },
    report: {
      rows: rows.length,
      slots,
      filledSlots: slots - occupied,
      mergedRows: times.length - occupied,
      nonFiniteRows,
    },
  };
}
