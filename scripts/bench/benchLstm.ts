/**
 * LSTM accuracy and speed on real 5-minute series, against the naive baselines, following
 * docs/backtest-protocol.md's origins, 14-day training windows and MASE scale.
 *
 *   npx tsx scripts/bench/benchLstm.ts [--data DIR] [--backend wasm|cpu] [--origins 5] [--series a,b]
 *                                [--props '{"hiddenUnits":32}'] [--seed 0]
 *
 * DIR holds the NAB series as NAME.csv (default data/, which ships two of them: the default
 * series found there run).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initTfBackend, type TfBackendPreference } from '../../models/forecast/lstm/backend.ts';
import { LstmForecaster, type LstmProps } from '../../models/forecast/lstm/LstmForecaster.ts';
import {
  geometricMean,
  mean as meanOf,
  meanAbsoluteError,
  median,
  seasonalScale,
} from '../../models/backtest/metrics.ts';
import { rollingOrigins } from '../../models/backtest/origins.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { slice } from '../../models/series/types.ts';

const DEFAULT_SERIES = [
  'elb_request_count_8c0756',
  'ec2_cpu_utilization_5f5533',
  'Twitter_volume_AAPL',
  'rds_cpu_utilization_e47b3b',
  'grok_asg_anomaly',
];
const M = 288;
const SHORT = 12;

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DATA_DIR = arg('data') ?? path.join(ROOT, 'data');

/** docs/backtest-protocol.md §2 origins (1-based index of the last training value), `count` spread over the kept ones. */
function origins(n: number, count: number): number[] {
  const kept = rollingOrigins(n, M).map((o) => o.trainEnd);
  if (count >= kept.length) return kept;
  return Array.from({ length: count }, (_, i) => kept[Math.round((i * (kept.length - 1)) / Math.max(1, count - 1))]);
}

function mase(actual: ArrayLike<number>, forecast: ArrayLike<number>, scale: number): number {
  return meanAbsoluteError(actual, forecast) / scale;
}

const gm = (xs: number[]): number => geometricMean(xs);
const mean = (xs: number[]): number => meanOf(xs);

interface Row {
  series: string;
  lstm12: number;
  naive12: number;
  snaive12: number;
  lstmDay: number;
  snaiveDay: number;
  cov80: number;
  fitMs: number;
  predictMs: number;
  epochs: number;
}

async function main(): Promise<void> {
  const backend = await initTfBackend((arg('backend') as TfBackendPreference | undefined) ?? 'wasm');
  const names =
    arg('series')?.split(',') ?? DEFAULT_SERIES.filter((name) => existsSync(path.join(DATA_DIR, `${name}.csv`)));
  const count = Number(arg('origins') ?? 5);
  const seed = Number(arg('seed') ?? 0);
  const props = JSON.parse(arg('props') ?? '{}') as LstmProps;
  const model = new LstmForecaster(props);
  console.log(`backend ${backend}; hyperparameters ${JSON.stringify(model.hyperparameters)}`);
  const rows: Row[] = [];
  for (const name of names) {
    const { series } = await readSeriesFile(path.join(DATA_DIR, `${name}.csv`));
    const y = series.values;
    const perOrigin: Omit<Row, 'series'>[] = [];
    for (const t of origins(y.length, count)) {
      const from = Math.max(0, t - 14 * M);
      const train = slice(series, from, t);
      const scale = seasonalScale(train.values, M);
      const actual = y.slice(t, t + M);
      const t0 = performance.now();
      await model.fit(train, { seed });
      const fitMs = performance.now() - t0;
      const forecast = model.predict(M, [80]);
      // The scaler's call: one hour ahead. Median of a few calls, so one GC pause does not count.
      const predictTimes = Array.from({ length: 9 }, () => {
        const t1 = performance.now();
        model.predict(SHORT);
        return performance.now() - t1;
      });
      const predictMs = median(predictTimes);
      const w = train.values;
      const naive = new Array<number>(M).fill(w[w.length - 1]);
      const snaive = Array.from(w.subarray(w.length - M));
      const band = forecast.intervals[0];
      let inside = 0;
      for (let h = 0; h < SHORT; h++) if (band.lower[h] <= actual[h] && actual[h] <= band.upper[h]) inside++;
      perOrigin.push({
        lstm12: mase(actual.subarray(0, SHORT), forecast.mean, scale),
        naive12: mase(actual.subarray(0, SHORT), naive, scale),
        snaive12: mase(actual.subarray(0, SHORT), snaive, scale),
        lstmDay: mase(actual, forecast.mean, scale),
        snaiveDay: mase(actual, snaive, scale),
        cov80: inside / SHORT,
        fitMs,
        predictMs,
        epochs: model.validation?.epochs ?? 0,
      });
    }
    const row: Row = {
      series: name,
      lstm12: mean(perOrigin.map((r) => r.lstm12)),
      naive12: mean(perOrigin.map((r) => r.naive12)),
      snaive12: mean(perOrigin.map((r) => r.snaive12)),
      lstmDay: mean(perOrigin.map((r) => r.lstmDay)),
      snaiveDay: mean(perOrigin.map((r) => r.snaiveDay)),
      cov80: mean(perOrigin.map((r) => r.cov80)),
      fitMs: median(perOrigin.map((r) => r.fitMs)),
      predictMs: median(perOrigin.map((r) => r.predictMs)),
      epochs: mean(perOrigin.map((r) => r.epochs)),
    };
    rows.push(row);
    console.log(
      `${name.padEnd(28)} origins ${perOrigin.length}  MASE12 lstm ${row.lstm12.toFixed(3)} naive ${row.naive12.toFixed(3)} ` +
        `snaive ${row.snaive12.toFixed(3)}  MASEday lstm ${row.lstmDay.toFixed(3)} snaive ${row.snaiveDay.toFixed(3)}  ` +
        `cov80 ${row.cov80.toFixed(2)}  fit ${row.fitMs.toFixed(0)} ms (${row.epochs.toFixed(1)} epochs)  ` +
        `predict ${row.predictMs.toFixed(1)} ms  tensors ${tf.memory().numTensors}`,
    );
  }
  model.dispose();
  console.log(
    `GM MASE12 lstm ${gm(rows.map((r) => r.lstm12)).toFixed(3)} naive ${gm(rows.map((r) => r.naive12)).toFixed(3)} ` +
      `snaive ${gm(rows.map((r) => r.snaive12)).toFixed(3)} | GM MASEday lstm ${gm(rows.map((r) => r.lstmDay)).toFixed(3)} ` +
      `snaive ${gm(rows.map((r) => r.snaiveDay)).toFixed(3)} | mean cov80 ${mean(rows.map((r) => r.cov80)).toFixed(2)} | ` +
      `median fit ${median(rows.map((r) => r.fitMs)).toFixed(0)} ms on ${backend}`,
  );
}

await main();
