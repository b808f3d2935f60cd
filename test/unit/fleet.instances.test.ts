import { describe, expect, it } from 'vitest';
import { billedSeconds, costOf, minimumTopUpSeconds } from '../../models/fleet/billing.ts';
import { Instances } from '../../models/fleet/Instances.ts';

const counts = (i: Instances) => ({ booting: i.booting, warming: i.warming, warm: i.warm });

describe('instance states', () => {
  it('boot, then warm up while serving, then count as warm', () => {
    const group = new Instances(120, 180);
    group.addWarm(2);
    group.launch(0, 3);
    const states = [0, 60, 120, 240, 299, 300, 360].map((now) => {
      group.advance(now);
      return counts(group);
    });
    expect(states).toEqual([
      { booting: 3, warming: 0, warm: 2 },
      { booting: 3, warming: 0, warm: 2 },
      { booting: 0, warming: 3, warm: 2 },
      { booting: 0, warming: 3, warm: 2 },
      { booting: 0, warming: 3, warm: 2 },
      { booting: 0, warming: 0, warm: 5 },
      { booting: 0, warming: 0, warm: 5 },
    ]);
  });

  it('never holds more cohorts than minutes of boot and warm-up, however long it runs', () => {
    const group = new Instances(300, 300);
    for (let now = 0; now < 6000; now += 60) {
      group.advance(now);
      group.launch(now, 1);
    }
    group.advance(6000);
    expect(counts(group)).toEqual({ booting: 4, warming: 5, warm: 91 });
  });
});

describe('termination order', () => {
  // Warm 2 (initial), warming: 1 launched at 0 and 1 at 60, booting: 2 launched at 360 and 1 at 420; now 420.
  const setup = () => {
    const group = new Instances(300, 300);
    group.addWarm(2);
    for (const [at, n] of [
      [0, 1],
      [60, 1],
      [360, 2],
      [420, 1],
    ]) {
      group.advance(at);
      group.launch(at, n);
    }
    group.advance(420);
    return group;
  };

  it.each([
    [1, { booting: 2, warming: 2, warm: 2 }],
    [3, { booting: 0, warming: 2, warm: 2 }],
    [4, { booting: 0, warming: 1, warm: 2 }],
    [5, { booting: 0, warming: 0, warm: 2 }],
    [6, { booting: 0, warming: 0, warm: 1 }],
    [99, { booting: 0, warming: 0, warm: 0 }],
  ])('terminating %d takes booting instances first, newest first, then warming, then warm', (n, expected) => {
    const group = setup();
    expect(counts(group)).toEqual({ booting: 3, warming: 2, warm: 2 });
    group.terminate(420, n);
    expect(counts(group)).toEqual(expected);
  });

  it('keeps the oldest warming cohort when terminating the newest one', () => {
    const group = setup();
    group.terminate(420, 4); // 3 booting + the warming one launched at 60
    group.advance(600); // the one launched at 0 finishes warm-up at 600
    expect(counts(group)).toEqual({ booting: 0, warming: 0, warm: 3 });
  });

  it('bills the 60-second minimum for instances terminated in the minute they were launched', () => {
    const group = new Instances(300, 300);
    group.launch(600, 3);
    expect(group.terminate(600, 2)).toBe(120);
    expect(group.terminate(660, 1)).toBe(0);
  });
});

describe('billing', () => {
  it.each([
    [0, 0, 60, 60],
    [0, 30, 60, 30],
    [0, 60, 60, 0],
    [0, 61, 61, 0],
    [100, 3700, 3600, 0],
  ])('launched at %d, terminated at %d: billed %d s, of which %d s minimum top-up', (launch, end, billed, topUp) => {
    expect(billedSeconds(launch, end)).toBe(billed);
    expect(minimumTopUpSeconds(launch, end)).toBe(topUp);
  });

  it('costs instance-seconds at the hourly price, per second', () => {
    expect(costOf(3600, 0.0416)).toBeCloseTo(0.0416, 12);
    expect(costOf(90, 0.0416)).toBeCloseTo(0.0416 / 40, 12);
  });
});
