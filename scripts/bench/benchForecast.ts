/**
 * Speed benchmark of the forecasting engine on a real 14-day 5-minute window (4032 points):
 *   - arima fit + forecast (median over windows),
 *   - lstm training,
 *   - one ensemble forecast from a loaded checkpoint, and a full scaler tick
 *     (load checkpoint + condition on the newest window + forecast).
 * Usage: npx tsx scripts/bench/benchForecast.ts FILE [--json]   (FILE: at least 14 days + 11 hours of 5-minute data,
 *        longer than the bundled traces, e.g. NAB's Twitter_volume_AAPL.csv)
 * Single process; run it on an idle machine.
 */
import { performance } from 'node:perf_hooks';
import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import { initTfBackend } from '../../models/forecast/lstm/backend.ts';
import { LstmForecaster } from '../../models/forecast/lstm/LstmForecaster.ts';
import { createForecaster, loadForecaster } from '../../models/forecast/registry.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { slice } from '../../models/series/types.ts';
import { median } from '../../models/backtest/metrics.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const file = args.find((a) => !a.startsWith('--'));
if (file === undefined) {
  process.stderr.write(
    'usage: npx tsx scripts/bench/benchForecast.ts FILE [--json]  (at least 14 days + 11 hours, 5-minute)\n',
  );
  process.exit(2);
}
const backend = await initTfBackend();
const { name, series } = await readSeriesFile(file);
const WINDOW = 4032;
if (series.values.length < WINDOW + 132) {
  process.stderr.write(
    `${file} has ${series.values.length} points; the benchmark needs ${WINDOW + 132} (14 days and 11 hours)\n`,
  );
  process.exit(2);
}
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};

const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
};

// The last window and a few earlier ones, one hour apart, as consecutive scaler ticks would see.
const ends = Array.from({ length: 11 }, (_, k) => series.values.length - 12 * k);
const arimaMs: number[] = [];
for (const end of ends) {
  const window = slice(series, end - WINDOW, end);
  const [, ms] = await time(async () => (await new ArimaForecaster().fit(window)).predict(288));
  arimaMs.push(ms);
}
log(`arima fit+forecast: median ${median(arimaMs).toFixed(0)} ms over ${arimaMs.length} windows`);

const full = slice(series, series.values.length - WINDOW, series.values.length);
const [, lstmMs] = await time(() => new LstmForecaster().fit(full, { seed: 0 }));
log(`lstm training on ${WINDOW} points: ${(lstmMs / 1000).toFixed(1)} s (${backend})`);

const earlier = slice(series, series.values.length - WINDOW - 12, series.values.length - 12);
const [ensemble, ensembleFitMs] = await time(() => createForecaster('ensemble').fit(earlier, { seed: 0 }));
log(`ensemble daily fit (members, validation, calibration): ${(ensembleFitMs / 1000).toFixed(1)} s`);
const checkpoint = ensemble.toCheckpoint();
const serialized = { manifest: JSON.stringify(checkpoint.manifest), blobs: checkpoint.blobs };
const predictMs: number[] = [];
const tickMs: number[] = [];
for (let k = 0; k < 5; k++) {
  const [loaded, loadMs] = await time(() =>
    loadForecaster({ manifest: JSON.parse(serialized.manifest), blobs: serialized.blobs }),
  );
  const [, forecastMs] = await time(() => loaded.predict(12, [80, 95]));
  predictMs.push(loadMs + forecastMs);
  const [, conditionMs] = await time(() => loaded.condition(full));
  const [, fcMs] = await time(() => loaded.predict(12, [80, 95]));
  tickMs.push(loadMs + conditionMs + fcMs);
}
log(`ensemble forecast from a loaded checkpoint (load + predict): median ${median(predictMs).toFixed(1)} ms`);
log(
  `scaler tick (load + condition on the newest 14 days, ARIMA refit included, + predict): median ${median(tickMs).toFixed(0)} ms`,
);

if (json) {
  process.stdout.write(
    `${JSON.stringify({
      series: name,
      backend,
      arimaFitForecastMsMedian: median(arimaMs),
      lstmTrainMs: lstmMs,
      ensembleFitMs,
      ensembleLoadPredictMsMedian: median(predictMs),
      scalerTickMsMedian: median(tickMs),
    })}\n`,
  );
}
