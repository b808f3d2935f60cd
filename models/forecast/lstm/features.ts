/**
 * Turning a series into network inputs and targets, in plain arrays (no tensors), so the
 * same code builds training batches and the single window a forecast starts from.
 *
 * Every window is expressed relative to its own last value and divided by one per-series
 * scale: the net learns how load moves from where it is now, so a level shift between
 * training and forecasting does not push its inputs out of the range it was trained on, and
 * an all-zero output is exactly the naive forecast.
 */

/** Where the values of one window come from and how they are laid out. */
export interface WindowLayout {
  /** Input values per window (the LSTM reads them `patchSteps` at a time). */
  readonly windowSteps: number;
  /** Consecutive values fed to the LSTM as one timestep. */
  readonly patchSteps: number;
  readonly horizonSteps: number;
  /** Season length for the auxiliary "same time yesterday" inputs, or 0 for none. */
  readonly seasonSteps: number;
  /** Scaled inputs are clipped to ±clip so an anomaly cannot saturate the cell. */
  readonly clip: number;
  /**
   * Values whose median is the level a window is expressed relative to (and the forecast
   * starts from). 1 is the last value; more keeps one spike at the origin from moving the
   * whole window. @default 1 (layouts from before this option)
   */
  readonly anchorSteps?: number;
}

/** The level window `origin` is expressed relative to: the median of its last anchorSteps values. */
export function anchorLevel(z: ArrayLike<number>, origin: number, anchorSteps = 1): number {
  if (anchorSteps <= 1) return z[origin];
  const k = Math.min(anchorSteps, origin + 1);
  const recent: number[] = [];
  for (let i = origin - k + 1; i <= origin; i++) recent.push(z[i]);
  recent.sort((a, b) => a - b);
  return k % 2 === 1 ? recent[(k - 1) / 2] : (recent[k / 2 - 1] + recent[k / 2]) / 2;
}

/** Calendar features per LSTM timestep: sin/cos of time of day and of day of week. */
export const TIME_FEATURES = 4;

export function lstmSteps(layout: WindowLayout): number {
  return layout.windowSteps / layout.patchSteps;
}

export function inputFeatures(layout: WindowLayout): number {
  return layout.patchSteps + TIME_FEATURES;
}

/** y[T+h-m] - y[T] for h = 0..H: yesterday's path over the horizon, seen from today's level. */
export function auxInputs(layout: WindowLayout): number {
  return layout.seasonSteps > 0 ? layout.horizonSteps + 1 : 0;
}

/** Points of history a forecast needs: the input window, or a season plus one for the aux inputs. */
export function contextPoints(layout: WindowLayout): number {
  return Math.max(layout.windowSteps, layout.seasonSteps > 0 ? layout.seasonSteps + 1 : 0);
}

/**
 * A robust spread of the series: IQR / 1.349 (the standard deviation for normal data),
 * falling back to the standard deviation, then 1, so flat series still scale.
 */
export function robustScale(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => {
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  };
  const iqrScale = (at(0.75) - at(0.25)) / 1.349;
  if (iqrScale > 0 && Number.isFinite(iqrScale)) return iqrScale;
  let mean = 0;
  for (let i = 0; i < sorted.length; i++) mean += sorted[i];
  mean /= sorted.length;
  let ss = 0;
  for (let i = 0; i < sorted.length; i++) ss += (sorted[i] - mean) ** 2;
  const sd = Math.sqrt(ss / sorted.length);
  return sd > 0 && Number.isFinite(sd) ? sd : 1;
}

const DAY_SECONDS = 86_400;
const WEEK_SECONDS = 7 * DAY_SECONDS;

