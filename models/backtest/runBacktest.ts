import type { RegularSeries } from '../series/types.ts';
import { slice, stepsPerDay } from '../series/types.ts';
import { SeasonalNaiveForecaster } from '../forecast/baselines.ts';
import { intervalAt } from '../forecast/intervals.ts';
import type { Forecast, Forecaster } from '../forecast/types.ts';
import { rollingOrigins, type Origin } from './origins.ts';
import {
  coverage,
  geometricMean,
  mase,
  mean,
  median,
  relativeWidth,
  seasonalScale,
  smape,
  sumSquaredError,
} from './metrics.ts';

export const PROTOCOL_ID = 'rolling-origin-v1';
export const SHORT_HORIZON_STEPS = 12;

export type HorizonName = 'short' | 'day';

/** How the backtest obtains a model for each origin. */
export interface ModelSpec {
  readonly name: string;
  readonly create: () => Forecaster;
  /**
   * Refit every this many origins and `condition` the last fit on the new window in between:
   * 1 for models refitted every scaler tick (ARIMA), 4 (once per simulated day) for the LSTM.
   * @default 1
   */
  readonly refitEveryOrigins?: number;
  /**
   * Start each refit from the previous origin's fit (`FitOptions.warmStart`), as the daily
   * trainer continues from the promoted model. @default false (every fit from scratch)
   */
  readonly warmStart?: boolean;
}

export interface BacktestRow {
  readonly series: string;
  readonly model: string;
  readonly horizon: HorizonName;
  readonly mase: number;
  readonly smape: number;
  readonly rmse: number;
  readonly cov80: number;
  readonly cov95: number;
  readonly relwidth80: number;
  readonly fit_ms_median: number;
  readonly n_origins: number;
  readonly failures: number;
  /** Mean over origins of whatever the model reports about itself (the ensemble's weights). */
  readonly diagnostics?: Record<string, number>;
}

export interface BacktestOptions {
  readonly horizons: readonly HorizonName[];
  /** A monotonic clock in milliseconds, passed in so the core never reads the wall clock. */
  readonly clockMs: () => number;
  readonly seed?: number;
  readonly onOriginDone?: (event: { model: string; origin: number; origins: number; failed: boolean }) => void;
}

interface OriginResult {
  readonly origin: Origin;
  readonly forecast: Forecast;
  readonly elapsedMs: number;
  readonly failed: boolean;
  readonly diagnostics?: Record<string, number>;
}

/** Models may expose numbers about themselves (e.g. ensemble weights) for the report. */
interface SelfDescribing {
  diagnostics(): Record<string, number>;
}
function hasDiagnostics(model: Forecaster): model is Forecaster & SelfDescribing {
  return typeof (model as Partial<SelfDescribing>).diagnostics === 'function';
}

function isUsable(forecast: Forecast, steps: number): boolean {
  const arrays = [forecast.mean, ...forecast.intervals.flatMap((i) => [i.lower, i.upper])];
  return arrays.every((a) => a.length === steps && a.every(Number.isFinite));
}

/** Fit (or condition) and forecast one model over every origin; failures fall back to snaive. */
export async function forecastOrigins(
  series: RegularSeries,
  spec: ModelSpec,
  options: BacktestOptions,
): Promise<OriginResult[]> {
  const m = stepsPerDay(series.stepSeconds);
  const origins = rollingOrigins(series.values.length, m);
  const refitEvery = spec.refitEveryOrigins ?? 1;
  const results: OriginResult[] = [];
  let model: Forecaster | undefined;
  for (const [k, origin] of origins.entries()) {
    const window = slice(series, origin.trainFrom, origin.trainEnd);
    const started = options.clockMs();
    let forecast: Forecast | undefined;
    let diagnostics: Record<string, number> | undefined;
    try {
      if (model === undefined || k % refitEvery === 0) {
        model = await spec
          .create()
          .fit(window, { seed: options.seed ?? 0, warmStart: spec.warmStart === true ? model : undefined });
      } else {
        await model.condition(window);
      }
      forecast = model.predict(m, [80, 95]);
      if (hasDiagnostics(model)) diagnostics = model.diagnostics();
    } catch {
      forecast = undefined;
      // A failed fit must not be reused by the following origins.
      if (k % refitEvery === 0) model = undefined;
    }
    const elapsedMs = options.clockMs() - started;
    const failed = forecast === undefined || !isUsable(forecast, m);
    if (failed) forecast = (await new SeasonalNaiveForecaster().fit(window)).predict(m, [80, 95]);
    results.push({ origin, forecast: forecast as Forecast, elapsedMs, failed, diagnostics });
    options.onOriginDone?.({ model: spec.name, origin: k + 1, origins: origins.length, failed });
  }
  return results;
}

