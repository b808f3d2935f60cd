import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { startTfBackend } from '../shared/runtime.ts';
import { trainerConfig } from './config.ts';
import { runTrainer, type TrainerDeps, type TrainerSummary } from './runTrainer.ts';
import { ENV } from '../shared/env.ts';

// Created once per cold start; a bad configuration fails it with a message naming the variable.
const config = trainerConfig(process.env);
const logger = new Logger({ serviceName: 'prescale-trainer' });
const tfBackend = startTfBackend(import.meta.url);
const metrics = new Metrics({ namespace: process.env[ENV.namespace] ?? 'Prescale', serviceName: 'prescale-trainer' });
const tracer = new Tracer({ serviceName: 'prescale-trainer' });
const clientConfig = { maxAttempts: 4 };
const deps: TrainerDeps = {
  config, logger,
  autoScaling: tracer.captureAWSv3Client(new AutoScalingClient(clientConfig)),
  cloudWatch: tracer.captureAWSv3Client(new CloudWatchClient(clientConfig)),
  s3: tracer.captureAWSv3Client(new S3Client({ ...clientConfig, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined })),
};

/** The daily schedule (an EventBridge event) retrains every group; `{ "group": "name" }` retrains one now. */
async function lambdaHandler(event: { group?: string; time?: string }): Promise<TrainerSummary> {
  await tfBackend;
  const nowSeconds = Math.floor((event.time === undefined ? Date.now() : Date.parse(event.time)) / 1000);
  const summary = await runTrainer(nowSeconds, typeof event.group === 'string' ? event.group : undefined, deps);
  metrics.addMetric('ModelsPromoted', MetricUnit.Count, summary.groups.filter((g) => g.promoted).length);
  metrics.addMetric('TrainingErrors', MetricUnit.Count, summary.errors.length);
  return summary;
}

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer));
