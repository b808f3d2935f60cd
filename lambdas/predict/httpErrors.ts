import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import { GroupNotFoundError } from '../adapters/errors.ts';
import { isServiceUnavailable } from '../common/errors.ts';
import { RequestError } from './errors.ts';
import type { UrlResponse } from './route.ts';

export const jsonResponse = (statusCode: number, body: unknown): UrlResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * The one place an error becomes an HTTP status: the request's own errors say theirs, an
 * unknown group is 404, an AWS service that failed or did not answer 503, anything else 500.
 * No stack trace and no internal message ever leaves.
 */
export function errorResponse(error: unknown, logger: Logger): UrlResponse {
  if (error instanceof RequestError) {
    return jsonResponse(
      error.statusCode,
      error.parameter === undefined ? { error: error.message } : { error: error.message, parameter: error.parameter },
    );
  }
  if (error instanceof GroupNotFoundError) return jsonResponse(404, { error: error.message });
  const name = error instanceof Error ? error.name : 'Error';
  logger.error('forecast failed', { error: error instanceof Error ? error.message : String(error), name });
  if (isServiceUnavailable(error))
    return jsonResponse(503, { error: `an AWS service did not answer (${name}); try again` });
  return jsonResponse(500, { error: `forecast failed (${name})` });
}

export interface HttpErrorsOptions {
  readonly logger: Logger;
  /** Told every response's status, errors included (for the request metrics). */
  readonly onResponse?: (statusCode: number) => void;
}

/** middy middleware: errors become JSON responses through `errorResponse`, unless a response is already set. */
export function httpErrors({ logger, onResponse }: HttpErrorsOptions): MiddlewareObj<unknown, UrlResponse> {
  return {
    after: async function httpErrorsAfter(request: Request<unknown, UrlResponse>) {
      if (request.response !== null && request.response !== undefined) onResponse?.(request.response.statusCode);
    },
    onError: async function httpErrorsOnError(request: Request<unknown, UrlResponse>) {
      if (request.response !== null && request.response !== undefined) return;
      request.response = errorResponse(request.error, logger);
      onResponse?.(request.response.statusCode);
    },
  };
}
