import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { ArmSeries } from '../../models/experiment/abMetrics.ts';
import { fetchGrid, type Grid } from '../adapters/metricGrid.ts';

/** One arm: its Auto Scaling group and, when traffic reaches it through an ALB, its target group. */
export interface Arm {
  readonly group: string;
  /** `targetgroup/name/id` and `app/name/id`, as in the ALB's CloudWatch dimensions. */
  readonly targetGroup?: string;
  readonly loadBalancer?: string;
}

function query(
  id: string,
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  stat: string,
  period: number,
): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: namespace,
        MetricName: metricName,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: period,
      Stat: stat,
    },
  };
}

/** Everything one arm needs from CloudWatch, in one GetMetricData call. */
export async function collectArm(client: CloudWatchClient, arm: Arm, grid: Grid): Promise<ArmSeries> {
  const p = grid.stepSeconds;
  const asg = { AutoScalingGroupName: arm.group };
  const queries = [
    query('inservice', 'AWS/AutoScaling', 'GroupInServiceInstances', asg, 'Average', p),
    query('desired', 'AWS/AutoScaling', 'GroupDesiredCapacity', asg, 'Average', p),
    query('cpu', 'AWS/EC2', 'CPUUtilization', asg, 'Average', p),
  ];
  const alb =
    arm.targetGroup !== undefined && arm.loadBalancer !== undefined
      ? { TargetGroup: arm.targetGroup, LoadBalancer: arm.loadBalancer }
      : undefined;
  if (alb !== undefined) {
    queries.push(
      query('requests', 'AWS/ApplicationELB', 'RequestCount', alb, 'Sum', p),
      query('errors', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', alb, 'Sum', p),
      query('latency', 'AWS/ApplicationELB', 'TargetResponseTime', alb, 'p95', p),
    );
  }
  const series = await fetchGrid(client, queries, grid);
  const get = (id: string) => series.get(id) as Float64Array;
  return {
    periodSeconds: p,
    inServiceInstances: get('inservice'),
    desiredCapacity: get('desired'),
    cpuPct: get('cpu'),
    ...(alb === undefined
      ? {}
      : { requestCount: get('requests'), target5xx: get('errors'), targetResponseTimeP95Seconds: get('latency') }),
  };
}
