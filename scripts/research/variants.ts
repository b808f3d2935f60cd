/**
 * Research helper: prescale variants as simulator setups. 'prescale' is the catalogue's
 * strategy as it stands in the tree; the others set extra ForecastPolicy fields.
 */
import type { SimulationSetup } from '../../models/fleet/types.ts';
import type { ForecastPolicy } from '../../models/policy/decide.ts';
import type { StrategyContext } from '../../models/experiment/strategies/catalogue.ts';
import { strategyDefinition } from '../../models/experiment/strategies/catalogue.ts';
import { scalerController } from '../../models/experiment/strategies/scalerController.ts';
import { reactiveScaling, type ReactiveThresholds } from '../../models/policy/reactive.ts';
import { hedgeSetting, PRESCALE_POLICY, prescaleFallback } from '../../models/policy/defaults.ts';

export interface Variant {
  readonly grid: readonly number[];
  readonly setup: (ctx: StrategyContext, knob: number) => SimulationSetup;
}

function policyOf(ctx: StrategyContext, extra: Partial<ForecastPolicy>): ForecastPolicy {
  return {
    kind: 'quantile',
    capacityPerInstance: ctx.forecastCapacityPerInstance ?? ctx.fleet.capacityPerInstance,
    targetUtilizationPct: ctx.targetUtilizationPct,
    bootSeconds: ctx.bootSeconds,
    tickSeconds: ctx.tickSeconds,
    ...extra,
  };
}

export function setupWith(
  ctx: StrategyContext,
  extra: Partial<ForecastPolicy>,
  fallback: ReactiveThresholds,
): SimulationSetup {
  return {
    fleet: ctx.fleet,
    reactive: reactiveScaling(fallback),
    controllers: [scalerController(ctx.forecasts, policyOf(ctx, extra), 'prescale-quantile')],
  };
}

/** A hedge-style variant: hedge setting, then overrides. */
function hedged(
  grid: readonly number[],
  extra: (hedge: number) => Partial<ForecastPolicy>,
  fallback: (util: number, hedge: number) => ReactiveThresholds = (u) => prescaleFallback(u),
): Variant {
  return {
    grid,
    setup: (ctx, hedge) => {
      const s = hedgeSetting(hedge);
      const e = { ...s, ...extra(hedge) };
      return setupWith(ctx, e, fallback(e.targetUtilizationPct ?? s.targetUtilizationPct, hedge));
    },
  };
}

export const VARIANTS: Record<string, Variant> = {
  prescale: {
    grid: PRESCALE_POLICY.hedgeGrid,
    setup: (ctx, knob) => strategyDefinition('prescale').setup(ctx, knob)!,
  },
  // the default policy at a finer grid
  'prescale-fine': hedged(
    [10, 25, 40, 50, 60, 70, 75, 80, 85, 88, 90, 92, 95, 97, 100, 102, 105, 107, 110, 112, 115, 120, 125, 130, 140, 150],
    () => ({}),
  ),
};

import type { ReactiveScaling, StepAdjustment } from '../../models/policy/types.ts';

/** The production fallback with other scale-out steps / scale-in threshold and steps. */
export function fallbackWith(
  scaleOutPct: number,
  o: { steps?: StepAdjustment[]; scaleInPct?: number; inSteps?: StepAdjustment[]; inPeriods?: number; outPeriods?: number } = {},
): ReactiveScaling {
  const base = reactiveScaling({ scaleOutPct, scaleInPct: o.scaleInPct });
  return {
    scaleOut: {
      ...base.scaleOut,
      alarm: { ...base.scaleOut.alarm, evaluationPeriods: o.outPeriods ?? 3, datapointsToAlarm: o.outPeriods ?? 3 },
      steps: o.steps ?? base.scaleOut.steps,
    },
    scaleIn: {
      ...base.scaleIn,
      alarm: { ...base.scaleIn.alarm, evaluationPeriods: o.inPeriods ?? 10, datapointsToAlarm: o.inPeriods ?? 10 },
      steps: o.inSteps ?? base.scaleIn.steps,
    },
  };
}

function custom(
  grid: readonly number[],
  settings: (knob: number) => { extra: Partial<ForecastPolicy>; reactive: ReactiveScaling },
): Variant {
  return {
    grid,
    setup: (ctx, knob) => {
      const s = settings(knob);
      return {
        fleet: ctx.fleet,
        reactive: s.reactive,
        controllers: [scalerController(ctx.forecasts, policyOf(ctx, s.extra), 'prescale-quantile')],
      };
    },
  };
}

/** Steeper scale-out: the step grows with the breach, up to doubling at saturation. */
export const STEEP_STEPS: StepAdjustment[] = [
  { lowerBound: 0, upperBound: 4, adjustment: 10 },
  { lowerBound: 4, upperBound: 8, adjustment: 30 },
  { lowerBound: 8, adjustment: 100 },
];
/** Saturation-aware: at a CPU within a point of 100 the group may be far short, double it. */
function satSteps(threshold: number): StepAdjustment[] {
  const sat = Math.max(0.5, 99 - threshold);
  return [
    { lowerBound: 0, upperBound: Math.min(10, sat), adjustment: 10 },
    ...(sat > 10 ? [{ lowerBound: 10, upperBound: Math.min(20, sat), adjustment: 20 }] : []),
    ...(sat > 20 ? [{ lowerBound: 20, upperBound: sat, adjustment: 40 }] : []),
    { lowerBound: sat, adjustment: 100 },
  ];
}

