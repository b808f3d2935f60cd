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

/** Policy fields a variant sets; ones this tree's ForecastPolicy lacks are ignored by decide(). */
type Extra = Partial<ForecastPolicy> & Record<string, unknown>;

export interface Variant {
  readonly grid: readonly number[];
  readonly setup: (ctx: StrategyContext, knob: number) => SimulationSetup;
}

function policyOf(ctx: StrategyContext, extra: Extra): ForecastPolicy {
  return {
    kind: 'quantile',
    capacityPerInstance: ctx.forecastCapacityPerInstance ?? ctx.fleet.capacityPerInstance,
    targetUtilizationPct: ctx.targetUtilizationPct,
    bootSeconds: ctx.bootSeconds,
    tickSeconds: ctx.tickSeconds,
    ...extra,
  };
}

export function setupWith(ctx: StrategyContext, extra: Extra, fallback: ReactiveThresholds): SimulationSetup {
  return {
    fleet: ctx.fleet,
    reactive: reactiveScaling(fallback),
    controllers: [scalerController(ctx.forecasts, policyOf(ctx, extra), 'prescale-quantile')],
  };
}

/** A hedge-style variant: hedge setting, then overrides. */
function hedged(
  grid: readonly number[],
  extra: (hedge: number) => Extra,
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
    [
      10, 25, 40, 50, 60, 70, 75, 80, 85, 88, 90, 92, 95, 97, 100, 102, 105, 107, 110, 112, 115, 120, 125, 130, 140,
      150,
    ],
    () => ({}),
  ),
};

import type { ReactiveScaling, StepAdjustment } from '../../models/policy/types.ts';

