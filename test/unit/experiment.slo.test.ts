import { describe, expect, it } from 'vitest';
import { meetsSlo, strategyAtSlo, tuningSlo, validatedSlo, type SettingResult } from '../../models/experiment/slo.ts';
import { recommend, sloCostComparison } from '../../models/experiment/recommend.ts';
import { frontierRatios } from '../../models/experiment/frontier.ts';
import type { StrategyMetrics } from '../../models/experiment/metrics.ts';

const metrics = (
  instanceHours: number,
  unservedPct: number,
  underProvisionedPct = unservedPct * 10,
): StrategyMetrics => ({
  instanceHours,
  unservedPct,
  underProvisionedPct,
  costUsd: instanceHours * 0.04,
  costVsOracle: instanceHours / 100,
  slackPct: 0,
  scalingActions: 0,
  p95Utilization: 0,
  maxInstances: 0,
});
const setting = (knob: number, history: StrategyMetrics, evaluation: StrategyMetrics): SettingResult => ({
  knob,
  history,
  evaluation,
});
const slo = { unservedPct: 0.1 };

describe('the SLO', () => {
  it('is met at or below its bounds, the minutes bound only when given', () => {
    expect(meetsSlo(metrics(1, 0.1, 50), slo)).toBe(true);
    expect(meetsSlo(metrics(1, 0.1000001, 0), slo)).toBe(false);
    expect(meetsSlo(metrics(1, 0.05, 3), { unservedPct: 0.1, underProvisionedPct: 2 })).toBe(false);
    expect(meetsSlo(metrics(1, 0.05, 2), { unservedPct: 0.1, underProvisionedPct: 2 })).toBe(true);
    expect(() => validatedSlo({ unservedPct: -1 })).toThrow(/SLO 'unservedPct' must be within \[0, 100\], got -1/);
    expect(() => validatedSlo({ unservedPct: 0.1, underProvisionedPct: NaN })).toThrow(/'underProvisionedPct'/);
  });

  it('chooses on the history, and reports the hindsight choice beside it', () => {
    const at = strategyAtSlo(
      [
        setting(30, metrics(300, 0.0), metrics(310, 0.0)),
        setting(50, metrics(200, 0), metrics(205, 0.2)), // served all of the history, misses the SLO after
        setting(70, metrics(150, 0.5), metrics(140, 0.09)), // missed on the history, would have met it after
      ],
      slo,
    );
    expect(at.tuned).toMatchObject({ knob: 50, metSloOnHistory: true, meetsSlo: false });
    expect(at.hindsight?.knob).toBe(70);
  });

  it('keeps the allowance for what the history did not show: a setting must serve all of the tuning window', () => {
    const settings = [
      setting(40, metrics(150, 0), metrics(150, 0)),
      setting(60, metrics(100, 0.08), metrics(100, 0.3)),
    ];
    expect(strategyAtSlo(settings, slo).tuned.knob).toBe(40);
    expect(strategyAtSlo(settings, slo, 1).tuned.knob).toBe(60); // spending the whole allowance on the history
    expect(tuningSlo({ unservedPct: 0.1, underProvisionedPct: 2 }, 0.5)).toEqual({
      unservedPct: 0.05,
      underProvisionedPct: 1,
    });
  });

  it('takes the closest setting when none meets the SLO on the history, and no hindsight choice when none meets it after', () => {
    const at = strategyAtSlo(
      [setting(30, metrics(300, 0.4), metrics(300, 0.5)), setting(50, metrics(200, 0.9), metrics(200, 1))],
      slo,
    );
    expect(at.tuned).toMatchObject({ knob: 30, metSloOnHistory: false, meetsSlo: false });
    expect(at.hindsight).toBeNull();
  });
});

