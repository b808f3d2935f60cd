import type { Logger } from '@aws-lambda-powertools/logger';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ForecastPolicy } from '../../models/policy/decide.ts';
import middy from '@middy/core';
import { AsgCapacityTarget } from '../adapters/AsgCapacityTarget.ts';
import { CloudWatchMetricSource, type ConfiguredMetric } from '../adapters/CloudWatchMetricSource.ts';
import { S3CheckpointStore } from '../adapters/S3CheckpointStore.ts';
import { BadParameterError, MethodNotAllowedError, NoSuchPathError } from './errors.ts';
import { forecastGroup, HORIZONS, type HorizonName } from './forecastGroup.ts';
import { httpErrors, jsonResponse } from './httpErrors.ts';

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

/**
 * `GET /health` and `GET /forecast?group=NAME&horizon=1h|6h|1d|7d|30d`. A bad request throws a
 * RequestError saying its status; `httpErrors` turns every error into a response.
 */
export async function route(event: UrlEvent, nowSeconds: number, deps: PredictDeps): Promise<UrlResponse> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? '/';
  if (method !== 'GET') throw new MethodNotAllowedError(method);
  if (path === '/health') return jsonResponse(200, { status: 'ok' });
  if (path !== '/forecast') throw new NoSuchPathError(path);

  const query = event.queryStringParameters ?? {};
  const group = query.group;
  if (group === undefined || !/^[\w.\-:/ ]{1,255}$/.test(group)) {
    throw new BadParameterError(
      'group',
      `query parameter 'group' must name an Auto Scaling group, got ${group === undefined ? 'nothing' : `'${group}'`}`,
    );
  }
  const horizon = query.horizon ?? '1h';
  if (!(horizon in HORIZONS)) {
    throw new BadParameterError(
      'horizon',
      `query parameter 'horizon' must be one of ${Object.keys(HORIZONS).join(', ')}, got '${horizon}'`,
    );
  }
  await new AsgCapacityTarget({ autoScaling: deps.autoScaling }).read(group);
  const metrics = new CloudWatchMetricSource({ client: deps.cloudWatch, load: deps.load });
  const store = new S3CheckpointStore({ client: deps.s3, bucket: deps.bucket, prefix: deps.checkpointPrefix });
  return jsonResponse(200, await forecastGroup(group, horizon as HorizonName, nowSeconds, deps.policy, metrics, store));
}

/** The prediction service as a middy handler: `route` with its errors answered by `httpErrors`. */
export function predictApp(deps: PredictDeps, nowSeconds: () => number, onResponse?: (statusCode: number) => void) {
  return middy(async (event: UrlEvent) => route(event, nowSeconds(), deps)).use(
    httpErrors({ logger: deps.logger, onResponse }),
  );
}