/** The production fallback with other scale-out steps / scale-in threshold and steps. */
export function fallbackWith(
  scaleOutPct: number,
  o: {
    steps?: StepAdjustment[];
    scaleInPct?: number;
    inSteps?: StepAdjustment[];
    inPeriods?: number;
    outPeriods?: number;
  } = {},
): ReactiveScaling {
  const base = reactiveScaling({ scaleOutPct, scaleInPct: o.scaleInPct ?? Math.max(1, scaleOutPct - 30) });
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
  settings: (knob: number) => { extra: Extra; reactive: ReactiveScaling },
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
function hedgeWith(extra: (h: number, s: ReturnType<typeof hedgeSetting>) => Extra, grid = HEDGE_FINE): Variant {
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
function ttFallback(offset: number, extra: (h: number) => Extra = () => ({}), grid = HEDGE_FINE): Variant {
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
  'peak-1h-all': hedgeWith(() => ({ observedPeakSeconds: 3600, observedFloorPct: 100 })),
  'keep-1h': hedgeWith(() => ({ observedPeakSeconds: 3600, keepObservedUtilizationPct: 100 })),
} satisfies Record<string, Variant>);

Object.assign(VARIANTS, {
  'hot95-w20': hedgeWith(() => ({ hotUtilizationPct: 95, tightWidthPct: 20 })),
  'hot95-w40': hedgeWith(() => ({ hotUtilizationPct: 95, tightWidthPct: 40 })),
  'hot100-w40': hedgeWith(() => ({ hotUtilizationPct: 100, tightWidthPct: 40 })),
} satisfies Record<string, Variant>);

const HEDGE_TOP = [...HEDGE_FINE, 155, 160];
Object.assign(VARIANTS, {
  'top-nolower': hedgeWith((h) => (h >= 135 ? { lowerDesired: false } : {}), HEDGE_TOP),
  'top-nolower-hot': hedgeWith(
    (h) => (h >= 135 ? { lowerDesired: false } : { hotUtilizationPct: 95, tightWidthPct: 40 }),
    HEDGE_TOP,
  ),
  'nolower-all-top': hedgeWith(() => ({ lowerDesired: false }), HEDGE_TOP),
} satisfies Record<string, Variant>);

function hedgeFb(
  extra: (h: number, s: ReturnType<typeof hedgeSetting>) => Extra,
  fb: (out: number, h: number) => Parameters<typeof fallbackWith>[1],
  grid = HEDGE_FINE,
): Variant {
  return custom(grid, (h) => {
    const s = hedgeSetting(h);
    const out = prescaleFallback(s.targetUtilizationPct).scaleOutPct!;
    return { extra: { ...s, ...extra(h, s) }, reactive: fallbackWith(out, fb(out, h)) };
  });
}
Object.assign(VARIANTS, {
  'nolower-in60': hedgeFb(
    () => ({ lowerDesired: false }),
    (out) => ({ scaleInPct: Math.round(out * 0.6) }),
  ),
  'nolower-in75': hedgeFb(
    () => ({ lowerDesired: false }),
    (out) => ({ scaleInPct: Math.round(out * 0.75) }),
  ),
  in60: hedgeFb(
    () => ({}),
    (out) => ({ scaleInPct: Math.round(out * 0.6) }),
  ),
  in75: hedgeFb(
    () => ({}),
    (out) => ({ scaleInPct: Math.round(out * 0.75) }),
  ),
} satisfies Record<string, Variant>);

function hedgeOffset(offset: number, extra: (h: number) => Extra = () => ({}), grid = HEDGE_FINE): Variant {
  return custom(grid, (h) => {
    const s = { ...hedgeSetting(h), ...extra(h) };
    const out = Math.min(95, s.targetUtilizationPct + offset);
    return { extra: s, reactive: fallbackWith(out) };
  });
}
Object.assign(VARIANTS, {
  'fb+0': hedgeOffset(0),
  'fb+5': hedgeOffset(5),
  'fb+15': hedgeOffset(15),
  'hot-fb+5': hedgeOffset(5, () => ({ hotUtilizationPct: 95, tightWidthPct: 40 })),
} satisfies Record<string, Variant>);

/** Path A: today's hedge to 120, a 1-hour peak hold above, longer holds at the top (155: 6 h, 160: a day). */
function pathA(holdFrom = 120, hot = false): Variant {
  return custom([...HEDGE_FINE, 155, 160], (h) => {
    const s = hedgeSetting(Math.min(h, 150));
    const hold = h > 150 ? (h === 155 ? 6 : 24) * 3600 : h > holdFrom ? 3600 : 0;
    const out = prescaleFallback(s.targetUtilizationPct).scaleOutPct!;
    return {
      extra: {
        ...s,
        observedPeakSeconds: hold,
        ...(hot && h <= 90 ? { hotUtilizationPct: 95, tightWidthPct: 40 } : {}),
      },
      reactive: fallbackWith(out),
    };
  });
}
Object.assign(VARIANTS, {
  'pathA-120': pathA(120),
  'pathA-110': pathA(110),
  'pathA-130': pathA(130),
  'pathA-120-hot': pathA(120, true),
} satisfies Record<string, Variant>);

/** The tree's prescale (catalogue) plus hot settings: knob 2000 + q = the q-th percentile at 90% CPU, fallback at 95%. */
function withHot(base: Variant, qs = [50, 75, 90], util = 90, out = 95): Variant {
  return {
    grid: [...base.grid, ...qs.map((q) => 2000 + q)],
    setup: (ctx, k) =>
      k < 2000
        ? base.setup(ctx, k)
        : setupWith(
            ctx,
            { quantilePct: k - 2000, targetUtilizationPct: util, observedFloorPct: 0 },
            { scaleOutPct: out },
          ),
  };
}
Object.assign(VARIANTS, {
  'tree+hot90': withHot(VARIANTS.prescale),
  'tree+hot85': withHot(VARIANTS.prescale, [50, 75, 90], 85, 95),
  'tree+hot90-98': withHot(VARIANTS.prescale, [50, 75, 90], 90, 98),
} satisfies Record<string, Variant>);

/** main's prescale before this branch (d7bb763..15755d3): the 20-setting hedge grid, no hold. */
const ORIGINAL_GRID = [10, 25, 40, 50, 60, 70, 75, 80, 85, 90, 95, 100, 105, 110, 115, 120, 125, 130, 140, 150];
Object.assign(VARIANTS, {
  original: {
    grid: ORIGINAL_GRID,
    setup: (ctx, h) => {
      const s =
        h <= 90
          ? { quantilePct: h, targetUtilizationPct: 80, observedFloorPct: 0 }
          : { quantilePct: 90, targetUtilizationPct: 80 - (h - 90), observedFloorPct: 100 };
      return setupWith(ctx, s, prescaleFallback(s.targetUtilizationPct));
    },
  },
} satisfies Record<string, Variant>);
