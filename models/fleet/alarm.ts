import type { ComparisonOperator, CpuAlarm } from './types.ts';

/**
 * CloudWatch metric alarms over a datapoint series, with missing data treated as `missing`
 * (the default TreatMissingData, and what Auto Scaling's own alarms use).
 */

export function breaches(value: number, threshold: number, comparison: ComparisonOperator): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/**
 * How many periods back CloudWatch looks for real datapoints, as a multiple of N. AWS calls
 * this the evaluation range and does not publish its length; twice N is our choice.
 */
export const EVALUATION_RANGE_FACTOR = 2;

export interface AlarmEvaluation {
  readonly inAlarm: boolean;
  /** The newest real datapoint evaluated (NaN when none): the value a policy scales on. */
  readonly metricValue: number;
}

/**
 * Evaluate an M-of-N alarm at datapoint `newest` (NaN is a missing datapoint). As CloudWatch
 * does, it takes the N most recent real datapoints within the evaluation range, skipping
 * missing ones; with fewer than N real ones it evaluates what there is (a missing datapoint
 * never breaches); with none it is INSUFFICIENT_DATA, which is not ALARM.
 */
export function evaluateAlarm(alarm: CpuAlarm, datapoints: ArrayLike<number>, newest: number): AlarmEvaluation {
  const n = alarm.evaluationPeriods;
  const m = alarm.datapointsToAlarm ?? n;
  const oldest = Math.max(0, newest - EVALUATION_RANGE_FACTOR * n + 1);
  let seen = 0,
    breaching = 0,
    metricValue = NaN;
  for (let k = newest; k >= oldest && seen < n; k--) {
    const v = datapoints[k];
    if (Number.isNaN(v)) continue;
    if (seen === 0) metricValue = v;
    seen++;
    if (breaches(v, alarm.threshold, alarm.comparison)) breaching++;
  }
  return { inAlarm: breaching >= m, metricValue };
}

/**
 * An alarm reading one metric series. Each time a new datapoint becomes visible it evaluates,
 * and while in ALARM it invokes its Auto Scaling action again (AWS re-invokes Auto Scaling
 * actions for as long as the alarm stays in ALARM), so `poll` returns true once per period.
 */
export class MetricAlarm {
  inAlarm = false;
  metricValue = NaN;
  private lastEvaluated = -1;

  constructor(readonly definition: CpuAlarm) {}

  /** Evaluate if datapoint `newestVisible` is new; true when the alarm's action fires. */
  poll(datapoints: ArrayLike<number>, newestVisible: number): boolean {
    if (newestVisible <= this.lastEvaluated || newestVisible < 0) return false;
    this.lastEvaluated = newestVisible;
    const { inAlarm, metricValue } = evaluateAlarm(this.definition, datapoints, newestVisible);
    this.inAlarm = inAlarm;
    this.metricValue = metricValue;
    return inAlarm;
  }
}
