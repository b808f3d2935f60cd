import { parseArgs } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { UsageError } from '../lib/errors.ts';
import { formatTable } from '../lib/table.ts';

export const FORECAST_HELP = `Usage: prescale forecast --url URL --group NAME [--horizon 1h|6h|1d|7d|30d] [--region R] [--json]

Asks a deployed prediction Function URL (AWS_IAM auth) for a group's forecast, signing the
request with SigV4 and the AWS SDK's default credentials (environment, profile, SSO, role).

Options:
  --url URL        the PredictUrl output of the stack
  --group NAME     the Auto Scaling group
  --horizon H      1h, 6h, 1d (5-minute steps), 7d or 30d (hourly steps) (default: 1h)
  --region R       the URL's region (default: read from the URL, else AWS_REGION)
  --json           print the service's JSON as it came
  -h, --help       this help
`;

/** `https://abc.lambda-url.eu-west-1.on.aws/` -> eu-west-1. */
export function regionOfUrl(url: URL): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1];
}

export async function forecastCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        url: { type: 'string' },
        group: { type: 'string' },
        horizon: { type: 'string', default: '1h' },
        region: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (values.url === undefined) throw new UsageError('--url is required (the PredictUrl output of the stack)');
  if (values.group === undefined) throw new UsageError('--group is required');
  let base: URL;
  try {
    base = new URL(values.url);
  } catch {
    throw new UsageError(`--url must be a URL, got '${values.url}'`);
  }
  const region = values.region ?? regionOfUrl(base) ?? process.env.AWS_REGION;
  if (region === undefined) throw new UsageError(`cannot tell the region of '${values.url}': pass --region`);
  const url = new URL('/forecast', base);
  url.searchParams.set('group', values.group);
  url.searchParams.set('horizon', values.horizon);

  const signer = new SignatureV4({ service: 'lambda', region, credentials: defaultProvider(), sha256: Sha256 });
  const query = Object.fromEntries(url.searchParams.entries());
  const signed = await signer.sign({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host },
  });
  const response = await fetch(url, { headers: signed.headers as Record<string, string> });
  const text = await response.text();
  if (!response.ok) {
    let detail = text;
    try {
      detail = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // not JSON: show it as it came
    }
    process.stderr.write(`prescale forecast: ${response.status} ${response.statusText}: ${detail.slice(0, 500)}\n`);
    return 1;
  }
  if (values.json) {
    process.stdout.write(`${text.trim()}\n`);
    return 0;
  }
  const body = JSON.parse(text) as {
    group: string;
    horizon: string;
    timestamps: string[];
    mean: number[];
    lower80: number[];
    upper80: number[];
    recommendedCapacity: number[];
    model: { kind: string; version: string | null; note?: string };
  };
  process.stdout.write(
    `${body.group}, ${body.horizon}: model ${body.model.kind}${body.model.version ? ` ${body.model.version}` : ''}${body.model.note ? ` (${body.model.note})` : ''}\n`,
  );
  process.stdout.write(
    `${formatTable(
      ['time (UTC)', 'mean', '80% low', '80% high', 'instances'],
      body.timestamps.map((t, i) => [
        t.slice(0, 16).replace('T', ' '),
        body.mean[i].toFixed(1),
        body.lower80[i].toFixed(1),
        body.upper80[i].toFixed(1),
        String(body.recommendedCapacity[i]),
      ]),
    )}\n`,
  );
  return 0;
}
