import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { abReportConfig } from './config.ts';
import { runAbReport, type AbReportDeps } from './runAbReport.ts';
import { ENV } from '../shared/env.ts';

const logger = new Logger({ serviceName: 'prescale-ab-report' });
const tracer = new Tracer({ serviceName: 'prescale-ab-report' });
const metrics = new Metrics({ namespace: process.env[ENV.namespace] ?? 'Prescale', serviceName: 'prescale-ab-report' });
const deps: AbReportDeps = {
  config: abReportConfig(process.env), logger,
  cloudWatch: tracer.captureAWSv3Client(new CloudWatchClient({ maxAttempts: 4 })),
  s3: tracer.captureAWSv3Client(new S3Client({ maxAttempts: 4, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined })),
};

async function lambdaHandler(event: { time?: string }): Promise<{ keys: string[] }> {
  const nowSeconds = Math.floor((event.time === undefined ? Date.now() : Date.parse(event.time)) / 1000);
  const { keys } = await runAbReport(nowSeconds, deps);
  metrics.addMetric('AbReportsWritten', MetricUnit.Count, 1);
  return { keys };
}

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
