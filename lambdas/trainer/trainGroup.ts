import { SeasonalNaiveForecaster } from '../../models/forecast/baselines.ts';
import { createForecaster } from '../../models/forecast/registry.ts';
import type { Forecaster } from '../../models/forecast/types.ts';
import type { CheckpointStore, MetricSource } from '../../models/ports.ts';
import { slice } from '../../models/series/types.ts';
import { fillGaps } from '../../models/series/fillGaps.ts';

const DAY = 86_400;
const STEP = 300;
/** Validation forecasts one hour ahead from every hour of the held-back day. */
const HORIZON = 12;

export interface TrainerSettings {
  /** Days of 5-minute history trained on. @default 14 */
  readonly historyDays: number;
  readonly seed: number;
}

export interface TrainOutcome {
  readonly group: string;
  readonly promoted: boolean;
  readonly version?: string;
  readonly reason: string;
  /** Mean absolute error over the held-back day: the new model's and seasonal naive's. */
  readonly validationMae?: number;
  readonly snaiveMae?: number;
  readonly trainSeconds: number;
}

/**
 * Retrain one group: fetch the history, train the ensemble on all but the most recent day and
 * forecast that day an hour at a time; if it does at least as well as seasonal naive there,
 * retrain on the whole history (continuing from the validated weights) and promote it,
 * otherwise keep the promoted version and say why.
 */
export async function trainGroup(
  group: string,
  nowSeconds: number,
  settings: TrainerSettings,
  metrics: MetricSource,
  store: CheckpointStore,
  clockMs: () => number,
): Promise<TrainOutcome> {
  const started = clockMs();
  const end = Math.floor(nowSeconds / STEP) * STEP;
  const raw = await metrics.fetchLoad(group, {
    startSeconds: end - settings.historyDays * DAY,
    endSeconds: end,
    stepSeconds: STEP,
  });
  const history = fillGaps(raw);
  const elapsed = () => (clockMs() - started) / 1000;
  if (history === undefined || history.values.length < (3 * DAY) / STEP) {
    return {
      group,
      promoted: false,
      reason: `insufficient history: ${history?.values.length ?? 0} 5-minute points, training needs 3 days (${(3 * DAY) / STEP})`,
      trainSeconds: elapsed(),
    };
  }
  const split = history.values.length - DAY / STEP;
  const candidate = await createForecaster('ensemble', { scheduledRetraining: true }).fit(slice(history, 0, split), {
    seed: settings.seed,
  });
  const baseline = new SeasonalNaiveForecaster();
  let modelAbs = 0,
    naiveAbs = 0,
    n = 0;
  for (let origin = split; origin + HORIZON <= history.values.length; origin += HORIZON) {
    const window = slice(history, Math.max(0, origin - (settings.historyDays * DAY) / STEP), origin);
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
      group,
      promoted: false,
      validationMae,
      snaiveMae,
      trainSeconds: elapsed(),
      reason: `kept the promoted version: the new model's MAE on the last day (${validationMae.toFixed(2)}) lost to seasonal naive (${snaiveMae.toFixed(2)})`,
    };
  }
  const model: Forecaster = await createForecaster('ensemble', { scheduledRetraining: true }).fit(history, {
    seed: settings.seed,
    warmStart: candidate,
  });
  const version = await store.save(group, withValidation(model, validationMae, snaiveMae));
  await store.promote(group, version);
  return {
    group,
    promoted: true,
    version,
    validationMae,
    snaiveMae,
    trainSeconds: elapsed(),
    reason: `promoted ${version}: MAE on the last day ${validationMae.toFixed(2)} vs seasonal naive ${snaiveMae.toFixed(2)}`,
  };
}

function withValidation(model: Forecaster, mae: number, snaiveMae: number) {
  const checkpoint = model.toCheckpoint();
  return {
    ...checkpoint,
    manifest: {
      ...checkpoint.manifest,
      validation: { ...checkpoint.manifest.validation, 'lastDay.mae': mae, 'lastDay.snaiveMae': snaiveMae },
    },
  };
}