const HEDGE_FINE = [10, 25, 40, 50, 60, 70, 75, 80, 85, 90, 95, 100, 105, 110, 115, 120, 125, 130, 135, 140, 145, 150];

Object.assign(VARIANTS, {
  'fb-sat': custom(HEDGE_FINE, (h) => {
    const s = hedgeSetting(h);
    const out = prescaleFallback(s.targetUtilizationPct).scaleOutPct!;
    return { extra: s, reactive: fallbackWith(out, { steps: satSteps(out) }) };
  }),
  'fb-steep': custom(HEDGE_FINE, (h) => {
    const s = hedgeSetting(h);
    const out = prescaleFallback(s.targetUtilizationPct).scaleOutPct!;
    return { extra: s, reactive: fallbackWith(out, { steps: STEEP_STEPS }) };
  }),
  'hedge-fine': custom(HEDGE_FINE, (h) => {
    const s = hedgeSetting(h);
    const out = prescaleFallback(s.targetUtilizationPct).scaleOutPct!;
    return { extra: s, reactive: fallbackWith(out) };
  }),
} satisfies Record<string, Variant>);

/** 2-D exploration: knob = qIndex * 1000 + planned CPU (fallback 10 above, at most 90 unless hot). */
export const Q2D = [10, 50, 75, 90, 95, 97.5, 99.5];
const U2D = [20, 25, 30, 35, 40, 50, 60, 70, 80, 85, 90];
Object.assign(VARIANTS, {
  g2d: custom(
    Q2D.flatMap((_, qi) => U2D.map((u) => qi * 1000 + u)),
    (k) => {
      const q = Q2D[Math.floor(k / 1000)];
      const u = k % 1000;
      const out = Math.min(95, u + 10);
      return {
        extra: { quantilePct: q, targetUtilizationPct: u, observedFloorPct: u < 80 ? 100 : 0 },
        reactive: fallbackWith(out),
      };
    },
  ),
} satisfies Record<string, Variant>);

/** The default hedge path (fine grid) with policy overrides. */
function hedgeWith(extra: (h: number, s: ReturnType<typeof hedgeSetting>) => Partial<ForecastPolicy>, grid = HEDGE_FINE): Variant {
  return custom(grid, (h) => {
    const s = hedgeSetting(h);
    const out = prescaleFallback(s.targetUtilizationPct).scaleOutPct!;
    return { extra: { ...s, ...extra(h, s) }, reactive: fallbackWith(out) };
  });
}
Object.assign(VARIANTS, {
  'keep-at-util': hedgeWith((_h, s) => ({ keepObservedUtilizationPct: s.targetUtilizationPct })),
  'keep-at-fb': hedgeWith((_h, s) => ({ keepObservedUtilizationPct: Math.min(90, s.targetUtilizationPct + 10) })),
  'scalein-0.2': hedgeWith(() => ({ maxScaleInFraction: 0.2 })),
  'no-lower': hedgeWith(() => ({ lowerDesired: false })),
} satisfies Record<string, Variant>);

Object.assign(VARIANTS, {
  'wl-0.5': hedgeWith(() => ({ widthLevelExponent: 0.5 })),
  'wl-1': hedgeWith(() => ({ widthLevelExponent: 1 })),
} satisfies Record<string, Variant>);

/** Target tracking as the fallback, at the planned CPU plus `offset`. */
function ttFallback(offset: number, extra: (h: number) => Partial<ForecastPolicy> = () => ({}), grid = HEDGE_FINE): Variant {
  return {
    grid,
    setup: (ctx, h) => {
      const s = { ...hedgeSetting(h), ...extra(h) };
      return {
        fleet: ctx.fleet,
        targetTracking: { targetUtilizationPct: Math.min(95, s.targetUtilizationPct + offset) },
        controllers: [scalerController(ctx.forecasts, policyOf(ctx, s), 'prescale-quantile')],
      };
    },
  };
}
Object.assign(VARIANTS, {
  'tt-fb+0': ttFallback(0),
  'tt-fb+10': ttFallback(10),
} satisfies Record<string, Variant>);

Object.assign(VARIANTS, {
  'peak-30m': hedgeWith(() => ({ observedPeakSeconds: 1800 })),
  'peak-1h': hedgeWith(() => ({ observedPeakSeconds: 3600 })),
  'peak-2h': hedgeWith(() => ({ observedPeakSeconds: 7200 })),
  'peak-1h-all': hedgeWith((_h, s) => ({ observedPeakSeconds: 3600, observedFloorPct: 100 })),
  'keep-1h': hedgeWith(() => ({ observedPeakSeconds: 3600, keepObservedUtilizationPct: 100 })),
} satisfies Record<string, Variant>);

Object.assign(VARIANTS, {
  'hot95-w20': hedgeWith(() => ({ hotUtilizationPct: 95, tightWidthPct: 20 })),
  'hot95-w40': hedgeWith(() => ({ hotUtilizationPct: 95, tightWidthPct: 40 })),
  'hot100-w40': hedgeWith(() => ({ hotUtilizationPct: 100, tightWidthPct: 40 })),
} satisfies Record<string, Variant>);
