import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LocalAws {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Credentials and region for the local endpoint; nothing here reaches AWS. */
export const LOCAL_AWS_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  maxAttempts: 2,
};

/**
 * The local AWS endpoint for a test file: `AWS_ENDPOINT_URL` when set (LocalStack, say), else a
 * moto server of our own on a free loopback port, installed into .venv on first use.
 */
export async function startLocalAws(): Promise<LocalAws> {
  const given = process.env.AWS_ENDPOINT_URL;
  if (given !== undefined && given !== '') return { endpoint: given, stop: async () => {} };
  const setup = spawnSync('bash', ['scripts/setup-moto.sh'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (setup.status !== 0)
    throw new Error(
      'could not install moto server (scripts/setup-moto.sh); set AWS_ENDPOINT_URL to use another endpoint',
    );
  const port = await freePort();
  const child = spawn(`${ROOT}.venv/bin/moto_server`, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child, () => stderr);
  return { endpoint, stop: () => stopChild(child) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`moto_server did not answer on ${endpoint} within 20 s: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}
