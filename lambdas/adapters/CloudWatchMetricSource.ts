import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { fetchGrid, gridOf } from './metricGrid.ts';
import { loadKindOfStat, type LoadKind } from '../../models/policy/loadUnits.ts';
import type { LoadSeries, LoadWindow, MetricSource } from '../../models/ports.ts';

/** A metric given explicitly, e.g. an ALB target group's `RequestCount` (Sum). */
export interface ConfiguredMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimensions; the value `{group}` is replaced by the group's name. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** @default 'Sum' */
  readonly stat?: string;
  /**
   * What the statistic's values are (policy/loadUnits.ts): 'sum' per interval, 'per-second' or
   * 'level'. @default 'sum' for the Sum and SampleCount statistics; required for any other
   */
  readonly kind?: LoadKind;
}

/** What a load setting's values are: total CPU is a level (percent-instances), a metric says or its statistic does. */
export function loadKindOf(load: 'total-cpu' | ConfiguredMetric | undefined): LoadKind {
  if (load === undefined || load === 'total-cpu') return 'level';
  const kind = load.kind ?? loadKindOfStat(load.stat ?? 'Sum');
  if (kind === undefined)
    throw new RangeError(
      `load metric ${load.namespace}/${load.metricName} with statistic '${load.stat}' needs a kind: 'sum', 'per-second' or 'level'`,
    );
  return kind;
}

export interface CloudWatchMetricSourceProps {
  readonly client: CloudWatchClient;
  /**
   * The load: 'total-cpu' (average CPUUtilization × GroupInServiceInstances, a level in
   * percent-instances that does not fall when instances are added) or a configured metric.
   * @default 'total-cpu'
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
    const grid = gridOf(window.startSeconds, window.endSeconds, window.stepSeconds);
    const series = await fetchGrid(this.props.client, this.queries(group, grid.stepSeconds), grid);
    const values = new Float64Array(grid.points).fill(NaN);
    const totalCpu = this.props.load === undefined || this.props.load === 'total-cpu';
    for (let i = 0; i < grid.points; i++) {
      // NaN times anything stays NaN: a missing datapoint in either series is a gap.
      values[i] = totalCpu
        ? (series.get('cpu')?.[i] ?? NaN) * (series.get('inservice')?.[i] ?? NaN)
        : (series.get('load')?.[i] ?? NaN);
    }
    return {
      startSeconds: grid.startSeconds,
      stepSeconds: grid.stepSeconds,
      kind: loadKindOf(this.props.load),
      values,
    };
  }

  private queries(group: string, periodSeconds: number): MetricDataQuery[] {
    const load = this.props.load ?? 'total-cpu';
    if (load === 'total-cpu') {
      const dimensions = [{ Name: 'AutoScalingGroupName', Value: group }];
      return [
        {
          Id: 'cpu',
          ReturnData: true,
          MetricStat: {
            Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dimensions },
            Period: periodSeconds,
            Stat: 'Average',
          },
        },
        {
          Id: 'inservice',
          ReturnData: true,
          MetricStat: {
            Metric: { Namespace: 'AWS/AutoScaling', MetricName: 'GroupInServiceInstances', Dimensions: dimensions },
            Period: periodSeconds,
            Stat: 'Average',
          },
        },
      ];
    }
    const dimensions = Object.entries(load.dimensions).map(([Name, value]) => ({
      Name,
      Value: value.replaceAll('{group}', group),
    }));
    return [
      {
        Id: 'load',
        ReturnData: true,
        MetricStat: {
          Metric: { Namespace: load.namespace, MetricName: load.metricName, Dimensions: dimensions },
          Period: periodSeconds,
          Stat: load.stat ?? 'Sum',
        },
      },
    ];
  }
}
