import { minimumTopUpSeconds } from './billing.ts';

/**
 * The group's instances as counters per state. An instance boots for `bootSeconds` (billed,
 * not serving), then serves; for its first `warmupSeconds` of serving it is warming: it serves
 * but is left out of the alarms' metrics and blocks policy scale-in. Instances still booting or
 * warming are kept as cohorts (launched in the same minute), oldest first, in a ring that
 * never holds more than one cohort per minute of boot and warm-up; warm instances are
 * interchangeable, so they are one counter. Nothing is allocated after construction.
 *
 * Termination order: booting instances first (newest first), then warming ones (newest
 * first), then warm ones. AWS's default termination policy first balances Availability Zones
 * and then prefers instances with the oldest launch template or configuration; with one zone
 * and one launch template that leaves the choice open, and newest-first is the neutral choice
 * that never gives up serving capacity before pending capacity.
 */
export class Instances {
  booting = 0;
  warming = 0;
  warm = 0;
  private readonly launchedAt: Float64Array;
  private readonly counts: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    private readonly bootSeconds: number,
    private readonly warmupSeconds: number,
  ) {
    const slots = Math.ceil((bootSeconds + warmupSeconds) / 60) + 2;
    this.launchedAt = new Float64Array(slots);
    this.counts = new Float64Array(slots);
  }

  get total(): number {
    return this.booting + this.warming + this.warm;
  }

  /** Instances booting or warming up: a scale-out in progress. */
  get pending(): number {
    return this.booting + this.warming;
  }

  /** Add instances that are already warm (the group's capacity when the simulation starts). */
  addWarm(count: number): void {
    this.warm += count;
  }

  launch(atSeconds: number, count: number): void {
    if (count <= 0) return;
    const slots = this.launchedAt.length;
    if (this.size > 0) {
      const last = (this.head + this.size - 1) % slots;
      if (this.launchedAt[last] === atSeconds) {
        this.counts[last] += count;
        this.booting += count;
        return;
      }
    }
    if (this.size === slots)
      throw new RangeError(`more than ${slots} cohorts pending: call advance() each minute before launching`);
    const at = (this.head + this.size) % slots;
    this.launchedAt[at] = atSeconds;
    this.counts[at] = count;
    this.size++;
    this.booting += count;
  }

  /** Move cohorts to their state at `nowSeconds`: boot finished -> warming, warm-up finished -> warm. */
  advance(nowSeconds: number): void {
    this.promote(nowSeconds);
    let booting = 0,
      warming = 0;
    const slots = this.launchedAt.length;
    for (let i = 0; i < this.size; i++) {
      const k = (this.head + i) % slots;
      if (nowSeconds - this.launchedAt[k] < this.bootSeconds) booting += this.counts[k];
      else warming += this.counts[k];
    }
    this.booting = booting;
    this.warming = warming;
  }

  /**
   * Terminate `count` instances at `nowSeconds` in the order above. Returns the seconds to
   * bill on top of the time they ran (EC2's 60-second minimum).
   */
  terminate(nowSeconds: number, count: number): number {
    let left = count;
    let topUp = 0;
    const slots = this.launchedAt.length;
    while (left > 0 && this.size > 0) {
      const k = (this.head + this.size - 1) % slots;
      const n = Math.min(left, this.counts[k]);
      const launched = this.launchedAt[k];
      topUp += n * minimumTopUpSeconds(launched, nowSeconds);
      if (nowSeconds - launched < this.bootSeconds) this.booting -= n;
      else this.warming -= n;
      this.counts[k] -= n;
      left -= n;
      if (this.counts[k] === 0) this.size--;
    }
    const n = Math.min(left, this.warm);
    this.warm -= n;
    return topUp;
  }

  /** Fold into `warm` the oldest cohorts whose warm-up ended by `nowSeconds`. */
  private promote(nowSeconds: number): void {
    const slots = this.launchedAt.length;
    while (this.size > 0 && nowSeconds - this.launchedAt[this.head] >= this.bootSeconds + this.warmupSeconds) {
      this.warm += this.counts[this.head];
      this.head = (this.head + 1) % slots;
      this.size--;
    }
  }
}
