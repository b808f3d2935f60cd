import type { RegularSeries } from '../series/types.ts';

/** Prediction interval bounds at one coverage level (e.g. 80 for an 80% interval). */
export interface IntervalBounds {
  readonly level: number;
  readonly lower: number[];
  readonly upper: number[];
}

/** A point forecast for steps 1..h after the end of the history, with interval bounds per level. */
export interface Forecast {
  readonly mean: number[];
  readonly intervals: IntervalBounds[];
}

export interface FitOptions {
  /** Seed for every random choice the model makes. @default 0 */
  readonly seed?: number;
  /**
   * A model of the same kind fitted earlier (yesterday's), to start from: the LSTM continues
   * from its weights for fewer epochs, the ensemble passes each member its predecessor; models
   * with nothing to carry over ignore it. @default none (train from scratch)
   */
  readonly warmStart?: Forecaster;
}

/** The default interval levels, in percent. */
export const DEFAULT_LEVELS: readonly number[] = [80, 95];

/**
 * Every forecaster has this one surface (after Nixtla/statsforecast): hyperparameters in the
 * constructor, `fit` stores fitted state and returns the model, `predict` forecasts from the
 * end of the history the model last saw.
 */
export interface Forecaster {
  /** Short model id used in reports, e.g. `arima`, `lstm`, `ensemble`. */
  readonly name: string;
  /** Learn parameters from the series and remember it as the history to forecast from. */
  fit(series: RegularSeries, options?: FitOptions): Promise<this>;
  /**
   * Keep the learned parameters but forecast from a newer history (what the scaler does on
   * every tick with a checkpoint trained earlier). Models whose parameters are cheap to
   * re-estimate (ARIMA, the baselines) re-estimate them here.
   */
  condition(series: RegularSeries): Promise<this>;
  /** Forecast `steps` steps after the end of the history with intervals at `levels` percent. */
  predict(steps: number, levels?: readonly number[]): Forecast;
  /** Everything needed to predict exactly the same numbers after a reload. */
  toCheckpoint(): Checkpoint;
}

/** Checkpoint manifest format understood by this version of prescale. */
export const CHECKPOINT_FORMAT_VERSION = 1;

export interface TrainingWindow {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly stepSeconds: number;
  readonly points: number;
}

/** The JSON part of a checkpoint; large numeric arrays live in `blobs` as little-endian bytes. */
export interface CheckpointManifest {
  readonly formatVersion: number;
  readonly kind: string;
  readonly name: string;
  readonly hyperparameters: Record<string, unknown>;
  readonly trainingWindow: TrainingWindow;
  /** Validation metrics measured when the model was trained, if any. */
  readonly validation?: Record<string, number>;
  /** Small fitted state (numbers, short arrays). */
  readonly state: Record<string, unknown>;
  /** Binary parts by name, with their byte length and SHA-256, so corruption is detected. */
  readonly blobs: Record<string, { readonly bytes: number; readonly sha256: string }>;
  /** Member checkpoints, for models made of other models (the ensemble). */
  readonly members?: Record<string, CheckpointManifest>;
}

export interface Checkpoint {
  readonly manifest: CheckpointManifest;
  /** Binary parts by name; for members, names are prefixed `<member>/`. */
  readonly blobs: Record<string, Uint8Array>;
}
