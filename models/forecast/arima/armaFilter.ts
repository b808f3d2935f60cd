import { choleskySolve, leastSquares } from '../linalg.ts';
import { difference, type ArimaOrder } from './orderSelection.ts';
import type { ArimaPath } from './arimaPackage.ts';

/** ARIMA(p, d, q) coefficients as prescale estimates them itself (d is 0 or 1). */
export interface ArmaCoefficients {
  readonly order: ArimaOrder;
  readonly intercept: number;
  readonly phi: readonly number[];
  readonly theta: readonly number[];
  /** One-step innovation variance. */
  readonly sigma2: number;
}

/**
 * Hannan–Rissanen estimates for a given order: a long AR supplies innovation estimates, then one
 * regression on lagged values and lagged innovations. Used to re-aim a fitted ARIMA at newer
 * data without refitting it (the `arima` package does not expose its own coefficients).
 */
export function estimateArma(x: Float64Array, order: ArimaOrder): ArmaCoefficients {
  const z = order.d === 1 ? difference(x) : x;
  const { p, q } = order;
  const longAr = Math.max(p + q, Math.min(20, Math.floor(z.length / 10)));
  const innovations = q > 0 ? longArInnovations(z, longAr) : new Float64Array(z.length);
  const start = (q > 0 ? longAr : 0) + Math.max(p, q);
  const rows: Float64Array[] = [];
  const y: number[] = [];
  for (let t = start; t < z.length; t++) {
    const row = new Float64Array(1 + p + q);
    row[0] = 1;
    for (let k = 1; k <= p; k++) row[k] = z[t - k];
    for (let k = 1; k <= q; k++) row[p + k] = innovations[t - k];
    rows.push(row);
    y.push(z[t]);
  }
  if (rows.length <= 1 + p + q) return { order, intercept: 0, phi: [], theta: [], sigma2: variance(z) };
  const coef = leastSquares(rows, y);
  const hr = {
    intercept: coef[0],
    phi: Array.from(coef.subarray(1, 1 + p)),
    theta: invertible(Array.from(coef.subarray(1 + p))),
  };
  // Hannan–Rissanen is only a first step with an MA part: least conditional sum of squares from
  // there lands much closer to the package's CSS-ML fit (an AR part is least squares already).
  const fitted = q > 0 ? refineCss(z, hr, CSS_ITERATIONS) : hr;
  const e = innovationsOf(z, fitted);
  let ss = 0,
    n = 0;
  for (let t = Math.max(p, q); t < z.length; t++) {
    ss += e[t] ** 2;
    n++;
  }
  return { order, ...fitted, sigma2: n > 0 ? ss / n : variance(z) };
}

type ArmaParameters = Pick<ArmaCoefficients, 'intercept' | 'phi' | 'theta'>;

/** Gauss–Newton iterations at most; each is a few passes over the series. */
const CSS_ITERATIONS = 25;

/** Keep the MA part invertible, or the innovation recursion would explode. */
function invertible(theta: number[]): number[] {
  const sum = theta.reduce((s, v) => s + Math.abs(v), 0);
  return sum >= 0.98 ? theta.map((v) => (v * 0.98) / sum) : theta;
}

function sumOfSquares(z: Float64Array, coef: ArmaParameters): number {
  const e = innovationsOf(z, coef);
  let ss = 0;
  for (let t = Math.max(coef.phi.length, coef.theta.length); t < z.length; t++) ss += e[t] ** 2;
  return ss;
}

/**
 * Least conditional sum of squares by Gauss–Newton with step halving, from a starting point:
 * the innovations' derivatives follow the same MA recursion as the innovations themselves.
 */
function refineCss(z: Float64Array, start: ArmaParameters, iterations: number): ArmaParameters {
  const p = start.phi.length,
    q = start.theta.length;
  const k = 1 + p + q;
  const pack = (c: ArmaParameters) => [c.intercept, ...c.phi, ...c.theta];
  const unpack = (v: readonly number[]): ArmaParameters => ({
    intercept: v[0],
    phi: v.slice(1, 1 + p),
    theta: invertible(v.slice(1 + p)),
  });
  let current = start;
  let ss = sumOfSquares(z, current);
  const from = Math.max(p, q);
  for (let it = 0; it < iterations && Number.isFinite(ss); it++) {
    const e = innovationsOf(z, current);
    const { theta } = current;
    // de[j][t] = d e_t / d parameter j; the normal equations of the linearised problem.
    const de = Array.from({ length: k }, () => new Float64Array(z.length));
    const jtj = new Float64Array(k * k);
    const jte = new Float64Array(k);
    for (let t = from; t < z.length; t++) {
      for (let j = 0; j < k; j++) {
        let d = j === 0 ? -1 : j <= p ? -z[t - j] : -e[t - (j - p)];
        for (let l = 1; l <= q; l++) d -= theta[l - 1] * de[j][t - l];
        de[j][t] = d;
      }
      for (let a = 0; a < k; a++) {
        jte[a] += de[a][t] * e[t];
        for (let b = 0; b <= a; b++) jtj[a * k + b] += de[a][t] * de[b][t];
      }
    }
    for (let j = 0; j < k; j++) jtj[j * k + j] *= 1 + 1e-9;
    const step = choleskySolve(jtj, jte, k);
    const base = pack(current);
    let improved = false;
    for (let scale = 1; scale > 1e-3; scale /= 2) {
      const candidate = unpack(base.map((v, j) => v - scale * step[j]));
      const candidateSs = sumOfSquares(z, candidate);
      if (candidateSs < ss) {
        improved = ss - candidateSs > 1e-10 * ss;
        current = candidate;
        ss = candidateSs;
        break;
      }
    }
    if (!improved) break;
  }
  return current;
}

