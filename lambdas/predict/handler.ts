import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsClients } from '../common/clients.ts';
import { optionalString, requiredString } from '../common/config.ts';
import { ENV } from '../common/env.ts';
import { powertools, usePowertools } from '../common/powertools.ts';
import { startTfBackend } from '../common/runtime.ts';
import { scalerConfig } from '../scaler/config.ts';
import { predictApp, type PredictDeps } from './route.ts';

// Created once per cold start. The service plans capacity with the scaler's policy settings.
const scaler = scalerConfig(process.env);
const tools = powertools('prescale-predict');
const tfBackend = startTfBackend(import.meta.url);
const clients = awsClients(tools.tracer, { maxAttempts: 3 });
const deps: PredictDeps = {
  autoScaling: clients.autoScaling(),
  cloudWatch: clients.cloudWatch(),
  s3: clients.s3(),
  bucket: requiredString(process.env, ENV.bucket),
  checkpointPrefix: optionalString(process.env, ENV.checkpointPrefix, 'checkpoints'),
  load: scaler.load,
  policy: scaler.policy,
  logger: tools.logger,
};

const countResponse = (statusCode: number) => {
  const name =
    statusCode < 400 ? 'ForecastRequests' : statusCode < 500 ? 'ForecastRequestsRejected' : 'ForecastRequestsFailed';
  tools.metrics.addMetric(name, MetricUnit.Count, 1);
};

export const handler = usePowertools(
  predictApp(deps, () => Math.floor(Date.now() / 1000), countResponse),
  tools,
).before(async () => {
  await tfBackend;
});
