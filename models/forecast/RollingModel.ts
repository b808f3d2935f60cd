import type { RegularSeries } from '../series/types.ts';
import { NaiveForecaster, SeasonalNaiveForecaster } from './baselines.ts';
import { EnsembleForecaster } from './ensemble/EnsembleForecaster.ts';
import { InsufficientHistoryError } from './errors.ts';
import { createForecaster, type ModelName } from './registry.ts';
import type { Forecast, Forecaster } from './types.ts';

export interface RollingModelOptions {
  /** Origins between retrainings (one day of steps for the daily trainer). */
  readonly retrainEveryOrigins: number;
  /** @default 'ensemble' */
  readonly model?: ModelName;
  /** Each training continues from the previous model, as the trainer Lambda does. @default true */
  readonly warmStart?: boolean;
  /** ARIMA re-aims its daily fit with its filter between retrainings (the scaler's way). @default true */
  readonly scheduledRetraining?: boolean;
  /** @default 0 */
  readonly seed?: number;
  /** Makes each new, unfitted model instead of `model` (tests use tiny ones). */
  readonly createModel?: () => Forecaster;
}

/**
 * The production forecasting loop, one origin at a time: the model is trained on the window once
 * per `retrainEveryOrigins` origins (the daily trainer) and conditioned on it in between (the
 * scaler's tick). The rolling backtest and the closed-loop experiment both drive it, the latter
 * with windows that depend on the decisions already made.
 *
 * Never throws for a model failure. A training that fails for want of history is tried again at
 * the next origin; any other failed training keeps the previous model until the next scheduled
 * one. An origin without a usable forecast gets seasonal naive's (naive's on a day or less) and
 * counts in `failures`.
 */
export class RollingModel {
  trainings = 0;
  failures = 0;
  readonly weights: { origin: number; weights: Record<string, number> }[] = [];
  private model: Forecaster | undefined;
  private trainedAt = -Infinity;

  constructor(private readonly options: RollingModelOptions) {}

  /** The forecast at `origin` from `window`, the newest values before it. */
  async forecast(window: RegularSeries, origin: number, steps: number, levels: readonly number[]): Promise<Forecast> {
    const o = this.options;
    let forecast: Forecast | undefined;
    try {
      if (origin - this.trainedAt >= o.retrainEveryOrigins) {
        this.trainedAt = origin;
        try {
          const fresh =
            o.createModel?.() ??
            createForecaster(o.model ?? 'ensemble', { scheduledRetraining: o.scheduledRetraining ?? true });
          this.model = await fresh.fit(window, {
            seed: o.seed ?? 0,
            warmStart: (o.warmStart ?? true) ? this.model : undefined,
          });
        } catch (error) {
          // Too little history yet: try again at the next origin, the window is one step longer.
          if (error instanceof InsufficientHistoryError) this.trainedAt = -Infinity;
          throw error;
        }
        this.trainings++;
        if (this.model instanceof EnsembleForecaster && this.model.weights !== undefined)
          this.weights.push({ origin, weights: { ...this.model.weights } });
      } else if (this.model !== undefined) {
        await this.model.condition(window);
      }
      if (this.model !== undefined) forecast = usable(this.model.predict(steps, levels), steps);
    } catch {
      // A model that cannot fit or forecast this history is stood in for below, and counted.
    }
    if (forecast !== undefined) return forecast;
    this.failures++;
    return fallback(window, steps, levels);
  }
}

function usable(forecast: Forecast, steps: number): Forecast | undefined {
  const arrays = [forecast.mean, ...forecast.intervals.flatMap((i) => [i.lower, i.upper])];
  return arrays.every((a) => a.length === steps && a.every(Number.isFinite)) ? forecast : undefined;
}

async function fallback(window: RegularSeries, steps: number, levels: readonly number[]): Promise<Forecast> {
  try {
    return (await new SeasonalNaiveForecaster().fit(window)).predict(steps, levels);
  } catch {
    if (window.values.length >= 2) return (await new NaiveForecaster().fit(window)).predict(steps, levels);
    // One value seen: all there is to say is that value, without a spread.
    const flat = new Array<number>(steps).fill(window.values[0]);
    return { mean: flat, intervals: levels.map((level) => ({ level, lower: flat, upper: flat })) };
  }
}