/** Forecast `steps` ahead from the end of `x` with fixed coefficients: mean and error variance per step. */
export function forecastArma(x: Float64Array, coef: ArmaCoefficients, steps: number): ArimaPath {
  const z = coef.order.d === 1 ? difference(x) : x;
  const { phi, theta, intercept } = coef;
  const p = phi.length,
    q = theta.length;
  const e = innovationsOf(z, coef);
  const zs = Array.from(z.subarray(Math.max(0, z.length - p)));
  const es = Array.from(e.subarray(Math.max(0, e.length - q)));
  const zPath: number[] = [];
  for (let h = 0; h < steps; h++) {
    let f = intercept;
    for (let k = 1; k <= p; k++) f += phi[k - 1] * (zs[zs.length - k] ?? 0);
    for (let k = 1; k <= q; k++) f += theta[k - 1] * (es[es.length - k] ?? 0);
    zs.push(f);
    es.push(0);
    zPath.push(f);
  }
  // psi weights of the ARMA part, cumulated once more when the series was differenced.
  const psi = new Float64Array(steps);
  psi[0] = 1;
  for (let j = 1; j < steps; j++) {
    let v = j <= q ? theta[j - 1] : 0;
    for (let k = 1; k <= Math.min(j, p); k++) v += phi[k - 1] * psi[j - k];
    psi[j] = v;
  }
  if (coef.order.d === 1) for (let j = 1; j < steps; j++) psi[j] += psi[j - 1];
  const mean: number[] = [];
  const varianceOut: number[] = [];
  let level = x[x.length - 1];
  let cum = 0;
  for (let h = 0; h < steps; h++) {
    if (coef.order.d === 1) {
      level += zPath[h];
      mean.push(level);
    } else {
      mean.push(zPath[h]);
    }
    cum += psi[h] ** 2;
    varianceOut.push(coef.sigma2 * cum);
  }
  return { mean, variance: varianceOut };
}

function innovationsOf(z: Float64Array, coef: Pick<ArmaCoefficients, 'intercept' | 'phi' | 'theta'>): Float64Array {
  const { phi, theta, intercept } = coef;
  const p = phi.length,
    q = theta.length;
  const e = new Float64Array(z.length);
  for (let t = Math.max(p, q); t < z.length; t++) {
    let f = intercept;
    for (let k = 1; k <= p; k++) f += phi[k - 1] * z[t - k];
    for (let k = 1; k <= q; k++) f += theta[k - 1] * e[t - k];
    e[t] = z[t] - f;
  }
  return e;
}

function longArInnovations(z: Float64Array, order: number): Float64Array {
  const rows: Float64Array[] = [];
  const y: number[] = [];
  for (let t = order; t < z.length; t++) {
    const row = new Float64Array(order + 1);
    row[0] = 1;
    for (let k = 1; k <= order; k++) row[k] = z[t - k];
    rows.push(row);
    y.push(z[t]);
  }
  const coef = leastSquares(rows, y);
  const e = new Float64Array(z.length);
  for (let i = 0; i < rows.length; i++) {
    let f = 0;
    for (let k = 0; k <= order; k++) f += rows[i][k] * coef[k];
    e[order + i] = y[i] - f;
  }
  return e;
}

function variance(z: ArrayLike<number>): number {
  let s = 0,
    s2 = 0;
  for (let i = 0; i < z.length; i++) {
    s += z[i];
    s2 += z[i] * z[i];
  }
  const n = Math.max(1, z.length);
  return Math.max(0, s2 / n - (s / n) ** 2);
}

/**
 * How far the mean of the last `steps` one-step innovations of `x` under fixed coefficients is
 * from zero, in standard errors: large when the data have moved away from what the model was
 * fitted on (a level shift a stationary model would pull back from), the cue to refit.
 */
export function innovationBias(x: Float64Array, coef: ArmaCoefficients, steps: number): number {
  const z = coef.order.d === 1 ? difference(x) : x;
  const e = innovationsOf(z, coef);
  const n = Math.min(steps, e.length - Math.max(coef.phi.length, coef.theta.length));
  if (n < 1 || !(coef.sigma2 > 0)) return 0;
  let sum = 0;
  for (let t = e.length - n; t < e.length; t++) sum += e[t];
  return Math.abs(sum / n) / Math.sqrt(coef.sigma2 / n);
}
