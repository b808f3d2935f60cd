/**
 * Instances needed to serve a load at a target utilization: the formula AWS uses to infer
 * required capacity, and the one prescale's policies, the oracle and `auto` sizing share.
 */
export function instancesForLoad(
  loadPerMinute: number,
  capacityPerInstance: number,
  targetUtilizationPct: number,
): number {
  if (!(capacityPerInstance > 0))
    throw new RangeError(`'capacityPerInstance' must be positive, got ${capacityPerInstance}`);
  if (!(targetUtilizationPct > 0 && targetUtilizationPct <= 100)) {
    throw new RangeError(`'targetUtilizationPct' must be within (0, 100], got ${targetUtilizationPct}`);
  }
  if (!(loadPerMinute > 0)) return 0;
  // A hair of tolerance so that a load of exactly 3 instances' worth does not become 4 through rounding noise.
  return Math.ceil(loadPerMinute / (capacityPerInstance * (targetUtilizationPct / 100)) - 1e-9);
}

export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
