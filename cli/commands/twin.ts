import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ExperimentInputError } from '../../models/experiment/errors.ts';
import { LOAD_METRICS, type LoadMetricMode } from '../../models/experiment/runExperiment.ts';
import { UsageError } from '../lib/errors.ts';
import { ProgressBar } from '../lib/ProgressBar.ts';
import { readSeriesFile } from '../lib/readSeriesFile.ts';
import { formatTable } from '../lib/table.ts';
import { TwinInputError } from '../twin/errors.ts';
import { runTwin, type TwinResult } from '../twin/runTwin.ts';
import { DEFAULT_TRACE } from './experiment.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const TWIN_HELP = `Usage: prescale twin [options]

Closes the loop with the real artefacts: the bundled trainer and scaler Lambdas (dist/lambdas,
what a deployment uploads) run against a local AWS endpoint, with the group behind it simulated
minute by minute, and every scaler tick is compared with the offline experiment's prescale
strategy (its default setting) on the same trace and load-metric mode.

The endpoint is AWS_ENDPOINT_URL when set, else a moto server on a loopback port (installed
into .venv on first use). The group, its launch template and reactive fallback are created
through the APIs; the history before the first forecast is published as the simulated group
would have published it; the trainer runs at the first tick and daily, the scaler every tick
(forecast-and-scale). Every call the Lambdas make is checked against their roles' synthesized
IAM policies.

Options:
  --trace FILE                  timestamp,value CSV or CloudWatch JSON (default: ${DEFAULT_TRACE})
  --days N                      days of scaler ticks from the first forecast, 288 a day (default: 2)
  --capacity-per-instance N|auto
                                as for 'prescale experiment' (default: auto)
  --load-metric requests|total-cpu
                                what the scaler reads: the request count, or the total CPU the
                                simulated group publishes (default: requests)
  --bundle-dir DIR              bundled Lambdas to run as they are (default: bundle this
                                checkout into dist/lambdas first, as 'npm run bundle' does)
  --json                        print the result as JSON
  -h, --help                    this help
`;

interface TwinArgs {
  readonly trace: string;
  readonly days: number;
  readonly capacityPerInstance: number | 'auto';
  readonly loadMetric: LoadMetricMode;
  readonly bundleDir?: string;
  readonly json: boolean;
}

export function parseTwinArgs(argv: string[]): TwinArgs {
  let values;
  try {
    values = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        trace: { type: 'string', default: DEFAULT_TRACE },
        days: { type: 'string', default: '2' },
        'capacity-per-instance': { type: 'string', default: 'auto' },
        'load-metric': { type: 'string', default: 'requests' },
        'bundle-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const days = Number(values.days);
  if (values.days.trim() === '' || !(days > 0))
    throw new UsageError(`--days must be a positive number, got '${values.days}'`);
  const capacityText = values['capacity-per-instance'];
  const capacity = capacityText === 'auto' ? 'auto' : Number(capacityText);
  if (capacity !== 'auto' && !(capacity > 0))
    throw new UsageError(`--capacity-per-instance must be a positive number or 'auto', got '${capacityText}'`);
  const loadMetric = values['load-metric'];
  if (!(LOAD_METRICS as readonly string[]).includes(loadMetric))
    throw new UsageError(`--load-metric must be one of ${LOAD_METRICS.join(', ')}, got '${loadMetric}'`);
  return {
    trace: values.trace,
    days,
    capacityPerInstance: capacity,
    loadMetric: loadMetric as LoadMetricMode,
    bundleDir: values['bundle-dir'],
    json: values.json,
  };
}

export async function twinCommand(argv: string[]): Promise<number> {
  const args = parseTwinArgs(argv);
  const input = await readSeriesFile(args.trace);
  const bundleDir = args.bundleDir ?? join(ROOT, 'dist', 'lambdas');
  if (args.bundleDir === undefined) {
    // What `npm run bundle` builds from this checkout, so the twin never runs a stale bundle.
    if (!args.json) process.stderr.write('prescale twin: bundling the Lambdas (npm run bundle)\n');
    const { bundleAll } = await import('../../scripts/bundle.ts');
    await bundleAll(bundleDir);
  }
  let bar: ProgressBar | undefined;
  let result: TwinResult;
  try {
    result = await runTwin({
      series: input.series,
      name: input.name,
      days: args.days,
      capacityPerInstance: args.capacityPerInstance,
      loadMetric: args.loadMetric,
      bundleDir,
      onPhase: (phase) => {
        if (!args.json && process.stderr.isTTY) process.stderr.write(`prescale twin: ${phase}\n`);
      },
      onTick: (_, total) => (bar ??= new ProgressBar(total, 'ticks')).tick(input.name),
    });
  } catch (error) {
    if (error instanceof TwinInputError || error instanceof ExperimentInputError)
      throw new UsageError(error.message, { cause: error });
    throw error;
  }
  bar?.finish();
  process.stdout.write(args.json ? `${JSON.stringify(jsonOf(result))}\n` : renderTwin(result));
  return 0;
}

function jsonOf(r: TwinResult) {
  return {
    trace: r.trace,
    loadMetric: r.loadMetric,
    ticks: r.ticks,
    mismatches: r.mismatches,
    firstMismatch: r.firstMismatch ?? null,
    twin: r.twin,
    simulated: r.simulated,
    instanceHoursDiffPct: r.instanceHoursDiffPct,
    iam: r.iam,
    trainings: r.trainings,
    scalerErrors: r.scalerErrors,
    floorChanges: r.floorChanges,
    mismatchList: r.mismatchList,
    firstTick: r.firstTick,
    seconds: r.seconds,
  };
}

function renderTwin(r: TwinResult): string {
  const pct = (x: number) => `${x.toFixed(2)}%`;
  const rows = [
    [
      'twin (bundled Lambdas)',
      r.twin.instanceHours.toFixed(1),
      pct(r.twin.underProvisionedPct),
      pct(r.twin.unservedPct),
    ],
    [
      'simulated (experiment)',
      r.simulated.instanceHours.toFixed(1),
      pct(r.simulated.underProvisionedPct),
      pct(r.simulated.unservedPct),
    ],
  ];
  const identical = r.ticks - r.mismatches;
  const lines = [
    `prescale twin: ${r.trace}, ${r.loadMetric} mode, ${r.ticks} ticks from ${r.firstTick}`,
    '',
    formatTable(['run', 'instance-hours', 'under-provisioned', 'unserved'], rows),
    '',
    `identical ticks: ${identical} of ${r.ticks} (${pct((100 * identical) / r.ticks)}); instance-hours differ by ${pct(r.instanceHoursDiffPct)}`,
    r.firstMismatch === undefined
      ? 'no mismatch'
      : `first mismatch at ${r.firstMismatch.tick}: twin MinSize ${r.firstMismatch.twin.minSize} desired ${r.firstMismatch.twin.desiredCapacity}, simulated MinSize ${r.firstMismatch.simulated.minSize} desired ${r.firstMismatch.simulated.desiredCapacity}`,
    `trainer: ${r.trainings.twin.runs} runs, ${r.trainings.twin.promoted} promoted (simulated: ${r.trainings.simulated.runs}, ${r.trainings.simulated.promoted})`,
    `IAM: ${r.iam.calls} calls checked, ${r.iam.denied} denied`,
    r.scalerErrors.length === 0
      ? 'scaler errors: none'
      : `scaler errors: ${r.scalerErrors.length}, first: ${r.scalerErrors[0]}`,
    `${r.seconds.toFixed(0)} s`,
    '',
  ];
  return lines.join('\n');
}
