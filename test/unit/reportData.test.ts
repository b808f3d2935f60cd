import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../cli/report/report.ts';
import { forecastRows, timelineRows } from '../../cli/report/reportData.ts';

const START_SECONDS = Date.UTC(2026, 0, 5) / 1000;
const MINUTES = 1440;

/** A day of demand that swings within every half hour, so a bucket's peak is far above its low. */
const demand = Float64Array.from({ length: MINUTES }, (_, t) => 200 + 150 * Math.sin((2 * Math.PI * t) / 20));

function timeline(capacity: Record<string, ArrayLike<number>>): ReportData['timeline'] {
  return {
    startSeconds: START_SECONDS,
    evaluationStartSeconds: START_SECONDS,
    demandPerMinute: demand,
    capacityPerMinute: capacity,
  };
}

describe('the timeline strip', () => {
  it('never draws capacity below demand for a strategy that was never short (the oracle)', () => {
    const rows = timelineRows(timeline({ oracle: demand }), ['oracle'], 30, 0, MINUTES);
    expect(rows).toHaveLength(48);
    for (const r of rows) {
      expect(r.underMinutes).toBe(0);
      // Capacity equal to demand minute by minute: drawn at the bucket's peak, not its lowest capacity.
      expect(r.capacity).toBe(r.demand);
    }
  });

  it('keeps a constant margin above the peak, and a real shortfall below it', () => {
    const margin = Float64Array.from(demand, (d) => d + 10);
    const short = Float64Array.from(demand, (d, t) => (t === 45 ? d - 25 : d + 40));
    const rows = timelineRows(timeline({ margin, short }), ['margin', 'short'], 30, 0, MINUTES);
    const margins = rows.filter((r) => r.strategy === 'margin');
    for (const r of margins) expect(r.capacity).toBeCloseTo((r.demand as number) + 10, 6);
    const shorts = rows.filter((r) => r.strategy === 'short');
    expect(shorts[1].underMinutes).toBe(1);
    expect(shorts[1].capacity).toBeCloseTo((shorts[1].demand as number) - 25, 6);
    expect(shorts.filter((r, i) => i !== 1).every((r) => r.underMinutes === 0 && r.capacity! > r.demand!)).toBe(true);
  });

  it('draws capacity within the bucket’s own range of capacity', () => {
    const wobbly = Float64Array.from(demand, (d, t) => d + 30 + 20 * Math.cos(t));
    const rows = timelineRows(timeline({ wobbly }), ['wobbly'], 30, 0, MINUTES);
    rows.forEach((r, b) => {
      const bucket = Array.from(wobbly.subarray(30 * b, 30 * b + 30));
      expect(r.capacity).toBeGreaterThanOrEqual(Math.min(...bucket) - 0.01);
      expect(r.capacity).toBeLessThanOrEqual(Math.max(...bucket) + 0.01);
    });
  });
});

describe('the forecast band', () => {
  it('is clamped at 0: demand cannot be negative', () => {
    const steps = MINUTES / 5;
    const rows = forecastRows(
      {
        ...timeline({}),
        forecast: {
          startSeconds: START_SECONDS,
          stepSeconds: 300,
          mean: Float64Array.from({ length: steps }, (_, i) => (i % 2 === 0 ? 20 : -5)),
          lower80: Float64Array.from({ length: steps }, () => -40),
          upper80: Float64Array.from({ length: steps }, () => 60),
        },
      },
      30,
    ).rows;
    expect(rows).toHaveLength(48);
    for (const r of rows) {
      expect(r.lower80).toBe(0);
      expect(r.upper80).toBe(60);
      expect(r.mean).toBe(10);
    }
  });
});
