import { FleetSimulation } from '../fleet/runSimulation.ts';
import type { DemandTrace, SimulationResult, SimulationSetup } from '../fleet/types.ts';
import type { ModelName } from '../forecast/registry.ts';
import { RollingModel } from '../forecast/RollingModel.ts';
import type { Forecaster } from '../forecast/types.ts';
import type { LoadForecast } from '../policy/decide.ts';
import { FORECAST_LEVELS } from '../policy/defaults.ts';
import { toLoadForecast } from '../policy/loadForecast.ts';
import { fillGaps } from '../series/fillGaps.ts';
import type { ForecastSource } from './strategies/scalerController.ts';

/** Percent-instances one instance's 100% CPU is: total CPU's capacity per instance. */
export const TOTAL_CPU_PER_INSTANCE = 100;

export interface ClosedLoopOptions {
  /** Seconds between scaler runs. */
  readonly tickSeconds: number;
  /** The first tick that forecasts (before it, the scaler has no forecast and changes nothing). */
  readonly firstForecastSeconds: number;
  readonly horizonSteps: number;
  /** Days of published history each forecast reads (the scaler's PRESCALE_HISTORY_DAYS). @default 14 */
  readonly historyDays?: number;
  /** @default 'ensemble' */
  readonly model?: ModelName;
  /** @default 0 */
  readonly seed?: number;
  /** Makes each day's new, unfitted model (tests use tiny ones). */
  readonly createModel?: () => Forecaster;
  /** Called after each forecast with the ticks done and to do. */
  readonly onTick?: (done: number, total: number) => void;
}

export interface ClosedLoopRun {
  readonly simulation: SimulationResult;
  readonly trainings: number;
  readonly failures: number;
  /** Each tick's forecast as the scaler got it, by tick time (for the twin's comparison). */
  readonly forecasts: Map<number, LoadForecast>;
}

/**
 * A simulation whose scaler forecasts what production forecasts: at every tick, the total CPU the
 * simulated group has published so far (TotalCpuMetric: capped per serving instance, warming
 * instances left out, visible after the publishing delay), through the production forecasting
 * loop (trained daily, conditioned on every tick). The forecasts depend on the decisions
 * already made, so they are made during the run, not before it.
 */
export async function simulateClosedLoop(
  trace: DemandTrace,
  setupFor: (forecasts: ForecastSource) => SimulationSetup,
  options: ClosedLoopOptions,
): Promise<ClosedLoopRun> {
  let current: LoadForecast | undefined;
  // The forecast is made just before the tick's minute runs, from what was visible then.
  const run = new FleetSimulation(trace, setupFor({ forecastAt: () => current }));
  const metric = run.totalCpu;
  const step = metric.periodSeconds;
  const windowPoints = ((options.historyDays ?? 14) * 86_400) / step;
  const rolling = new RollingModel({
    retrainEveryOrigins: 86_400 / step,
    model: options.model,
    seed: options.seed,
    createModel: options.createModel,
  });
  const forecasts = new Map<number, LoadForecast>();
  const ticks = Math.max(
    0,
    Math.ceil((trace.startSeconds + 60 * run.minutes - options.firstForecastSeconds) / options.tickSeconds),
  );
  do {
    const now = run.nowSeconds;
    if ((now - trace.startSeconds) % options.tickSeconds !== 0 || now < options.firstForecastSeconds) continue;
    const newest = metric.newestVisible(now);
    const from = Math.max(0, newest + 1 - windowPoints);
    const history =
      newest < 0
        ? undefined
        : fillGaps({
            startSeconds: metric.periodStart(from),
            stepSeconds: step,
            values: metric.values.subarray(from, newest + 1),
          });
    if (history === undefined) {
      current = undefined;
    } else {
      const origin = Math.round(history.startSeconds / step) + history.values.length;
      const forecast = await rolling.forecast(history, origin, options.horizonSteps, FORECAST_LEVELS);
      const startSeconds = history.startSeconds + history.values.length * step;
      current = toLoadForecast(forecast, startSeconds, step, 'level', history.values[history.values.length - 1]);
      forecasts.set(now, current);
    }
    options.onTick?.(forecasts.size, ticks);
  } while (run.step());
  return { simulation: run.result(), trainings: rolling.trainings, failures: rolling.failures, forecasts };
}
