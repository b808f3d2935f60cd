/**
 * Bundles each Lambda with esbuild into dist/lambdas/<name>/index.mjs plus the WebAssembly files
 * it loads at run time (TensorFlow.js's wasm backend, the arima package's ctsa build), zips each
 * folder to dist/lambdas/<name>.zip, and prints the sizes.
 * Usage: npm run bundle [-- --json]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);
export const LAMBDAS = ['scaler', 'trainer', 'predict', 'abReport'] as const;

// ESM has no require, __filename or __dirname; the arima package (Emscripten) and some
// dependencies use them, so the bundle defines them first.
const BANNER = [
  "import { createRequire as __prescaleCreateRequire } from 'node:module';",
  "import { fileURLToPath as __prescaleFileURLToPath } from 'node:url';",
  "import { dirname as __prescaleDirname } from 'node:path';",
  'const require = __prescaleCreateRequire(import.meta.url);',
  'const __filename = __prescaleFileURLToPath(import.meta.url);',
  'const __dirname = __prescaleDirname(__filename);',
].join('\n');

function wasmAssets(): string[] {
  const tfjsDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const arimaDir = dirname(require.resolve('arima'));
  // The threaded binary is left out: the backend is told not to use it (models/forecast/lstm/backend.ts).
  return [
    join(tfjsDir, 'tfjs-backend-wasm.wasm'),
    join(tfjsDir, 'tfjs-backend-wasm-simd.wasm'),
    join(arimaDir, 'wasm', 'native.wasm'),
  ];
}

/** Bundle every Lambda into `outDir` (replacing what is there). @default dist/lambdas */
export async function bundleAll(
  outDir = join(ROOT, 'dist', 'lambdas'),
): Promise<{ name: string; bundleBytes: number; zipBytes: number }[]> {
  const out = outDir;
  rmSync(out, { recursive: true, force: true });
  const sizes = [];
  for (const name of LAMBDAS) {
    const dir = join(out, name);
    mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: [join(ROOT, 'lambdas', name, 'handler.ts')],
      outfile: join(dir, 'index.mjs'),
      // Not minified, names kept: a stack trace in the Lambda's logs should read like the source.
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: false,
      keepNames: true,
      sourcemap: false,
      legalComments: 'none',
      banner: { js: BANNER },
      // Optional backends that are only used when installed; never part of a Lambda.
      external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
      logLevel: 'warning',
    });
    for (const asset of wasmAssets()) copyFileSync(asset, join(dir, asset.split('/').pop() as string));
    const zip = join(out, `${name}.zip`);
    execFileSync('zip', ['-q', '-r', '-9', zip, '.'], { cwd: dir });
    sizes.push({ name, bundleBytes: statSync(join(dir, 'index.mjs')).size, zipBytes: statSync(zip).size });
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await bundleAll();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(sizes)}\n`);
  } else {
    for (const s of sizes) {
      process.stdout.write(
        `${s.name.padEnd(8)} index.mjs ${(s.bundleBytes / 1e6).toFixed(2)} MB   ${s.name}.zip ${(s.zipBytes / 1e6).toFixed(2)} MB (with wasm)\n`,
      );
    }
  }
}
