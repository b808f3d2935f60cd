import { FleetSimulation } from '../fleet/runSimulation.ts';
import type { DemandTrace, SimulationResult, SimulationSetup } from '../fleet/types.ts';
import type { ModelName } from '../forecast/registry.ts';
import { ProductionLoop, publishedSeries } from '../forecast/ProductionLoop.ts';
import type { Forecaster } from '../forecast/types.ts';
import type { LoadForecast } from '../policy/decide.ts';
import type { ForecastSource } from './strategies/scalerController.ts';

/** Percent-instances one instance's 100% CPU is: total CPU's capacity per instance. */
export const TOTAL_CPU_PER_INSTANCE = 100;

export interface ClosedLoopOptions {
  /** Seconds between scaler runs. */
  readonly tickSeconds: number;
  /** Boot time the scaler's forecast must look past. */
  readonly bootSeconds: number;
  /** The first tick that forecasts, when the trainer first runs (before it, the scaler changes nothing). */
  readonly firstForecastSeconds: number;
  /** Days of published history the scaler and the trainer read (PRESCALE_HISTORY_DAYS). @default 14 */
  readonly historyDays?: number;
  /** @default 'ensemble' */
  readonly model?: ModelName;
  /** @default 0 */
  readonly seed?: number;
  /** Makes each new, unfitted model (tests use tiny ones). */
  readonly createModel?: () => Forecaster;
  /** The scaler's fallback model (tests use tiny ones). @default an ARIMA fitted on the spot */
  readonly createFallback?: () => Forecaster;
  /** Called after each forecast with the ticks done and to do. */
  readonly onTick?: (done: number, total: number) => void;
}

export interface ClosedLoopRun {
  readonly simulation: SimulationResult;
  readonly loop: ProductionLoop;
  /** Each tick's forecast as the scaler got it, by tick time (for the twin's comparison). */
  readonly forecasts: Map<number, LoadForecast>;
}

/**
 * A simulation whose scaler forecasts what production forecasts: at every tick, the total CPU the
 * simulated group has published so far (TotalCpuMetric: capped per serving instance, warming
 * instances left out, visible after the publishing delay), through the deployed Lambdas' loop
 * (`ProductionLoop`: the daily trainer, the scaler's tick). The forecasts depend on the
 * decisions already made, so they are made during the run, not before it.
 */
export async function simulateClosedLoop(
  trace: DemandTrace,
  setupFor: (forecasts: ForecastSource) => SimulationSetup,
  options: ClosedLoopOptions,
): Promise<ClosedLoopRun> {
  let current: LoadForecast | undefined;
  // The forecast is made just before the tick's minute runs, from what was published by then.
  const run = new FleetSimulation(trace, setupFor({ forecastAt: () => current }));
  const metric = run.totalCpu;
  const firstTick = firstTickAtOrAfter(trace.startSeconds, options.tickSeconds, options.firstForecastSeconds);
  const loop = new ProductionLoop({
    kind: 'level',
    policy: { bootSeconds: options.bootSeconds, tickSeconds: options.tickSeconds },
    firstTrainingSeconds: firstTick,
    historyDays: options.historyDays,
    model: options.model,
    seed: options.seed,
    createModel: options.createModel,
    createFallback: options.createFallback,
  });
  const published = publishedSeries(
    { startSeconds: metric.periodStart(0), stepSeconds: metric.periodSeconds, values: metric.values },
    'level',
    () => run.nowSeconds,
    metric.delaySeconds,
  );
  const forecasts = new Map<number, LoadForecast>();
  const endSeconds = trace.startSeconds + 60 * run.minutes;
  const ticks = Math.max(0, Math.ceil((endSeconds - firstTick) / options.tickSeconds));
  let done = 0;
  do {
    const now = run.nowSeconds;
    if (now >= endSeconds) break; // the run is over: no tick left to forecast for
    if ((now - trace.startSeconds) % options.tickSeconds !== 0 || now < firstTick) continue;
    current = await loop.forecastAt(now, published);
    if (current !== undefined) forecasts.set(now, current);
    options.onTick?.(++done, ticks);
  } while (run.step());
  return { simulation: run.result(), loop, forecasts };
}

/** The first scaler tick (trace start plus whole ticks) at or after `seconds`. */
export function firstTickAtOrAfter(startSeconds: number, tickSeconds: number, seconds: number): number {
  return startSeconds + Math.max(0, Math.ceil((seconds - startSeconds) / tickSeconds)) * tickSeconds;
}
