import { describe, expect, it } from 'vitest';
import type { GroupView } from '../../models/fleet/types.ts';
import { awsPredictiveController } from '../../models/experiment/strategies/awsPredictive.ts';
import { visibleIntervals } from '../../models/experiment/strategies/observed.ts';

const DAY = 86_400;
const start = 1_700_006_400 - (1_700_006_400 % DAY); // a UTC midnight

/** 5-minute trace: 6000 load units per interval (1200/min) from 09:00 to 17:00, 600 (120/min) otherwise. */
function officeHours(days: number): { startSeconds: number; stepSeconds: number; values: Float64Array } {
  const values = new Float64Array(days * 288);
  for (let i = 0; i < values.length; i++) {
    const hour = Math.floor((i % 288) / 12);
    values[i] = hour >= 9 && hour < 17 ? 6000 : 600;
  }
  return { startSeconds: start, stepSeconds: 300, values };
}

const view = (nowSeconds: number): GroupView => ({
  nowSeconds,
  minSize: 1,
  maxSize: 100,
  desiredCapacity: 1,
  configuredMinSize: 1,
  bootingCount: 0,
  warmingCount: 0,
  inServiceCount: 1,
  scaleOutAlarmActive: false,
});

describe('aws-predictive emulation', () => {
  const options = { capacityPerInstance: 100, targetUtilizationPct: 50 };

  it('sets the minimum for each hour 300 s before it starts, from the daily profile', () => {
    const controller = awsPredictiveController({ trace: officeHours(10), delaySeconds: 60 }, options);
    const day3 = start + 3 * DAY;
    controller.tick(view(day3)); // first refresh
    expect(controller.tick(view(day3 + 9 * 3600 - 300))).toMatchObject({ minSize: 24 }); // 1200/min / 50
    expect(controller.tick(view(day3 + 9 * 3600 - 240))).toBeUndefined();
    expect(controller.tick(view(day3 + 17 * 3600 - 300))).toMatchObject({ minSize: 3 }); // 120/min / 50 -> 2.4 -> 3
  });

  it('never sets desired capacity itself (it does not scale in)', () => {
    const controller = awsPredictiveController({ trace: officeHours(10), delaySeconds: 60 }, options);
    const update = controller.tick(view(start + 3 * DAY + 17 * 3600 - 300));
    expect(update?.desiredCapacity).toBeUndefined();
  });

  it('has nothing to say without history', () => {
    const controller = awsPredictiveController({ trace: officeHours(10), delaySeconds: 60 }, options);
    expect(controller.tick(view(start + 3600 - 300))).toBeUndefined();
  });

  it('reads an interval only after it ended and was published', () => {
    const observed = { trace: officeHours(1), delaySeconds: 60 };
    expect(visibleIntervals(observed, start + 300)).toBe(0);
    expect(visibleIntervals(observed, start + 360)).toBe(1);
    expect(visibleIntervals(observed, start + 10 * DAY)).toBe(288);
  });
});
