import { describe, expect, it } from 'vitest';
import {
  compareWithBaseline,
  costAtUnderProvisioned,
  paretoFrontier,
  underProvisionedAtCost,
  type FrontierPoint,
} from '../../models/experiment/frontier.ts';
import { percentile } from '../../models/experiment/metrics.ts';

const p = (knob: number, instanceHours: number, underProvisionedPct: number): FrontierPoint => ({
  knob,
  instanceHours,
  underProvisionedPct,
  unservedPct: 0,
});

describe('frontiers', () => {
  const points = [p(1, 100, 10), p(2, 150, 4), p(3, 140, 6), p(4, 200, 0), p(5, 160, 5), p(6, 250, 0)];

  it('keeps the settings nothing beats on both axes, cheapest first', () => {
    expect(paretoFrontier(points).map((x) => x.knob)).toEqual([1, 3, 2, 4]);
  });

  it('interpolates linearly between settings', () => {
    const f = paretoFrontier(points);
    expect(underProvisionedAtCost(f, 120)).toEqual({ value: 8, extrapolated: false });
    expect(underProvisionedAtCost(f, 175).value).toBeCloseTo(2, 12);
    expect(underProvisionedAtCost(f, 300).value).toBe(0);
    expect(costAtUnderProvisioned(f, 5).value).toBeCloseTo(145, 12);
    expect(costAtUnderProvisioned(f, 0).value).toBe(200);
    expect(costAtUnderProvisioned(f, 20).value).toBe(100);
  });

  it('extrapolates below the cheapest setting and says so', () => {
    const r = underProvisionedAtCost(paretoFrontier(points), 90);
    expect(r.extrapolated).toBe(true);
    expect(r.value).toBeCloseTo(11, 12); // slope of the first segment: -0.1 points per instance-hour
  });

  it('computes both ratios against a baseline', () => {
    const vs = compareWithBaseline(points, p(70, 150, 8));
    expect(vs.underProvisionedRatioAtEqualCost).toBeCloseTo(4 / 8, 12);
    expect(vs.costRatioAtEqualUnderProvisioning).toBeCloseTo(120 / 150, 12);
    const none = compareWithBaseline(points, p(70, 400, 0));
    expect(none.underProvisionedRatioAtEqualCost).toBeNull();
    expect(none.costRatioAtEqualUnderProvisioning).toBeCloseTo(200 / 400, 12);
    expect(compareWithBaseline([p(1, 100, 3)], p(70, 400, 0)).costRatioAtEqualUnderProvisioning).toBeNull();
  });

  it('percentile interpolates like numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 0, 5], 100)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8, 12);
  });
});
