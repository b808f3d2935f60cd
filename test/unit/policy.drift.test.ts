import { describe, expect, it } from 'vitest';
import { trackDrift, type DriftState } from '../../models/policy/drift.ts';
import type { RegularSeries } from '../../models/series/types.ts';

const step = 300;
const start = 1_767_225_600;
/** A daily cycle on a ramp: "same time yesterday" misses by 0.05 x 288 = 14.4, the MASE scale. */
function history(days: number): RegularSeries {
  const values = new Float64Array(days * 288).map((_, i) => 1000 + 100 * Math.sin((2 * Math.PI * i) / 288) + 0.05 * i);
  return { startSeconds: start, stepSeconds: step, values };
}
const settings = { windowHours: 6, thresholdMase: 1.5, sustainSeconds: 7200 };

/** Run ticks from `from` to `to`, each forecasting the next interval as `forecast(t)`. */
function run(
  state: DriftState | undefined,
  h: RegularSeries,
  from: number,
  to: number,
  forecast: (t: number) => number,
) {
  let s = state;
  const out = [];
  for (let now = from; now <= to; now += step) {
    const u = trackDrift(s, now, h, { t: now, value: forecast(now) }, settings);
    s = u.state;
    out.push(u);
  }
  return out;
}

describe('trackDrift', () => {
  const h = history(3);
  const end = start + 3 * 86_400;
  const actual = (t: number) => h.values[Math.round((t - start) / step)];

  it('scores forecasts against the load that came and stays quiet when they are good', () => {
    const updates = run(undefined, h, end - 6 * 3600, end - step, (t) => actual(t) + 1);
    const last = updates.at(-1)!;
    expect(last.mase).not.toBeNull();
    expect(last.mase!).toBeLessThan(0.2);
    expect(updates.some((u) => u.retrain)).toBe(false);
  });

  it('has no MASE before an hour of forecasts has been scored', () => {
    expect(trackDrift(undefined, end - step, h, { t: end - step, value: 0 }, settings).mase).toBeNull();
  });

  it('asks for a retraining once the error has stayed high for the sustain period, then not again for as long', () => {
    const updates = run(undefined, h, end - 6 * 3600, end - step, (t) => actual(t) + 500);
    const first = updates.findIndex((u) => u.retrain);
    expect(first).toBeGreaterThan(0);
    // High from the first scored hour (12 ticks), sustained 2 h (24 ticks) later.
    expect(first).toBe(11 + 24);
    expect(updates[first].reason).toMatch(/above 1.5 for 2.0 h: retraining requested/);
    expect(updates.slice(first + 1, first + 24).some((u) => u.retrain)).toBe(false);
  });

  it('forgets forecasts older than the window and resets when the error falls', () => {
    const bad = run(undefined, h, end - 12 * 3600, end - 9 * 3600, (t) => actual(t) + 500).at(-1)!;
    expect(bad.state.aboveSinceSeconds).toBeDefined();
    const good = run(bad.state, h, end - 9 * 3600 + step, end - step, (t) => actual(t));
    expect(good.at(-1)!.state.forecasts.every((f) => f.t >= end - step - 6 * 3600)).toBe(true);
    expect(good.at(-1)!.mase!).toBeLessThan(1.5);
    expect(good.at(-1)!.state.aboveSinceSeconds).toBeUndefined();
  });
});
