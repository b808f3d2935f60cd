import { describe, it, expect } from 'vitest';
import { EmptySeriesError, SeriesInputError } from '../../models/series/errors.ts';
import { MAX_SLOTS, detectStepSeconds, regularize } from '../../models/series/regularize.ts';
import type { RawRow } from '../../models/series/types.ts';

/** Rows from [epochSeconds, value] pairs. */
function rows(...pairs: [number, number][]): RawRow[] {
  return pairs.map(([epochSeconds, value]) => ({ epochSeconds, value }));
}

/** A deterministic generator so the property-style test is reproducible. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('detectStepSeconds', () => {
  it('finds 5 minutes for Twitter-style :53 timestamps', () => {
    expect(detectStepSeconds([53, 353, 653, 953, 1553])).toBe(300);
  });

  it('finds 30 minutes for nyc_taxi-style data', () => {
    expect(detectStepSeconds([0, 1800, 3600, 5400, 9000])).toBe(1800);
  });

  it('rounds each spacing to a whole minute so jitter votes together', () => {
    expect(detectStepSeconds([0, 299, 600, 901, 1200, 1260])).toBe(300);
  });

  it('ignores repeated times and breaks ties toward the shorter step', () => {
    expect(detectStepSeconds([0, 0, 0, 600, 900])).toBe(300);
    expect(detectStepSeconds([0, 600, 900])).toBe(300);
  });

  it('gives sub-minute sampling a one-minute step, and none for a single time', () => {
    expect(detectStepSeconds([0, 10, 20, 30])).toBe(60);
    expect(detectStepSeconds([5, 5])).toBeUndefined();
    expect(detectStepSeconds([])).toBeUndefined();
  });
});

describe('regularize', () => {
  it('floors 21:42:53 to the 21:40:00 slot (PROTOCOL §1)', () => {
    // 2015-02-26 21:42:53 and 21:40:00 UTC.
    const { series } = regularize(rows([1_424_986_973, 104], [1_424_987_273, 100], [1_424_987_573, 98]));
    expect(series.startSeconds).toBe(1_424_986_800);
    expect(series.stepSeconds).toBe(300);
    expect([...series.values]).toEqual([104, 100, 98]);
  });

  it('floors 14:27:00 to the 14:25:00 slot (PROTOCOL §1)', () => {
    // 2014-02-14 14:27:00 and 14:25:00 UTC.
    const { series } = regularize(rows([1_392_388_020, 51.846], [1_392_388_320, 44.508]));
    expect(series.startSeconds).toBe(1_392_387_900);
    expect([...series.values]).toEqual([51.846, 44.508]);
  });

  it('averages rows that share a slot and counts them as merged', () => {
    const { series, report } = regularize(rows([0, 1], [300, 2], [600, 3], [660, 5], [900, 7], [1200, 9]));
    expect([...series.values]).toEqual([1, 2, 4, 7, 9]);
    expect(report).toEqual({ rows: 6, slots: 5, filledSlots: 0, mergedRows: 1, nonFiniteRows: 0 });
  });

  it('averages three rows in one slot with the arithmetic mean', () => {
    const { series, report } = regularize(rows([0, 1], [60, 2], [120, 6], [300, 0]), { stepSeconds: 300 });
    expect([...series.values]).toEqual([3, 0]);
    expect(report.mergedRows).toBe(2);
  });

  it('fills a two-slot gap by linear interpolation in time', () => {
    const { series, report } = regularize(rows([0, 5], [300, 10], [1200, 40], [1500, 41]));
    expect(series.startSeconds).toBe(0);
    expect([...series.values]).toEqual([5, 10, 20, 30, 40, 41]);
    expect(report).toEqual({ rows: 4, slots: 6, filledSlots: 2, mergedRows: 0, nonFiniteRows: 0 });
  });

  it('interpolates between slot means, not raw rows', () => {
    // Slot 0 averages to 2, slot 900 holds 8: the two slots between get 4 and 6.
    const { series } = regularize(rows([0, 1], [100, 3], [900, 8], [1200, 9], [1500, 9]), { stepSeconds: 300 });
    expect([...series.values]).toEqual([2, 4, 6, 8, 9, 9]);
  });

  it('detects a 30-minute step and builds the grid on it', () => {
    const { series, report } = regularize(rows([0, 1], [1800, 2], [3600, 3], [7200, 5]));
    expect(series.stepSeconds).toBe(1800);
    expect([...series.values]).toEqual([1, 2, 3, 4, 5]);
    expect(report.filledSlots).toBe(1);
  });

  it('detects the step from every row, including non-finite ones', () => {
    // Finite rows alone are 900 s then 600 s apart; all rows say 300 s.
    const { series } = regularize(rows([0, 1], [300, NaN], [600, NaN], [900, 4], [1200, NaN], [1500, 6]));
    expect(series.stepSeconds).toBe(300);
  });

  it('treats non-finite values as gaps, counting them', () => {
    const input = rows([0, 1], [300, NaN], [600, Infinity], [900, 4], [1200, -Infinity], [1500, 6], [1800, NaN]);
    const { series, report } = regularize(input);
    expect([...series.values]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report).toEqual({ rows: 7, slots: 6, filledSlots: 3, mergedRows: 0, nonFiniteRows: 4 });
  });

  it('does not let a non-finite row spoil the mean of its slot', () => {
    const { series, report } = regularize(rows([0, 2], [10, NaN], [300, 4]), { stepSeconds: 300 });
    expect([...series.values]).toEqual([2, 4]);
    expect(report.mergedRows).toBe(0);
  });

  it('sorts unsorted rows first', () => {
    const sorted = rows([0, 1], [300, 2], [600, 3], [660, 5], [1200, 9], [1500, 10]);
    const shuffled = [sorted[4], sorted[0], sorted[3], sorted[5], sorted[2], sorted[1]];
    expect(regularize(shuffled)).toEqual(regularize(sorted));
    expect([...regularize(shuffled).series.values]).toEqual([1, 2, 4, 6.5, 9, 10]);
  });

  it('uses an explicit step instead of detecting one', () => {
    const { series, report } = regularize(rows([0, 1], [300, 3], [600, 5], [900, 7]), { stepSeconds: 600 });
    expect(series.stepSeconds).toBe(600);
    expect([...series.values]).toEqual([2, 6]);
    expect(report.mergedRows).toBe(2);
  });

  it('rejects a step that is not a positive whole number of seconds', () => {
    for (const stepSeconds of [0, -300, 1.5, NaN]) {
      expect(() => regularize(rows([0, 1], [300, 2]), { stepSeconds, file: 'x.csv' })).toThrow(
        /^x\.csv: stepSeconds must be a positive whole number/,
      );
    }
  });

  it('rejects fewer than two occupied slots, naming the file', () => {
    const sameSlot = () => regularize(rows([0, 1], [60, 2]), { stepSeconds: 300, file: 'data/y.csv' });
    expect(sameSlot).toThrow(EmptySeriesError);
    expect(sameSlot).toThrow(/^data\/y\.csv: fewer than two occupied slots/);
    const oneFinite = () => regularize(rows([0, 1], [300, NaN], [600, NaN]), { file: 'data/y.csv' });
    expect(oneFinite).toThrow(
      /^data\/y\.csv: fewer than two occupied slots of 300 s: 1 finite row\(s\) \(2 non-finite\)/,
    );
    expect(() => regularize(rows([5, 1], [5, 2]))).toThrow(/^<input>: fewer than two occupied slots: no two/);
    expect(() => regularize([])).toThrow(EmptySeriesError);
  });

  it('refuses a grid too long to be real', () => {
    const stray = () => regularize(rows([0, 1], [60, 2], [120, 3], [60 * MAX_SLOTS, 4]), { file: 'z.csv' });
    expect(stray).toThrow(SeriesInputError);
    expect(stray).toThrow(/^z\.csv: a 60 s grid .* slots \(limit/);
  });

  it('never puts NaN or infinities in the output, even for extreme values', () => {
    const { series } = regularize(rows([0, 1.7e308], [60, 1.7e308], [300, -1.7e308], [1200, 1.7e308]), {
      stepSeconds: 300,
    });
    expect(series.values.every(Number.isFinite)).toBe(true);
    expect(series.values[0]).toBe(1.7e308);
  });

  it('keeps values finite and the report consistent on random irregular input', () => {
    const random = lcg(42);
    for (let trial = 0; trial < 20; trial++) {
      const input: RawRow[] = [];
      for (let i = 0; i < 500; i++) {
        const value = random() < 0.05 ? NaN : random() * 1000 - 500;
        input.push({ epochSeconds: Math.floor(random() * 86_400 * 3), value });
      }
      const { series, report } = regularize(input, { stepSeconds: 300 });
      expect(series.values.every(Number.isFinite)).toBe(true);
      expect(series.values.length).toBe(report.slots);
      expect(report.rows - report.nonFiniteRows - report.mergedRows).toBe(report.slots - report.filledSlots);
    }
  });
});
