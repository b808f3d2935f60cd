import { describe, expect, it } from 'vitest';
import { FleetSimulation, simulate } from '../../models/fleet/runSimulation.ts';
import { TotalCpuMetric } from '../../models/fleet/TotalCpuMetric.ts';

describe('TotalCpuMetric: total CPU as the scaler reads it from CloudWatch', () => {
  it('is the Average CPU of warm instances (weighted by their count) times the Average in-service count', () => {
    const m = new TotalCpuMetric(300, 60, 0, 10);
    // Minutes 0-4: 4 warm at 50%, then 2 more serving but warming (left out of the CPU average).
    for (let i = 0; i < 5; i++) m.addMinute(60 * i, 50, 4, i < 3 ? 4 : 6);
    // Average CPU 50; average in service (4+4+4+6+6)/5 = 4.8: total 240.
    expect(m.values[0]).toBeCloseTo(240);
    // Minutes 5-9: 1 warm at 100% (capped), then 3 warm at 40%.
    for (let i = 5; i < 10; i++) m.addMinute(60 * i, i < 7 ? 100 : 40, i < 7 ? 1 : 3, i < 7 ? 1 : 3);
    // CPU (2 x 100 + 9 x 40) / 11 = 50.9; in service (1+1+3+3+3)/5 = 2.2: total 112.
    expect(m.values[1]).toBeCloseTo(((2 * 100 + 9 * 40) / 11) * 2.2);
  });

  it('has no datapoint for a period without a warm instance, and shows a period only after the delay', () => {
    const m = new TotalCpuMetric(300, 60, 0, 5);
    for (let i = 0; i < 5; i++) m.addMinute(60 * i, NaN, 0, 3);
    expect(m.values[0]).toBeNaN();
    expect(m.newestVisible(300)).toBe(-1);
    expect(m.newestVisible(359)).toBe(-1);
    expect(m.newestVisible(360)).toBe(0);
  });

  it('caps demand above capacity at 100 per serving instance in the simulated group', () => {
    // 2 instances of 10 a minute, demand 50 a minute: 250% of capacity; total CPU shows 200.
    const trace = { startSeconds: 0, stepSeconds: 300, values: new Array(12).fill(250) };
    const run = new FleetSimulation(trace, { fleet: { capacityPerInstance: 10, minSize: 2, maxSize: 2 } });
    while (run.step());
    expect(Array.from(run.totalCpu.values)).toEqual(new Array(12).fill(200));
    // Stepping minute by minute gives what simulate() gives.
    expect(run.result()).toEqual(simulate(trace, { fleet: { capacityPerInstance: 10, minSize: 2, maxSize: 2 } }));
  });
});
