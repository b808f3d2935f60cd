import { simulate } from '../fleet/runSimulation.ts';
import type { DemandTrace, FleetConfig, SimulationResult, SimulationSetup } from '../fleet/types.ts';
import { simulateClosedLoop, TOTAL_CPU_PER_INSTANCE, type ClosedLoopOptions } from './closedLoop.ts';
import { instancesForLoad } from '../policy/capacity.ts';
import { oracleSchedule } from './strategies/oracle.ts';
import {
  BASELINES,
  FORECAST_STRATEGIES,
  type BaselineName,
  strategyDefinition,
  type StrategyContext,
  type StrategyName,
} from './strategies/catalogue.ts';
import type { ForecastSource } from './strategies/scalerController.ts';
import type { LoadForecast } from '../policy/decide.ts';
import type { ProductionLoop } from '../forecast/ProductionLoop.ts';
import { forecastSource, type TickForecasts } from './forecastSource.ts';
import {
  compareWithBaseline,
  frontierRatios,
  paretoFrontier,
  type BaselineComparison,
  type FrontierPoint,
  type FrontierRatios,
} from './frontier.ts';
import { percentile, windowMetrics, type StrategyMetrics } from './metrics.ts';
import { DEFAULT_SLO, strategyAtSlo, validatedSlo, type Slo, type StrategyAtSlo } from './slo.ts';
import { recommend, type Recommendation } from './recommend.ts';

/** What the forecaster and the policy see: the trace's request counts, or the total CPU the group publishes. */
export const LOAD_METRICS = ['requests', 'total-cpu'] as const;
export type LoadMetricMode = (typeof LOAD_METRICS)[number];

export interface ExperimentConfig {
  readonly fleet: FleetConfig & { readonly minSize: number; readonly maxSize: number };
  readonly bootSeconds: number;
  readonly targetUtilizationPct: number;
  readonly tickSeconds: number;
  readonly pricePerInstanceHour: number;
  readonly metricDelaySeconds: number;
  /** Epoch seconds where the evaluation window starts (the history is before it). */
  readonly evaluationStartSeconds: number;
  /** Epoch seconds where the history's tuning window starts (it ends where evaluation starts). */
  readonly tuningStartSeconds: number;
  /** @default 'requests' */
  readonly loadMetric?: LoadMetricMode;
  /**
   * How the deployed Lambdas forecast (both modes): the first tick with a forecast (when the
   * trainer first runs), the model and its seed.
   */
  readonly forecasting: Omit<ClosedLoopOptions, 'tickSeconds' | 'bootSeconds' | 'onTick'>;
}

export interface StrategyRun {
  readonly knob: number;
  /** Over the evaluation window. */
  readonly metrics: StrategyMetrics;
  /** Over the history's tuning window (the same simulation), what a setting is chosen on. */
  readonly history: StrategyMetrics;
  /** Kept for the default setting only, for the report's timeline. */
  readonly simulation?: SimulationResult;
}

export interface StrategyOutcome {
  readonly name: StrategyName;
  readonly knobName: string;
  readonly description: string;
  readonly defaultKnob: number;
  readonly runs: readonly StrategyRun[];
  readonly defaultRun: StrategyRun;
  readonly frontier: readonly FrontierPoint[];
  /** The settings on the cost / under-provisioning Pareto front. */
  readonly paretoFrontier: readonly FrontierPoint[];
}

export interface ExperimentOutcome {
  readonly strategies: readonly StrategyOutcome[];
  /** prescale against each baseline at its default setting (absent baselines are left out). */
  readonly vs: Partial<Record<BaselineName, BaselineComparison>>;
  /** prescale's frontier against each baseline's settings with at most 5% of minutes under-provisioned. */
  readonly frontierVs: Partial<Record<BaselineName, FrontierRatios>>;
  readonly slo: Slo;
  /** Each strategy's cheapest setting meeting the SLO in hindsight, and the one its history chose. */
  readonly atSlo: Partial<Record<StrategyName, StrategyAtSlo>>;
  /** What to deploy, chosen on the history alone; undefined when prescale was not run. */
  readonly recommendation?: Recommendation;
  readonly oracleInstanceHours: number;
  readonly oracleHistoryInstanceHours: number;
}

export interface ExperimentInputs {
  readonly trace: DemandTrace;
  readonly forecasts: TickForecasts;
  readonly config: ExperimentConfig;
  readonly strategies: readonly StrategyName[];
  /** @default DEFAULT_SLO (0.1% of demand unserved) */
  readonly slo?: Slo;
  /** Called before each simulation with how many there are in all (the oracle counts as one). */
  readonly onRun?: (strategy: StrategyName, knob: number, totalRuns: number) => void;
  /** In 'total-cpu' mode, after each tick's forecast of a closed-loop run. */
  readonly onTick?: (done: number, total: number) => void;
}

