import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleAll, LAMBDAS } from '../../scripts/bundle.ts';

let sizes: Awaited<ReturnType<typeof bundleAll>>;

/** Import a bundled handler in a fresh Node process, outside the repository, and call it once. */
function invoke(name: string, event: unknown, env: Record<string, string>) {
  const script = `const m = await import(${JSON.stringify(join(OUT, name, 'index.mjs'))});
const r = await m.handler(${JSON.stringify(event)}, { functionName: 'prescale-${name}', awsRequestId: 'test', getRemainingTimeInMillis: () => 30000 });
process.stdout.write('@@result ' + JSON.stringify(r) + '\\n');`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: '/',
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_TRACE_ENABLED: 'false', ...env },
  });
}

// A folder of its own: other test files bundle at the same time.
const OUT = mkdtempSync(join(tmpdir(), 'prescale-bundle-'));

beforeAll(async () => {
  sizes = await bundleAll(OUT);
});

describe('Lambda bundles', () => {
  it('builds one file per Lambda with its wasm beside it, zipped under 10 MB', () => {
    expect(sizes.map((s) => s.name)).toEqual([...LAMBDAS]);
    for (const s of sizes) {
      for (const file of ['index.mjs', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'native.wasm']) {
        expect(existsSync(join(OUT, s.name, file)), `${s.name}/${file}`).toBe(true);
      }
      expect(s.zipBytes).toBeLessThan(10 * 1024 * 1024);
    }
  });

  it('runs from the bundle alone: the predict handler answers /health', () => {
    const out = invoke(
      'predict',
      { rawPath: '/health', requestContext: { http: { method: 'GET' } } },
      { PRESCALE_BUCKET: 'b', PRESCALE_CAPACITY_PER_INSTANCE: '10' },
    );
    const line = out.stdout.split('\n').find((l) => l.startsWith('@@result '));
    expect(out.stderr).not.toMatch(/Cannot find (module|package)/);
    expect(JSON.parse((line ?? '').slice('@@result '.length))).toMatchObject({ statusCode: 200 });
  });

  it('fails its cold start naming a missing variable', () => {
    const out = invoke('scaler', {}, { PRESCALE_CAPACITY_PER_INSTANCE: '10' });
    expect(out.status).not.toBe(0);
    expect(out.stderr).toMatch(/ConfigError: environment variable PRESCALE_BUCKET is required/);
  });
});
