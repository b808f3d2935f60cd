/**
 * Rolling origins and training windows of docs/backtest-protocol.md §2, in 0-based half-open terms:
 * origin T (1-based index of the last training value) trains on values [trainFrom, T) and is
 * scored on [T, T + horizon).
 */

export const ORIGIN_CANDIDATES = 28;
export const MIN_TRAINING_DAYS = 7;
export const TRAINING_WINDOW_DAYS = 14;

export interface Origin {
  /** j in 1..28 of the protocol. */
  readonly j: number;
  /** T: the 1-based index of the last training value, which is also the 0-based end (exclusive). */
  readonly trainEnd: number;
  /** 0-based index of the first training value. */
  readonly trainFrom: number;
}

/** Origins T_j = N - m - (28 - j)·s for j = 1..28 with s = m / 4, kept when T_j >= 7m. */
export function rollingOrigins(seriesLength: number, seasonSteps: number): Origin[] {
  if (seasonSteps % 4 !== 0) throw new RangeError(`season length must be divisible by 4, got ${seasonSteps}`);
  const s = seasonSteps / 4;
  const origins: Origin[] = [];
  for (let j = 1; j <= ORIGIN_CANDIDATES; j++) {
    const trainEnd = seriesLength - seasonSteps - (ORIGIN_CANDIDATES - j) * s;
    if (trainEnd < MIN_TRAINING_DAYS * seasonSteps) continue;
    origins.push({ j, trainEnd, trainFrom: Math.max(0, trainEnd - TRAINING_WINDOW_DAYS * seasonSteps) });
  }
  return origins;
}
