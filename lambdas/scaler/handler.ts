import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsClients } from '../common/clients.ts';
import { powertools, withPowertools } from '../common/powertools.ts';
import { startTfBackend } from '../common/runtime.ts';
import { scalerConfig } from './config.ts';
import { runScaler, type ScalerDeps, type ScalerSummary } from './runScaler.ts';

// Created once per cold start. A bad configuration fails the cold start with a message naming the variable.
const config = scalerConfig(process.env);
const tools = powertools('prescale-scaler');
const tfBackend = startTfBackend(import.meta.url);
const clients = awsClients(tools.tracer);
const deps: ScalerDeps = {
  config,
  logger: tools.logger,
  autoScaling: clients.autoScaling(),
  cloudWatch: clients.cloudWatch(),
  s3: clients.s3(),
  lambda: clients.lambda(),
};

/** EventBridge scheduled event: its `time` is the tick. */
async function lambdaHandler(event: { time?: string }): Promise<ScalerSummary> {
  await tfBackend;
  const nowSeconds = Math.floor((event.time === undefined ? Date.now() : Date.parse(event.time)) / 1000);
  const summary = await runScaler(nowSeconds, deps);
  tools.metrics.addMetric('GroupsScaled', MetricUnit.Count, summary.groups.length);
  tools.metrics.addMetric('GroupErrors', MetricUnit.Count, summary.errors.length);
  return summary;
}

export const handler = withPowertools(lambdaHandler, tools);
