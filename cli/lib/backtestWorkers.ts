import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BacktestRow } from '../../models/backtest/runBacktest.ts';
import type { ModelName } from '../../models/forecast/registry.ts';

/** What each worker process is asked to run. */
export interface WorkerArgs {
  readonly files: readonly string[];
  readonly models: readonly ModelName[];
  readonly members: readonly ModelName[];
  readonly horizons: readonly string[];
  readonly seed: number;
  readonly scheduled: boolean;
  readonly jobs: number;
}

/** Rows in the tables' order: short horizon first, then series and models as asked. */
export function orderRows(rows: BacktestRow[], series: string[], models: string[]): BacktestRow[] {
  const key = (r: BacktestRow) => [r.horizon === 'short' ? 0 : 1, series.indexOf(r.series), models.indexOf(r.model)];
  return [...rows].sort((a, b) => {
    const ka = key(a),
      kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}

/** One child process per series, at most `jobs` at a time; each prints its rows as JSON. */
export async function runInWorkers(args: WorkerArgs, onProgress: () => void): Promise<BacktestRow[]> {
  const cli = fileURLToPath(new URL('../../bin/prescale.js', import.meta.url));
  const queue = [...args.files];
  const rows: BacktestRow[] = [];
  const runOne = (file: string) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          cli,
          'backtest',
          '--json',
          '--worker-progress',
          '--jobs',
          '1',
          '--models',
          args.models.join(','),
          '--members',
          args.members.join(','),
          '--horizon',
          args.horizons.length === 2 ? 'both' : args.horizons[0],
          '--seed',
          String(args.seed),
          ...(args.scheduled ? ['--scheduled'] : []),
          file,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '',
        stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          if (line.startsWith('@@progress')) onProgress();
          else if (line.trim() !== '') stderr += `${line}\n`;
        }
      });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`backtest of ${file} failed (exit ${code}): ${stderr.trim()}`));
        rows.push(...(JSON.parse(stdout) as { results: BacktestRow[] }).results);
        resolve();
      });
    });
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runOne(file);
  };
  await Promise.all(Array.from({ length: Math.min(args.jobs, args.files.length) }, worker));
  return rows;
}
