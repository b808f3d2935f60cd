import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { armMetrics, armRatios } from '../../models/experiment/abMetrics.ts';
import { gridOf } from '../adapters/metricGrid.ts';
import { collectArm, type Arm } from './collectArm.ts';
import { renderAbHtml, type AbReport } from './renderAbHtml.ts';

export interface AbReportConfig {
  readonly bucket: string;
  readonly prefix: string;
  readonly control: Arm;
  readonly treatment: Arm;
  readonly windowHours: number;
  readonly periodSeconds: number;
  readonly pricePerInstanceHour: number;
  readonly saturationCpuPct: number;
}

export interface AbReportDeps {
  readonly config: AbReportConfig;
  readonly cloudWatch: CloudWatchClient;
  readonly s3: S3Client;
  readonly logger: Logger;
}

/** Read both arms over the window, compute the harness's metrics where the data allows, write ab/<date>.json and .html. */
export async function runAbReport(
  nowSeconds: number,
  deps: AbReportDeps,
): Promise<{ keys: string[]; report: AbReport }> {
  const { config } = deps;
  const end = Math.floor(nowSeconds / config.periodSeconds) * config.periodSeconds;
  const grid = gridOf(end - config.windowHours * 3600, end, config.periodSeconds);
  const options = { pricePerInstanceHour: config.pricePerInstanceHour, saturationCpuPct: config.saturationCpuPct };
  const [control, treatment] = await Promise.all([
    collectArm(deps.cloudWatch, config.control, grid),
    collectArm(deps.cloudWatch, config.treatment, grid),
  ]);
  const c = armMetrics(control, options);
  const t = armMetrics(treatment, options);
  const notes = [
    `Under-provisioning is seen through its symptom: ${config.periodSeconds}-second periods with the group's average CPU at or above ${config.saturationCpuPct}%.`,
    ...(c.instanceHours === null
      ? [`No GroupInServiceInstances data for ${config.control.group}: enable group metrics collection.`]
      : []),
    ...(t.instanceHours === null
      ? [`No GroupInServiceInstances data for ${config.treatment.group}: enable group metrics collection.`]
      : []),
    ...(config.control.targetGroup === undefined
      ? ['No target groups configured: request, error and latency rows are empty.']
      : []),
  ];
  const report: AbReport = {
    windowStart: new Date(grid.startSeconds * 1000).toISOString(),
    windowEnd: new Date(end * 1000).toISOString(),
    control: { group: config.control.group, metrics: c },
    treatment: { group: config.treatment.group, metrics: t },
    ratios: armRatios(c, t),
    notes,
  };
  const date = report.windowEnd.slice(0, 10);
  const keys = [`${config.prefix}/${date}.json`, `${config.prefix}/${date}.html`];
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: config.bucket,
      Key: keys[0],
      Body: JSON.stringify(report, null, 2),
      ContentType: 'application/json',
    }),
  );
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: config.bucket,
      Key: keys[1],
      Body: renderAbHtml(report),
      ContentType: 'text/html; charset=utf-8',
    }),
  );
  deps.logger.info('A/B report written', { keys, ratios: report.ratios });
  return { keys, report };
}
