import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLIENT_HOOK } from '../../lambdas/common/clients.ts';
import type { IamCheck } from '../lib/iam/IamCheck.ts';
import type { RecordableClient } from '../lib/iam/recordIam.ts';
import type { RoleName } from '../lib/iam/types.ts';

/** A bundled handler as Lambda calls it. */
export type BundledHandler = (event: unknown, context: unknown) => Promise<unknown>;

export interface BundleSettings {
  /** The folder holding `<name>/index.mjs` (what `npm run bundle` writes, the zip's content). */
  readonly dir: string;
  /** The endpoint the Lambdas' clients call (the IAM check's proxy in front of the local endpoint). */
  readonly endpoint: string;
  readonly iam: IamCheck;
}

/**
 * The bundled Lambdas of one twin run, imported into this process as cold starts are: each
 * one's environment set first (a handler reads it once, at import), its SDK clients recorded as
 * its role for the IAM check through the clients' hook (lambdas/common/clients.ts), logs and
 * metrics silenced. A module stays loaded, so later invocations are warm ones, with the
 * scaler's model cache. The SDK reads the endpoint and the credentials when it first calls, so
 * they stay in the environment until `close()`.
 */
export class BundledLambdas {
  private readonly saved = { ...process.env };

  constructor(private readonly settings: BundleSettings) {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: settings.endpoint,
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
  }

  async load(
    name: 'scaler' | 'trainer',
    role: RoleName,
    env: Readonly<Record<string, string>>,
  ): Promise<(event: unknown) => Promise<unknown>> {
    const file = join(this.settings.dir, name, 'index.mjs');
    if (!existsSync(file)) throw new Error(`no bundled ${name} at ${file}: run 'npm run bundle' first`);
    const before = { ...process.env };
    Object.assign(process.env, { AWS_LAMBDA_FUNCTION_NAME: `prescale-${name}` }, env);
    const global = globalThis as { [CLIENT_HOOK]?: (client: unknown) => void };
    global[CLIENT_HOOK] = (client) => this.settings.iam.record(client as RecordableClient, role);
    let handler: BundledHandler;
    try {
      // A query string makes each load its own module instance: a cold start per twin run.
      const url = `${pathToFileURL(file).href}?twin=${Date.now()}-${Math.random().toString(36).slice(2)}`;
      handler = ((await import(url)) as { handler: BundledHandler }).handler;
    } finally {
      delete global[CLIENT_HOOK];
      restoreEnv(before);
    }
    const context = { functionName: `prescale-${name}`, awsRequestId: 'twin', getRemainingTimeInMillis: () => 120_000 };
    return (event) => handler(event, context);
  }

  close(): void {
    restoreEnv(this.saved);
  }
}

function restoreEnv(saved: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
}
