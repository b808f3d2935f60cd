import { breaches } from './adjustments.ts';
import type { CpuAlarm } from './types.ts';

/**
 * The group's average CPU as CloudWatch publishes it: one datapoint per period, the mean of the
 * minutes in it that had a warm instance (warming instances are left out of the aggregate),
 * missing when no minute had one.
 */
export class CpuMetric {
  readonly values: Float64Array;
  private sum = 0;
  private count = 0;
  private readonly minutesPerPeriod: number;

  constructor(readonly periodSeconds: number, minutes: number) {
    this.minutesPerPeriod = periodSeconds / 60;
    this.values = new Float64Array(Math.ceil(minutes / this.minutesPerPeriod)).fill(NaN);
  }

  /** Record minute `minute`'s warm-instance CPU (NaN when none was warm). */
  addMinute(minute: number, cpuPct: number): void {
    if (!Number.isNaN(cpuPct)) {
      this.sum += cpuPct;
      this.count++;
    }
    if ((minute + 1) % this.minutesPerPeriod === 0) {
      this.values[(minute + 1) / this.minutesPerPeriod - 1] = this.count > 0 ? this.sum / this.count : NaN;
      this.sum = 0;
      this.count = 0;
    }
  }
}

/**
 * A metric alarm: ALARM when at least M of the last N datapoints breach (missing datapoints do
 * not breach). Evaluated as each datapoint is published, which is also when an alarm in ALARM
 * invokes its Auto Scaling action again.
 */
export class Alarm {
  private lastEvaluated = -1;
  inAlarm = false;
  /** The newest non-missing datapoint of the evaluation window, when it last fired. */
  metricValue = NaN;

  constructor(readonly definition: CpuAlarm, private readonly metric: CpuMetric) {
    if (metric.periodSeconds !== definition.periodSeconds) {
      throw new RangeError(`alarm period ${definition.periodSeconds} s read from a ${metric.periodSeconds} s metric`);
    }
  }

  /**
   * Evaluate if a new datapoint is visible at `elapsedSeconds` after the start (datapoint k is
   * visible once its period ended and `delaySeconds` passed); returns true when the action fires.
   */
  evaluate(elapsedSeconds: number, delaySeconds: number): boolean {
    const newest = Math.floor((elapsedSeconds - delaySeconds) / this.definition.periodSeconds) - 1;
    if (newest <= this.lastEvaluated || newest < 0) return false;
    this.lastEvaluated = newest;
    const n = this.definition.evaluationPeriods;
    const m = this.definition.datapointsToAlarm ?? n;
    let breaching = 0;
    this.metricValue = NaN;
    for (let k = Math.max(0, newest - n + 1); k <= newest; k++) {
      const v = this.metric.values[k];
      if (Number.isNaN(v)) continue;
      this.metricValue = v;
      if (breaches(v, this.definition.threshold, this.definition.comparison)) breaching++;
    }
    this.inAlarm = breaching >= m;
    return this.inAlarm;
  }
}
