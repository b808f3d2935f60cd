import type { ModelName } from '../forecast/registry.ts';
import { ProductionLoop, publishedSeries } from '../forecast/ProductionLoop.ts';
import type { Forecaster } from '../forecast/types.ts';
import { firstTickAtOrAfter } from './closedLoop.ts';
import { FORECAST_LEVELS } from '../policy/defaults.ts';
import type { TickForecasts } from './forecastSource.ts';
import type { ExperimentPlan } from './plan.ts';

export interface TickForecastOptions {
  readonly seed?: number;
  /** The forecaster. @default 'ensemble', the production model */
  readonly model?: ModelName;
  /** Makes each new, unfitted model (tests use tiny ones). */
  readonly createModel?: () => Forecaster;
  /** The scaler's fallback model (tests use tiny ones). @default an ARIMA fitted on the spot */
  readonly createFallback?: () => Forecaster;
  /** No strategy needs forecasts: return none. */
  readonly skip?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface TickForecastResult {
  readonly forecasts: TickForecasts;
  /** Trainer runs. */
  readonly trainings: number;
  /** Ticks where the scaler would change nothing: too little history, or the model failed. */
  readonly failures: number;
  /** The replayed Lambdas' counters (promotions, fallback ticks...). */
  readonly loop?: ProductionLoop;
}

/** The scaler ticks that forecast in request mode: from the first forecast to the last tick the trace covers. */
export function forecastTicks(plan: ExperimentPlan): number[] {
  const { trace, config, forecastSeries } = plan;
  const first = firstTickAtOrAfter(trace.startSeconds, config.tickSeconds, config.forecasting.firstForecastSeconds);
  const end = forecastSeries.startSeconds + forecastSeries.values.length * forecastSeries.stepSeconds;
  const ticks: number[] = [];
  for (let t = first; t < end; t += config.tickSeconds) ticks.push(t);
  return ticks;
}

/**
 * The forecasts every forecast-driven strategy shares when the load is the trace's request count
 * (which does not depend on the fleet): one per tick, made as the deployed Lambdas make them
 * (`ProductionLoop`: the daily trainer's procedure, the scaler's tick, the same windows), from the
 * 5-minute periods published before the tick. Stored by origin (the first period not seen); an
 * origin without a forecast (the scaler would change nothing there) has NaN in its row.
 */
export async function computeTickForecasts(
  plan: ExperimentPlan,
  options: TickForecastOptions = {},
): Promise<TickForecastResult> {
  const { forecastSeries, firstOrigin, horizonSteps, config } = plan;
  const origins = options.skip === true ? 0 : forecastSeries.values.length - firstOrigin + 1;
  const mean = new Float64Array(origins * horizonSteps).fill(NaN);
  const lower: Record<number, Float64Array> = {};
  const upper: Record<number, Float64Array> = {};
  for (const level of FORECAST_LEVELS) {
    lower[level] = new Float64Array(origins * horizonSteps).fill(NaN);
    upper[level] = new Float64Array(origins * horizonSteps).fill(NaN);
  }
  const lastObserved = new Float64Array(origins).fill(NaN);
  const forecasts: TickForecasts = {
    startSeconds: forecastSeries.startSeconds,
    stepSeconds: forecastSeries.stepSeconds,
    kind: 'sum',
    firstOrigin,
    origins,
    horizonSteps,
    mean,
    lower,
    upper,
    lastObserved,
    // The scaler reads the recent published load with its forecast (LoadForecast.recentObserved).
    observed: forecastSeries.values,
  };
  if (origins === 0) return { forecasts, trainings: 0, failures: 0 };
  const ticks = forecastTicks(plan);
  const loop = new ProductionLoop({
    kind: 'sum',
    policy: { bootSeconds: config.bootSeconds, tickSeconds: config.tickSeconds },
    firstTrainingSeconds: ticks[0],
    seed: options.seed ?? config.forecasting.seed,
    model: options.model ?? config.forecasting.model,
    createModel: options.createModel,
    createFallback: options.createFallback,
  });
  let now = ticks[0];
  const published = publishedSeries(forecastSeries, 'sum', () => now, config.metricDelaySeconds);
  for (let k = 0; k < ticks.length; k++) {
    now = ticks[k];
    const forecast = await loop.forecastAt(now, published);
    options.onProgress?.(k + 1, ticks.length);
    if (forecast === undefined) continue;
    const row =
      Math.round((forecast.startSeconds - forecastSeries.startSeconds) / forecastSeries.stepSeconds) - firstOrigin;
    if (row < 0 || row >= origins) continue;
    const steps = Math.min(horizonSteps, forecast.mean.length);
    const at = row * horizonSteps;
    for (let h = 0; h < steps; h++) {
      mean[at + h] = forecast.mean[h];
      for (const level of FORECAST_LEVELS) {
        lower[level][at + h] = forecast.lower?.[level]?.[h] ?? NaN;
        upper[level][at + h] = forecast.upper[level]?.[h] ?? NaN;
      }
    }
    lastObserved[row] = forecast.lastObserved ?? NaN;
  }
  return { forecasts, trainings: loop.trainings, failures: loop.failures + loop.insufficientTicks, loop };
}

/** The newest interval each origin had seen: interval origin - 1 of the forecast series. */
export function lastObservedPerOrigin(values: ArrayLike<number>, firstOrigin: number, origins: number): Float64Array {
  return Float64Array.from({ length: origins }, (_, k) => values[firstOrigin + k - 1] ?? Number.NaN);
}
