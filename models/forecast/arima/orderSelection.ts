import { leastSquares, robustSigma } from '../linalg.ts';

/** An ARIMA order (p, d, q). */
export interface ArimaOrder {
  readonly p: number;
  readonly d: number;
  readonly q: number;
}

export interface OrderSearch {
  readonly maxP: number;
  readonly maxQ: number;
  readonly maxD: number;
}

export function difference(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, values.length - 1));
  for (let i = 1; i < values.length; i++) out[i - 1] = values[i] - values[i - 1];
  return out;
}

/** Fit AR(p) with intercept by least squares; returns [c, phi1..phip] and the residuals. */
function fitAr(x: ArrayLike<number>, p: number, skip: number): { coef: Float64Array; residuals: Float64Array } {
  const rows: Float64Array[] = [];
  const y: number[] = [];
  for (let t = skip; t < x.length; t++) {
    const row = new Float64Array(p + 1);
    row[0] = 1;
    for (let k = 1; k <= p; k++) row[k] = x[t - k];
    rows.push(row);
    y.push(x[t]);
  }
  const coef = leastSquares(rows, y);
  const residuals = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    let f = 0;
    for (let k = 0; k <= p; k++) f += rows[i][k] * coef[k];
    residuals[i] = y[i] - f;
  }
  return { coef, residuals };
}

/**
 * AICc of ARMA(p, q) by Hannan–Rissanen: a long AR gives innovation estimates, then one linear
 * regression on lagged values and lagged innovations. Milliseconds instead of the seconds that
 * the `arima` package's own stepwise search takes on a 4032-point window.
 */
function hannanRissanenAicc(x: Float64Array, p: number, q: number, longAr: number): number {
  const n = x.length;
  const { residuals: eLong } = fitAr(x, longAr, longAr);
  const innovation = new Float64Array(n);
  innovation.set(eLong, longAr);
  const start = longAr + Math.max(p, q);
  const rows: Float64Array[] = [];
  const y: number[] = [];
  for (let t = start; t < n; t++) {
    const row = new Float64Array(1 + p + q);
    row[0] = 1;
    for (let k = 1; k <= p; k++) row[k] = x[t - k];
    for (let k = 1; k <= q; k++) row[p + k] = innovation[t - k];
    rows.push(row);
    y.push(x[t]);
  }
  const coef = leastSquares(rows, y);
  let ss = 0;
  for (let i = 0; i < rows.length; i++) {
    let f = 0;
    for (let k = 0; k < coef.length; k++) f += rows[i][k] * coef[k];
    ss += (y[i] - f) ** 2;
  }
  const m = rows.length;
  const k = p + q + 2;
  return m * Math.log(ss / m) + 2 * k + (2 * k * (k + 1)) / Math.max(1, m - k - 1);
}

/**
 * Mean absolute error of recursive multi-step AR(3) forecasts over the last `evalSteps` values,
 * with coefficients fitted on the values before them; `d` = 1 models the differences, so a level
 * shift persists instead of decaying back to the seasonal mean.
 */
function holdoutError(x: Float64Array, d: number, horizonSteps: number, evalSteps: number): number {
  const p = 3;
  const split = x.length - evalSteps;
  const train = x.subarray(0, split);
  const { coef } = fitAr(d === 1 ? difference(train) : train, p, p);
  let sum = 0,
    count = 0;
  for (let origin = split; origin + horizonSteps <= x.length; origin += 3) {
    const levels = Array.from(x.subarray(origin - p - 1, origin));
    const history = d === 1 ? Array.from(difference(levels)) : levels.slice(1);
    let level = levels[levels.length - 1];
    for (let h = 0; h < horizonSteps; h++) {
      let f = coef[0];
      for (let k = 1; k <= p; k++) f += coef[k] * history[history.length - k];
      history.push(f);
      level = d === 1 ? level + f : f;
      sum += Math.abs(x[origin + h] - level);
      count++;
    }
  }
  return count > 0 ? sum / count : Infinity;
}

/**
 * Choose d by what the forecasts are for: the multi-step hold-out error of an AR on levels
 * against one on differences over the last stretch of the series; then p and q by AICc.
 */
export function selectOrder(x: Float64Array, search: OrderSearch, horizonSteps = 12): ArimaOrder {
  const longAr = Math.min(20, Math.floor(x.length / 10));
  let d = 0;
  const evalSteps = Math.floor(x.length / 3);
  if (search.maxD >= 1 && evalSteps > horizonSteps + 8) {
    if (holdoutError(x, 1, horizonSteps, evalSteps) < holdoutError(x, 0, horizonSteps, evalSteps)) d = 1;
  }
  const series = d === 1 ? difference(x) : x;
  let best: { order: ArimaOrder; aicc: number } | undefined;
  for (let p = 0; p <= search.maxP; p++) {
    for (let q = 0; q <= search.maxQ; q++) {
      if (p + q === 0) continue;
      const aicc = hannanRissanenAicc(series, p, q, longAr);
      if (best === undefined || aicc < best.aicc) best = { order: { p, d, q }, aicc };
    }
  }
  return best?.order ?? { p: 1, d, q: 0 };
}

