import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleAll, LAMBDAS } from '../../scripts/bundle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let sizes: Awaited<ReturnType<typeof bundleAll>>;

/** Import a bundled handler in a fresh Node process, outside the repository, and call it once. */
function invoke(name: string, event: unknown, env: Record<string, string>) {
  const script = `const m = await import(${JSON.stringify(join(ROOT, 'dist/lambdas', name, 'index.mjs'))});
const r = await m.handler(${JSON.stringify(event)}, { functionName: 'prescale-${name}', awsRequestId: 'test', getRemainingTimeInMillis: () => 30000 });
process.stdout.write('@@result ' + JSON.stringify(r) + '\\n');`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: '/', encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_TRACE_ENABLED: 'false', ...env },
  });
}

beforeAll(async () => {
  sizes = await bundleAll();
});

describe('Lambda bundles', () => {
  it('builds one file per Lambda with its wasm beside it, zipped under 10 MB', () => {
    expect(sizes.map((s) => s.name)).toEqual([...LAMBDAS]);
    for (const s of sizes) {
      for (const file of ['index.mjs', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'native.wasm']) {
        expect(existsSync(join(ROOT, 'dist/lambdas', s.name, file)), `${s.name}/${file}`).toBe(true);
      }
      expect(s.zipBytes).toBeLessThan(10 * 1024 * 1024);
    }
  });

  it('runs from the bundle alone: the predict handler answers /health', () => {
    const out = invoke('predict', { rawPath: '/health', requestContext: { http: { method: 'GET' } } }, { PRESCALE_BUCKET: 'b', PRESCALE_CAPACITY_PER_INSTANCE: '10' });
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
