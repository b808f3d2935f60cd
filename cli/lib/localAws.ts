import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

// cli/lib/ -> the repository's root.
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
 * A local AWS endpoint (for a test file, or for a CLI command such as `prescale twin`):
 * `AWS_ENDPOINT_URL` when set (LocalStack, say), else a moto server of our own on a free loopback
 * port, installed into .venv on first use. The moto server is started through
 * scripts/moto/moto_server_fast.py: moto_server with CloudWatch GetMetricData answered in
 * O(datapoints + periods) instead of moto's O(periods x datapoints) scan, with identical results
 * (scripts/moto/check_fast_get_metric_data.py, run by test/integration/motoFast.test.ts).
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
  const child = spawn(
    `${ROOT}.venv/bin/python`,
    [`${ROOT}scripts/moto/moto_server_fast.py`, '-H', '127.0.0.1', '-p', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
  );
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
