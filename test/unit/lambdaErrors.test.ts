import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { GroupNotFoundError } from '../../lambdas/adapters/errors.ts';
import { BadParameterError, InsufficientDataError } from '../../lambdas/predict/errors.ts';
import { errorResponse } from '../../lambdas/predict/httpErrors.ts';
import { isServiceUnavailable } from '../../lambdas/common/errors.ts';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const status = (error: unknown) => errorResponse(error, logger).statusCode;

describe('errors are classified by type, never by message', () => {
  it('maps each error type to its status', () => {
    expect(status(new BadParameterError('horizon', 'bad horizon'))).toBe(400);
    expect(JSON.parse(errorResponse(new BadParameterError('horizon', 'bad'), logger).body)).toEqual({
      error: 'bad',
      parameter: 'horizon',
    });
    expect(status(new GroupNotFoundError('g'))).toBe(404);
    expect(status(new InsufficientDataError('two days needed'))).toBe(422);
    expect(
      status(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } })),
    ).toBe(503);
    expect(
      status(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })),
    ).toBe(503);
    expect(status(new RangeError('a bug'))).toBe(500);
  });

  it('does not read messages: a bug whose message mentions a socket is still a 500', () => {
    expect(isServiceUnavailable(new Error('ECONNREFUSED socket Timeout'))).toBe(false);
    expect(status(new Error('ETIMEDOUT'))).toBe(500);
  });

  it('follows the cause chain the SDK wraps socket errors in', () => {
    const socket = Object.assign(new Error('connect'), { code: 'ECONNRESET' });
    expect(isServiceUnavailable(new Error('outer', { cause: new Error('middle', { cause: socket }) }))).toBe(true);
    expect(isServiceUnavailable(Object.assign(new Error('gave up'), { name: 'TimeoutError' }))).toBe(true);
    expect(isServiceUnavailable(undefined)).toBe(false);
  });

  it('never returns a stack trace or an internal message', () => {
    const body = errorResponse(new Error('secret internal detail\n    at foo (bar.ts:1:1)'), logger).body;
    expect(body).not.toMatch(/secret|\n\s+at /);
  });
});