/**
 * Huber-clean a series: re-run an AR(3) one-step filter and clip each innovation at ±c·σ
 * (σ from the median absolute innovation). Isolated spikes shrink to c·σ, a lasting level shift
 * is absorbed within a few steps. Forecasts then follow the typical path, which is what an
 * absolute-error metric and a capacity planner reward. `varianceRatio` (raw over clipped
 * one-step absolute innovations, squared, capped) lets the intervals put the clipped spread back.
 */
/** Consecutive same-sign clipped innovations taken as a level shift. */
const SHIFT_RUN = 6;
/** Clipped innovations of one sign that end the history and are taken for a level shift. */
const TAIL_SHIFT_RUN = 3;
/** Largest factor by which the clipped variance is scaled back up. */
const MAX_VARIANCE_RATIO = 4;

export function huberClean(
  x: Float64Array,
  c: number,
): { cleaned: Float64Array; varianceRatio: number; levelShift: number } {
  const p = 3;
  if (x.length <= 4 * p) return { cleaned: Float64Array.from(x), varianceRatio: 1, levelShift: 0 };
  let cleaned = Float64Array.from(x);
  // An AR(3) fitted by least squares may be explosive; run through the cleaned values it would
  // grow without bound (AAPL: 1e17 within 864 steps). Predictions that leave the data's range
  // by more than its span are not predictions: the raw value is kept there instead.
  let lo = Infinity,
    hi = -Infinity;
  for (const v of x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  let rawAbs = 0;
  let clippedAbs = 0;
  let tail = 0;
  for (let pass = 0; pass < 2; pass++) {
    rawAbs = 0;
    clippedAbs = 0;
    const { coef, residuals } = fitAr(cleaned, p, p);
    const limit = c * (robustSigma(residuals) || 1e-12);
    const next = Float64Array.from(x);
    let run = 0;
    for (let t = p; t < x.length; t++) {
      let f = coef[0];
      for (let k = 1; k <= p; k++) f += coef[k] * next[t - k];
      const innovation = x[t] - f;
      const clipped = f < lo - span || f > hi + span ? innovation : Math.max(-limit, Math.min(limit, innovation));
      next[t] = f + clipped;
      rawAbs += Math.abs(innovation);
      clippedAbs += Math.abs(clipped);
      // Several clipped innovations of one sign in a row are a level shift, not a spike: take
      // the raw values back so the cleaned series does not lag behind the new level.
      run =
        clipped === innovation
          ? 0
          : Math.sign(innovation) === Math.sign(run)
            ? run + Math.sign(innovation)
            : Math.sign(innovation);
      if (Math.abs(run) >= SHIFT_RUN) {
        for (let k = t - SHIFT_RUN + 1; k <= t; k++) next[k] = x[k];
        run = 0;
      }
    }
    cleaned = next;
    tail = Math.abs(run);
  }
  // At the end of the history there is no telling yet whether a run will reach SHIFT_RUN: a run
  // of TAIL_SHIFT_RUN is taken for a level shift already. The cleaned series keeps the old level
  // (a model fitted on it knows the dynamics, not the break) and `levelShift`, the mean raw minus
  // cleaned value over the run, moves its forecast to the new level (grok_asg_anomaly: the group
  // fell from 33% to 1% CPU four steps before an origin, and ARIMA forecast 33% for the hour).
  let levelShift = 0;
  const n = x.length;
  if (tail >= TAIL_SHIFT_RUN && n - tail >= p) {
    // The shift: the run's mean against the mean of the p cleaned values before it. The run's
    // values, moved back by it, continue the old level with their own wiggles.
    let before = 0;
    for (let k = n - tail - p; k < n - tail; k++) before += cleaned[k] / p;
    for (let k = n - tail; k < n; k++) levelShift += x[k] / tail;
    levelShift -= before;
    for (let k = n - tail; k < n; k++) cleaned[k] = x[k] - levelShift;
  }
  // How much one-step spread the clipping removed: the intervals put it back. Mean absolute
  // innovations, not squares, and a cap: one 100-sigma spike in a Twitter series otherwise made
  // the 80% interval 130 times as wide as the mean load.
  const ratio = clippedAbs > 0 ? (rawAbs / clippedAbs) ** 2 : 1;
  return { cleaned, varianceRatio: Math.min(MAX_VARIANCE_RATIO, ratio), levelShift };
}
