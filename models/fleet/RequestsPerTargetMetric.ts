import { PeriodMetric } from './PeriodMetric.ts';

/**
 * The load balancer's `RequestCountPerTarget` as target tracking reads it: requests in the
 * period (served or not: the load balancer counts every request) over the targets serving, as
 * a per-minute mean. A period in which no instance served has no datapoint (NaN).
 */
export class RequestsPerTargetMetric extends PeriodMetric {
  private sum = 0;
  private count = 0;

  /** Record the minute starting at `nowSeconds`: its demand and the instances serving it. */
  addMinute(nowSeconds: number, demand: number, servingCount: number): void {
    if (servingCount > 0) {
      this.sum += demand / servingCount;
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
