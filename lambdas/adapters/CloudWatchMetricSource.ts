import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { LoadSeries, LoadWindow, MetricSource } from '../../models/ports.ts';

/** A metric given explicitly, e.g. an ALB target group's `RequestCount` (Sum). */
export interface ConfiguredMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimensions; the value `{group}` is replaced by the group's name. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** @default 'Sum' */
  readonly stat?: string;
}

export interface CloudWatchMetricSourceProps {
  readonly client: CloudWatchClient;
  /**
   * The load: 'total-cpu' (average CPUUtilization × GroupInServiceInstances, a load that does not
   * fall when instances are added) or a configured metric. @default 'total-cpu'
   */
  readonly load?: 'total-cpu' | ConfiguredMetric;
}

/**
 * The load history of a group from CloudWatch: one `GetMetricData` call per group and window
 * (following NextToken pages). For total CPU the two series are multiplied here rather than
 * with metric math, so the arithmetic is ours and tested. Timestamps without a datapoint stay
 * NaN: a gap, not a zero.
 */
export class CloudWatchMetricSource implements MetricSource {
  constructor(private readonly props: CloudWatchMetricSourceProps) {}

  async fetchLoad(group: string, window: LoadWindow): Promise<LoadSeries> {
    const { startSeconds, endSeconds, stepSeconds } = window;
    if (!(stepSeconds >= 60 && stepSeconds % 60 === 0)) throw new RangeError(`'stepSeconds' must be a whole number of minutes, got ${stepSeconds}`);
    if (!(endSeconds > startSeconds)) throw new RangeError(`window end ${endSeconds} must be after its start ${startSeconds}`);
    const first = Math.ceil(startSeconds / stepSeconds) * stepSeconds;
    const points = Math.floor((endSeconds - first) / stepSeconds);
    const queries = this.queries(group, stepSeconds);
    const byId = new Map<string, Map<number, number>>(queries.map((q) => [q.Id as string, new Map()]));
    let token: string | undefined;
    do {
      const page = await this.props.client.send(new GetMetricDataCommand({
        MetricDataQueries: queries, StartTime: new Date(first * 1000), EndTime: new Date((first + points * stepSeconds) * 1000),
        ScanBy: 'TimestampAscending', NextToken: token,
      }));
      for (const result of page.MetricDataResults ?? []) {
        const values = byId.get(result.Id ?? '');
        if (values === undefined) continue;
        (result.Timestamps ?? []).forEach((t, i) => {
          const v = result.Values?.[i];
          if (v !== undefined && Number.isFinite(v)) values.set(Math.round(t.getTime() / 1000), v);
        });
      }
      token = page.NextToken;
    } while (token !== undefined);

    const values = new Float64Array(points).fill(NaN);
    for (let i = 0; i < points; i++) {
      const t = first + i * stepSeconds;
      if (this.props.load === undefined || this.props.load === 'total-cpu') {
        const cpu = byId.get('cpu')?.get(t);
        const inService = byId.get('inservice')?.get(t);
        if (cpu !== undefined && inService !== undefined) values[i] = cpu * inService;
      } else {
        const v = byId.get('load')?.get(t);
        if (v !== undefined) values[i] = v;
      }
    }
    return { startSeconds: first, stepSeconds, values };
  }

  private queries(group: string, periodSeconds: number): MetricDataQuery[] {
    const load = this.props.load ?? 'total-cpu';
    if (load === 'total-cpu') {
      const dimensions = [{ Name: 'AutoScalingGroupName', Value: group }];
      return [
        { Id: 'cpu', ReturnData: true, MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dimensions }, Period: periodSeconds, Stat: 'Average' } },
        { Id: 'inservice', ReturnData: true, MetricStat: { Metric: { Namespace: 'AWS/AutoScaling', MetricName: 'GroupInServiceInstances', Dimensions: dimensions }, Period: periodSeconds, Stat: 'Average' } },
      ];
    }
    const dimensions = Object.entries(load.dimensions).map(([Name, value]) => ({ Name, Value: value.replaceAll('{group}', group) }));
    return [{
      Id: 'load', ReturnData: true,
      MetricStat: { Metric: { Namespace: load.namespace, MetricName: load.metricName, Dimensions: dimensions }, Period: periodSeconds, Stat: load.stat ?? 'Sum' },
    }];
  }
}
