import { leastSquares } from '../linalg.ts';
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
  const phi = Array.from(coef.subarray(1, 1 + p));
  // Keep the MA part invertible, or the innovation recursion below would explode.
  const rawTheta = Array.from(coef.subarray(1 + p));
  const thetaSum = rawTheta.reduce((s, v) => s + Math.abs(v), 0);
  const theta = thetaSum >= 0.98 ? rawTheta.map((v) => (v * 0.98) / thetaSum) : rawTheta;
  const fitted = { order, intercept: coef[0], phi, theta, sigma2: 0 };
  const e = innovationsOf(z, fitted);
  let ss = 0, n = 0;
  for (let t = Math.max(p, q); t < z.length; t++) { ss += e[t] ** 2; n++; }
  return { ...fitted, sigma2: n > 0 ? ss / n : variance(z) };
}

/** Forecast `steps` ahead from the end of `x` with fixed coefficients: mean and error variance per step. */
export function forecastArma(x: Float64Array, coef: ArmaCoefficients, steps: number): ArimaPath {
  const z = coef.order.d === 1 ? difference(x) : x;
  const { phi, theta, intercept } = coef;
  const p = phi.length, q = theta.length;
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
  const p = phi.length, q = theta.length;
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
  let s = 0, s2 = 0;
  for (let i = 0; i < z.length; i++) { s += z[i]; s2 += z[i] * z[i]; }
  const n = Math.max(1, z.length);
  return Math.max(0, s2 / n - (s / n) ** 2);
}
