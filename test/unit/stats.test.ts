import { describe, expect, it } from 'vitest';
import { timelineSpec } from '../../cli/report/reportCharts.ts';
import type { TimelineRow } from '../../cli/report/reportData.ts';
import { maxOf, minOf } from '../../models/stats.ts';

// More values than a spread into Math.max can take (its arguments overflow the call stack).
const LONG = 1_000_000;

describe('maxOf and minOf', () => {
  it('find the extremes, with the empty case as Math.max() and Math.min() give it', () => {
    expect(maxOf([3, -1, 7, 2])).toBe(7);
    expect(minOf([3, -1, 7, 2])).toBe(-1);
    expect(maxOf([])).toBe(-Infinity);
    expect(minOf(new Float64Array(0))).toBe(Infinity);
  });

  it('take a series a spread cannot', () => {
    const values = Array.from({ length: LONG }, (_, i) => (i * 7919) % LONG);
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(maxOf(values)).toBe(LONG - 1);
    expect(minOf(values)).toBe(0);
  });
});

describe('the report timeline on a long run', () => {
  it('builds its spec from a million rows (a 9-month hourly trace crashed it)', () => {
    const rows: TimelineRow[] = Array.from({ length: LONG }, (_, i) => ({
      strategy: 'prescale',
      time: i * 60_000,
      timeEnd: (i + 1) * 60_000,
      demand: 1,
      capacity: 1,
      underMinutes: 0,
    }));
    const spec = timelineSpec(rows, {
      strategies: ['prescale'],
      bucketMinutes: 1,
      panelHeightPx: 80,
      axisFormat: '%d %b',
    });
    expect(spec).toBeDefined();
  });
});
