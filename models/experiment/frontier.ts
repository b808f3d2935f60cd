/** One setting of a strategy's knob and what it cost and missed. */
export interface FrontierPoint {
  readonly knob: number;
  readonly instanceHours: number;
  readonly underProvisionedPct: number;
  readonly unservedPct: number;
}

export interface BaselineComparison {
  /**
   * prescale's under-provisioned minutes at the baseline's instance-hours, over the baseline's;
   * null when the baseline has none.
   */
  readonly underProvisionedRatioAtEqualCost: number | null;
  /**
   * prescale's instance-hours at the baseline's under-provisioning, over the baseline's; when the
   * baseline has none, prescale's cheapest setting with none. Null when prescale never gets there.
   */
  readonly costRatioAtEqualUnderProvisioning: number | null;
  /** True when a ratio needed prescale's frontier beyond its cheapest or dearest setting. */
  readonly extrapolated: boolean;
}

/**
 * The settings no other setting beats on both cost and under-provisioning, cheapest first:
 * under-provisioning falls as cost rises along it.
 */
export function paretoFrontier(points: readonly FrontierPoint[]): FrontierPoint[] {
  const sorted = [...points].sort(
    (a, b) => a.instanceHours - b.instanceHours || a.underProvisionedPct - b.underProvisionedPct,
  );
  const frontier: FrontierPoint[] = [];
  for (const p of sorted) {
    if (frontier.length === 0 || p.underProvisionedPct < frontier[frontier.length - 1].underProvisionedPct)
      frontier.push(p);
  }
  return frontier;
}

/** Under-provisioning along the frontier at a cost, by linear interpolation between settings. */
export function underProvisionedAtCost(
  frontier: readonly FrontierPoint[],
  instanceHours: number,
): { value: number; extrapolated: boolean } {
  const first = frontier[0];
  const last = frontier[frontier.length - 1];
  if (instanceHours >= last.instanceHours) return { value: last.underProvisionedPct, extrapolated: false };
  if (instanceHours < first.instanceHours) {
    // Cheaper than any setting tried: continue the first segment's slope (or keep the first value).
    const second = frontier[1];
    if (second === undefined) return { value: first.underProvisionedPct, extrapolated: true };
    const slope =
      (second.underProvisionedPct - first.underProvisionedPct) / (second.instanceHours - first.instanceHours);
    return {
      value: Math.min(100, first.underProvisionedPct + slope * (instanceHours - first.instanceHours)),
      extrapolated: true,
    };
  }
  for (let i = 1; i < frontier.length; i++) {
    const a = frontier[i - 1],
      b = frontier[i];
    if (instanceHours <= b.instanceHours) {
      const w = (instanceHours - a.instanceHours) / (b.instanceHours - a.instanceHours);
      return {
        value: a.underProvisionedPct + w * (b.underProvisionedPct - a.underProvisionedPct),
        extrapolated: false,
      };
    }
  }
  return { value: last.underProvisionedPct, extrapolated: false };
}

/** Cost along the frontier at an under-provisioning; at zero, the cheapest setting with zero. */
export function costAtUnderProvisioned(
  frontier: readonly FrontierPoint[],
  underProvisionedPct: number,
): { value: number | null; extrapolated: boolean } {
  const first = frontier[0];
  const last = frontier[frontier.length - 1];
  if (underProvisionedPct >= first.underProvisionedPct) return { value: first.instanceHours, extrapolated: false };
  if (underProvisionedPct <= 0) {
    return last.underProvisionedPct <= 0
      ? { value: last.instanceHours, extrapolated: false }
      : { value: null, extrapolated: false };
  }
  if (underProvisionedPct < last.underProvisionedPct) {
    const prev = frontier[frontier.length - 2];
    if (prev === undefined) return { value: null, extrapolated: true };
    const slope = (last.instanceHours - prev.instanceHours) / (last.underProvisionedPct - prev.underProvisionedPct);
    return { value: last.instanceHours + slope * (underProvisionedPct - last.underProvisionedPct), extrapolated: true };
  }
  for (let i = 1; i < frontier.length; i++) {
    const a = frontier[i - 1],
      b = frontier[i];
    if (underProvisionedPct >= b.underProvisionedPct) {
      const w = (a.underProvisionedPct - underProvisionedPct) / (a.underProvisionedPct - b.underProvisionedPct);
      return { value: a.instanceHours + w * (b.instanceHours - a.instanceHours), extrapolated: false };
    }
  }
  return { value: last.instanceHours, extrapolated: false };
}

/** prescale's frontier against one baseline setting. */
export function compareWithBaseline(prescale: readonly FrontierPoint[], baseline: FrontierPoint): BaselineComparison {
  const frontier = paretoFrontier(prescale);
  if (frontier.length === 0) throw new RangeError('prescale has no frontier points to compare');
  const under = underProvisionedAtCost(frontier, baseline.instanceHours);
  const cost = costAtUnderProvisioned(frontier, baseline.underProvisionedPct);
  return {
    underProvisionedRatioAtEqualCost:
      baseline.underProvisionedPct > 0 ? under.value / baseline.underProvisionedPct : null,
    costRatioAtEqualUnderProvisioning: cost.value === null ? null : cost.value / baseline.instanceHours,
    extrapolated: (baseline.underProvisionedPct > 0 && under.extrapolated) || cost.extrapolated,
  };
}

/** prescale's frontier against every setting of one baseline that a team might run. */
export interface FrontierRatios {
  /** The baseline's settings with at most `maxUnderProvisionedPct` of minutes under-provisioned. */
  readonly settings: number;
  /** Of those, how many prescale's frontier reaches (a cost at the same under-provisioning). */
  readonly compared: number;
  /** prescale's cost at equal under-provisioning over the baseline's: median and worst (largest). */
  readonly median: number | null;
  readonly worst: number | null;
}

/** The baseline settings a team might run: at most this percent of minutes under-provisioned. */
export const FRONTIER_MAX_UNDER_PROVISIONED_PCT = 5;

/** Frontier against frontier: prescale's cost ratio at every acceptable baseline setting. */
export function frontierRatios(
  prescale: readonly FrontierPoint[],
  baseline: readonly FrontierPoint[],
  maxUnderProvisionedPct = FRONTIER_MAX_UNDER_PROVISIONED_PCT,
): FrontierRatios {
  const candidates = baseline.filter((p) => p.underProvisionedPct <= maxUnderProvisionedPct);
  const ratios = candidates
    .map((p) => compareWithBaseline(prescale, p).costRatioAtEqualUnderProvisioning)
    .filter((r): r is number => r !== null)
    .sort((a, b) => a - b);
  const n = ratios.length;
  return {
    settings: candidates.length,
    compared: n,
    median: n === 0 ? null : n % 2 === 1 ? ratios[(n - 1) / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2,
    worst: n === 0 ? null : ratios[n - 1],
  };
}
