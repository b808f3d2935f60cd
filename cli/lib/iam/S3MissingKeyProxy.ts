import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROLE_HEADER } from './recordIam.ts';
import { ROLE_NAMES, type RoleName } from './types.ts';

export interface S3MissingKeyProxyProps {
  /** The local endpoint (moto) every request is forwarded to. */
  readonly target: string;
  /** Whether `role` may learn that `key` is missing from `bucket`, i.e. is allowed s3:ListBucket there. */
  readonly mayList: (role: RoleName, bucket: string, key: string) => Promise<boolean>;
}

/** A missing-key answer the proxy turned into AccessDenied. */
export interface RefusedRead {
  readonly role: RoleName;
  readonly bucket: string;
  readonly key: string;
}

const ACCESS_DENIED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>' +
  '<RequestId>prescale-missing-key-proxy</RequestId><HostId>prescale-missing-key-proxy</HostId></Error>';

/**
 * S3's rule for missing keys, which the local endpoint does not apply: a GET or HEAD of a key that
 * does not exist is 404 NoSuchKey only for a caller allowed s3:ListBucket on the bucket, and 403
 * AccessDenied for anyone else (the GetObject API reference, "Permissions"). A loopback HTTP proxy
 * in front of the endpoint: it forwards everything, and turns the endpoint's 404 for a missing key
 * into S3's 403 when `mayList` says the calling role may not list. The role comes from the
 * `x-prescale-iam-role` header the IAM recorder adds (recordIam.ts), stripped before forwarding;
 * a request without it (fixture set-up) passes unchanged. Path-style addressing only, as the
 * Lambdas use against a local endpoint (lambdas/common/clients.ts).
 */
export class S3MissingKeyProxy {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    /** The missing-key answers turned into AccessDenied, in order. */
    readonly refused: readonly RefusedRead[],
  ) {}

  static async start(props: S3MissingKeyProxyProps): Promise<S3MissingKeyProxy> {
    const target = new URL(props.target);
    const refused: RefusedRead[] = [];
    const server = createServer((req, res) => {
      forward(req, res, target, props, (read) => refused.push(read)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`prescale missing-key proxy: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    return new S3MissingKeyProxy(server, `http://127.0.0.1:${port}`, refused);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // The SDK keeps sockets alive; close() alone would wait for them.
      this.server.closeAllConnections();
    });
  }
}

async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  props: S3MissingKeyProxyProps,
  refuse: (read: RefusedRead) => void,
): Promise<void> {
  const role = roleOf(req.headers[ROLE_HEADER]);
  delete req.headers[ROLE_HEADER];
  const upstream = await send(req, target);
  const read = role === undefined ? undefined : objectRead(req);
  if (read === undefined || upstream.statusCode !== 404) {
    res.writeHead(upstream.statusCode ?? 502, upstream.headers);
    upstream.pipe(res);
    return;
  }
  const body = await readAll(upstream);
  // A GET names its 404: only NoSuchKey is a missing key (NoSuchBucket is not). A HEAD has no body.
  const missingKey = req.method === 'HEAD' || body.includes('<Code>NoSuchKey</Code>');
  if (missingKey && !(await props.mayList(role as RoleName, read.bucket, read.key))) {
    refuse({ role: role as RoleName, ...read });
    const xml = req.method === 'HEAD' ? '' : ACCESS_DENIED;
    res.writeHead(403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
    res.end(xml);
    return;
  }
  res.writeHead(404, upstream.headers);
  res.end(body);
}

function send(req: IncomingMessage, target: URL): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      resolve,
    );
    upstream.once('error', reject);
    req.pipe(upstream);
  });
}

/** Bucket and key of an S3 object GET or HEAD (path-style), or undefined for any other request. */
function objectRead(req: IncomingMessage): { bucket: string; key: string } | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  // S3 requests are signed for the 's3' service: '.../us-east-1/s3/aws4_request'.
  if (!/\/s3\/aws4_request/.test(String(req.headers.authorization ?? ''))) return undefined;
  const path = (req.url ?? '/').split('?')[0];
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  if (match === null) return undefined;
  return { bucket: decodeURIComponent(match[1]), key: decodeURIComponent(match[2]) };
}

function roleOf(header: string | string[] | undefined): RoleName | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return (ROLE_NAMES as readonly string[]).includes(value ?? '') ? (value as RoleName) : undefined;
}

function readAll(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.once('error', reject);
  });
}