/**
 * Every strategy at every setting of its knob through the simulator, on one trace; metrics over
 * the evaluation window; frontiers and prescale's standing against the baselines. With request
 * counts the forecasts are computed once beforehand from the trace (`inputs.forecasts`); with
 * total CPU each forecast-driven run makes its own, closed loop, from what its group published.
 */
export async function runExperiment(inputs: ExperimentInputs): Promise<ExperimentOutcome> {
  const { trace, config } = inputs;
  const slo = validatedSlo(inputs.slo ?? DEFAULT_SLO);
  const fromMinute = Math.round((config.evaluationStartSeconds - trace.startSeconds) / 60);
  const window = {
    fromMinute,
    capacityPerInstance: config.fleet.capacityPerInstance,
    pricePerInstanceHour: config.pricePerInstanceHour,
  };
  const historyWindow = {
    ...window,
    fromMinute: Math.round((config.tuningStartSeconds - trace.startSeconds) / 60),
    toMinute: fromMinute,
  };
  const ctx = strategyContext(inputs);

  let demand: Float64Array | undefined;
  const outcomes: StrategyOutcome[] = [];
  const sweeps = inputs.strategies
    .filter((s) => s !== 'oracle')
    .map((name) => {
      const definition = strategyDefinition(name);
      const defaultKnob = definition.defaultKnob(ctx);
      return {
        name,
        definition,
        defaultKnob,
        grid: [...new Set([...definition.grid(ctx), defaultKnob])].sort((a, b) => a - b),
      };
    });
  const totalRuns = sweeps.reduce((n, s) => n + s.grid.length, 0) + (inputs.strategies.includes('oracle') ? 1 : 0);
  for (const { name, definition, defaultKnob, grid } of sweeps) {
    const runs: StrategyRun[] = [];
    for (const knob of grid) {
      inputs.onRun?.(name, knob, totalRuns);
      const simulation = (await simulateStrategy(inputs, ctx, name, knob))?.simulation;
      if (simulation === undefined) continue;
      demand ??= simulation.demand;
      runs.push({
        knob,
        metrics: windowMetrics(simulation, window),
        history: windowMetrics(simulation, historyWindow),
        simulation: knob === defaultKnob ? simulation : undefined,
      });
    }
    outcomes.push(outcome(name, definition.knob, definition.description, defaultKnob, runs));
  }

  demand ??= simulate(trace, { fleet: config.fleet }).demand;
  const oracleSimulation = oracleSchedule(demand, {
    capacityPerInstance: config.fleet.capacityPerInstance,
    bootSeconds: config.bootSeconds,
    minSize: config.fleet.minSize,
    maxSize: config.fleet.maxSize,
    startSeconds: trace.startSeconds,
  });
  const oracleRun: StrategyRun = {
    knob: 0,
    metrics: windowMetrics(oracleSimulation, window),
    history: windowMetrics(oracleSimulation, historyWindow),
    simulation: oracleSimulation,
  };
  if (inputs.strategies.includes('oracle')) {
    inputs.onRun?.('oracle', 0, totalRuns);
    const def = strategyDefinition('oracle');
    outcomes.push(outcome('oracle', def.knob, def.description, 0, [oracleRun]));
  }
  const oracleHours = oracleRun.metrics.instanceHours;
  const oracleHistoryHours = oracleRun.history.instanceHours;
  const withOracle = outcomes.map((o) => withCostVsOracle(o, oracleHours, oracleHistoryHours));

  const prescale = withOracle.find((o) => o.name === 'prescale');
  const vs: Partial<Record<BaselineName, BaselineComparison>> = {};
  const frontierVs: Partial<Record<BaselineName, FrontierRatios>> = {};
  if (prescale !== undefined) {
    for (const baseline of BASELINES) {
      const b = withOracle.find((o) => o.name === baseline);
      if (b === undefined) continue;
      vs[baseline] = compareWithBaseline(prescale.frontier, pointOf(b.defaultRun));
      frontierVs[baseline] = frontierRatios(prescale.frontier, b.frontier);
    }
  }
  const atSlo: Partial<Record<StrategyName, StrategyAtSlo>> = {};
  for (const o of withOracle) {
    if (o.name === 'oracle' || o.runs.length === 0) continue;
    atSlo[o.name] = strategyAtSlo(
      o.runs.map((r) => ({ knob: r.knob, history: r.history, evaluation: r.metrics })),
      slo,
    );
  }
  const recommendation = recommend(atSlo, slo, {
    startSeconds: config.tuningStartSeconds,
    endSeconds: config.evaluationStartSeconds,
  });
  return {
    strategies: withOracle,
    vs,
    frontierVs,
    slo,
    atSlo,
    recommendation,
    oracleInstanceHours: oracleHours,
    oracleHistoryInstanceHours: oracleHistoryHours,
  };
}

