import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { AsgCapacityTarget, CONFIGURED_MIN_TAG } from '../adapters/AsgCapacityTarget.ts';
import { CloudWatchMetricSource } from '../adapters/CloudWatchMetricSource.ts';
import { CloudWatchPublisher } from '../adapters/CloudWatchPublisher.ts';
import { discoverGroups, groupsWithTagKey } from '../adapters/discoverGroups.ts';
import { S3CheckpointStore } from '../adapters/S3CheckpointStore.ts';
import { LambdaRetrainRequester } from '../adapters/LambdaRetrainRequester.ts';
import { S3DriftStateStore } from '../adapters/S3DriftStateStore.ts';
import { S3TickLock } from '../adapters/S3TickLock.ts';
import type { ScalerConfig } from './config.ts';
import { scaleGroup, type GroupOutcome, type ScalerPorts } from './scaleGroup.ts';

/** What one invocation did; also the handler's return value. */
export interface ScalerSummary {
  readonly tickSeconds: number;
  readonly groups: readonly GroupOutcome[];
  readonly errors: readonly { readonly group: string; readonly error: string }[];
  /** Groups given back their configured minimum because prescale no longer manages them. */
  readonly released: readonly string[];
}

export interface ScalerDeps {
  readonly config: ScalerConfig;
  readonly autoScaling: AutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
  readonly s3: S3Client;
  /** Invokes the trainer when a group drifts. */
  readonly lambda?: LambdaClient;
  readonly logger: Logger;
}

/**
 * One scaler tick over every managed group, a few at a time: each group's story is in
 * `scaleGroup`; here we find the groups, run them, publish what each saw and did, and log one
 * decision line per group. A group's failure is logged and counted, never thrown: the other
 * groups still scale, and nothing is applied for the failed one.
 */
export async function runScaler(nowSeconds: number, deps: ScalerDeps): Promise<ScalerSummary> {
  const { config, logger } = deps;
  const capacity = new AsgCapacityTarget({
    autoScaling: deps.autoScaling,
    cloudWatch: deps.cloudWatch,
    scaleOutAlarmName: config.scaleOutAlarmName,
  });
  const lock = new S3TickLock(deps.s3, config.bucket);
  const owner = randomUUID();
  const ports: ScalerPorts = {
    metrics: new CloudWatchMetricSource({ client: deps.cloudWatch, load: config.load }),
    checkpoints: new S3CheckpointStore({ client: deps.s3, bucket: config.bucket, prefix: config.checkpointPrefix }),
    capacity,
    claimTick: (group, tick) => lock.claim(group, tick, owner),
    driftState: new S3DriftStateStore(deps.s3, config.bucket),
    requestRetrain:
      config.trainerFunction === undefined || deps.lambda === undefined
        ? undefined
        : (group) =>
            new LambdaRetrainRequester(deps.lambda as LambdaClient, config.trainerFunction as string).request(group),
  };
  const publisher = new CloudWatchPublisher(deps.cloudWatch, config.namespace);
  const tickSeconds = Math.floor(nowSeconds / config.policy.tickSeconds) * config.policy.tickSeconds;
  const errors: { group: string; error: string }[] = [];
  let groups: string[];
  try {
    groups = [...new Set([...config.groups, ...(await discoverGroups(deps.autoScaling, config.discoveryTag))])];
  } catch (error) {
    groups = [...config.groups];
    errors.push({ group: '*', error: `group discovery failed: ${message(error)}` });
  }
  const outcomes: GroupOutcome[] = [];
  await inBatches(groups, config.concurrency, async (group) => {
    try {
      const outcome = await scaleGroup(group, nowSeconds, config, ports);
      outcomes.push(outcome);
      logger.info('decision', { ...outcome });
      await publisher.publish(group, tickSeconds, metricsOf(outcome)).catch((error: unknown) => {
        errors.push({ group, error: `publishing metrics failed: ${message(error)}` });
      });
    } catch (error) {
      errors.push({ group, error: message(error) });
      logger.error('group failed; nothing applied', { group, error: message(error) });
      await publisher.publish(group, tickSeconds, { Errors: 1 }).catch(() => undefined);
    }
  });
  const released = await releaseUnmanaged(groups, capacity, deps, errors);
  return { tickSeconds, groups: outcomes, errors, released };
}

/**
 * Groups prescale once managed (they carry the configured-minimum tag) but no longer does get
 * their own minimum back: switching prescale off for a group is untagging or unlisting it.
 */
async function releaseUnmanaged(
  managed: readonly string[],
  capacity: AsgCapacityTarget,
  deps: ScalerDeps,
  errors: { group: string; error: string }[],
): Promise<string[]> {
  if (deps.config.mode !== 'forecast-and-scale') return [];
  let tagged: string[];
  try {
    tagged = await groupsWithTagKey(deps.autoScaling, CONFIGURED_MIN_TAG);
  } catch (error) {
    errors.push({ group: '*', error: `listing groups to release failed: ${message(error)}` });
    return [];
  }
  const released: string[] = [];
  for (const group of tagged.filter((g) => !managed.includes(g))) {
    try {
      await capacity.release(group);
      released.push(group);
      deps.logger.info('released: prescale no longer manages this group; its configured minimum is restored', {
        group,
      });
    } catch (error) {
      errors.push({ group, error: `release failed: ${message(error)}` });
    }
  }
  return released;
}

function metricsOf(o: GroupOutcome): Record<string, number> {
  return {
    LoadForecast: o.forecastMean ?? NaN,
    LoadForecastUpper: o.forecastUpper ?? NaN,
    RecommendedCapacity: o.decision?.recommendedCapacity ?? NaN,
    AppliedCapacity: o.appliedCapacity ?? NaN,
    ModelAgeHours: o.modelAgeHours ?? NaN,
    InsufficientHistory: o.insufficientHistory ? 1 : 0,
    FallbackModel: o.fallbackReason === undefined ? 0 : 1,
    ForecastMASE: o.forecastMase ?? NaN,
    RetrainRequested: o.drift !== undefined && !o.drift.includes('no trainer function') ? 1 : 0,
    Errors: 0,
  };
}

async function inBatches<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
