import { PeriodMetric } from './PeriodMetric.ts';

/**
 * The group's average CPU as CloudWatch publishes it (see PeriodMetric). A datapoint is the
 * mean, over the period's minutes that had a warm instance, of the warm instances' CPU (load is
 * spread evenly, so every warm instance has the minute's CPU); warming instances are left out,
 * as Auto Scaling leaves them out of the aggregated metrics its policies see. A period without
 * any warm instance has no datapoint (NaN, "missing").
 */
export class CpuMetric extends PeriodMetric {
  private sum = 0;
  private count = 0;

  /** Record the minute starting at `nowSeconds` (cpuPct NaN when no instance was warm). */
  addMinute(nowSeconds: number, cpuPct: number): void {
    if (!Number.isNaN(cpuPct)) {
      this.sum += cpuPct;
      this.count++;
    }
    this.endOfMinute(nowSeconds);
  }

  protected closePeriod(): number {
    const value = this.count > 0 ? this.sum / this.count : NaN;
    this.sum = 0;
    this.count = 0;
    return value;
  }
}
