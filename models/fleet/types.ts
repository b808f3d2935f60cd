/**
 * Plain data describing an EC2 Auto Scaling group and its scaling policies as the simulator
 * replays them. The step-scaling data is the production decision's (models/policy/types.ts):
 * the simulator imports it, never the reverse.
 */
import type {
  AdjustmentType,
  ComparisonOperator,
  StepAdjustment,
  CpuAlarm,
  StepScalingPolicy,
  ReactiveScaling,
} from '../policy/types.ts';

export type { AdjustmentType, ComparisonOperator, StepAdjustment, CpuAlarm, StepScalingPolicy, ReactiveScaling };

/**
 * A target tracking policy: on the group's average CPU utilization (`ASGAverageCPUUtilization`),
 * or on the load balancer's requests per target (`ALBRequestCountPerTarget`, the Sum of
 * requests per minute over the targets serving).
 */
export type TargetTracking =
  | {
      readonly metric?: 'cpu';
      readonly targetUtilizationPct: number;
      /** When true the policy never removes instances. @default false */
      readonly disableScaleIn?: boolean;
    }
  | {
      readonly metric: 'request-count-per-target';
      /** Requests (load units) per serving instance per minute. */
      readonly targetRequestsPerTarget: number;
      /** When true the policy never removes instances. @default false */
      readonly disableScaleIn?: boolean;
    };

/** The group and the instances in it. */
export interface FleetConfig {
  /** Seconds from launch until an instance serves. @default 300 */
  readonly bootSeconds?: number;
  /**
   * Seconds after boot during which an instance serves but is left out of the metrics alarms
   * see, and blocks policy scale-in (the group's default instance warmup). @default 300
   */
  readonly warmupSeconds?: number;
  /** Load units one instance serves per minute at 100% CPU. */
  readonly capacityPerInstance: number;
  /** On-demand price; billing is per second from launch to termination, 60 s minimum. @default 0.0416 (t3.medium, us-east-1) */
  readonly pricePerInstanceHour?: number;
  readonly minSize: number;
  readonly maxSize: number;
  /** Instances serving (booted and warm) when the simulation starts. @default minSize */
  readonly initialCapacity?: number;
  /** CloudWatch period of the CPU metric the alarms see: 60 (detailed) or 300 (basic). @default 60 */
  readonly metricPeriodSeconds?: number;
  /** Seconds after a period ends before its datapoint is visible to alarms. @default 60 */
  readonly metricDelaySeconds?: number;
}

/** What a controller (a scheduled Lambda, a scheduled action) sees when it runs. */
export interface GroupView {
  readonly nowSeconds: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  /** The minimum the group was configured with, which prescale restores when it lets go. */
  readonly configuredMinSize: number;
  /** Instances launched and not yet serving. */
  readonly bootingCount: number;
  /** Instances serving but still in warm-up. */
  readonly warmingCount: number;
  /** Instances serving and warm. */
  readonly inServiceCount: number;
  /** Whether the reactive scale-out alarm is in ALARM right now (false when there is none). */
  readonly scaleOutAlarmActive: boolean;
}

/** A change a controller makes through the Auto Scaling API. */
export interface GroupUpdate {
  /** `UpdateAutoScalingGroup MinSize`; desired capacity below it is raised to it, as AWS does. */
  readonly minSize?: number;
  /** `SetDesiredCapacity`, clamped to [minSize, maxSize]. */
  readonly desiredCapacity?: number;
  /** Why, for the decision log. */
  readonly reason?: string;
}

/**
 * Something outside the group's own policies that changes it on a schedule: the prescale
 * scaler Lambda, or an emulation of AWS predictive scaling.
 */
export interface Controller {
  readonly name: string;
  /** Seconds between runs; the first run is at the simulation start. */
  readonly tickSeconds: number;
  /** Called at each tick; must use only information available at `view.nowSeconds`. */
  tick(view: GroupView): GroupUpdate | undefined;
}

/** Demand: load units per interval on a regular grid (a trace). */
export interface DemandTrace {
  readonly startSeconds: number;
  /** 60 to 3600; a coarser interval is held constant minute by minute within it. */
  readonly stepSeconds: number;
  readonly values: ArrayLike<number>;
}

export interface SimulationSetup {
  readonly fleet: FleetConfig;
  readonly reactive?: ReactiveScaling;
  readonly targetTracking?: TargetTracking;
  readonly controllers?: readonly Controller[];
}

/** Minute-by-minute outcome of a simulation (index i is minute startSeconds + 60 i). */
export interface SimulationResult {
  readonly startSeconds: number;
  readonly minutes: number;
  /** Load units demanded in each minute. */
  readonly demand: Float64Array;
  /** Load units served in each minute (demand capped at serving capacity). */
  readonly served: Float64Array;
  /** Instances serving (warm or warming) in each minute. */
  readonly servingCount: Float64Array;
  /** Instances warm (past warm-up, in the CPU metric) in each minute; the simulator's, not the oracle's. */
  readonly warmCount?: Float64Array;
  /** Instances billed in each minute (booting, warming, serving, terminating at launch + 60 s). */
  readonly billedCount: Float64Array;
  readonly desiredCapacity: Float64Array;
  readonly minSize: Float64Array;
  /** Average CPU percent of serving instances in each minute (0 when none serve). */
  readonly cpuPct: Float64Array;
  /** Billed instance-seconds per minute, so any window can be costed. */
  readonly billedSeconds: Float64Array;
  /** Every change to desired capacity, in order. */
  readonly actions: readonly ScalingAction[];
}

export interface ScalingAction {
  readonly atSeconds: number;
  readonly source: 'scale-out-policy' | 'scale-in-policy' | 'target-tracking' | 'controller';
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}
