import type { LoadForecast } from '../policy/decide.ts';
import type { LoadKind } from '../policy/loadUnits.ts';
import type { LoadSeries, LoadWindow } from '../ports.ts';
import { fillGaps } from '../series/fillGaps.ts';
import { ArimaForecaster } from './arima/ArimaForecaster.ts';
import { initTfBackend } from './lstm/backend.ts';
import type { ModelName } from './registry.ts';
import { createForecaster, loadForecaster } from './registry.ts';
import { checkpointAge, historyWindow, MIN_SCALER_POINTS, tickForecast } from './scalerForecast.ts';
import { trainForPromotion } from './training.ts';
import type { Checkpoint, Forecaster } from './types.ts';

/** The load as CloudWatch would answer `GetMetricData` for a window at the moment of asking. */
export type PublishedLoad = (window: LoadWindow) => LoadSeries;

export interface ProductionLoopOptions {
  /** What the load's values are (as `CloudWatchMetricSource` reports them). */
  readonly kind: LoadKind;
  readonly policy: { readonly bootSeconds: number; readonly tickSeconds: number };
  /** When the trainer first runs (the deployment); then every `trainEverySeconds`. */
  readonly firstTrainingSeconds: number;
  /** The trainer's schedule, `rate(1 day)` by default. @default 86400 */
  readonly trainEverySeconds?: number;
  /** PRESCALE_HISTORY_DAYS of the scaler and the trainer. @default 14 */
  readonly historyDays?: number;
  /** PRESCALE_MAX_CHECKPOINT_AGE_HOURS. @default 48 */
  readonly maxCheckpointAgeHours?: number;
  /** PRESCALE_SEED of the trainer. @default 0 */
  readonly seed?: number;
  /** @default 'ensemble' */
  readonly model?: ModelName;
  /** Makes each new, unfitted model instead of `model` (tests use tiny ones). */
  readonly createModel?: () => Forecaster;
  /**
   * The scaler's fallback without a usable checkpoint. @default the scaler's, an ARIMA fitted on
   * the spot, with the production ensemble; with another `model` (a research choice, not what is
   * deployed), that model fitted on the spot, so that a cheap model is cheap throughout
   */
  readonly createFallback?: () => Forecaster;
}

/**
 * What the deployed Lambdas forecast, replayed in process: the trainer on its schedule
 * (`trainForPromotion`: validated, gated on seasonal naive, the promoted checkpoint kept when
 * the new model loses), the scaler on every tick (the promoted checkpoint as the scaler loads
 * it, or an ARIMA fitted on the spot when there is none or it is stale; conditioned on the
 * history and forecast by `tickForecast`). Both read the same windows as in AWS
 * (`historyWindow`). The experiment drives it; the twin checks it against the real bundles.
 */
export class ProductionLoop {
  /** Trainer runs, and how many promoted a model. */
  trainings = 0;
  promotions = 0;
  /** Ticks forecast by the fallback ARIMA (no promoted checkpoint, or a stale one). */
  fallbackTicks = 0;
  /** Ticks where the scaler would fail (the model could not forecast): nothing applied. */
  failures = 0;
  /** Ticks without enough history to forecast: nothing applied. */
  insufficientTicks = 0;
  private nextTraining: number;
  private promoted:
    { readonly model: Forecaster; readonly checkpoint: Checkpoint; readonly version: string } | undefined;

  constructor(private readonly options: ProductionLoopOptions) {
    this.nextTraining = options.firstTrainingSeconds;
  }

  /** The scaler's forecast at `nowSeconds` (the trainer run first when due); undefined when it would change nothing. */
  async forecastAt(nowSeconds: number, published: PublishedLoad): Promise<LoadForecast | undefined> {
    const o = this.options;
    const historyDays = o.historyDays ?? 14;
    if (nowSeconds >= this.nextTraining) {
      await this.train(nowSeconds, published, historyDays);
      const every = o.trainEverySeconds ?? 86_400;
      while (this.nextTraining <= nowSeconds) this.nextTraining += every;
    }
    const history = fillGaps(published(historyWindow(nowSeconds, historyDays)));
    if (history === undefined || history.values.length < MIN_SCALER_POINTS) {
      this.insufficientTicks++;
      return undefined;
    }
    try {
      let model = this.promoted?.model;
      if (
        this.promoted !== undefined &&
        checkpointAge(this.promoted.checkpoint, this.promoted.version, nowSeconds, o.maxCheckpointAgeHours ?? 48)
          .staleReason !== undefined
      )
        model = undefined;
      if (model === undefined) {
        this.fallbackTicks++;
        const fallback =
          o.createFallback?.() ??
          (o.model === undefined || o.model === 'ensemble' ? new ArimaForecaster() : createForecaster(o.model));
        model = await fallback.fit(history);
      }
      return (await tickForecast(model, history, o.kind, o.policy)).loadForecast;
    } catch {
      this.failures++;
      return undefined;
    }
  }

  private async train(nowSeconds: number, published: PublishedLoad, historyDays: number): Promise<void> {
    const o = this.options;
    this.trainings++;
    try {
      const result = await trainForPromotion(fillGaps(published(historyWindow(nowSeconds, historyDays))), {
        historyDays,
        seed: o.seed ?? 0,
        model: o.model,
        createModel: o.createModel,
      });
      if (!result.promoted) return;
      // The scaler loads what the trainer saved, not the trainer's object.
      await initTfBackend();
      this.promoted = {
        model: loadForecaster(result.checkpoint),
        checkpoint: result.checkpoint,
        version: `v${this.trainings}`,
      };
      this.promotions++;
    } catch {
      // A failed training keeps the promoted version, as the trainer Lambda does.
    }
  }
}

/**
 * `PublishedLoad` over a series of whole periods: period k covers
 * [startSeconds + k·step, startSeconds + (k+1)·step) and is published `delaySeconds` after it ends.
 */
export function publishedSeries(
  series: { readonly startSeconds: number; readonly stepSeconds: number; readonly values: ArrayLike<number> },
  kind: LoadKind,
  nowSeconds: () => number,
  delaySeconds: number,
): PublishedLoad {
  return (window) => {
    if (window.stepSeconds !== series.stepSeconds)
      throw new RangeError(
        `the load is published at ${series.stepSeconds} s periods, asked for ${window.stepSeconds} s`,
      );
    const points = Math.max(0, Math.floor((window.endSeconds - window.startSeconds) / window.stepSeconds));
    const values = new Float64Array(points).fill(NaN);
    const now = nowSeconds();
    for (let i = 0; i < points; i++) {
      const start = window.startSeconds + i * window.stepSeconds;
      const k = (start - series.startSeconds) / series.stepSeconds;
      if (!Number.isInteger(k) || k < 0 || k >= series.values.length) continue;
      if (start + series.stepSeconds + delaySeconds > now) continue;
      values[i] = series.values[k];
    }
    return { startSeconds: window.startSeconds, stepSeconds: window.stepSeconds, kind, values };
  };
}
