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
import { optionalString, requiredString } from '../shared/config.ts';
import { scalerConfig } from '../scaler/config.ts';
import { route, type PredictDeps, type UrlEvent, type UrlResponse } from './route.ts';
import { ENV } from '../shared/env.ts';

// Created once per cold start. The service plans capacity with the scaler's policy settings.
const scaler = scalerConfig(process.env);
const logger = new Logger({ serviceName: 'prescale-predict' });
const tfBackend = startTfBackend(import.meta.url);
const tracer = new Tracer({ serviceName: 'prescale-predict' });
const metrics = new Metrics({ namespace: optionalString(process.env, ENV.namespace, 'Prescale'), serviceName: 'prescale-predict' });
const clientConfig = { maxAttempts: 3 };
const deps: PredictDeps = {
  autoScaling: tracer.captureAWSv3Client(new AutoScalingClient(clientConfig)),
  cloudWatch: tracer.captureAWSv3Client(new CloudWatchClient(clientConfig)),
  s3: tracer.captureAWSv3Client(new S3Client({ ...clientConfig, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined })),
  bucket: requiredString(process.env, ENV.bucket),
  checkpointPrefix: optionalString(process.env, ENV.checkpointPrefix, 'checkpoints'),
  load: scaler.load,
  policy: scaler.policy,
  logger,
};

async function lambdaHandler(event: UrlEvent): Promise<UrlResponse> {
  await tfBackend;
  const response = await route(event, Math.floor(Date.now() / 1000), deps);
  metrics.addMetric(response.statusCode < 400 ? 'ForecastRequests' : response.statusCode < 500 ? 'ForecastRequestsRejected' : 'ForecastRequestsFailed', MetricUnit.Count, 1);
  return response;
}

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
