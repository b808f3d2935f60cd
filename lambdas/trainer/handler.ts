import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsClients } from '../common/clients.ts';
import { powertools, withPowertools } from '../common/powertools.ts';
import { startTfBackend } from '../common/runtime.ts';
import { trainerConfig } from './config.ts';
import { runTrainer, type TrainerDeps, type TrainerSummary } from './runTrainer.ts';

// Created once per cold start; a bad configuration fails it with a message naming the variable.
const config = trainerConfig(process.env);
const tools = powertools('prescale-trainer');
const tfBackend = startTfBackend(import.meta.url);
const clients = awsClients(tools.tracer);
const deps: TrainerDeps = {
  config,
  logger: tools.logger,
  autoScaling: clients.autoScaling(),
  cloudWatch: clients.cloudWatch(),
  s3: clients.s3(),
};

/** The daily schedule (an EventBridge event) retrains every group; `{ "group": "name" }` retrains one now. */
async function lambdaHandler(event: { group?: string; time?: string }): Promise<TrainerSummary> {
  await tfBackend;
  const nowSeconds = Math.floor((event.time === undefined ? Date.now() : Date.parse(event.time)) / 1000);
  const summary = await runTrainer(nowSeconds, typeof event.group === 'string' ? event.group : undefined, deps);
  tools.metrics.addMetric('ModelsPromoted', MetricUnit.Count, summary.groups.filter((g) => g.promoted).length);
  tools.metrics.addMetric('TrainingErrors', MetricUnit.Count, summary.errors.length);
  return summary;
}

export const handler = withPowertools(lambdaHandler, tools);
