import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  backtestSeries,
  PROTOCOL_ID,
  summarize,
  type BacktestRow,
  type HorizonName,
  type ModelSpec,
} from '../../models/backtest/runBacktest.ts';
import { initTfBackend } from '../../models/forecast/lstm/backend.ts';
import {
  createForecaster,
  DEFAULT_ENSEMBLE_MEMBERS,
  isModelName,
  MODEL_NAMES,
  type ModelName,
} from '../../models/forecast/registry.ts';
import { readSeriesFile } from '../lib/readSeriesFile.ts';
import { UsageError } from '../lib/errors.ts';
import { ProgressBar } from '../lib/ProgressBar.ts';
import { fixed, formatTable } from '../lib/table.ts';

/** Models run without --models: the protocol's five (the other ensemble members on request). */
const DEFAULT_MODELS: readonly ModelName[] = ['naive', 'snaive', 'arima', 'lstm', 'ensemble'];

export const BACKTEST_HELP = `Usage: prescale backtest [options] FILE...

Rolling-origin backtest (docs/backtest-protocol.md, ${PROTOCOL_ID}) of each series FILE: a CSV with header
'timestamp,value' or the JSON printed by 'aws cloudwatch get-metric-data'.

Options:
  --models m1,m2     models to run, of ${MODEL_NAMES.join(', ')} (default: ${DEFAULT_MODELS.join(',')})
  --horizon H        short (12 steps), day (one day of steps) or both (default: both)
  --members m1,m2    the ensemble's members (default: ${DEFAULT_ENSEMBLE_MEMBERS.join(',')})
  --jobs N           series backtested in parallel, one process each (default: ${defaultJobs()})
  --seed N           seed for the models' random choices (default: 0)
  --scheduled        the production loop instead of the protocol: every model retrained every
                     4th origin (once per simulated day) from the previous fit (the LSTM warm-
                     started), ARIMA re-aimed with its ARMA filter in between and in the
                     ensemble's validation instead of refitted (what 'prescale experiment' uses)
  --json             print {"protocol", "results": [...]} instead of tables
  -h, --help         this help

ARIMA is refitted at every origin, as the scaler refits it every tick; the LSTM (alone and in the
ensemble) is retrained every 4th origin (once per simulated day) and conditioned on the newest
window in between, as the daily trainer and the scaler do.
`;

/** Retrain cadence per model, in origins (4 origins = 1 simulated day). */
const REFIT_EVERY: Record<ModelName, number> = { naive: 1, snaive: 1, arima: 1, lstm: 4, ensemble: 4, ses: 1 };
/** With --scheduled every model is retrained once per simulated day, as the trainer Lambda does. */
const SCHEDULED_REFIT_EVERY = 4;

interface BacktestArgs {
  readonly files: string[];
  readonly models: ModelName[];
  readonly members: ModelName[];
  readonly horizons: HorizonName[];
  readonly jobs: number;
  readonly seed: number;
  readonly scheduled: boolean;
  readonly json: boolean;
  readonly workerProgress: boolean;
}

