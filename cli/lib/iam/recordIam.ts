import { iamRequestOf, type Where } from './iamRequestOf.ts';
import type { IamCall, IamRequest, RoleName } from './types.ts';

/**
 * The header that tells the missing-key proxy (S3MissingKeyProxy.ts) which role is calling. The
 * recorder adds it to every request of a recorded client; the proxy strips it before forwarding.
 */
export const ROLE_HEADER = 'x-prescale-iam-role';

/**
 * What the recorder needs of an SDK v3 client; every `@aws-sdk/client-*` client has it. The
 * stack's `add` is overloaded per step and typed per service: `never` accepts them all.
 */
export interface RecordableClient {
  readonly middlewareStack: { add(...args: never[]): void };
  readonly config: { region: string | (() => Promise<string>) };
}

export interface RecordIamOptions {
  /** The account the calls are authorized in. @default '123456789012' (moto's) */
  readonly account?: string;
}

interface HandlerContext {
  readonly clientName?: string;
  readonly commandName?: string;
}
type Next = (args: { input: Record<string, unknown>; request?: unknown }) => Promise<{ output?: unknown }>;

/**
 * Record every call `client` makes as `role`'s into `log`: the IAM action, resources and
 * condition keys (iamRequestOf.ts), then the HTTP status or error it ended with. Returns the
 * client, so `recordIam(new S3Client(config), 'scaler', log)` reads as one expression.
 */
export function recordIam<C extends RecordableClient>(
  client: C,
  role: RoleName,
  log: IamCall[],
  options: RecordIamOptions = {},
): C {
  const account = options.account ?? '123456789012';
  const recordCall = (next: Next, context: HandlerContext) =>
    async function recordIamCall(args: Parameters<Next>[0]) {
      const where: Where = { region: await regionOf(client), account };
      const clientName = context.clientName ?? 'unknown client';
      const command = context.commandName ?? 'unknown command';
      let request: IamRequest | undefined;
      let mappingError: string | undefined;
      try {
        request = iamRequestOf(clientName, command, args.input, where);
      } catch (error) {
        mappingError = error instanceof Error ? error.message : String(error);
      }
      const call: IamCall = { role, client: clientName, command, request, mappingError };
      log.push(call);
      try {
        const result = await next(args);
        call.httpStatus = (result.output as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
        return result;
      } catch (error) {
        call.errorName = (error as { name?: string }).name;
        call.httpStatus = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        throw error;
      }
    };
  const tagRole = (next: Next) =>
    async function tagIamRole(args: Parameters<Next>[0]) {
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers !== undefined) request.headers[ROLE_HEADER] = role;
      return next(args);
    };
  // Initialize runs once per call, outside the retries; build sees the HTTP request before it is signed.
  const add = client.middlewareStack.add.bind(client.middlewareStack) as (
    middleware: unknown,
    options: { step: 'initialize' | 'build'; name: string; override: boolean },
  ) => void;
  add(recordCall, { step: 'initialize', name: 'prescaleIamRecorder', override: true });
  add(tagRole, { step: 'build', name: 'prescaleIamRoleHeader', override: true });
  return client;
}

async function regionOf(client: RecordableClient): Promise<string> {
  const region = client.config.region;
  return typeof region === 'string' ? region : region();
}