describe('the recommendation', () => {
  const tunedOn = { startSeconds: 0, endSeconds: 86_400 };
  const only = (history: StrategyMetrics, evaluation: StrategyMetrics, knob = 1) =>
    strategyAtSlo([setting(knob, history, evaluation)], slo);

  it('turns prescale on when it is cheaper on the history than every baseline tuned the same way', () => {
    const r = recommend(
      {
        prescale: only(metrics(100, 0), metrics(110, 0.06), 90),
        'target-tracking': only(metrics(120, 0), metrics(125, 0.05), 45),
        'reactive-step': only(metrics(90, 0.5), metrics(95, 0.5), 70), // cheaper, but misses the SLO
      },
      slo,
      tunedOn,
    );
    expect(r).toMatchObject({ verdict: 'prescale', strategy: 'prescale', knob: 90, meetsSlo: true });
    expect(r?.bestBaseline).toEqual({ strategy: 'target-tracking', knob: 45 });
    expect(r?.vsBestBaseline).toBeCloseTo(110 / 125, 12);
    expect(r?.vsBestBaselineHindsight).toBeCloseTo(110 / 125, 12);
  });

  it('says stay reactive, with the reactive setting, when a reactive policy is cheaper on the history', () => {
    const r = recommend(
      {
        prescale: only(metrics(130, 0), metrics(120, 0.05), 90),
        'target-tracking': only(metrics(120, 0), metrics(125, 0.05), 45),
      },
      slo,
      tunedOn,
    );
    expect(r).toMatchObject({ verdict: 'stay-reactive', strategy: 'target-tracking', knob: 45 });
    // The history was wrong this time (prescale did better after): the recommendation still only used the history.
    expect(r?.evaluation.instanceHours).toBe(125);
    expect(r?.vsBestBaseline).toBe(1);
  });

  it('says use AWS predictive scaling when its emulation wins, and prefers meeting the SLO to being cheap', () => {
    const r = recommend(
      {
        prescale: only(metrics(80, 0.3), metrics(80, 0.3)),
        'aws-predictive': only(metrics(150, 0.1), metrics(150, 0.1), 40),
      },
      slo,
      tunedOn,
    );
    expect(r).toMatchObject({ verdict: 'aws-predictive', strategy: 'aws-predictive', knob: 40 });
    expect(recommend({ 'target-tracking': only(metrics(1, 0), metrics(1, 0)) }, slo, tunedOn)).toBeUndefined();
  });

  it('compares cost at the SLO in hindsight and as tuned', () => {
    const cmp = sloCostComparison({
      prescale: strategyAtSlo(
        [setting(75, metrics(100, 0), metrics(110, 0.2)), setting(90, metrics(120, 0), metrics(130, 0.05))],
        slo,
      ),
      'target-tracking': strategyAtSlo(
        [setting(45, metrics(150, 0), metrics(160, 0.05)), setting(70, metrics(110, 0.3), metrics(100, 0.08))],
        slo,
      ),
    });
    expect(cmp.hindsight).toMatchObject({
      prescale: { knob: 90 },
      bestBaseline: { strategy: 'target-tracking', knob: 70 },
    });
    expect(cmp.hindsight.ratio).toBeCloseTo(130 / 100, 12);
    expect(cmp.tuned).toMatchObject({ prescale: { knob: 75, meetsSlo: false }, bestBaseline: { knob: 45 } });
    expect(cmp.tuned.ratio).toBeCloseTo(110 / 160, 12);
  });
});

describe('frontier against frontier', () => {
  const point = (knob: number, instanceHours: number, underProvisionedPct: number) => ({
    knob,
    instanceHours,
    underProvisionedPct,
    unservedPct: underProvisionedPct / 10,
  });
  it("compares prescale's frontier with every baseline setting at most 5% under-provisioned: median and worst", () => {
    const prescale = [point(1, 100, 4), point(2, 200, 0)];
    // At 4%: 100/125; at 2%: 150/160; at 0%: 200/180; the 9% setting is left out.
    const baseline = [point(10, 125, 4), point(20, 160, 2), point(30, 180, 0), point(40, 50, 9)];
    const r = frontierRatios(prescale, baseline);
    expect(r.settings).toBe(3);
    expect(r.compared).toBe(3);
    expect(r.median).toBeCloseTo(150 / 160, 12);
    expect(r.worst).toBeCloseTo(200 / 180, 12);
    expect(frontierRatios(prescale, [point(40, 50, 9)])).toEqual({
      settings: 0,
      compared: 0,
      median: null,
      worst: null,
    });
  });
});
