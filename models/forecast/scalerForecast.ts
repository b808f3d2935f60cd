import type { LoadForecast } from '../policy/decide.ts';
import { FORECAST_LEVELS, forecastHorizonSteps, METRIC_PUBLISH_DELAY_SECONDS } from '../policy/defaults.ts';
import { recentObservedSteps, toLoadForecast } from '../policy/loadForecast.ts';
import type { LoadKind } from '../policy/loadUnits.ts';
import type { LoadWindow } from '../ports.ts';
import type { RegularSeries } from '../series/types.ts';
import type { Checkpoint, Forecast, Forecaster } from './types.ts';

const DAY = 86_400;
/** The scaler, the trainer and the prediction URL read the load at 5-minute periods. */
export const LOAD_STEP_SECONDS = 300;
/** The scaler forecasts from at least a day of history; with less it changes nothing. */
export const MIN_SCALER_POINTS = DAY / LOAD_STEP_SECONDS;

/**
 * The load history read at `nowSeconds`: the last `historyDays` of whole 5-minute periods that
 * CloudWatch has published by then (a period is complete `delaySeconds` after it ends). A period
 * still filling is left out: its Sum would read low. The scaler and the trainer both use it.
 */
export function historyWindow(
  nowSeconds: number,
  historyDays: number,
  delaySeconds: number = METRIC_PUBLISH_DELAY_SECONDS,
): LoadWindow {
  const endSeconds = Math.floor((nowSeconds - delaySeconds) / LOAD_STEP_SECONDS) * LOAD_STEP_SECONDS;
  return { startSeconds: endSeconds - historyDays * DAY, endSeconds, stepSeconds: LOAD_STEP_SECONDS };
}

/** How old a promoted checkpoint is at `nowSeconds`, and why it is too old to use, if it is. */
export function checkpointAge(
  checkpoint: Checkpoint,
  version: string,
  nowSeconds: number,
  maxAgeHours: number,
): { readonly ageHours: number; readonly staleReason?: string } {
  const ageHours = (nowSeconds - checkpoint.manifest.trainingWindow.endSeconds) / 3600;
  if (!(ageHours > maxAgeHours)) return { ageHours };
  return {
    ageHours,
    staleReason: `checkpoint ${version} is stale (${ageHours.toFixed(1)} h old, limit ${maxAgeHours} h)`,
  };
}

/**
 * The scaler's forecast on one tick: the model conditioned on the history, then a forecast past
 * the lead time (boot, the next tick, the publishing delay), as `decide()` takes it.
 */
export async function tickForecast(
  model: Forecaster,
  history: RegularSeries,
  kind: LoadKind,
  policy: { readonly bootSeconds: number; readonly tickSeconds: number },
): Promise<{ readonly forecast: Forecast; readonly loadForecast: LoadForecast }> {
  await model.condition(history);
  const steps = forecastHorizonSteps(
    history.stepSeconds,
    policy.bootSeconds + policy.tickSeconds + METRIC_PUBLISH_DELAY_SECONDS,
  );
  const forecast = model.predict(steps, FORECAST_LEVELS);
  const startSeconds = history.startSeconds + history.values.length * history.stepSeconds;
  const loadForecast = toLoadForecast(
    forecast,
    startSeconds,
    history.stepSeconds,
    kind,
    history.values[history.values.length - 1],
    Array.prototype.slice.call(history.values, -recentObservedSteps(history.stepSeconds)),
  );
  return { forecast, loadForecast };
}
