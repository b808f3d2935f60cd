import { dot, leastSquares } from '../linalg.ts';
import { seasonalRow } from './seasonality.ts';

export const HARMONIC_CANDIDATES = [2, 4, 6, 8] as const;

/** Daily harmonics by AICc of the Fourier regression, as R's dynamic harmonic regression does. */
export function chooseDailyHarmonics(
  y: Float64Array,
  firstSlot: number,
  daySteps: number,
  weeklyHarmonics: number,
): number {
  let best = { k: HARMONIC_CANDIDATES[0] as number, aicc: Infinity };
  const n = y.length;
  for (const k of HARMONIC_CANDIDATES) {
    if (2 * k >= daySteps / 2) continue;
    const terms = { daySteps, dailyHarmonics: k, weeklyHarmonics };
    const rows = Array.from({ length: n }, (_, i) => seasonalRow(firstSlot + i, terms));
    const beta = leastSquares(rows, y);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (y[i] - dot(rows[i], beta)) ** 2;
    const params = rows[0].length + 1;
    const aicc =
      n * Math.log(Math.max(ss, 1e-300) / n) + 2 * params + (2 * params * (params + 1)) / Math.max(1, n - params - 1);
    if (aicc < best.aicc) best = { k, aicc };
  }
  return best.k;
}
