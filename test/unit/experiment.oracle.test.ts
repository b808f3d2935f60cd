import { describe, expect, it } from 'vitest';
import { oracleSchedule } from '../../models/experiment/strategies/oracle.ts';

const options = { capacityPerInstance: 10, bootSeconds: 300, minSize: 1, maxSize: 100, startSeconds: 0 };
const billedMinutes = (r: { billedSeconds: Float64Array }) => r.billedSeconds.reduce((a, b) => a + b, 0) / 60;

describe('oracle', () => {
  it('serves every minute at up to 100% with the fewest instances', () => {
    const demand = Float64Array.from([5, 10, 11, 30, 30, 9]);
    const r = oracleSchedule(demand, options);
    expect(Array.from(r.servingCount)).toEqual([1, 1, 2, 3, 3, 1]);
    for (let t = 0; t < demand.length; t++) expect(r.servingCount[t] * 10).toBeGreaterThanOrEqual(demand[t]);
    expect(Array.from(r.served)).toEqual(Array.from(demand));
  });

  it('bridges a gap no longer than the boot and relaunches across a longer one', () => {
    // Layer 2 needed at minutes 0-1 and again after a gap: 5 minutes (= boot) is bridged, 6 is not.
    const short = Float64Array.from([20, 20, 5, 5, 5, 5, 5, 20]);
    const rs = oracleSchedule(short, options);
    expect(Array.from(rs.servingCount)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    const long = Float64Array.from([20, 20, 5, 5, 5, 5, 5, 5, 20]);
    const rl = oracleSchedule(long, options);
    expect(Array.from(rl.servingCount)).toEqual([2, 2, 1, 1, 1, 1, 1, 1, 2]);
    // Relaunch bills the 5 boot minutes before minute 8: 2+2 (first run) + 5 boot + 1 serving for layer 2.
    expect(billedMinutes(rl)).toBe(9 + 2 + 5 + 1);
    expect(billedMinutes(rl)).toBeLessThan(9 + 9);
  });

  it('bills the boot minutes before a launch and keeps the minimum', () => {
    const r = oracleSchedule(Float64Array.from([0, 0, 0, 0, 0, 0, 0, 25]), { ...options, minSize: 1 });
    expect(Array.from(r.billedCount)).toEqual([1, 1, 3, 3, 3, 3, 3, 3]);
    expect(r.servingCount[0]).toBe(1);
  });

  it('never runs more than MaxSize instances, and serves what they can where demand needs more', () => {
    const r = oracleSchedule(Float64Array.from([5, 45, 45, 5]), { ...options, maxSize: 3 });
    expect(Array.from(r.servingCount)).toEqual([1, 3, 3, 1]);
    expect(Array.from(r.served)).toEqual([5, 30, 30, 5]);
    expect(Math.max(...r.billedCount)).toBe(3);
  });
});
