import { Duration } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import type {
  ComparisonOperator,
  ReactiveScaling as ReactiveScalingData,
  StepScalingPolicy,
} from '../models/policy/types.ts';
import { reactiveScaling } from '../models/policy/reactive.ts';

export interface ReactiveScalingProps {
  readonly autoScalingGroup: autoscaling.IAutoScalingGroup;
  /**
   * The alarms and step policies as plain data: the same data `prescale experiment` replays.
   * @default reactiveScaling() from models/policy/reactive.ts (scale out at 70% CPU, in at 40%)
   */
  readonly definition?: ReactiveScalingData;
}

const OPERATORS: Record<ComparisonOperator, cloudwatch.ComparisonOperator> = {
  GreaterThanOrEqualToThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  GreaterThanThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  LessThanThreshold: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  LessThanOrEqualToThreshold: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

const ADJUSTMENT_TYPES = {
  ChangeInCapacity: autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
  ExactCapacity: autoscaling.AdjustmentType.EXACT_CAPACITY,
  PercentChangeInCapacity: autoscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
} as const;

/**
 * The reactive fallback: two CPU alarms on the group, each driving a step scaling policy, made
 * from the plain step data in `models/` so that what is deployed is what the simulator replays.
 */
export class ReactiveScaling extends Construct {
  public readonly scaleOutAlarm: cloudwatch.Alarm;
  public readonly scaleInAlarm: cloudwatch.Alarm;
  public readonly scaleOutAction: autoscaling.StepScalingAction;
  public readonly scaleInAction: autoscaling.StepScalingAction;

  constructor(scope: Construct, id: string, props: ReactiveScalingProps) {
    super(scope, id);
    const definition = props.definition ?? reactiveScaling();
    validatePolicy('scaleOut', definition.scaleOut, 'Greater');
    validatePolicy('scaleIn', definition.scaleIn, 'Less');
    const group = props.autoScalingGroup;
    [this.scaleOutAlarm, this.scaleOutAction] = this.policy('ScaleOut', group, definition.scaleOut);
    [this.scaleInAlarm, this.scaleInAction] = this.policy('ScaleIn', group, definition.scaleIn);
  }

  private policy(
    id: string,
    group: autoscaling.IAutoScalingGroup,
    policy: StepScalingPolicy,
  ): [cloudwatch.Alarm, autoscaling.StepScalingAction] {
    const action = new autoscaling.StepScalingAction(this, `${id}Policy`, {
      autoScalingGroup: group,
      adjustmentType: ADJUSTMENT_TYPES[policy.adjustmentType],
      minAdjustmentMagnitude: policy.minAdjustmentMagnitude,
    });
    for (const step of policy.steps) {
      action.addAdjustment({ adjustment: step.adjustment, lowerBound: step.lowerBound, upperBound: step.upperBound });
    }
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        statistic: 'Average',
        dimensionsMap: { AutoScalingGroupName: group.autoScalingGroupName },
        period: Duration.seconds(policy.alarm.periodSeconds),
      }),
      threshold: policy.alarm.threshold,
      comparisonOperator: OPERATORS[policy.alarm.comparison],
      evaluationPeriods: policy.alarm.evaluationPeriods,
      datapointsToAlarm: policy.alarm.datapointsToAlarm ?? policy.alarm.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
      alarmDescription: `prescale reactive fallback: ${id === 'ScaleOut' ? 'scale out' : 'scale in'} on average CPU ${policy.alarm.comparison} ${policy.alarm.threshold}%`,
    });
    alarm.addAlarmAction(new cloudwatchActions.AutoScalingAction(action));
    return [alarm, action];
  }
}

function validatePolicy(name: string, policy: StepScalingPolicy, side: 'Greater' | 'Less'): void {
  if (!policy.alarm.comparison.startsWith(side)) {
    throw new Error(`'${name}' must alarm on a ${side.toLowerCase()}-than comparison, got ${policy.alarm.comparison}`);
  }
  if (policy.alarm.periodSeconds !== 60 && policy.alarm.periodSeconds % 60 !== 0) {
    throw new Error(`'${name}.alarm.periodSeconds' must be a multiple of 60, got ${policy.alarm.periodSeconds}`);
  }
  const { evaluationPeriods, datapointsToAlarm } = policy.alarm;
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)
    throw new Error(`'${name}.alarm.evaluationPeriods' must be a positive integer, got ${evaluationPeriods}`);
  if (datapointsToAlarm !== undefined && (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods)) {
    throw new Error(
      `'${name}.alarm.datapointsToAlarm' must be within [1, evaluationPeriods=${evaluationPeriods}], got ${datapointsToAlarm}`,
    );
  }
  if (policy.steps.length === 0) throw new Error(`'${name}.steps' must hold at least one step, got none`);
  if (policy.steps.length > 20)
    throw new Error(`'${name}.steps' can have at most 20 steps, got ${policy.steps.length}`);
}
