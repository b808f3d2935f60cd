/**
 * The reactive fallback as plain data: CPU alarms and step scaling policies. The CDK construct
 * turns this data into alarms and policies, the simulator replays it, and the scaler never
 * needs it; so what the A/B harness measures is what gets deployed.
 */

/** How a step adjustment changes capacity (EC2 Auto Scaling `AdjustmentType`). */
export type AdjustmentType = 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity';

export type ComparisonOperator =
  'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

/**
 * One step of a step scaling policy. Bounds are relative to the alarm threshold (metric minus
 * threshold), as in `MetricIntervalLowerBound` / `MetricIntervalUpperBound`: above the
 * threshold the lower bound is inclusive and the upper exclusive, below it the reverse.
 * A missing bound is infinite.
 */
export interface StepAdjustment {
  readonly lowerBound?: number;
  readonly upperBound?: number;
  /** Instances (ChangeInCapacity, ExactCapacity) or percent (PercentChangeInCapacity). */
  readonly adjustment: number;
}

/** A CloudWatch metric alarm on the group's average CPU utilization (percent). */
export interface CpuAlarm {
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  /** 60 with detailed monitoring, 300 with basic monitoring. */
  readonly periodSeconds: number;
  /** N: the datapoints looked at. */
  readonly evaluationPeriods: number;
  /** M: how many of the last N must breach for ALARM. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
}

export interface StepScalingPolicy {
  readonly alarm: CpuAlarm;
  readonly adjustmentType: AdjustmentType;
  readonly steps: readonly StepAdjustment[];
  /** Smallest change a PercentChangeInCapacity step makes. @default none */
  readonly minAdjustmentMagnitude?: number;
}

/** The reactive fallback: a scale-out and a scale-in step policy, each with its CPU alarm. */
export interface ReactiveScaling {
  readonly scaleOut: StepScalingPolicy;
  readonly scaleIn: StepScalingPolicy;
}
