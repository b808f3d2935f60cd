import { BASELINES, type StrategyName } from './strategies/catalogue.ts';
import type { StrategyMetrics } from './metrics.ts';
import type { Slo, StrategyAtSlo } from './slo.ts';

/**
 * What to deploy: prescale, when its setting tuned on the history is cheaper there than every
 * baseline's tuned the same way at the SLO; otherwise the baseline that was ('stay reactive', or
 * AWS predictive scaling when its emulation won).
 */
export type Verdict = 'prescale' | 'stay-reactive' | 'aws-predictive';

export interface Recommendation {
  readonly verdict: Verdict;
  readonly strategy: StrategyName;
  readonly knob: number;
  readonly slo: Slo;
  /** The history window the setting was chosen on (epoch seconds, end exclusive). */
  readonly tunedOn: { readonly startSeconds: number; readonly endSeconds: number };
  /** Whether the setting met the SLO on the history (if none did, the closest was taken). */
  readonly metSloOnHistory: boolean;
  readonly history: StrategyMetrics;
  /** How the setting then did on the evaluation window (no hindsight in the choice). */
  readonly evaluation: StrategyMetrics;
  readonly meetsSlo: boolean;
  /** The best baseline tuned the same way (cheapest on the history at the SLO), and its setting. */
  readonly bestBaseline: { readonly strategy: StrategyName; readonly knob: number } | null;
  /** Evaluation instance-hours over that baseline's; null without a baseline. */
  readonly vsBestBaseline: number | null;
  /** Over the cheapest baseline setting meeting the SLO on the evaluation window (hindsight); null when none does. */
  readonly vsBestBaselineHindsight: number | null;
}

type Tuned = StrategyAtSlo['tuned'];

/** Better on the history: meets the SLO there, then cheaper; between two that miss, the closer. */
function betterOnHistory(a: Tuned, b: Tuned): boolean {
  if (a.metSloOnHistory !== b.metSloOnHistory) return a.metSloOnHistory;
  if (a.metSloOnHistory) return a.history.instanceHours < b.history.instanceHours;
  return a.history.unservedPct < b.history.unservedPct;
}

/** Choose what to deploy from each strategy's history-tuned setting; undefined without prescale. */
export function recommend(
  atSlo: Partial<Record<StrategyName, StrategyAtSlo>>,
  slo: Slo,
  tunedOn: Recommendation['tunedOn'],
): Recommendation | undefined {
  const prescale = atSlo.prescale;
  if (prescale === undefined) return undefined;
  let bestBaseline: { name: StrategyName; at: StrategyAtSlo } | undefined;
  let hindsightHours: number | undefined;
  for (const name of BASELINES) {
    const at = atSlo[name];
    if (at === undefined) continue;
    if (bestBaseline === undefined || betterOnHistory(at.tuned, bestBaseline.at.tuned)) bestBaseline = { name, at };
    const h = at.hindsight?.evaluation.instanceHours;
    if (h !== undefined && (hindsightHours === undefined || h < hindsightHours)) hindsightHours = h;
  }
  const prescaleWins = bestBaseline === undefined || betterOnHistory(prescale.tuned, bestBaseline.at.tuned);
  const winner = prescaleWins
    ? { name: 'prescale' as const, at: prescale }
    : (bestBaseline as NonNullable<typeof bestBaseline>);
  const chosen = winner.at.tuned;
  const verdict: Verdict = prescaleWins
    ? 'prescale'
    : winner.name === 'aws-predictive'
      ? 'aws-predictive'
      : 'stay-reactive';
  const hours = chosen.evaluation.instanceHours;
  return {
    verdict,
    strategy: winner.name,
    knob: chosen.knob,
    slo,
    tunedOn,
    metSloOnHistory: chosen.metSloOnHistory,
    history: chosen.history,
    evaluation: chosen.evaluation,
    meetsSlo: chosen.meetsSlo,
    bestBaseline: bestBaseline === undefined ? null : { strategy: bestBaseline.name, knob: bestBaseline.at.tuned.knob },
    vsBestBaseline: bestBaseline === undefined ? null : hours / bestBaseline.at.tuned.evaluation.instanceHours,
    vsBestBaselineHindsight: hindsightHours === undefined ? null : hours / hindsightHours,
  };
}

/** prescale's cost at the SLO against the best baseline's, both chosen the same way. */
export interface SloCostComparison {
  /** prescale's evaluation instance-hours, or null when no setting qualifies. */
  readonly prescale: { readonly knob: number; readonly instanceHours: number; readonly meetsSlo: boolean } | null;
  readonly bestBaseline: {
    readonly strategy: StrategyName;
    readonly knob: number;
    readonly instanceHours: number;
    readonly meetsSlo: boolean;
  } | null;
  /** prescale over the best baseline (below 1 favours prescale); null when either is missing. */
  readonly ratio: number | null;
}

/**
 * Cost at the SLO, two ways: in hindsight (every strategy at its cheapest setting meeting the
 * SLO on the evaluation window; the best baseline is the cheapest of those), and tuned on the
 * history (each at the setting its history chose, whatever it then did; the best baseline is the
 * one the history preferred).
 */
export function sloCostComparison(atSlo: Partial<Record<StrategyName, StrategyAtSlo>>): {
  hindsight: SloCostComparison;
  tuned: SloCostComparison;
} {
  const p = atSlo.prescale;
  let hindsightBest: SloCostComparison['bestBaseline'] = null;
  let tunedBest: { name: StrategyName; tuned: Tuned } | undefined;
  for (const name of BASELINES) {
    const at = atSlo[name];
    if (at === undefined) continue;
    const h = at.hindsight;
    if (h !== null && (hindsightBest === null || h.evaluation.instanceHours < hindsightBest.instanceHours))
      hindsightBest = { strategy: name, knob: h.knob, instanceHours: h.evaluation.instanceHours, meetsSlo: true };
    if (tunedBest === undefined || betterOnHistory(at.tuned, tunedBest.tuned)) tunedBest = { name, tuned: at.tuned };
  }
  const hindsightPrescale =
    p?.hindsight == null
      ? null
      : { knob: p.hindsight.knob, instanceHours: p.hindsight.evaluation.instanceHours, meetsSlo: true };
  const tunedPrescale =
    p === undefined
      ? null
      : { knob: p.tuned.knob, instanceHours: p.tuned.evaluation.instanceHours, meetsSlo: p.tuned.meetsSlo };
  const tunedBaseline =
    tunedBest === undefined
      ? null
      : {
          strategy: tunedBest.name,
          knob: tunedBest.tuned.knob,
          instanceHours: tunedBest.tuned.evaluation.instanceHours,
          meetsSlo: tunedBest.tuned.meetsSlo,
        };
  const ratio = (a: { instanceHours: number } | null, b: { instanceHours: number } | null) =>
    a === null || b === null || !(b.instanceHours > 0) ? null : a.instanceHours / b.instanceHours;
  return {
    hindsight: {
      prescale: hindsightPrescale,
      bestBaseline: hindsightBest,
      ratio: ratio(hindsightPrescale, hindsightBest),
    },
    tuned: { prescale: tunedPrescale, bestBaseline: tunedBaseline, ratio: ratio(tunedPrescale, tunedBaseline) },
  };
}
