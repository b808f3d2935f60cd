import type { Controller } from '../../fleet/types.ts';
import { decide, type ForecastPolicy, type LoadForecast } from '../../policy/decide.ts';

/** Where the scaler gets its forecast: the newest one that could exist at a given time. */
export interface ForecastSource {
  /** The forecast made from the data visible at `nowSeconds`, or undefined when there is none yet. */
  forecastAt(nowSeconds: number): LoadForecast | undefined;
}

/** The prescale scaler as the simulator runs it: every tick, fetch the forecast, decide, apply. */
export function scalerController(source: ForecastSource, policy: ForecastPolicy, name = 'prescale-scaler'): Controller {
  return {
    name,
    tickSeconds: policy.tickSeconds,
    tick(view) {
      const decision = decide(view.nowSeconds, source.forecastAt(view.nowSeconds), view, policy);
      return { minSize: decision.minSize, desiredCapacity: decision.desiredCapacity, reason: decision.reason };
    },
  };
}
