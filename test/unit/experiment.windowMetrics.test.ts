import { describe, expect, it } from 'vitest';
import { windowMetrics } from '../../models/experiment/metrics.ts';
import type { SimulationResult } from '../../models/fleet/types.ts';

const T0 = 1_700_000_000 - (1_700_000_000 % 3600);

/** Six minutes: 2 instances of 10 units, demand [5, 25, 15, 30, 10, 10], one action a minute from minute 1. */
function result(): SimulationResult {
  const minutes = 6;
  const demand = Float64Array.from([5, 25, 15, 30, 10, 10]);
  const servingCount = new Float64Array(minutes).fill(2);
  return {
    startSeconds: T0,
    minutes,
    demand,
    served: demand.map((d) => Math.min(d, 20)),
    servingCount,
    billedCount: servingCount,
    desiredCapacity: servingCount,
    minSize: new Float64Array(minutes).fill(1),
    cpuPct: demand.map((d) => Math.min(100, (100 * d) / 20)),
    billedSeconds: new Float64Array(minutes).fill(120),
    actions: [1, 2, 3, 4, 5].map((m) => ({
      atSeconds: T0 + 60 * m,
      source: 'controller' as const,
      from: 2,
      to: 2,
      reason: 'test',
    })),
  };
}

describe('windowMetrics', () => {
  const window = { capacityPerInstance: 10, pricePerInstanceHour: 1 };

  it('measures [fromMinute, toMinute) only: minutes short, demand unserved, instance-hours and actions', () => {
    const m = windowMetrics(result(), { ...window, fromMinute: 1, toMinute: 3 });
    expect(m.underProvisionedPct).toBe(50); // minute 1 (25 > 20), not minute 2
    expect(m.unservedPct).toBeCloseTo((100 * 5) / 40, 12);
    expect(m.instanceHours).toBeCloseTo(240 / 3600, 12);
    expect(m.scalingActions).toBe(2); // at minutes 1 and 2, none after the window
  });

  it('runs to the end without toMinute, and refuses an empty window', () => {
    const m = windowMetrics(result(), { ...window, fromMinute: 3 });
    expect(m.scalingActions).toBe(3);
    expect(m.underProvisionedPct).toBeCloseTo(100 / 3, 12);
    expect(() => windowMetrics(result(), { ...window, fromMinute: 4, toMinute: 4 })).toThrow(
      /window \[4, 4\) is empty/,
    );
  });
});
