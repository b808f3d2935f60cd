/**
 * Member weights from validation errors. Inverse squared MAE is a robust default: it follows
 * the better member without betting everything on one noisy validation day. Weights are floored
 * so a member that was bad yesterday can still contribute a little, then renormalised.
 */
export function inverseErrorWeights(maeByMember: Record<string, number>, floor = 0.02): Record<string, number> {
  const names = Object.keys(maeByMember);
  const raw = names.map((n) => {
    const mae = maeByMember[n];
    return Number.isFinite(mae) ? 1 / Math.max(mae, 1e-12) ** 2 : 0;
  });
  const total = raw.reduce((a, b) => a + b, 0);
  if (total === 0) return Object.fromEntries(names.map((n) => [n, 1 / names.length]));
  const floored = raw.map((r) => Math.max(r / total, floor));
  const sum = floored.reduce((a, b) => a + b, 0);
  return Object.fromEntries(names.map((n, i) => [n, floored[i] / sum]));
}

/** Weighted mean of member paths, step by step. */
export function combine(
  paths: Record<string, readonly number[]>,
  weights: Record<string, number>,
  steps: number,
): number[] {
  const out = new Array<number>(steps).fill(0);
  let total = 0;
  for (const [name, w] of Object.entries(weights)) {
    const path = paths[name];
    if (path === undefined) continue;
    total += w;
    for (let h = 0; h < steps; h++) out[h] += w * path[h];
  }
  return out.map((v) => v / total);
}

/**
 * Convex weights minimising the mean absolute error of the combined validation forecasts, by a
 * search over the simplex on a `gridStep` lattice (members are few: 3 members at 0.05 is 231
 * points). forecasts[member][origin][step], actuals[origin][step].
 */
export function minAbsErrorWeights(
  forecasts: Record<string, readonly (readonly number[])[]>,
  actuals: readonly (readonly number[])[],
  gridStep = 0.05,
): Record<string, number> {
  const names = Object.keys(forecasts);
  const units = Math.round(1 / gridStep);
  let best: { weights: number[]; mae: number } = { weights: names.map(() => 1 / names.length), mae: Infinity };
  const current = new Array<number>(names.length).fill(0);
  const visit = (index: number, left: number): void => {
    if (index === names.length - 1) {
      current[index] = left;
      const weights = current.map((u) => u / units);
      const mae = combinedMae(
        names.map((n) => forecasts[n]),
        weights,
        actuals,
      );
      if (mae < best.mae - 1e-12) best = { weights, mae };
      return;
    }
    for (let u = left; u >= 0; u--) {
      current[index] = u;
      visit(index + 1, left - u);
    }
  };
  visit(0, units);
  return Object.fromEntries(names.map((n, i) => [n, best.weights[i]]));
}

function combinedMae(
  paths: readonly (readonly (readonly number[])[])[],
  weights: readonly number[],
  actuals: readonly (readonly number[])[],
): number {
  let sum = 0,
    count = 0;
  for (let k = 0; k < actuals.length; k++) {
    for (let h = 0; h < actuals[k].length; h++) {
      let f = 0;
      for (let i = 0; i < paths.length; i++) if (weights[i] > 0) f += weights[i] * paths[i][k][h];
      sum += Math.abs(actuals[k][h] - f);
      count++;
    }
  }
  return sum / count;
}

/** A blend of two weightings (e.g. the noisy optimum shrunk toward a smoother rule). */
export function blendWeights(
  a: Record<string, number>,
  b: Record<string, number>,
  shareOfA: number,
): Record<string, number> {
  return Object.fromEntries(Object.keys(a).map((n) => [n, shareOfA * a[n] + (1 - shareOfA) * (b[n] ?? 0)]));
}

/**
 * One weight vector per validated horizon step: the rule of `EnsembleForecaster.fit` (the
 * MAE-optimal convex weights blended with inverse squared MAE weights, `optimalShare` of the
 * former) applied to each step's validation errors alone. One step ahead the last value and
 * ARIMA's short memory tend to win, further out the members that model the daily shape.
 * forecasts[member][origin][step], actuals[origin][step]; returns weights[step][member].
 */
export function stepWeights(
  forecasts: Record<string, readonly (readonly number[])[]>,
  actuals: readonly (readonly number[])[],
  optimalShare: number,
): Record<string, number>[] {
  const steps = actuals[0]?.length ?? 0;
  const names = Object.keys(forecasts);
  const out: Record<string, number>[] = [];
  for (let h = 0; h < steps; h++) {
    const atStep = Object.fromEntries(names.map((n) => [n, forecasts[n].map((path) => [path[h]])]));
    const actualAtStep = actuals.map((a) => [a[h]]);
    const mae = Object.fromEntries(names.map((n) => [n, meanAbsDiff(atStep[n], actualAtStep)]));
    out.push(blendWeights(minAbsErrorWeights(atStep, actualAtStep), inverseErrorWeights(mae), optimalShare));
  }
  return out;
}

/**
 * Like `combine`, but step h (0-based) uses `byStep[h]` where there is one and `fallback` past
 * them (or for every step when `byStep` is undefined, as in checkpoints written before per-step
 * weights). Members missing from `paths` are left out and the rest renormalised, step by step.
 */
export function combineByStep(
  paths: Record<string, readonly number[]>,
  byStep: readonly Record<string, number>[] | undefined,
  fallback: Record<string, number>,
  steps: number,
): number[] {
  const out = combine(paths, fallback, steps);
  if (byStep === undefined) return out;
  for (let h = 0; h < Math.min(steps, byStep.length); h++) {
    let sum = 0,
      total = 0;
    for (const [name, w] of Object.entries(byStep[h])) {
      const path = paths[name];
      if (path === undefined || !(w > 0)) continue;
      sum += w * path[h];
      total += w;
    }
    if (total > 0) out[h] = sum / total;
  }
  return out;
}

function meanAbsDiff(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  let s = 0,
    n = 0;
  for (let k = 0; k < a.length; k++)
    for (let h = 0; h < a[k].length; h++) {
      s += Math.abs(a[k][h] - b[k][h]);
      n++;
    }
  return s / n;
}
