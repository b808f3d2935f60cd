import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import {
  backtestSeries,
  PROTOCOL_ID,
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
import { orderRows, runInWorkers } from '../lib/backtestWorkers.ts';
import { renderTables } from '../report/backtestTables.ts';

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
