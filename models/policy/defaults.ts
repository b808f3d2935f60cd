import type { ReactiveThresholds } from './reactive.ts';

/**
 * The production defaults: what the construct deploys, what the scaler runs when a setting is
 * not given, and what the experiment's `prescale` strategy simulates. One table, so that the
 * simulated scaler and the deployed one cannot drift apart.
 *
 * The default policy was chosen on the shared traces (docs/results.md, "Choosing the default
 * policy"): plan for a percentile of the forecast at 80% CPU, and keep a reactive fallback for
 * surprises that scales out 10 points above the planned CPU (at 90%). The interval does the
 * hedging, so the planned utilization can be high; a fallback at 70% would double the headroom
 * the percentile already bought.
 *
 * The experiment's knob is a hedge level: up to 90 it is the planned percentile (at 80% CPU);
 * above 90 the percentile stays at the 90th, the planned CPU falls 10 points per 10 of hedge
 * (100 is the 90th percentile at 70% CPU, 140 at 30%), the fallback follows it down, and the
 * plan never falls below the newest observed load. Beyond the 90th percentile the calibrated
 * tails of bursty series grow very wide (on Twitter_volume_AAPL the 99.5th percentile cost 6.5
 * times the 90th); headroom by utilization buys the last minutes far more cheaply. Above 120 the
 * observed load planned for is the last hour's peak (capacity a burst needed is held an hour),
 * and above 150 the hold grows (to a day at 160) at 20% CPU: on bursty traces the strictest SLOs
 * are met by holding capacity, not by planning every minute cooler.
 */
export const PRESCALE_POLICY = {
  kind: 'quantile' as const,
  targetUtilizationPct: 80,
  defaultQuantilePct: 75,
  hedgeGrid: [
    10, 25, 40, 50, 60, 70, 75, 80, 85, 90, 95, 100, 105, 110, 115, 120, 125, 130, 135, 140, 145, 150, 155, 160,
  ],
  /** The fallback scales out this many CPU points above the planned utilization... */
  fallbackHeadroomPct: 10,
  /** ...and at this CPU at most. */
  fallbackMaxScaleOutPct: 90,
  /** Above this hedge level the observed load planned for is the last hour's peak... */
  holdFromHedge: 120,
  holdSeconds: 3600,
  /** ...and the planned CPU stops falling here, the hold growing instead (155: 12.5 hours, 160: a day). */
  lowestUtilizationPct: 20,
};

/** The interval levels (percent) every scaler forecast carries: the policies read their bounds. */
export const FORECAST_LEVELS: readonly number[] = [50, 80, 90, 95, 99];

/** Seconds after a CloudWatch interval ends before its datapoint can be read. */
export const METRIC_PUBLISH_DELAY_SECONDS = 60;

/**
 * Steps the scaler forecasts on each tick: an hour, and always past the lead time (an instance
 * launched now serves after boot, and the floor must hold until the next tick is effective).
 */
export function forecastHorizonSteps(stepSeconds: number, leadSeconds: number): number {
  return Math.max(Math.ceil(3600 / stepSeconds), Math.ceil(leadSeconds / stepSeconds) + 1);
}

/** The reactive fallback that goes with a planned utilization: 10 points above it, at most 90% CPU. */
export function prescaleFallback(targetUtilizationPct: number): ReactiveThresholds {
  return {
    scaleOutPct: Math.min(
      PRESCALE_POLICY.fallbackMaxScaleOutPct,
      targetUtilizationPct + PRESCALE_POLICY.fallbackHeadroomPct,
    ),
  };
}

/**
 * The percentile, planned CPU, observed-load floor and hold of a hedge level (see PRESCALE_POLICY).
 * Up to 90: the percentile at 80% CPU. Above: the 90th percentile, the planned CPU 10 points
 * lower per 10 of hedge (down to 20% at 150), at least the newest observed load; above 120 at
 * least the last hour's peak observed load (a burst's capacity held an hour after it: on the
 * spiky ELB trace the cheapest setting serving 99.9% of demand cost 19% less); above 150 the
 * CPU stays at 20% and the hold grows to a day at 160.
 */
export function hedgeSetting(hedge: number): {
  quantilePct: number;
  targetUtilizationPct: number;
  observedFloorPct: number;
  observedPeakSeconds: number;
} {
  if (!(hedge > 0 && hedge <= 160)) throw new RangeError(`prescale hedge must be within (0, 160], got ${hedge}`);
  if (hedge <= 90)
    return {
      quantilePct: hedge,
      targetUtilizationPct: PRESCALE_POLICY.targetUtilizationPct,
      observedFloorPct: 0,
      observedPeakSeconds: 0,
    };
  const lowest = PRESCALE_POLICY.lowestUtilizationPct;
  return {
    quantilePct: 90,
    targetUtilizationPct: Math.max(lowest, PRESCALE_POLICY.targetUtilizationPct - (hedge - 90)),
    observedFloorPct: 100,
    observedPeakSeconds:
      hedge <= PRESCALE_POLICY.holdFromHedge
        ? 0
        : hedge <= 150
          ? PRESCALE_POLICY.holdSeconds
          : Math.round(PRESCALE_POLICY.holdSeconds + ((hedge - 150) / 10) * (86_400 - PRESCALE_POLICY.holdSeconds)),
  };
}
