import { SeasonalNaiveForecaster } from './baselines.ts';
import { createForecaster, type ModelName } from './registry.ts';
import type { Checkpoint, Forecaster } from './types.ts';
import type { RegularSeries } from '../series/types.ts';
import { slice } from '../series/types.ts';

const DAY = 86_400;
/** The trainer reads 5-minute load, as the scaler does. */
export const TRAINING_STEP_SECONDS = 300;
/** The shortest history the trainer trains on: two days to fit, one held back to validate. */
export const MIN_TRAINING_DAYS = 3;
/** Validation forecasts one hour ahead from every hour of the held-back day. */
const HORIZON = 12;

export interface TrainingSettings {
  /** Days of history a validation window reaches back (the trainer's PRESCALE_HISTORY_DAYS). */
  readonly historyDays: number;
  readonly seed: number;
  /** @default 'ensemble', the production model */
  readonly model?: ModelName;
  /** Makes each new, unfitted model instead of `model` (tests use tiny ones). */
  readonly createModel?: () => Forecaster;
}

/** What a training decided: a checkpoint to promote, or why the promoted version stays. */
export type TrainingResult =
  | {
      readonly promoted: true;
      readonly checkpoint: Checkpoint;
      readonly validationMae: number;
      readonly snaiveMae: number;
      readonly reason: string;
    }
  | {
      readonly promoted: false;
      readonly validationMae?: number;
      readonly snaiveMae?: number;
      readonly reason: string;
    };

/**
 * The trainer's procedure, the one the trainer Lambda runs and the experiment replays: train on
 * all but the most recent day and forecast that day an hour at a time; if that does at least as
 * well as seasonal naive, train on the whole history (continuing from the validated weights) and
 * return its checkpoint for promotion, otherwise say why the promoted version stays.
 */
export async function trainForPromotion(
  history: RegularSeries | undefined,
  settings: TrainingSettings,
): Promise<TrainingResult> {
  const needed = (MIN_TRAINING_DAYS * DAY) / TRAINING_STEP_SECONDS;
  if (history === undefined || history.values.length < needed) {
    return {
      promoted: false,
      reason: `insufficient history: ${history?.values.length ?? 0} 5-minute points, training needs ${MIN_TRAINING_DAYS} days (${needed})`,
    };
  }
  const create = () =>
    settings.createModel?.() ?? createForecaster(settings.model ?? 'ensemble', { scheduledRetraining: true });
  const split = history.values.length - DAY / history.stepSeconds;
  const candidate = await create().fit(slice(history, 0, split), { seed: settings.seed });
  const baseline = new SeasonalNaiveForecaster();
  let modelAbs = 0,
    naiveAbs = 0,
    n = 0;
  for (let origin = split; origin + HORIZON <= history.values.length; origin += HORIZON) {
    const window = slice(history, Math.max(0, origin - (settings.historyDays * DAY) / history.stepSeconds), origin);
    const ours = (await candidate.condition(window)).predict(HORIZON, [80]).mean;
    const naive = (await baseline.fit(window)).predict(HORIZON, [80]).mean;
    for (let h = 0; h < HORIZON; h++) {
      const actual = history.values[origin + h];
      modelAbs += Math.abs(actual - ours[h]);
      naiveAbs += Math.abs(actual - naive[h]);
      n++;
    }
  }
  const validationMae = modelAbs / n;
  const snaiveMae = naiveAbs / n;
  if (validationMae > snaiveMae) {
    return {
      promoted: false,
      validationMae,
      snaiveMae,
      reason: `kept the promoted version: the new model's MAE on the last day (${validationMae.toFixed(2)}) lost to seasonal naive (${snaiveMae.toFixed(2)})`,
    };
  }
  const model = await create().fit(history, { seed: settings.seed, warmStart: candidate });
  const checkpoint = model.toCheckpoint();
  return {
    promoted: true,
    checkpoint: {
      ...checkpoint,
      manifest: {
        ...checkpoint.manifest,
        validation: { ...checkpoint.manifest.validation, 'lastDay.mae': validationMae, 'lastDay.snaiveMae': snaiveMae },
      },
    },
    validationMae,
    snaiveMae,
    reason: `MAE on the last day ${validationMae.toFixed(2)} vs seasonal naive ${snaiveMae.toFixed(2)}`,
  };
}
