import { ArimaForecaster } from './arima/ArimaForecaster.ts';
import { NaiveForecaster, SeasonalNaiveForecaster } from './baselines.ts';
import { EnsembleForecaster, type MemberSpec } from './ensemble/EnsembleForecaster.ts';
import { CheckpointFormatError, CorruptCheckpointError } from './errors.ts';
import { LstmForecaster } from './lstm/LstmForecaster.ts';
import { SesForecaster } from './ses.ts';
import type { Checkpoint, Forecaster } from './types.ts';

/** Model ids accepted by `prescale backtest --models` and written in checkpoints. */
export const MODEL_NAMES = ['naive', 'snaive', 'arima', 'lstm', 'ensemble', 'ses'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/**
 * The production ensemble's members: ARIMA and the LSTM, with naive (the last value) as the
 * anchor for series whose recent level beats any model (bursty counts, level shifts), and `ses`
 * (the level smoothed around a median daily profile), which errs differently from all three.
 * Seasonal naive is left out: on the nine NAB series an arima + naive + snaive ensemble scored
 * GM MASE 0.691 one hour ahead against 0.609 without snaive (README, "Ensemble members").
 */
export const DEFAULT_ENSEMBLE_MEMBERS: readonly ModelName[] = ['arima', 'lstm', 'naive', 'ses'];

export interface CreateOptions {
  /** The ensemble's members. @default DEFAULT_ENSEMBLE_MEMBERS */
  readonly ensembleMembers?: readonly ModelName[];
  /**
   * The model is retrained on a schedule (daily) and only conditioned on new data in between,
   * as the trainer and scaler Lambdas do: ARIMA then re-aims its last fit with the ARMA filter
   * instead of refitting on every condition. @default false (ARIMA refits every time)
   */
  readonly scheduledRetraining?: boolean;
}

/** Every model but the ensemble itself can be an ensemble member. */
export function memberSpecs(names: readonly ModelName[] = DEFAULT_ENSEMBLE_MEMBERS, options: CreateOptions = {}): MemberSpec[] {
  return names.map((name) => {
    if (name === 'ensemble') throw new RangeError('an ensemble cannot be a member of itself');
    return { name, create: () => createForecaster(name, options) };
  });
}

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

/** A new, unfitted model with its default hyperparameters (ensemble members may be chosen). */
export function createForecaster(name: ModelName, options: CreateOptions = {}): Forecaster {
  switch (name) {
    case 'naive': return new NaiveForecaster();
    case 'snaive': return new SeasonalNaiveForecaster();
    case 'arima': return new ArimaForecaster({ conditionMode: options.scheduledRetraining === true ? 'filter' : 'refit' });
    case 'lstm': return new LstmForecaster();
    case 'ses': return new SesForecaster();
    case 'ensemble': return new EnsembleForecaster({ members: memberSpecs(options.ensembleMembers, options) });
  }
}

/** Rebuild any model from its checkpoint; unknown kinds and damaged checkpoints fail loudly. */
export function loadForecaster(checkpoint: Checkpoint): Forecaster {
  const kind = checkpoint?.manifest?.kind;
  switch (kind) {
    case 'naive': return NaiveForecaster.fromCheckpoint(checkpoint);
    case 'snaive': return SeasonalNaiveForecaster.fromCheckpoint(checkpoint);
    case 'arima': return ArimaForecaster.fromCheckpoint(checkpoint);
    case 'lstm': return LstmForecaster.fromCheckpoint(checkpoint);
    case 'ses': return SesForecaster.fromCheckpoint(checkpoint);
    case 'ensemble': return EnsembleForecaster.fromCheckpoint(checkpoint, loadForecaster, memberSpecs(MODEL_NAMES.filter((n) => n !== 'ensemble')));
    case undefined: throw new CorruptCheckpointError('checkpoint manifest has no model kind');
    default: throw new CheckpointFormatError(`checkpoint holds an unknown model kind '${String(kind)}'`);
  }
}
