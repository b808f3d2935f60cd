import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { SimulationResult } from '../../models/fleet/types.ts';
import type { RegularSeries } from '../../models/series/types.ts';

/** PutMetricData takes at most 1,000 datapoints a call. */
const BATCH = 1000;

/** Where the request count goes: an ALB target group's `RequestCount`, as the scaler's load metric names it. */
export interface RequestMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** The requests per interval, as the load balancer counts them (demand, whatever the fleet served). */
  readonly series: RegularSeries;
}

/**
 * What the simulated group publishes to CloudWatch, minute by minute, each datapoint sent once
 * it is visible (`delaySeconds` after its minute ends) with its own timestamp: `CPUUtilization`
 * of the warm instances (one datapoint per instance and minute, sent as statistic values so the
 * 5-minute Average weighs minutes by instance count), `GroupInServiceInstances` (the serving
 * instances) and the request count of each interval of the trace.
 */
export class TwinPublisher {
  private nextMinute = 0;
  private nextInterval = 0;
  datapoints = 0;

  constructor(
    private readonly cloudWatch: CloudWatchClient,
    private readonly group: string,
    private readonly simulation: SimulationResult,
    private readonly delaySeconds: number,
    private readonly requests: RequestMetric,
  ) {}

  /** Send everything visible at `nowSeconds` of the first `minutesRun` simulated minutes. */
  async publishVisible(nowSeconds: number, minutesRun: number): Promise<void> {
    const sim = this.simulation;
    const dims = [{ Name: 'AutoScalingGroupName', Value: this.group }];
    const ec2: MetricDatum[] = [];
    const asg: MetricDatum[] = [];
    for (; this.nextMinute < minutesRun; this.nextMinute++) {
      const m = this.nextMinute;
      const start = sim.startSeconds + 60 * m;
      if (start + 60 + this.delaySeconds > nowSeconds) break;
      const at = new Date(start * 1000);
      const warm = sim.warmCount?.[m] ?? 0;
      if (warm > 0) {
        const cpu = sim.cpuPct[m];
        ec2.push({
          MetricName: 'CPUUtilization',
          Dimensions: dims,
          Timestamp: at,
          Unit: 'Percent',
          StatisticValues: { SampleCount: warm, Sum: cpu * warm, Minimum: cpu, Maximum: cpu },
        });
      }
      asg.push({ MetricName: 'GroupInServiceInstances', Dimensions: dims, Timestamp: at, Value: sim.servingCount[m] });
    }
    const r = this.requests;
    const requestData: MetricDatum[] = [];
    const simulatedUntil = sim.startSeconds + 60 * minutesRun;
    for (; this.nextInterval < r.series.values.length; this.nextInterval++) {
      const start = r.series.startSeconds + this.nextInterval * r.series.stepSeconds;
      const end = start + r.series.stepSeconds;
      if (end > simulatedUntil || end + this.delaySeconds > nowSeconds) break;
      requestData.push({
        MetricName: r.metricName,
        Dimensions: Object.entries(r.dimensions).map(([Name, Value]) => ({ Name, Value })),
        Timestamp: new Date(start * 1000),
        Unit: 'Count',
        Value: r.series.values[this.nextInterval],
      });
    }
    await this.send('AWS/EC2', ec2);
    await this.send('AWS/AutoScaling', asg);
    await this.send(r.namespace, requestData);
  }

  private async send(namespace: string, data: MetricDatum[]): Promise<void> {
    for (let i = 0; i < data.length; i += BATCH) {
      await this.cloudWatch.send(
        new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + BATCH) }),
      );
    }
    this.datapoints += data.length;
  }
}
