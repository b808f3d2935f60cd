import arimaPackage from 'arima';
import type { ArimaOrder } from './orderSelection.ts';

/** The slice of the `arima` package (an Emscripten build of ctsa) that prescale uses. */
interface ArimaInstance {
  train(ts: number[]): ArimaInstance;
  predict(steps: number): [number[], number[]];
  destroy(): void;
}
type ArimaConstructor = new (options: Record<string, unknown>) => ArimaInstance;

// A static import (not a runtime require) so that esbuild puts the package in the Lambda bundle;
// the package reads its native.wasm from beside the bundle (scripts/bundle.ts copies it there).
function arimaConstructor(): ArimaConstructor {
  return arimaPackage as unknown as ArimaConstructor;
}

/** ctsa estimation methods: 0 exact maximum likelihood, 1 CSS then ML, 2 conditional sum of squares. */
export type ArimaMethod = 0 | 1 | 2;

export interface ArimaPath {
  readonly mean: number[];
  /** Forecast error variance per step, as the package reports it. */
  readonly variance: number[];
}

/**
 * Fit a fixed-order ARIMA with the package and forecast `steps` ahead, freeing the wasm memory
 * before returning. ctsa occasionally returns an explosive or non-finite fit (seen with
 * ARIMA(2,0,1) on 2016 points), so the caller checks the path with `isSanePath`.
 */
export function fitAndForecast(values: Float64Array, order: ArimaOrder, method: ArimaMethod, steps: number): ArimaPath {
  const Arima = arimaConstructor();
  const model = new Arima({ p: order.p, d: order.d, q: order.q, P: 0, D: 0, Q: 0, s: 0, method, verbose: false });
  try {
    model.train(Array.from(values));
    const [mean, variance] = model.predict(steps);
    return { mean, variance };
  } finally {
    model.destroy();
  }
}

/** A path is usable when finite, with non-negative variances, and within a generous band of the history. */
export function isSanePath(path: ArimaPath, history: Float64Array): boolean {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of history) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = Math.max(hi - lo, 1e-9);
  return path.mean.every(
    (v, i) =>
      Number.isFinite(v) &&
      v >= lo - 2 * span &&
      v <= hi + 2 * span &&
      Number.isFinite(path.variance[i]) &&
      path.variance[i] >= 0,
  );
}