/** Writes sin/cos of time of day and day of week (UTC) of the slot starting at `seconds`. */
export function writeTimeFeatures(seconds: number, out: Float32Array, at: number): void {
  const day = (2 * Math.PI * (((seconds % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS)) / DAY_SECONDS;
  const week = (2 * Math.PI * (((seconds % WEEK_SECONDS) + WEEK_SECONDS) % WEEK_SECONDS)) / WEEK_SECONDS;
  out[at] = Math.sin(day);
  out[at + 1] = Math.cos(day);
  out[at + 2] = Math.sin(week);
  out[at + 3] = Math.cos(week);
}

/** Scaled series with its grid; index i is the slot starting at startSeconds + i * stepSeconds. */
export interface ScaledSeries {
  /** values / scale */
  readonly z: Float64Array;
  readonly startSeconds: number;
  readonly stepSeconds: number;
}

/** Batch inputs: one [batch x features] array per LSTM timestep, plus [batch x aux]. */
export interface InputBatch {
  readonly seq: Float32Array[];
  readonly aux: Float32Array;
  readonly size: number;
}

/**
 * Inputs of the windows ending at each origin (index of the window's last value). Origins
 * must satisfy origin >= contextPoints(layout) - 1.
 */
export function buildInputs(series: ScaledSeries, layout: WindowLayout, origins: ArrayLike<number>): InputBatch {
  const { z, startSeconds, stepSeconds } = series;
  const { windowSteps, patchSteps, seasonSteps, clip } = layout;
  const steps = lstmSteps(layout);
  const features = inputFeatures(layout);
  const nAux = auxInputs(layout);
  const size = origins.length;
  const seq = Array.from({ length: steps }, () => new Float32Array(size * features));
  const aux = new Float32Array(size * nAux);
  const clamp = (v: number): number => (v > clip ? clip : v < -clip ? -clip : v);
  for (let b = 0; b < size; b++) {
    const origin = origins[b];
    const level = anchorLevel(z, origin, layout.anchorSteps);
    const first = origin - windowSteps + 1;
    for (let k = 0; k < steps; k++) {
      const row = seq[k];
      const at = b * features;
      for (let j = 0; j < patchSteps; j++) row[at + j] = clamp(z[first + k * patchSteps + j] - level);
      const lastOfPatch = first + (k + 1) * patchSteps - 1;
      writeTimeFeatures(startSeconds + lastOfPatch * stepSeconds, row, at + patchSteps);
    }
    for (let h = 0; h < nAux; h++) aux[b * nAux + h] = clamp(z[origin + h - seasonSteps] - level);
  }
  return { seq, aux, size };
}

/** Targets z[T+h] - level(T), h = 1..H, as [origins x H]; not clipped (the loss is robust). */
export function buildTargets(
  z: Float64Array,
  horizonSteps: number,
  origins: ArrayLike<number>,
  anchorSteps = 1,
): Float32Array {
  const out = new Float32Array(origins.length * horizonSteps);
  for (let b = 0; b < origins.length; b++) {
    const origin = origins[b];
    const level = anchorLevel(z, origin, anchorSteps);
    for (let h = 0; h < horizonSteps; h++) out[b * horizonSteps + h] = z[origin + 1 + h] - level;
  }
  return out;
}

/** Fewest training windows a fit accepts (a few batches' worth of distinct windows). */
export const MIN_TRAINING_WINDOWS = 32;

/** Which window origins train the net and which are held back, for a series of n points. */
export interface WindowSplit {
  readonly firstTrain: number;
  readonly lastTrain: number;
  readonly firstValidation: number;
  readonly lastValidation: number;
}

/**
 * The most recent day of origins (at most a quarter of them) is held back for early
 * stopping and residuals; training targets end where the first held-back window ends, so
 * no validation actual is trained on. Undefined when the series is too short.
 */
export function splitWindows(
  n: number,
  layout: WindowLayout,
  seasonSteps: number,
  maxTrainingWindows: number,
): WindowSplit | undefined {
  const H = layout.horizonSteps;
  const first = contextPoints(layout) - 1;
  const lastValidation = n - 1 - H;
  const total = lastValidation - first + 1;
  const validation = Math.min(seasonSteps, Math.floor(total / 4));
  const firstValidation = lastValidation - validation + 1;
  const lastTrain = firstValidation - H;
  if (validation < 1 || lastTrain - first + 1 < MIN_TRAINING_WINDOWS) return undefined;
  return {
    firstTrain: Math.max(first, lastTrain - maxTrainingWindows + 1),
    lastTrain,
    firstValidation,
    lastValidation,
  };
}

/** The shortest series splitWindows accepts. */
export function minimumFitPoints(layout: WindowLayout, seasonSteps: number): number {
  let n = contextPoints(layout) + layout.horizonSteps;
  while (splitWindows(n, layout, seasonSteps, Infinity) === undefined) n++;
  return n;
}
