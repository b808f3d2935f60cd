import { seededRng } from '../../models/random.ts';
import type { RegularSeries } from '../../models/series/types.ts';

/** A 5-minute load series with a daily cycle, a slow trend and seeded noise. */
export function syntheticLoad(days: number, seed = 1, stepSeconds = 300): RegularSeries {
  const rng = seededRng(seed);
  const perDay = 86_400 / stepSeconds;
  const n = Math.round(days * perDay);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const phase = (2 * Math.PI * (i % perDay)) / perDay;
    values[i] = 100 + 40 * Math.sin(phase) + 10 * Math.cos(2 * phase) + 0.01 * i + 6 * (rng() - 0.5);
  }
  return { startSeconds: 1_700_006_400, stepSeconds, values };
}
