import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { IamEvaluator } from './IamEvaluator.ts';
import { recordIam, type RecordableClient } from './recordIam.ts';
import { rolePolicies, type IamBinding } from './rolePolicies.ts';
import { S3MissingKeyProxy, type RefusedRead } from './S3MissingKeyProxy.ts';
import { summarizeIam } from './summarizeIam.ts';
import type { IamCall, IamSummary, RoleName, RolePolicy } from './types.ts';

/**
 * Which s3:ListBucket request decides between 404 and 403 for a missing key. The GetObject API
 * reference says only "if you have the s3:ListBucket permission on the bucket". Read literally,
 * 'without-prefix' asks for ListBucket in a request with no s3:prefix, so a statement
 * conditioned on s3:prefix does not count. 'key-as-prefix' sets s3:prefix to the requested key,
 * as Ceph RGW does "to match aws behavior" (ceph/ceph#68577, with the s3-tests case
 * test_head_object_404_with_policy_prefix). A grant that gives 404s under both is safe either way.
 */
export type MissingKeyRule = 'without-prefix' | 'key-as-prefix';

export interface IamCheckProps {
  /** The local endpoint (moto) behind the missing-key proxy. */
  readonly endpoint: string;
  readonly binding: IamBinding;
  /** Settings of the Lambdas' clients (region, credentials, retries); the endpoint is the proxy's. */
  readonly clientConfig: {
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
    readonly maxAttempts?: number;
  };
  /** @default 'without-prefix', the stricter reading */
  readonly missingKeyRule?: MissingKeyRule;
  /** Changes a role's synthesized policies before use; a test removes a statement to see the check fail. @default none */
  readonly editPolicies?: (role: RoleName, policies: readonly RolePolicy[]) => readonly RolePolicy[];
}

/** The clients a Lambda's code is given, each recorded as the Lambda's role and sent through the proxy. */
export interface RoleClients {
  readonly autoScaling: AutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
}

/**
 * IAM on every call: record what the Lambdas' clients call, decide each call against the role
 * policies the construct synthesizes, and answer missing S3 keys as AWS would for that role.
 * Attach it to the clients the Lambda code uses, never to those that set up fixtures.
 */
export class IamCheck {
  readonly calls: IamCall[] = [];
  private readonly created: { destroy(): void }[] = [];

  private constructor(
    private readonly props: IamCheckProps,
    readonly evaluator: IamEvaluator,
    private readonly proxy: S3MissingKeyProxy,
  ) {}

  static async start(props: IamCheckProps): Promise<IamCheck> {
    const evaluator = new IamEvaluator((role) => {
      const synthesized = rolePolicies(props.binding, role);
      return props.editPolicies?.(role, synthesized) ?? synthesized;
    }, props.binding.account);
    const rule = props.missingKeyRule ?? 'without-prefix';
    const proxy = await S3MissingKeyProxy.start({
      target: props.endpoint,
      mayList: async (role, bucket, key) =>
        (
          await evaluator.decide(
            role,
            's3:ListBucket',
            `arn:aws:s3:::${bucket}`,
            rule === 'key-as-prefix' ? { 's3:prefix': key } : {},
          )
        ).allowed,
    });
    return new IamCheck(props, evaluator, proxy);
  }

  /** The proxy's endpoint, for clients built elsewhere and recorded with `record`. */
  get endpoint(): string {
    return this.proxy.endpoint;
  }

  /** Missing keys answered 403 AccessDenied because the role may not list the bucket. */
  get refused(): readonly RefusedRead[] {
    return this.proxy.refused;
  }

  /** Record `client`'s calls as `role`'s. */
  record<C extends RecordableClient>(client: C, role: RoleName): C {
    return recordIam(client, role, this.calls, { account: this.props.binding.account });
  }

  /** New clients for a Lambda, recorded as `role` and pointed at the proxy; destroyed by `stop`. */
  clientsFor(role: RoleName): RoleClients {
    const config = { ...this.props.clientConfig, endpoint: this.proxy.endpoint };
    const clients = {
      autoScaling: this.record(new AutoScalingClient(config), role),
      cloudWatch: this.record(new CloudWatchClient(config), role),
      s3: this.record(new S3Client({ ...config, forcePathStyle: true }), role),
      lambda: this.record(new LambdaClient(config), role),
    };
    this.created.push(...Object.values(clients));
    return clients;
  }

  /** Every call so far, decided: `{ calls, denied, deniedCalls }`. */
  summary(): Promise<IamSummary> {
    return summarizeIam(this.calls, this.evaluator);
  }

  /** The distinct IAM actions recorded so far, sorted. */
  actions(): string[] {
    return [...new Set(this.calls.map((c) => c.request?.action ?? `${c.client} ${c.command}`))].sort();
  }

  async stop(): Promise<void> {
    for (const c of this.created) c.destroy();
    await this.proxy.stop();
  }
}
