import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';

export interface Grid {
  readonly startSeconds: number;
  readonly stepSeconds: number;
  readonly points: number;
}

/** The window's grid: steps aligned to the period, from the first boundary at or after the start. */
export function gridOf(startSeconds: number, endSeconds: number, stepSeconds: number): Grid {
  if (!(stepSeconds >= 60 && stepSeconds % 60 === 0))
    throw new RangeError(`'stepSeconds' must be a whole number of minutes, got ${stepSeconds}`);
  if (!(endSeconds > startSeconds))
    throw new RangeError(`window end ${endSeconds} must be after its start ${startSeconds}`);
  const first = Math.ceil(startSeconds / stepSeconds) * stepSeconds;
  return { startSeconds: first, stepSeconds, points: Math.max(0, Math.floor((endSeconds - first) / stepSeconds)) };
}

/**
 * One `GetMetricData` call (following NextToken pages) for all the queries, each result laid on
 * the grid: NaN where CloudWatch has no datapoint.
 */
export async function fetchGrid(
  client: CloudWatchClient,
  queries: readonly MetricDataQuery[],
  grid: Grid,
): Promise<Map<string, Float64Array>> {
  const byId = new Map<string, Float64Array>(
    queries.map((q) => [q.Id as string, new Float64Array(grid.points).fill(NaN)]),
  );
  let token: string | undefined;
  do {
    const page = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: [...queries],
        StartTime: new Date(grid.startSeconds * 1000),
        EndTime: new Date((grid.startSeconds + grid.points * grid.stepSeconds) * 1000),
        ScanBy: 'TimestampAscending',
        NextToken: token,
      }),
    );
    for (const result of page.MetricDataResults ?? []) {
      const values = byId.get(result.Id ?? '');
      if (values === undefined) continue;
      (result.Timestamps ?? []).forEach((t, i) => {
        const v = result.Values?.[i];
        const at = Math.round((t.getTime() / 1000 - grid.startSeconds) / grid.stepSeconds);
        if (v !== undefined && Number.isFinite(v) && at >= 0 && at < grid.points) values[at] = v;
      });
    }
    token = page.NextToken;
  } while (token !== undefined);
  return byId;
}
