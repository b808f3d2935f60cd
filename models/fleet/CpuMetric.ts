/**
 * The group's average CPU as CloudWatch publishes it: one datapoint per period, periods aligned
 * to the clock (multiples of the period since the epoch, as CloudWatch aggregates), the first
 * one possibly partial. A datapoint is the mean, over the period's minutes that had a warm
 * instance, of the warm instances' CPU (load is spread evenly, so every warm instance has the
 * minute's CPU); warming instances are left out, as Auto Scaling leaves them out of the
 * aggregated metrics its policies see. A period without any warm instance has no datapoint
 * (NaN, "missing").
 */
export class CpuMetric {
  /** Datapoint k covers [ (firstPeriod + k) * periodSeconds, (firstPeriod + k + 1) * periodSeconds ). */
  readonly values: Float64Array;
  private readonly firstPeriod: number;
  private sum = 0;
  private count = 0;

  constructor(
    readonly periodSeconds: number,
    readonly delaySeconds: number,
    startSeconds: number,
    minutes: number,
  ) {
    this.firstPeriod = Math.floor(startSeconds / periodSeconds);
    const lastPeriod = Math.floor((startSeconds + 60 * Math.max(1, minutes) - 1) / periodSeconds);
    this.values = new Float64Array(lastPeriod - this.firstPeriod + 1).fill(NaN);
  }

  /** Record the minute starting at `nowSeconds` (cpuPct NaN when no instance was warm). */
  addMinute(nowSeconds: number, cpuPct: number): void {
    if (!Number.isNaN(cpuPct)) {
      this.sum += cpuPct;
      this.count++;
    }
    const end = nowSeconds + 60;
    if (end % this.periodSeconds === 0) this.closePeriod(end);
  }

  /** Index of the newest datapoint visible at `nowSeconds` (its period ended `delaySeconds` ago); -1 before any. */
  newestVisible(nowSeconds: number): number {
    return Math.floor((nowSeconds - this.delaySeconds) / this.periodSeconds) - 1 - this.firstPeriod;
  }

  private closePeriod(endSeconds: number): void {
    this.values[endSeconds / this.periodSeconds - 1 - this.firstPeriod] = this.count > 0 ? this.sum / this.count : NaN;
    this.sum = 0;
    this.count = 0;
  }
}
