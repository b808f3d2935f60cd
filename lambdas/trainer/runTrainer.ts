import type { Logger } from '@aws-lambda-powertools/logger';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import { CloudWatchMetricSource } from '../adapters/CloudWatchMetricSource.ts';
import { discoverGroups } from '../adapters/discoverGroups.ts';
import { S3CheckpointStore } from '../adapters/S3CheckpointStore.ts';
import type { TrainerConfig } from './config.ts';
import { trainGroup, type TrainOutcome } from './trainGroup.ts';

export interface TrainerDeps {
  readonly config: TrainerConfig;
  readonly autoScaling: AutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
  readonly s3: S3Client;
  readonly logger: Logger;
}

export interface TrainerSummary {
  readonly groups: readonly TrainOutcome[];
  readonly errors: readonly { readonly group: string; readonly error: string }[];
}

/** Retrain one group (on demand, `{ group }`) or every managed group (the daily schedule), one at a time. */
export async function runTrainer(
  nowSeconds: number,
  only: string | undefined,
  deps: TrainerDeps,
): Promise<TrainerSummary> {
  const { config, logger } = deps;
  const metrics = new CloudWatchMetricSource({ client: deps.cloudWatch, load: config.load });
  const store = new S3CheckpointStore({
    client: deps.s3,
    bucket: config.bucket,
    prefix: config.checkpointPrefix,
    keep: config.keepVersions,
  });
  const groups =
    only !== undefined
      ? [only]
      : [...new Set([...config.groups, ...(await discoverGroups(deps.autoScaling, config.discoveryTag))])];
  const outcomes: TrainOutcome[] = [];
  const errors: { group: string; error: string }[] = [];
  for (const group of groups) {
    try {
      const outcome = await trainGroup(
        group,
        nowSeconds,
        { historyDays: config.historyDays, seed: config.seed },
        metrics,
        store,
        () => performance.now(),
      );
      outcomes.push(outcome);
      logger.info('training', { ...outcome });
      if (outcome.promoted) await store.prune(group);
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      errors.push({ group, error: text });
      logger.error('training failed; the promoted version stays', { group, error: text });
    }
  }
  return { groups: outcomes, errors };
}
