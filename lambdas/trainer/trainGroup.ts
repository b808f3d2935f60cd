import { historyWindow } from '../../models/forecast/scalerForecast.ts';
import { trainForPromotion } from '../../models/forecast/training.ts';
import type { CheckpointStore, MetricSource } from '../../models/ports.ts';
import { fillGaps } from '../../models/series/fillGaps.ts';

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
 * Retrain one group: fetch the history and run the trainer's procedure (`trainForPromotion`:
 * validated on the most recent day against seasonal naive); save and promote the new model when
 * it passes, otherwise keep the promoted version and say why.
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
  const raw = await metrics.fetchLoad(group, historyWindow(nowSeconds, settings.historyDays));
  const result = await trainForPromotion(fillGaps(raw), settings);
  const trainSeconds = (clockMs() - started) / 1000;
  if (!result.promoted) return { group, ...result, trainSeconds };
  const version = await store.save(group, result.checkpoint);
  await store.promote(group, version);
  return {
    group,
    promoted: true,
    version,
    validationMae: result.validationMae,
    snaiveMae: result.snaiveMae,
    trainSeconds: (clockMs() - started) / 1000,
    reason: `promoted ${version}: ${result.reason}`,
  };
}
