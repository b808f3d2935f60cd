import type { FleetConfig, ReactiveScaling, SimulationSetup } from '../../fleet/types.ts';
import { awsPredictiveController } from './awsPredictive.ts';
import { clamp } from '../../policy/capacity.ts';
import type { ForecastPolicy, ForecastPolicyKind } from '../../policy/decide.ts';
import { FORECAST_LEVELS, hedgeSetting, PRESCALE_POLICY, prescaleFallback } from '../../policy/defaults.ts';
import type { ObservedLoad } from './observed.ts';
import { DEFAULT_SCALE_OUT_PCT, reactiveScaling } from '../../policy/reactive.ts';
import { scalerController, type ForecastSource } from './scalerController.ts';

/** Strategy names as they appear in reports and `--json`. */
export const STRATEGY_NAMES = [
  'static',
  'reactive-step',
  'target-tracking',
  'target-tracking-requests',
  'aws-predictive',
  'simple-ceiling',
  'buffered',
  'confidence-aware',
  'incremental',
  'prescale',
  'oracle',
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** The strategies that plan from a forecast. */
export const FORECAST_STRATEGIES: ReadonlySet<StrategyName> = new Set([
  'simple-ceiling',
  'buffered',
  'confidence-aware',
  'incremental',
  'prescale',
]);

/** The reactive and predictive policies AWS offers, which prescale is compared with. */
export const BASELINES = ['reactive-step', 'target-tracking', 'target-tracking-requests', 'aws-predictive'] as const;
export type BaselineName = (typeof BASELINES)[number];

export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/** What every strategy is built from: the group, the data it may read, shared defaults. */
export interface StrategyContext {
  readonly fleet: FleetConfig & { readonly minSize: number; readonly maxSize: number };
  readonly bootSeconds: number;
  /** Utilization capacity is planned at by the forecast-driven strategies. */
  readonly targetUtilizationPct: number;
  readonly tickSeconds: number;
  readonly forecasts: ForecastSource;
  /**
   * Load one instance serves at 100% CPU in the forecasts' units: the fleet's capacity per
   * instance for a request trace, 100 when the forecasts are of total CPU. @default fleet.capacityPerInstance
   */
  readonly forecastCapacityPerInstance?: number;
  readonly observed: ObservedLoad;
  /** Instances serving the 99th-percentile demand of the training part at the target utilization. */
  readonly staticDefaultCount: number;
}

export interface StrategyDefinition {
  readonly name: StrategyName;
  /** What the one knob is, for reports. */
  readonly knob: string;
  readonly grid: (ctx: StrategyContext) => readonly number[];
  readonly defaultKnob: (ctx: StrategyContext) => number;
  /** The simulator setup at one knob setting; undefined for the oracle, which is computed. */
  readonly setup: (ctx: StrategyContext, knob: number) => SimulationSetup | undefined;
  readonly description: string;
}

const UTILIZATION_GRID = [30, 40, 50, 60, 70, 80, 90];
/**
 * The baselines' grids are as fine as prescale's (about 15 settings, 5 points apart), so that
 * their cheapest setting meeting an SLO is found as carefully as prescale's.
 */
const TRACKING_GRID = [20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95];
const STEP_GRID = [35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95];
const BUFFER_GRID = [0, 10, 20, 30, 50, 75, 100];
/** The confidence-aware strategy's grid: the levels every forecast carries. */
const LEVEL_GRID = FORECAST_LEVELS;

function withReactive(
  ctx: StrategyContext,
  kind: ForecastPolicyKind,
  knobs: Partial<ForecastPolicy>,
  reactive: ReactiveScaling = reactiveScaling(),
): SimulationSetup {
  const policy: ForecastPolicy = {
    kind,
    capacityPerInstance: ctx.forecastCapacityPerInstance ?? ctx.fleet.capacityPerInstance,
    targetUtilizationPct: ctx.targetUtilizationPct,
    bootSeconds: ctx.bootSeconds,
    tickSeconds: ctx.tickSeconds,
    ...knobs,
  };
  return { fleet: ctx.fleet, reactive, controllers: [scalerController(ctx.forecasts, policy, `prescale-${kind}`)] };
}

const DEFINITIONS: Record<StrategyName, StrategyDefinition> = {
  static: {
    name: 'static',
    knob: 'instances',
    description: 'a fixed number of instances (no scaling)',
    grid: (ctx) => [
      ...new Set(
        [0.5, 0.75, 1, 1.25, 1.5, 2].map((f) =>
          clamp(Math.round(ctx.staticDefaultCount * f), ctx.fleet.minSize, ctx.fleet.maxSize),
        ),
      ),
    ],
    defaultKnob: (ctx) => ctx.staticDefaultCount,
    setup: (ctx, count) => ({ fleet: { ...ctx.fleet, minSize: count, initialCapacity: count } }),
  },
  'reactive-step': {
    name: 'reactive-step',
    knob: 'scale-out CPU %',
    description: 'CPU alarms with step scaling (scale-in threshold 30 points lower), the fallback prescale deploys',
    grid: () => STEP_GRID,
    defaultKnob: () => DEFAULT_SCALE_OUT_PCT,
    setup: (ctx, pct) => ({ fleet: ctx.fleet, reactive: reactiveScaling({ scaleOutPct: pct }) }),
  },
  'target-tracking': {
    name: 'target-tracking',
    knob: 'target CPU %',
    description: 'target tracking on average CPU',
    grid: () => TRACKING_GRID,
    defaultKnob: () => 50,
    setup: (ctx, pct) => ({ fleet: ctx.fleet, targetTracking: { targetUtilizationPct: pct } }),
  },
  'target-tracking-requests': {
    name: 'target-tracking-requests',
    knob: 'target requests per instance, % of its capacity',
    description: "target tracking on the load balancer's request count per target (ALBRequestCountPerTarget)",
    grid: () => TRACKING_GRID,
    defaultKnob: () => 50,
    setup: (ctx, pct) => ({
      fleet: ctx.fleet,
      targetTracking: {
        metric: 'request-count-per-target',
        targetRequestsPerTarget: requestsPerTarget(ctx, pct),
      },
    }),
  },
  'aws-predictive': {
    name: 'aws-predictive',
    knob: 'target CPU %',
    description:
      'emulation of EC2 predictive scaling (hourly seasonal profile) with target tracking, larger of the two',
    grid: () => TRACKING_GRID,
    defaultKnob: () => 50,
    setup: (ctx, pct) => ({
      fleet: ctx.fleet,
      targetTracking: { targetUtilizationPct: pct },
      controllers: [
        awsPredictiveController(ctx.observed, {
          capacityPerInstance: ctx.fleet.capacityPerInstance,
          targetUtilizationPct: pct,
        }),
      ],
    }),
  },
  'simple-ceiling': {
    name: 'simple-ceiling',
    knob: 'planned CPU %',
    description: 'forecast mean / capacity at the planned utilization, rounded up, as a floor under reactive-step',
    grid: () => UTILIZATION_GRID,
    defaultKnob: (ctx) => ctx.targetUtilizationPct,
    setup: (ctx, pct) => withReactive(ctx, 'simple-ceiling', { targetUtilizationPct: pct }),
  },
  buffered: {
    name: 'buffered',
    knob: 'buffer %',
    description: 'forecast mean plus a buffer, as a floor under reactive-step',
    grid: () => BUFFER_GRID,
    defaultKnob: () => 15,
    setup: (ctx, pct) => withReactive(ctx, 'buffered', { bufferPct: pct }),
  },
  'confidence-aware': {
    name: 'confidence-aware',
    knob: 'interval level %',
    description: 'upper bound of the forecast interval, as a floor under reactive-step',
    grid: () => LEVEL_GRID,
    defaultKnob: () => 80,
    setup: (ctx, level) => withReactive(ctx, 'confidence-aware', { intervalLevel: level }),
  },
  incremental: {
    name: 'incremental',
    knob: 'buffer %',
    description: 'buffered forecast, floor moved at most one instance per tick, under reactive-step',
    grid: () => BUFFER_GRID,
    defaultKnob: () => 15,
    setup: (ctx, pct) => withReactive(ctx, 'incremental', { bufferPct: pct }),
  },
  prescale: {
    name: 'prescale',
    knob: 'hedge (percentile to 90, then lower CPU)',
    description:
      'the production default: a forecast percentile at 80% CPU as a floor (hedge level), reactive fallback 10 points above the planned CPU',
    grid: () => PRESCALE_POLICY.hedgeGrid,
    defaultKnob: () => PRESCALE_POLICY.defaultQuantilePct,
    setup: (ctx, hedge) => {
      const setting = hedgeSetting(hedge);
      return withReactive(
        ctx,
        PRESCALE_POLICY.kind,
        setting,
        reactiveScaling(prescaleFallback(setting.targetUtilizationPct)),
      );
    },
  },
  oracle: {
    name: 'oracle',
    knob: 'none',
    description: 'perfect foresight: the cheapest schedule serving every minute',
    grid: () => [0],
    defaultKnob: () => 0,
    setup: () => undefined,
  },
};

/** Target tracking's requests per target per minute at a percent of an instance's capacity. */
export function requestsPerTarget(ctx: Pick<StrategyContext, 'fleet'>, pct: number): number {
  return (ctx.fleet.capacityPerInstance * pct) / 100;
}

export function strategyDefinition(name: StrategyName): StrategyDefinition {
  return DEFINITIONS[name];
}
