import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ForecastError } from '../errors.ts';

/** Which TensorFlow.js backend to ask for: native libtensorflow, WebAssembly or pure JS. */
export type TfBackendPreference = 'node' | 'wasm' | 'cpu';

export interface TfBackendOptions {
  /**
   * Folder holding the `tfjs-backend-wasm*.wasm` files. A Lambda bundle copies them beside
   * the handler and passes that folder here.
   * @default the `dist` folder of the installed `@tensorflow/tfjs-backend-wasm` package
   */
  readonly wasmDir?: string;
}

const requireHere = createRequire(import.meta.url);
let initialized: Promise<string> | undefined;
let wasmPathsSet = false;

function resolves(specifier: string): boolean {
  try {
    requireHere.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

async function tryNode(): Promise<boolean> {
  // Only when it happens to be installed: its install step downloads libtensorflow, which
  // fails offline and is too big for a Lambda package (docs/architecture.md).
  if (!resolves('@tensorflow/tfjs-node')) return false;
  try {
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(wasmDir: string | undefined): Promise<boolean> {
  try {
    if (!wasmPathsSet) {
      const dir = wasmDir ?? path.dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm'));
      setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
      wasmPathsSet = true;
    }
    // The threaded binary needs worker threads and SharedArrayBuffer plumbing that Node and
    // Lambda do not give it reliably; one core is what a Lambda scaler gets anyway.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function select(preferred: TfBackendPreference | undefined, options: TfBackendOptions): Promise<string> {
  // Production mode skips per-op debug checks and silences the "install tfjs-node" banner.
  tf.enableProdMode();
  const order: TfBackendPreference[] =
    preferred === 'cpu' ? ['cpu'] : preferred === 'wasm' ? ['wasm', 'cpu'] : ['node', 'wasm', 'cpu'];
  for (const choice of order) {
    if (choice === 'node' && (await tryNode())) break;
    if (choice === 'wasm' && (await tryWasm(options.wasmDir))) break;
    if (choice === 'cpu' && (await tf.setBackend('cpu'))) break;
  }
  await tf.ready();
  return tf.getBackend();
}

/**
 * Pick and initialize the TensorFlow.js backend once per process: tfjs-node when installed,
 * else WebAssembly, else pure JS. Later calls return the backend in use; a later call with
 * an explicit, different preference switches to it (benchmarks compare backends that way).
 * Returns the tfjs backend name: `tensorflow`, `wasm` or `cpu`.
 */
export async function initTfBackend(preferred?: TfBackendPreference, options: TfBackendOptions = {}): Promise<string> {
  if (initialized === undefined) {
    initialized = select(preferred, options);
    return initialized;
  }
  const current = await initialized;
  const wanted = preferred === 'node' ? 'tensorflow' : preferred;
  if (wanted === undefined || wanted === current) return current;
  initialized = select(preferred, options);
  return initialized;
}

/** The backend in use, or an error telling the caller to initialize one first. */
export function requireTfBackend(): string {
  const name = tf.engine().backendName;
  if (name === undefined || name === null || name === '') {
    throw new ForecastError('no TensorFlow.js backend is ready: await initTfBackend() before using an LSTM model');
  }
  return name;
}
