import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsClients } from '../common/clients.ts';
import { powertools, withPowertools } from '../common/powertools.ts';
import { abReportConfig } from './config.ts';
import { runAbReport, type AbReportDeps } from './runAbReport.ts';

const tools = powertools('prescale-ab-report');
const clients = awsClients(tools.tracer);
const deps: AbReportDeps = {
  config: abReportConfig(process.env),
  logger: tools.logger,
  cloudWatch: clients.cloudWatch(),
  s3: clients.s3(),
};

async function lambdaHandler(event: { time?: string }): Promise<{ keys: string[] }> {
  const nowSeconds = Math.floor((event.time === undefined ? Date.now() : Date.parse(event.time)) / 1000);
  const { keys } = await runAbReport(nowSeconds, deps);
  tools.metrics.addMetric('AbReportsWritten', MetricUnit.Count, 1);
  return { keys };
}

export const handler = withPowertools(lambdaHandler, tools);