/** Score per-origin forecasts on one horizon (docs/backtest-protocol.md §5). */
export function scoreHorizon(
  seriesName: string,
  series: RegularSeries,
  model: string,
  horizon: HorizonName,
  results: readonly OriginResult[],
): BacktestRow {
  const m = stepsPerDay(series.stepSeconds);
  const steps = horizon === 'short' ? SHORT_HORIZON_STEPS : m;
  const y = series.values;
  const mases: number[] = [],
    smapes: number[] = [],
    cov80s: number[] = [],
    cov95s: number[] = [],
    widths: number[] = [];
  let squared = 0;
  for (const { origin, forecast } of results) {
    const window = y.subarray(origin.trainFrom, origin.trainEnd);
    const actual = y.subarray(origin.trainEnd, origin.trainEnd + steps);
    const f = forecast.mean.slice(0, steps);
    const i80 = intervalAt(forecast, 80),
      i95 = intervalAt(forecast, 95);
    const originMase = mase(actual, f, seasonalScale(window, m));
    if (originMase !== undefined) mases.push(originMase);
    smapes.push(smape(actual, f));
    cov80s.push(coverage(actual, i80.lower.slice(0, steps), i80.upper.slice(0, steps)));
    cov95s.push(coverage(actual, i95.lower.slice(0, steps), i95.upper.slice(0, steps)));
    widths.push(relativeWidth(i80.lower.slice(0, steps), i80.upper.slice(0, steps), mean(window)));
    squared += sumSquaredError(actual, f);
  }
  return {
    series: seriesName,
    model,
    horizon,
    mase: mean(mases),
    smape: mean(smapes),
    rmse: Math.sqrt(squared / (results.length * steps)),
    cov80: mean(cov80s),
    cov95: mean(cov95s),
    relwidth80: mean(widths),
    fit_ms_median: median(results.map((r) => r.elapsedMs)),
    n_origins: results.length,
    failures: results.filter((r) => r.failed).length,
    diagnostics: averageDiagnostics(results),
  };
}

function averageDiagnostics(results: readonly OriginResult[]): Record<string, number> | undefined {
  const withDiagnostics = results.filter((r) => r.diagnostics !== undefined);
  if (withDiagnostics.length === 0) return undefined;
  const sums: Record<string, number> = {};
  for (const r of withDiagnostics)
    for (const [k, v] of Object.entries(r.diagnostics ?? {})) sums[k] = (sums[k] ?? 0) + v;
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / withDiagnostics.length]));
}

/** Backtest every model on one series and score it on each requested horizon. */
export async function backtestSeries(
  seriesName: string,
  series: RegularSeries,
  specs: readonly ModelSpec[],
  options: BacktestOptions,
): Promise<BacktestRow[]> {
  const rows: BacktestRow[] = [];
  for (const spec of specs) {
    const results = await forecastOrigins(series, spec, options);
    for (const horizon of options.horizons) rows.push(scoreHorizon(seriesName, series, spec.name, horizon, results));
  }
  return rows;
}

export interface SummaryRow {
  readonly model: string;
  readonly horizon: HorizonName;
  readonly gmMase: number;
  readonly smape: number;
  readonly cov80: number;
  readonly cov95: number;
  readonly relwidth80: number;
  readonly fitMsMedian: number;
  readonly series: number;
  readonly failures: number;
}

/** Across series: geometric mean MASE, arithmetic means, median of the per-series median times. */
export function summarize(rows: readonly BacktestRow[]): SummaryRow[] {
  const keys = [...new Set(rows.map((r) => `${r.horizon}\u0000${r.model}`))];
  return keys.map((key) => {
    const [horizon, model] = key.split('\u0000') as [HorizonName, string];
    const group = rows.filter((r) => r.horizon === horizon && r.model === model);
    return {
      model,
      horizon,
      gmMase: geometricMean(group.map((r) => r.mase)),
      smape: mean(group.map((r) => r.smape)),
      cov80: mean(group.map((r) => r.cov80)),
      cov95: mean(group.map((r) => r.cov95)),
      relwidth80: mean(group.map((r) => r.relwidth80)),
      fitMsMedian: median(group.map((r) => r.fit_ms_median)),
      series: group.length,
      failures: group.reduce((s, r) => s + r.failures, 0),
    };
  });
}
