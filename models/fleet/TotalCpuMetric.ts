import { PeriodMetric } from './PeriodMetric.ts';

/** The period of the load the scaler reads from CloudWatch (`GetMetricData` at 5 minutes). */
export const TOTAL_CPU_PERIOD_SECONDS = 300;

/**
 * Total CPU as the scaler reads it from CloudWatch: per period, the `Average` of the group's
 * `CPUUtilization` times the `Average` of `GroupInServiceInstances`, in percent-instances
 * (100 per instance at 100% CPU), as `CloudWatchMetricSource` multiplies them.
 *
 * What that hides is what production hides: CPU is capped at 100% per serving instance, so
 * demand above capacity is invisible; `CPUUtilization` averages the warm instances' datapoints
 * only (one per instance and minute, so minutes with more warm instances weigh more), warming
 * ones being left out as in `CpuMetric`; `GroupInServiceInstances` counts every serving instance
 * each minute. A period without a warm instance has no CPU datapoint, so no total (NaN). A
 * datapoint is visible `delaySeconds` after its period ends.
 */
export class TotalCpuMetric extends PeriodMetric {
  private cpuSum = 0;
  private warmSum = 0;
  private servingSum = 0;
  private minutes = 0;

  /** Record the minute starting at `nowSeconds`: the warm instances' CPU (NaN if none), and the counts. */
  addMinute(nowSeconds: number, warmCpuPct: number, warmCount: number, servingCount: number): void {
    if (warmCount > 0 && !Number.isNaN(warmCpuPct)) {
      this.cpuSum += warmCpuPct * warmCount;
      this.warmSum += warmCount;
    }
    this.servingSum += servingCount;
    this.minutes++;
    this.endOfMinute(nowSeconds);
  }

  protected closePeriod(): number {
    const cpu = this.warmSum > 0 ? this.cpuSum / this.warmSum : NaN;
    // The product of the two averages, in the order the scaler computes it from CloudWatch's.
    const value = cpu * (this.servingSum / this.minutes);
    this.cpuSum = this.warmSum = this.servingSum = this.minutes = 0;
    return value;
  }
}
