import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { startTfBackend } from '../shared/runtime.ts';
import { scalerConfig } from './config.ts';
import { runScaler, type ScalerDeps, type ScalerSummary } from './runScaler.ts';

// Created once per cold start. A bad configuration fails the cold start with a message naming the variable.
const config = scalerConfig(process.env);
const logger = new Logger({ serviceName: 'prescale-scaler' });
const tfBackend = startTfBackend(import.meta.url);
const metrics = new Metrics({ namespace: config.namespace, serviceName: 'prescale-scaler' });
const tracer = new Tracer({ serviceName: 'prescale-scaler' });
const clientConfig = { maxAttempts: 4 };
const deps: ScalerDeps = {
  config, logger,
  autoScaling: tracer.captureAWSv3Client(new AutoScalingClient(clientConfig)),
  cloudWatch: tracer.captureAWSv3Client(new CloudWatchClient(clientConfig)),
  s3: tracer.captureAWSv3Client(new S3Client({ ...clientConfig, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined })),
  lambda: tracer.captureAWSv3Client(new LambdaClient(clientConfig)),
};

/** EventBridge scheduled event: its `time` is the tick. */
async function lambdaHandler(event: { time?: string }): Promise<ScalerSummary> {
  await tfBackend;
  const nowSeconds = Math.floor((event.time === undefined ? Date.now() : Date.parse(event.time)) / 1000);
  const summary = await runScaler(nowSeconds, deps);
  metrics.addMetric('GroupsScaled', MetricUnit.Count, summary.groups.length);
  metrics.addMetric('GroupErrors', MetricUnit.Count, summary.errors.length);
  return summary;
}

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer));
