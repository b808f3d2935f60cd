import { ArimaForecaster } from '../../models/forecast/arima/ArimaForecaster.ts';
import { initTfBackend } from '../../models/forecast/lstm/backend.ts';
import { loadForecaster } from '../../models/forecast/registry.ts';
import type { Forecaster } from '../../models/forecast/types.ts';
import { capacityPath, type ForecastPolicy } from '../../models/policy/decide.ts';
import { FORECAST_LEVELS } from '../../models/policy/defaults.ts';
import { toLoadForecast } from '../../models/policy/loadForecast.ts';
import type { CheckpointStore, MetricSource } from '../../models/ports.ts';
import { fillGaps } from '../../models/series/fillGaps.ts';
import { InsufficientDataError } from './errors.ts';

/** Horizons the prediction service answers, with the data each is forecast from. */
export const HORIZONS = {
  '1h': { steps: 12, stepSeconds: 300, historyDays: 14 },
  '6h': { steps: 72, stepSeconds: 300, historyDays: 14 },
  '1d': { steps: 288, stepSeconds: 300, historyDays: 14 },
  // CloudWatch keeps 5-minute data 63 days and hourly data 455: long horizons use hourly data.
  '7d': { steps: 168, stepSeconds: 3600, historyDays: 56 },
  '30d': { steps: 720, stepSeconds: 3600, historyDays: 91 },
} as const;
export type HorizonName = keyof typeof HORIZONS;

export interface GroupForecast {
  readonly group: string;
  readonly horizon: HorizonName;
  readonly stepSeconds: number;
  readonly timestamps: string[];
  readonly mean: number[];
  readonly lower80: number[];
  readonly upper80: number[];
  readonly lower95: number[];
  readonly upper95: number[];
  readonly recommendedCapacity: number[];
  readonly model: {
    readonly kind: string;
    readonly version: string | null;
    readonly validation: Record<string, number>;
    readonly note?: string;
  };
}

/**
 * A group's forecast over a horizon: up to a day from 5-minute data with the promoted
 * checkpoint (or an ARIMA fitted on the spot when there is none), longer from hourly data with
 * an ARIMA with daily and weekly terms.
 */
export async function forecastGroup(
  group: string,
  horizon: HorizonName,
  nowSeconds: number,
  policy: ForecastPolicy,
  metrics: MetricSource,
  store: CheckpointStore,
): Promise<GroupForecast> {
  const spec = HORIZONS[horizon];
  const end = Math.floor(nowSeconds / spec.stepSeconds) * spec.stepSeconds;
  const raw = await metrics.fetchLoad(group, {
    startSeconds: end - spec.historyDays * 86_400,
    endSeconds: end,
    stepSeconds: spec.stepSeconds,
  });
  const history = fillGaps(raw);
  const perDay = 86_400 / spec.stepSeconds;
  if (history === undefined || history.values.length < 2 * perDay) {
    throw new InsufficientDataError(
      `group '${group}' has ${history?.values.length ?? 0} datapoints at ${spec.stepSeconds} s; a ${horizon} forecast needs two days (${2 * perDay})`,
    );
  }
  let model: Forecaster;
  let info: GroupForecast['model'];
  const stored = spec.stepSeconds === 300 ? await store.loadPromoted(group) : undefined;
  if (stored !== undefined) {
    await initTfBackend();
    model = loadForecaster(stored.checkpoint);
    await model.condition(history);
    info = {
      kind: stored.checkpoint.manifest.kind,
      version: stored.version,
      validation: stored.checkpoint.manifest.validation ?? {},
    };
  } else {
    model = await new ArimaForecaster({ cachedDays: Math.ceil(spec.steps / perDay) + 1 }).fit(history);
    info = {
      kind: 'arima',
      version: null,
      validation: {},
      note:
        spec.stepSeconds === 300
          ? 'no promoted checkpoint: ARIMA fitted for this request'
          : 'hourly data: ARIMA with daily and weekly terms fitted for this request',
    };
  }
  const forecast = model.predict(spec.steps, FORECAST_LEVELS);
  const startSeconds = history.startSeconds + history.values.length * history.stepSeconds;
  const bound = (level: number, side: 'lower' | 'upper') =>
    forecast.intervals.find((i) => i.level === level)?.[side] ?? [];
  const loadForecast = toLoadForecast(forecast, startSeconds, spec.stepSeconds, raw.kind);
  const round = (v: number[]) => v.map((x) => Math.round(x * 1000) / 1000);
  return {
    group,
    horizon,
    stepSeconds: spec.stepSeconds,
    timestamps: forecast.mean.map((_, h) => new Date((startSeconds + h * spec.stepSeconds) * 1000).toISOString()),
    mean: round(forecast.mean),
    lower80: round(bound(80, 'lower')),
    upper80: round(bound(80, 'upper')),
    lower95: round(bound(95, 'lower')),
    upper95: round(bound(95, 'upper')),
    recommendedCapacity: capacityPath(loadForecast, policy),
    model: info,
  };
}