function defaultJobs(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

export function parseBacktestArgs(argv: string[]): BacktestArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        models: { type: 'string' },
        members: { type: 'string' },
        horizon: { type: 'string', default: 'both' },
        jobs: { type: 'string' },
        seed: { type: 'string', default: '0' },
        json: { type: 'boolean', default: false },
        scheduled: { type: 'boolean', default: false },
        'worker-progress': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('no series FILE given');
  const models = (values.models ?? DEFAULT_MODELS.join(','))
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const unknown = models.filter((m) => !isModelName(m));
  if (unknown.length > 0 || models.length === 0) {
    throw new UsageError(`unknown model '${unknown.join(', ')}' in --models; choose from ${MODEL_NAMES.join(', ')}`);
  }
  const members = (values.members ?? DEFAULT_ENSEMBLE_MEMBERS.join(','))
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const badMembers = members.filter((m) => !isModelName(m) || m === 'ensemble');
  if (badMembers.length > 0 || members.length === 0) {
    throw new UsageError(
      `bad ensemble member '${badMembers.join(', ')}' in --members; choose from ${MODEL_NAMES.filter((m) => m !== 'ensemble').join(', ')}`,
    );
  }
  const horizonByName: Record<string, HorizonName[]> = { short: ['short'], day: ['day'], both: ['short', 'day'] };
  const horizons = horizonByName[values.horizon];
  if (horizons === undefined) throw new UsageError(`--horizon must be short, day or both, got '${values.horizon}'`);
  const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UsageError(`--jobs must be a positive integer, got '${values.jobs}'`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
  return {
    files: positionals,
    models: models as ModelName[],
    members: members as ModelName[],
    horizons,
    jobs,
    seed,
    scheduled: values.scheduled,
    json: values.json,
    workerProgress: values['worker-progress'],
  };
}

export async function backtestCommand(argv: string[]): Promise<number> {
  const args = parseBacktestArgs(argv);
  // Read every file first, so a bad file fails fast with its own message, before hours of work.
  const inputs = await Promise.all(args.files.map((file) => readSeriesFile(file)));
  const originsPerSeries = 28;
  const progress = new ProgressBar(inputs.length * args.models.length * originsPerSeries, 'backtest');
  let rows: BacktestRow[];
  if (args.jobs > 1 && args.files.length > 1 && !args.workerProgress) {
    rows = await runInWorkers(args, () => progress.tick());
  } else {
    if (args.models.includes('lstm') || (args.models.includes('ensemble') && args.members.includes('lstm')))
      await initTfBackend();
    rows = [];
    for (const input of inputs) {
      const specs: ModelSpec[] = args.models.map((name) => ({
        name,
        create: () => createForecaster(name, { ensembleMembers: args.members, scheduledRetraining: args.scheduled }),
        refitEveryOrigins: args.scheduled ? SCHEDULED_REFIT_EVERY : REFIT_EVERY[name],
        warmStart: args.scheduled,
      }));
      rows.push(
        ...(await backtestSeries(input.name, input.series, specs, {
          horizons: args.horizons,
          seed: args.seed,
          clockMs: () => performance.now(),
          onOriginDone: (e) => {
            if (args.workerProgress) process.stderr.write(`@@progress ${input.name} ${e.model}\n`);
            else progress.tick(`${input.name} ${e.model}`);
          },
        })),
      );
    }
  }
  progress.finish();
  const ordered = orderRows(
    rows,
    inputs.map((i) => i.name),
    args.models,
  );
  process.stdout.write(
    args.json ? `${JSON.stringify({ protocol: PROTOCOL_ID, results: ordered })}\n` : renderTables(ordered),
  );
  return 0;
}

function orderRows(rows: BacktestRow[], series: string[], models: string[]): BacktestRow[] {
  const key = (r: BacktestRow) => [r.horizon === 'short' ? 0 : 1, series.indexOf(r.series), models.indexOf(r.model)];
  return [...rows].sort((a, b) => {
    const ka = key(a),
      kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}

/** One child process per series, at most `jobs` at a time; each prints its rows as JSON. */
async function runInWorkers(args: BacktestArgs, onProgress: () => void): Promise<BacktestRow[]> {
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

function renderTables(rows: BacktestRow[]): string {
  const out: string[] = [];
  for (const horizon of ['short', 'day'] as const) {
    const group = rows.filter((r) => r.horizon === horizon);
    if (group.length === 0) continue;
    out.push(`\n${horizon === 'short' ? 'Short horizon (12 steps)' : 'Day horizon (one day of steps)'}\n`);
    out.push(
      formatTable(
        [
          'series',
          'model',
          'MASE',
          'sMAPE%',
          'RMSE',
          'cov80',
          'cov95',
          'relwidth80',
          'fit+fc ms',
          'origins',
          'failures',
        ],
        group.map((r) => [
          r.series,
          r.model,
          fixed(r.mase, 3),
          fixed(r.smape, 1),
          fixed(r.rmse, 2),
          fixed(r.cov80, 3),
          fixed(r.cov95, 3),
          fixed(r.relwidth80, 3),
          fixed(r.fit_ms_median, 0),
          String(r.n_origins),
          String(r.failures),
        ]),
      ),
    );
    out.push('\nAcross series\n');
    out.push(
      formatTable(
        ['model', 'GM MASE', 'sMAPE%', 'cov80', 'cov95', 'relwidth80', 'median ms', 'series', 'failures'],
        summarize(group).map((s) => [
          s.model,
          fixed(s.gmMase, 3),
          fixed(s.smape, 1),
          fixed(s.cov80, 3),
          fixed(s.cov95, 3),
          fixed(s.relwidth80, 3),
          fixed(s.fitMsMedian, 0),
          String(s.series),
          String(s.failures),
        ]),
      ),
    );
    const weighted = group.filter((r) => r.diagnostics !== undefined);
    if (weighted.length > 0) {
      const names = [...new Set(weighted.flatMap((r) => Object.keys(r.diagnostics ?? {})))];
      out.push('\nEnsemble member weights (mean over origins)\n');
      out.push(
        formatTable(
          ['series', 'model', ...names],
          weighted.map((r) => [r.series, r.model, ...names.map((n) => fixed(r.diagnostics?.[n], 3))]),
        ),
      );
    }
  }
  return `${out.join('\n')}\n`;
}
