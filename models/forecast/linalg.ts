/**
 * Weighted least squares by the normal equations and a Cholesky factorisation. The designs
 * here are narrow (at most a few dozen columns) and well conditioned (Fourier terms, lags), so
 * the normal equations are accurate enough; a tiny ridge keeps a rank-deficient design solvable.
 */
export function leastSquares(
  rows: readonly Float64Array[],
  y: ArrayLike<number>,
  weights?: ArrayLike<number>,
  ridge = 1e-9,
): Float64Array {
  const p = rows[0].length;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i];
    const w = weights === undefined ? 1 : weights[i];
    for (let r = 0; r < p; r++) {
      const xr = x[r] * w;
      b[r] += xr * y[i];
      for (let c = 0; c <= r; c++) a[r * p + c] += xr * x[c];
    }
  }
  for (let r = 0; r < p; r++) a[r * p + r] += ridge * (a[r * p + r] + 1);
  return choleskySolve(a, b, p);
}

/** Solve A x = b for a symmetric positive definite A given by its lower triangle (row-major). */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j * p + j];
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * z[k];
    z[i] = s / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
    x[i] = s / l[i * p + i];
  }
  return x;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Median absolute deviation scaled to estimate a normal standard deviation. */
export function robustSigma(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((x, y) => x - y);
  const med = sorted[sorted.length >> 1];
  const dev = sorted.map((v) => Math.abs(v - med)).sort((x, y) => x - y);
  return 1.4826 * dev[dev.length >> 1];
}
