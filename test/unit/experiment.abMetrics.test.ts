import { describe, expect, it } from 'vitest';
import { armMetrics, armRatios } from '../../models/experiment/abMetrics.ts';

const options = { pricePerInstanceHour: 0.1, saturationCpuPct: 90 };

describe('live A/B metrics', () => {
  it('computes cost, saturation, slack, actions and request metrics from CloudWatch series', () => {
    const m = armMetrics(
      {
        periodSeconds: 300,
        inServiceInstances: [2, 2, 4, 4, NaN, 4],
        desiredCapacity: [2, 4, 4, 4, 3, 4],
        cpuPct: [50, 95, 92, 40, NaN, 30],
        requestCount: [100, 200, 300, 400, 0, 0],
        target5xx: [0, 5, 5, 0, 0, 0],
        targetResponseTimeP95Seconds: [0.1, 0.2, 0.3, 0.4, NaN, 0.1],
      },
      options,
    );
    expect(m.instanceHours).toBeCloseTo((16 * 300) / 3600, 12);
    expect(m.costUsd).toBeCloseTo(((16 * 300) / 3600) * 0.1, 12);
    expect(m.saturatedPct).toBe(40); // 2 of the 5 known periods at or above 90%
    expect(m.slackPct).toBeCloseTo(100 - (50 + 95 + 92 + 40 + 30) / 5, 12);
    expect(m.scalingActions).toBe(3);
    expect(m.maxInstances).toBe(4);
    expect(m.requests).toBe(1000);
    expect(m.errorPct).toBeCloseTo(1, 12);
    expect(m.p95ResponseTimeMs).toBeCloseTo(380, 9);
  });

  it('says null where the data is missing, and compares what both arms have', () => {
    const control = armMetrics(
      { periodSeconds: 60, inServiceInstances: [4, 4], desiredCapacity: [4, 4], cpuPct: [80, 80] },
      options,
    );
    const treatment = armMetrics(
      { periodSeconds: 60, inServiceInstances: [3, 3], desiredCapacity: [3, 3], cpuPct: [] },
      options,
    );
    expect(control.requests).toBeNull();
    expect(control.errorPct).toBeNull();
    expect(treatment.p95Utilization).toBeNull();
    const ratios = armRatios(control, treatment);
    expect(ratios.instanceHours).toBeCloseTo(0.75, 12);
    expect(ratios.p95Utilization).toBeNull();
    expect(ratios.errorPct).toBeNull();
  });
});
