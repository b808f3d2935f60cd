import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import { optionalString } from './config.ts';
import { ENV } from './env.ts';

/** One Lambda's logger, metrics and tracer, created once per cold start. */
export interface Powertools {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/** Powertools for a service; metrics go to the namespace in PRESCALE_NAMESPACE (default 'Prescale'). */
export function powertools(
  serviceName: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Powertools {
  const namespace = optionalString(env, ENV.namespace, 'Prescale');
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace, serviceName }),
    tracer: new Tracer({ serviceName }),
  };
}

/** The handler wrapped as every prescale Lambda is: Lambda context in the logs, metrics flushed, the invocation traced. */
export function withPowertools<E, R>(handler: (event: E) => Promise<R>, tools: Powertools): MiddyfiedHandler<E, R> {
  return usePowertools(middy(handler), tools);
}

/** The same Powertools middleware on a handler that already has middleware of its own. */
export function usePowertools<E, R>(
  handler: MiddyfiedHandler<E, R>,
  { logger, metrics, tracer }: Powertools,
): MiddyfiedHandler<E, R> {
  return handler.use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(captureLambdaHandler(tracer));
}
