import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { regionOfUrl } from '../../cli/commands/forecast.ts';
import { replay } from '../../cli/commands/loadgen.ts';

let server: Server;
let base = '';
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    if (req.url?.startsWith('/forecast')) {
      const body = {
        group: 'web',
        horizon: '1h',
        timestamps: ['2026-01-05T10:00:00.000Z', '2026-01-05T10:05:00.000Z'],
        mean: [10, 12],
        lower80: [8, 9],
        upper80: [12, 15],
        recommendedCapacity: [2, 3],
        model: { kind: 'ensemble', version: 'v1' },
      };
      res.writeHead(req.headers.authorization?.startsWith('AWS4-HMAC-SHA256') ? 200 : 403, {
        'content-type': 'application/json',
      });
      res.end(JSON.stringify(req.headers.authorization ? body : { error: 'unsigned' }));
      return;
    }
    res.writeHead(200);
    res.end('ok\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  seen.length = 0;
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
    stdout += String(c);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
    stderr += String(c);
    return true;
  });
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('prescale forecast --url', () => {
  it('signs the request with SigV4 for Lambda in the URL region and prints the forecast', async () => {
    expect(await main(['forecast', '--url', base, '--group', 'web'])).toBe(0);
    const auth = seen[0].headers.authorization ?? '';
    expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request/);
    expect(seen[0].url).toBe('/forecast?group=web&horizon=1h');
    expect(stdout).toMatch(/web, 1h: model ensemble v1/);
    expect(stdout).toMatch(/2026-01-05 10:05\s+12\.0\s+9\.0\s+15\.0\s+3/);
  });

  it('reads the region from a Function URL host and names missing flags', async () => {
    expect(regionOfUrl(new URL('https://abc123.lambda-url.ap-southeast-2.on.aws/'))).toBe('ap-southeast-2');
    expect(await main(['forecast', '--group', 'web'])).toBe(2);
    expect(stderr).toMatch(/--url is required/);
    expect(await main(['forecast', '--url', 'not a url', '--group', 'web'])).toBe(2);
    expect(stderr).toMatch(/--url must be a URL, got 'not a url'/);
  });
});

describe('prescale loadgen', () => {
  it('follows the trace shape at the peak rate and stops by itself', async () => {
    // Two 60 s intervals at speedup 120: half a second each; rate 40/s then 20/s -> about 20 + 10 requests.
    const summary = await replay(base, [200, 100], 60, {
      speedup: 120,
      peakRps: 40,
      maxRequests: 1000,
      maxSeconds: 10,
      concurrency: 8,
    });
    expect(summary.stoppedBy).toBe('trace-end');
    expect(summary.failed).toBe(0);
    expect(summary.sent).toBeGreaterThanOrEqual(24);
    expect(summary.sent).toBeLessThanOrEqual(36);
    expect(summary.ok).toBe(summary.sent);
  });

  it('is bounded by --max-requests', async () => {
    const summary = await replay(base, [100, 100, 100], 60, {
      speedup: 60,
      peakRps: 200,
      maxRequests: 15,
      maxSeconds: 10,
      concurrency: 4,
    });
    expect(summary.stoppedBy).toBe('max-requests');
    expect(summary.sent).toBe(15);
  });

  it('runs from the command line on a trace file and names bad flags', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prescale-loadgen-')), 't.csv');
    writeFileSync(file, 'timestamp,value\n2026-01-05T00:00:00Z,10\n2026-01-05T00:05:00Z,20\n2026-01-05T00:10:00Z,10\n');
    expect(
      await main(['loadgen', '--url', base, '--trace', file, '--speedup', '3000', '--peak-rps', '50', '--json']),
    ).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.sent).toBeGreaterThan(0);
    expect(summary.failed).toBe(0);
    expect(await main(['loadgen', '--url', base, '--trace', file, '--peak-rps=-1'])).toBe(2);
    expect(stderr).toMatch(/--peak-rps must be a positive number, got '-1'/);
  });
});
