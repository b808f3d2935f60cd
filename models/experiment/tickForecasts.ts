import { rollingForecasts } from '../forecast/rollingForecasts.ts';
import type { ModelName } from '../forecast/registry.ts';
import { FORECAST_LEVELS } from '../policy/defaults.ts';
import type { TickForecasts } from './forecastSource.ts';
import type { ExperimentPlan } from './plan.ts';

export interface TickForecastOptions {
  readonly seed?: number;
  /** The forecaster. @default 'ensemble', the production model */
  readonly model?: ModelName;
  /** No strategy needs forecasts: return none. */
  readonly skip?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface TickForecastResult {
  readonly forecasts: TickForecasts;
  readonly trainings: number;
  readonly failures: number;
}

/**
 * The forecasts every forecast-driven strategy shares: one per origin from the start of the
 * evaluation window, trained on the trace's past only and retrained once per simulated day,
 * as the trainer Lambda retrains and the scaler conditions on each tick.
 */
export async function computeTickForecasts(
  plan: ExperimentPlan,
  options: TickForecastOptions = {},
): Promise<TickForecastResult> {
  const { forecastSeries, firstOrigin, horizonSteps } = plan;
  if (options.skip === true) {
    return {
      forecasts: {
        startSeconds: forecastSeries.startSeconds,
        stepSeconds: forecastSeries.stepSeconds,
        kind: 'sum',
        firstOrigin,
        origins: 0,
        horizonSteps,
        mean: new Float64Array(0),
        lower: {},
        upper: {},
      },
      trainings: 0,
      failures: 0,
    };
  }
  const result = await rollingForecasts(forecastSeries, {
    firstOrigin,
    horizonSteps,
    levels: FORECAST_LEVELS,
    seed: options.seed ?? 0,
    model: options.model ?? 'ensemble',
    onProgress: options.onProgress,
  });
  return {
    forecasts: {
      startSeconds: forecastSeries.startSeconds,
      stepSeconds: forecastSeries.stepSeconds,
      kind: 'sum',
      firstOrigin: result.firstOrigin,
      origins: result.mean.length / result.horizonSteps,
      horizonSteps: result.horizonSteps,
      mean: result.mean,
      lower: result.lower,
      upper: result.upper,
      lastObserved: lastObservedPerOrigin(
        forecastSeries.values,
        result.firstOrigin,
        result.mean.length / result.horizonSteps,
      ),
    },
    trainings: result.trainings,
    failures: result.failures,
  };
}

/** The newest interval each origin had seen: interval origin - 1 of the forecast series. */
export function lastObservedPerOrigin(values: ArrayLike<number>, firstOrigin: number, origins: number): Float64Array {
  return Float64Array.from({ length: origins }, (_, k) => values[firstOrigin + k - 1] ?? Number.NaN);
}
