/**
 * A CloudWatch metric as the group's alarms and the scaler see it: one datapoint per period,
 * periods aligned to the clock (multiples of the period since the epoch, as CloudWatch
 * aggregates), the first one possibly partial, each visible `delaySeconds` after its period
 * ends. Subclasses say what a minute adds and what a period's datapoint is.
 */
export abstract class PeriodMetric {
  /** Datapoint k covers [ (firstPeriod + k) * periodSeconds, (firstPeriod + k + 1) * periodSeconds ). */
  readonly values: Float64Array;
  readonly firstPeriod: number;

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

  /** The start of datapoint `index`'s period. */
  periodStart(index: number): number {
    return (this.firstPeriod + index) * this.periodSeconds;
  }

  /** Index of the newest datapoint visible at `nowSeconds` (its period ended `delaySeconds` ago); -1 before any. */
  newestVisible(nowSeconds: number): number {
    return Math.floor((nowSeconds - this.delaySeconds) / this.periodSeconds) - 1 - this.firstPeriod;
  }

  /** Close the period when the minute starting at `nowSeconds` was its last. */
  protected endOfMinute(nowSeconds: number): void {
    const end = nowSeconds + 60;
    if (end % this.periodSeconds === 0)
      this.values[end / this.periodSeconds - 1 - this.firstPeriod] = this.closePeriod();
  }

  /** The ending period's datapoint (NaN when missing); resets the period's sums. */
  protected abstract closePeriod(): number;
}
