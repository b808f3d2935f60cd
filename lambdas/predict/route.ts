import type { Logger } from '@aws-lambda-powertools/logger';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ForecastPolicy } from '../../models/policy/decide.ts';
import { AsgCapacityTarget, GroupNotFoundError } from '../adapters/AsgCapacityTarget.ts';
import { CloudWatchMetricSource, type ConfiguredMetric } from '../adapters/CloudWatchMetricSource.ts';
import { S3CheckpointStore } from '../adapters/S3CheckpointStore.ts';
import { forecastGroup, HORIZONS, InsufficientDataError, type HorizonName } from './forecastGroup.ts';

/** The part of a Function URL (payload 2.0) event the service reads. */
export interface UrlEvent {
  readonly rawPath?: string;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

export interface UrlResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface PredictDeps {
  readonly autoScaling: AutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly checkpointPrefix: string;
  readonly load: 'total-cpu' | ConfiguredMetric;
  readonly policy: ForecastPolicy;
  readonly logger: Logger;
}

const json = (statusCode: number, body: unknown): UrlResponse => ({
  statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

/**
 * `GET /health` and `GET /forecast?group=NAME&horizon=1h|6h|1d|7d|30d`. A bad parameter is a
 * 400 naming it, an unknown group a 404, an AWS failure a 503; no stack trace ever leaves.
 */
export async function route(event: UrlEvent, nowSeconds: number, deps: PredictDeps): Promise<UrlResponse> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? '/';
  if (method !== 'GET') return json(405, { error: `method ${method} not allowed; use GET` });
  if (path === '/health') return json(200, { status: 'ok' });
  if (path !== '/forecast') return json(404, { error: `no such path '${path}'; try /forecast or /health` });

  const query = event.queryStringParameters ?? {};
  const group = query.group;
  if (group === undefined || !/^[\w.\-:/ ]{1,255}$/.test(group)) {
    return json(400, { error: `query parameter 'group' must name an Auto Scaling group, got ${group === undefined ? 'nothing' : `'${group}'`}`, parameter: 'group' });
  }
  const horizon = query.horizon ?? '1h';
  if (!(horizon in HORIZONS)) {
    return json(400, { error: `query parameter 'horizon' must be one of ${Object.keys(HORIZONS).join(', ')}, got '${horizon}'`, parameter: 'horizon' });
  }
  try {
    await new AsgCapacityTarget({ autoScaling: deps.autoScaling }).read(group);
    const metrics = new CloudWatchMetricSource({ client: deps.cloudWatch, load: deps.load });
    const store = new S3CheckpointStore({ client: deps.s3, bucket: deps.bucket, prefix: deps.checkpointPrefix });
    return json(200, await forecastGroup(group, horizon as HorizonName, nowSeconds, deps.policy, metrics, store));
  } catch (error) {
    if (error instanceof GroupNotFoundError) return json(404, { error: error.message });
    if (error instanceof InsufficientDataError) return json(422, { error: error.message });
    const name = error instanceof Error ? error.name : 'Error';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    deps.logger.error('forecast failed', { group, horizon, error: error instanceof Error ? error.message : String(error) });
    if (status !== undefined || /ECONN|ETIMEDOUT|ENOTFOUND|socket|Timeout/i.test(`${name} ${(error as Error)?.message ?? ''}`)) {
      return json(503, { error: `an AWS service did not answer (${name}); try again` });
    }
    return json(500, { error: `forecast failed (${name})` });
  }
}