function outcome(
  name: StrategyName,
  knobName: string,
  description: string,
  defaultKnob: number,
  runs: StrategyRun[],
): StrategyOutcome {
  const defaultRun = runs.find((r) => r.knob === defaultKnob) ?? runs[0];
  const frontier = runs.map(pointOf);
  return {
    name,
    knobName,
    description,
    defaultKnob,
    runs,
    defaultRun,
    frontier,
    paretoFrontier: paretoFrontier(frontier),
  };
}

function pointOf(run: StrategyRun): FrontierPoint {
  const m = run.metrics;
  return {
    knob: run.knob,
    instanceHours: m.instanceHours,
    underProvisionedPct: m.underProvisionedPct,
    unservedPct: m.unservedPct,
  };
}

function withCostVsOracle(o: StrategyOutcome, oracleHours: number, oracleHistoryHours: number): StrategyOutcome {
  const vsOracle = (m: StrategyMetrics, hours: number): StrategyMetrics => ({
    ...m,
    costVsOracle: hours > 0 ? m.instanceHours / hours : null,
  });
  const fix = (r: StrategyRun): StrategyRun => ({
    ...r,
    metrics: vsOracle(r.metrics, oracleHours),
    history: vsOracle(r.history, oracleHistoryHours),
  });
  const runs = o.runs.map(fix);
  return { ...o, runs, defaultRun: runs.find((r) => r.knob === o.defaultKnob) ?? runs[0] };
}

/** What every strategy of an experiment is built from. */
export function strategyContext(inputs: Pick<ExperimentInputs, 'trace' | 'forecasts' | 'config'>): StrategyContext {
  const { trace, config } = inputs;
  const fromMinute = Math.round((config.evaluationStartSeconds - trace.startSeconds) / 60);
  return {
    fleet: config.fleet,
    bootSeconds: config.bootSeconds,
    targetUtilizationPct: config.targetUtilizationPct,
    tickSeconds: config.tickSeconds,
    forecasts: forecastSource(inputs.forecasts, config.metricDelaySeconds),
    observed: { trace, delaySeconds: config.metricDelaySeconds },
    staticDefaultCount: staticCount(trace, config, fromMinute),
  };
}

/** Instances for the training part's 99th-percentile demand at the target utilization. */
function staticCount(trace: DemandTrace, config: ExperimentConfig, fromMinute: number): number {
  const perMinute = 60 / trace.stepSeconds;
  const trainingIntervals = Math.max(1, Math.floor((fromMinute * 60) / trace.stepSeconds));
  const demand = Array.from(trace.values)
    .slice(0, trainingIntervals)
    .map((v) => v * perMinute);
  const count = instancesForLoad(percentile(demand, 99), config.fleet.capacityPerInstance, config.targetUtilizationPct);
  return Math.min(config.fleet.maxSize, Math.max(config.fleet.minSize, count));
}

/**
 * One strategy at one setting: simulated on precomputed forecasts, or, for a forecast-driven
 * strategy in 'total-cpu' mode, closed loop on the total CPU its own group publishes (then with
 * each tick's forecast, by tick time). Undefined for a strategy without a simulator setup (the
 * oracle, computed instead).
 */
export async function simulateStrategy(
  inputs: Pick<ExperimentInputs, 'trace' | 'config' | 'onTick'>,
  ctx: StrategyContext,
  name: StrategyName,
  knob: number,
): Promise<{ simulation: SimulationResult; forecasts?: Map<number, LoadForecast>; loop?: ProductionLoop } | undefined> {
  const { config, trace } = inputs;
  const definition = strategyDefinition(name);
  if (config.loadMetric !== 'total-cpu' || !FORECAST_STRATEGIES.has(name)) {
    const setup = definition.setup(ctx, knob);
    return setup === undefined ? undefined : { simulation: simulate(trace, setup) };
  }
  const setupFor = (forecasts: ForecastSource): SimulationSetup => {
    const setup = definition.setup({ ...ctx, forecasts, forecastCapacityPerInstance: TOTAL_CPU_PER_INSTANCE }, knob);
    if (setup === undefined) throw new RangeError(`strategy '${name}' has no simulator setup`);
    return setup;
  };
  const options: ClosedLoopOptions = {
    ...config.forecasting,
    tickSeconds: config.tickSeconds,
    bootSeconds: config.bootSeconds,
    onTick: inputs.onTick,
  };
  const run = await simulateClosedLoop(trace, setupFor, options);
  return { simulation: run.simulation, forecasts: run.forecasts, loop: run.loop };
}
