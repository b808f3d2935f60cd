import { PutScalingPolicyCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { PutMetricAlarmCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ReactiveScaling, StepScalingPolicy } from '../../models/policy/types.ts';

/** The names of a group's fallback alarms and policies. */
export interface FallbackNames {
  readonly scaleOutAlarm: string;
  readonly scaleInAlarm: string;
}

/** The default names: `<group>-prescale-scale-out` and `<group>-prescale-scale-in`. */
export function fallbackNames(group: string): FallbackNames {
  return { scaleOutAlarm: `${group}-prescale-scale-out`, scaleInAlarm: `${group}-prescale-scale-in` };
}

/**
 * Put a group's reactive fallback through the APIs, from the plain step data the construct
 * deploys (models/policy/reactive.ts; lib/ReactiveScaling.ts makes the same two CPU alarms and
 * step policies at synth time): a step scaling policy per side and the alarm that invokes it.
 * Idempotent: both calls replace what has the same name.
 */
export async function putReactiveFallback(
  clients: { readonly autoScaling: AutoScalingClient; readonly cloudWatch: CloudWatchClient },
  group: string,
  definition: ReactiveScaling,
  names: FallbackNames = fallbackNames(group),
): Promise<void> {
  for (const [policy, alarmName] of [
    [definition.scaleOut, names.scaleOutAlarm],
    [definition.scaleIn, names.scaleInAlarm],
  ] as const) {
    const out = await clients.autoScaling.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: group,
        PolicyName: alarmName,
        PolicyType: 'StepScaling',
        AdjustmentType: policy.adjustmentType,
        MinAdjustmentMagnitude: policy.minAdjustmentMagnitude,
        MetricAggregationType: 'Average',
        StepAdjustments: policy.steps.map((s) => ({
          MetricIntervalLowerBound: s.lowerBound,
          MetricIntervalUpperBound: s.upperBound,
          ScalingAdjustment: s.adjustment,
        })),
      }),
    );
    await clients.cloudWatch.send(alarmRequest(group, policy, alarmName, out.PolicyARN));
  }
}

function alarmRequest(group: string, policy: StepScalingPolicy, name: string, policyArn: string | undefined) {
  const a = policy.alarm;
  return new PutMetricAlarmCommand({
    AlarmName: name,
    AlarmDescription: `prescale reactive fallback of ${group}: average CPU ${a.comparison} ${a.threshold}%`,
    Namespace: 'AWS/EC2',
    MetricName: 'CPUUtilization',
    Dimensions: [{ Name: 'AutoScalingGroupName', Value: group }],
    Statistic: 'Average',
    Period: a.periodSeconds,
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm ?? a.evaluationPeriods,
    Threshold: a.threshold,
    ComparisonOperator: a.comparison,
    TreatMissingData: 'missing',
    AlarmActions: policyArn === undefined ? [] : [policyArn],
  });
}
