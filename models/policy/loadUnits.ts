/**
 * What a load series' values are. Every consumer that turns a load into instances or
 * instance-time goes through `loadPerMinute()`, so a level is never read as a sum:
 *
 * - `'sum'`: the total over each interval, e.g. an ALB's `RequestCount` (Sum) per 5 minutes.
 *   Its load per minute is value × 60 / interval seconds: halving the interval halves the value.
 * - `'per-second'`: a per-second rate averaged over the interval, e.g. requests per second.
 *   Its load per minute is value × 60, whatever the interval.
 * - `'level'`: a level already in the units one instance's capacity is given in, e.g. total CPU
 *   (average `CPUUtilization` × `GroupInServiceInstances`, in percent-instances: 100 per instance
 *   at 100% CPU). A level does not accumulate over time: its load per minute is the value itself,
 *   at any interval.
 */
export const LOAD_KINDS = ['sum', 'per-second', 'level'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

export function isLoadKind(text: unknown): text is LoadKind {
  return typeof text === 'string' && (LOAD_KINDS as readonly string[]).includes(text);
}

/**
 * A load value as load per minute, the unit `capacityPerInstance` is given in (for a level,
 * the level itself). The one conversion: `decide()`, the prediction URL's capacity path, the
 * simulator's published metric and the reports all call it.
 */
export function loadPerMinute(value: number, kind: LoadKind, stepSeconds: number): number {
  switch (kind) {
    case 'sum':
      return (value * 60) / stepSeconds;
    case 'per-second':
      return value * 60;
    case 'level':
      return value;
  }
}

/** The inverse of `loadPerMinute()`: the value an interval of `kind` holds for a load per minute. */
export function loadValue(perMinute: number, kind: LoadKind, stepSeconds: number): number {
  switch (kind) {
    case 'sum':
      return (perMinute * stepSeconds) / 60;
    case 'per-second':
      return perMinute / 60;
    case 'level':
      return perMinute;
  }
}

/** The load a kind of series holds by default for a CloudWatch statistic: Sum and SampleCount are sums. */
export function loadKindOfStat(stat: string): LoadKind | undefined {
  return stat === 'Sum' || stat === 'SampleCount' ? 'sum' : undefined;
}
