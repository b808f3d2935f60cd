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
 * The SDK clients, each traced. A local endpoint (AWS_ENDPOINT_URL, as in the tests) serves S3
 * under paths, not virtual hosts; real S3 is addressed by virtual host.
 */
export function awsClients(
  tracer: Tracer,
  options: ClientOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
) {
  const config = { maxAttempts: options.maxAttempts ?? 4 };
  return {
    autoScaling: () => tracer.captureAWSv3Client(new AutoScalingClient(config)),
    cloudWatch: () => tracer.captureAWSv3Client(new CloudWatchClient(config)),
    s3: () =>
      tracer.captureAWSv3Client(new S3Client({ ...config, forcePathStyle: env.AWS_ENDPOINT_URL !== undefined })),
    lambda: () => tracer.captureAWSv3Client(new LambdaClient(config)),
  };
}
