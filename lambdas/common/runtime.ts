import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initTfBackend } from '../../models/forecast/lstm/backend.ts';

/**
 * Start TensorFlow.js once per cold start. In a bundle the wasm files sit beside the handler
 * (scripts/bundle.ts copies them there); from the sources they are found in node_modules.
 */
export function startTfBackend(moduleUrl: string): Promise<string> {
  const dir = dirname(fileURLToPath(moduleUrl));
  const wasmDir = existsSync(join(dir, 'tfjs-backend-wasm.wasm')) ? dir : undefined;
  return initTfBackend(undefined, { wasmDir });
}
