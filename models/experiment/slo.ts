import type { StrategyMetrics } from './metrics.ts';

/** What the user promises: at most this much demand unserved, and optionally this many minutes short. */
export interface Slo {
  /** Percent of the window's demand not served. @default 0.1 (99.9% served) */
  readonly unservedPct: number;
  /** Percent of the window's minutes with demand above serving capacity; unbounded when absent. */
  readonly underProvisionedPct?: number;
}

export const DEFAULT_SLO: Slo = { unservedPct: 0.1 };

/**
 * How much of the SLO's allowance a setting may spend on the tuning window: none. Seven days of
 * history rarely show the worst of the days after them (on the development traces, settings that
 * just met 0.1% unserved on the history missed it afterwards on every trace; settings that served
 * all of the history's demand met it on two of three; docs/results.md, "Choosing on the
 * history"), so the allowance is kept for what the history did not show. The same rule for every
 * strategy.
 */
export const TUNING_SLO_FRACTION = 0;

/** The SLO a setting must meet on the tuning window to be chosen there. */
export function tuningSlo(slo: Slo, fraction = TUNING_SLO_FRACTION): Slo {
  return {
    unservedPct: slo.unservedPct * fraction,
    underProvisionedPct: slo.underProvisionedPct === undefined ? undefined : slo.underProvisionedPct * fraction,
  };
}

/** Validate an SLO, naming the bad field. */
export function validatedSlo(slo: Slo): Slo {
  const pct = (name: string, v: number) => {
    if (!(Number.isFinite(v) && v >= 0 && v <= 100))
      throw new RangeError(`SLO '${name}' must be within [0, 100], got ${v}`);
  };
  pct('unservedPct', slo.unservedPct);
  if (slo.underProvisionedPct !== undefined) pct('underProvisionedPct', slo.underProvisionedPct);
  return slo;
}

export function meetsSlo(m: Pick<StrategyMetrics, 'unservedPct' | 'underProvisionedPct'>, slo: Slo): boolean {
  // A relative tolerance, so that a figure equal to the SLO meets it whatever the float rounding.
  const within = (value: number, bound: number) => value <= bound * (1 + 1e-9) + 1e-12;
  return (
    within(m.unservedPct, slo.unservedPct) &&
    (slo.underProvisionedPct === undefined || within(m.underProvisionedPct, slo.underProvisionedPct))
  );
}

/** A strategy's setting as evaluated on the tuning window (history) and on the evaluation window. */
export interface SettingResult {
  readonly knob: number;
  /** Over the history's tuning window. */
  readonly history: StrategyMetrics;
  /** Over the evaluation window. */
  readonly evaluation: StrategyMetrics;
}

/** A strategy at an SLO: its cheapest setting meeting it in hindsight, and the one history chose. */
export interface StrategyAtSlo {
  /** The cheapest setting meeting the SLO on the evaluation window (hindsight); null when none does. */
  readonly hindsight: SettingResult | null;
  /**
   * The setting chosen on the history alone: the cheapest meeting the tuning SLO (`tuningSlo`)
   * over the tuning window, or, when none does there, the one closest to it (least unserved, then
   * cheapest).
   */
  readonly tuned: SettingResult & {
    /** Whether the chosen setting met the tuning SLO on the history. */
    readonly metSloOnHistory: boolean;
    /** Whether it then met the SLO on the evaluation window. */
    readonly meetsSlo: boolean;
  };
}

/** The cheapest setting meeting the SLO in the window `of` reads; undefined when none does. */
export function cheapestMeeting(
  settings: readonly SettingResult[],
  slo: Slo,
  of: (s: SettingResult) => StrategyMetrics,
): SettingResult | undefined {
  let best: SettingResult | undefined;
  for (const s of settings) {
    if (!meetsSlo(of(s), slo)) continue;
    if (best === undefined || of(s).instanceHours < of(best).instanceHours) best = s;
  }
  return best;
}

/** A strategy's hindsight and history-tuned settings at the SLO. */
export function strategyAtSlo(
  settings: readonly SettingResult[],
  slo: Slo,
  tuningFraction = TUNING_SLO_FRACTION,
): StrategyAtSlo {
  if (settings.length === 0) throw new RangeError('a strategy needs at least one setting to choose from');
  const onHistory = cheapestMeeting(settings, tuningSlo(slo, tuningFraction), (s) => s.history);
  const closest = [...settings].sort(
    (a, b) =>
      a.history.unservedPct - b.history.unservedPct ||
      a.history.underProvisionedPct - b.history.underProvisionedPct ||
      a.history.instanceHours - b.history.instanceHours,
  )[0];
  const chosen = onHistory ?? closest;
  return {
    hindsight: cheapestMeeting(settings, slo, (s) => s.evaluation) ?? null,
    tuned: {
      ...chosen,
      metSloOnHistory: onHistory !== undefined,
      meetsSlo: meetsSlo(chosen.evaluation, slo),
    },
  };
}
