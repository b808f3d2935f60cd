import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import type { Tracer } from '@aws-lambda-powertools/tracer';

/** SDK client settings shared by every prescale Lambda. */
export interface ClientOptions {
  /** Attempts per call, the first included. @default 4 */
  readonly maxAttempts?: number;
}

/**
 * A process-wide hook called with every client the Lambdas create, for a harness that must see
 * their calls from outside a bundle (`prescale twin` records each one for the IAM check, as the
 * integration tests do with their own clients). Never set in AWS.
 */
export const CLIENT_HOOK = Symbol.for('prescale.clientHook');
type ClientHook = (client: unknown) => void;

function hooked<C>(client: C): C {
  (globalThis as { [CLIENT_HOOK]?: ClientHook })[CLIENT_HOOK]?.(client);
  return client;
}

/**
 * The SDK clients, each traced (and handed to CLIENT_HOOK when a harness set one). A local endpoint (AWS_ENDPOINT_URL, as in the tests) serves S3
 * under paths, not virtual hosts; real S3 is addressed by virtual host.
 */
export function awsClients(
  tracer: Tracer,
  options: ClientOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
) {
  const config = { maxAttempts: options.maxAttempts ?? 4 };
  return {
    autoScaling: () => hooked(tracer.captureAWSv3Client(new AutoScalingClient(config))),
    cloudWatch: () => hooked(tracer.captureAWSv3Client(new CloudWatchClient(config))),
    s3: () =>
      hooked(
        tracer.captureAWSv3Client(new S3Client({ ...config, forcePathStyle: env.AWS_ENDPOINT_URL !== undefined })),
      ),
    lambda: () => hooked(tracer.captureAWSv3Client(new LambdaClient(config))),
  };
}
