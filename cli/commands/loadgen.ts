import { maxOf } from '../../models/stats.ts';
import { parseArgs } from 'node:util';
import { median } from '../../models/backtest/metrics.ts';
import { percentile } from '../../models/experiment/metrics.ts';
import { readSeriesFile } from '../lib/readSeriesFile.ts';
import { UsageError } from '../lib/errors.ts';

export const LOADGEN_HELP = `Usage: prescale loadgen --url URL --trace FILE [--speedup N] [--peak-rps R] [--max-requests N] [--max-seconds S] [--json]

Replays a trace's shape against an HTTP endpoint (the demo service behind the A/B load balancer):
the request rate follows the trace, its highest value sent at --peak-rps, time compressed
--speedup times. Bounded in requests and in time; stops by itself.

Options:
  --url URL           the endpoint (e.g. the Url output of PrescaleAbExperiment)
  --trace FILE        timestamp,value CSV or CloudWatch JSON
  --speedup N         trace seconds per wall-clock second (default: 60: an hour in a minute)
  --peak-rps R        requests per second at the trace's highest value (default: 20)
  --max-requests N    stop after this many requests (default: 100000)
  --max-seconds S     stop after this long (default: 3600)
  --concurrency N     requests in flight at most (default: 64)
  --json              print the summary as JSON
  -h, --help          this help
`;

export interface LoadgenSummary {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly stoppedBy: 'trace-end' | 'max-requests' | 'max-seconds';
}

function positive(flag: string, text: string, integer = false): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))
    throw new UsageError(`--${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'`);
  return v;
}

export async function loadgenCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        url: { type: 'string' },
        trace: { type: 'string' },
        speedup: { type: 'string', default: '60' },
        'peak-rps': { type: 'string', default: '20' },
        'max-requests': { type: 'string', default: '100000' },
        'max-seconds': { type: 'string', default: '3600' },
        concurrency: { type: 'string', default: '64' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (values.url === undefined) throw new UsageError('--url is required');
  if (values.trace === undefined) throw new UsageError('--trace is required');
  try {
    new URL(values.url);
  } catch {
    throw new UsageError(`--url must be a URL, got '${values.url}'`);
  }
  const { series } = await readSeriesFile(values.trace);
  const summary = await replay(values.url, series.values, series.stepSeconds, {
    speedup: positive('speedup', values.speedup),
    peakRps: positive('peak-rps', values['peak-rps']),
    maxRequests: positive('max-requests', values['max-requests'], true),
    maxSeconds: positive('max-seconds', values['max-seconds']),
    concurrency: positive('concurrency', values.concurrency, true),
  });
  process.stdout.write(
    values.json
      ? `${JSON.stringify(summary)}\n`
      : `sent ${summary.sent} requests in ${summary.seconds.toFixed(1)} s: ${summary.ok} ok, ${summary.failed} failed; ` +
          `latency p50 ${summary.p50Ms?.toFixed(1) ?? '-'} ms, p95 ${summary.p95Ms?.toFixed(1) ?? '-'} ms; stopped by ${summary.stoppedBy}\n`,
  );
  return 0;
}

export interface ReplayOptions {
  readonly speedup: number;
  readonly peakRps: number;
  readonly maxRequests: number;
  readonly maxSeconds: number;
  readonly concurrency: number;
}

/** Send requests at the trace's shape: interval i lasts stepSeconds / speedup wall seconds at rate value_i / max x peakRps. */
export async function replay(
  url: string,
  values: ArrayLike<number>,
  stepSeconds: number,
  options: ReplayOptions,
): Promise<LoadgenSummary> {
  const peak = Math.max(maxOf(Array.from(values).filter(Number.isFinite)), 0);
  if (!(peak > 0)) throw new UsageError('the trace has no load to replay (its highest value is not positive)');
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const latencies: number[] = [];
  let sent = 0,
    ok = 0,
    failed = 0,
    inFlight = 0;
  let stoppedBy: LoadgenSummary['stoppedBy'] = 'trace-end';
  const wallPerInterval = stepSeconds / options.speedup;
  const fire = () => {
    sent++;
    inFlight++;
    const t0 = performance.now();
    fetch(url, { signal: AbortSignal.timeout(10_000) })
      .then(async (r) => {
        await r.arrayBuffer();
        if (r.ok) ok++;
        else failed++;
      })
      .catch(() => {
        failed++;
      })
      .finally(() => {
        inFlight--;
        latencies.push(performance.now() - t0);
      });
  };
  outer: for (let i = 0; i < values.length; i++) {
    const rate = (Math.max(0, values[i]) / peak) * options.peakRps;
    const intervalEnd = (i + 1) * wallPerInterval;
    let debt = 0;
    let last = elapsed();
    while (elapsed() < intervalEnd) {
      if (sent >= options.maxRequests) {
        stoppedBy = 'max-requests';
        break outer;
      }
      if (elapsed() >= options.maxSeconds) {
        stoppedBy = 'max-seconds';
        break outer;
      }
      const now = elapsed();
      debt += (now - last) * rate;
      last = now;
      while (debt >= 1 && inFlight < options.concurrency && sent < options.maxRequests) {
        fire();
        debt--;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  return {
    sent,
    ok,
    failed,
    seconds: elapsed(),
    p50Ms: latencies.length > 0 ? median(latencies) : null,
    p95Ms: latencies.length > 0 ? percentile(latencies, 95) : null,
    stoppedBy,
  };
}
