import { maxOf } from '../stats.ts';
import { percentile } from './metrics.ts';

/** One arm of a live A/B experiment as CloudWatch saw it: series on one grid, NaN where missing. */
export interface ArmSeries {
  readonly periodSeconds: number;
  readonly inServiceInstances: ArrayLike<number>;
  readonly desiredCapacity: ArrayLike<number>;
  readonly cpuPct: ArrayLike<number>;
  /** From the arm's ALB target group, when it has one. */
  readonly requestCount?: ArrayLike<number>;
  readonly target5xx?: ArrayLike<number>;
  readonly targetResponseTimeP95Seconds?: ArrayLike<number>;
}

/**
 * The harness's metrics where live data allows. CloudWatch cannot see demand above capacity, so
 * under-provisioning is measured by its symptom, periods with the average CPU at or above the
 * saturation threshold, and unserved load by the 5xx share of requests. Each field is null when
 * its data is missing.
 */
export interface ArmMetrics {
  readonly periods: number;
  readonly instanceHours: number | null;
  readonly costUsd: number | null;
  readonly saturatedPct: number | null;
  readonly slackPct: number | null;
  readonly p95Utilization: number | null;
  readonly maxInstances: number | null;
  readonly scalingActions: number | null;
  readonly requests: number | null;
  readonly errorPct: number | null;
  readonly p95ResponseTimeMs: number | null;
}

export function armMetrics(
  arm: ArmSeries,
  options: { pricePerInstanceHour: number; saturationCpuPct: number },
): ArmMetrics {
  const instances = finite(arm.inServiceInstances);
  const cpu = finite(arm.cpuPct);
  const instanceHours = instances.length > 0 ? (sum(instances) * arm.periodSeconds) / 3600 : null;
  const desired = finite(arm.desiredCapacity);
  let actions = 0;
  for (let i = 1; i < desired.length; i++) if (desired[i] !== desired[i - 1]) actions++;
  const requests = arm.requestCount === undefined ? [] : finite(arm.requestCount);
  const errors = arm.target5xx === undefined ? [] : finite(arm.target5xx);
  const latency = arm.targetResponseTimeP95Seconds === undefined ? [] : finite(arm.targetResponseTimeP95Seconds);
  const totalRequests = requests.length > 0 ? sum(requests) : null;
  return {
    periods: arm.inServiceInstances.length,
    instanceHours,
    costUsd: instanceHours === null ? null : instanceHours * options.pricePerInstanceHour,
    saturatedPct: cpu.length > 0 ? (100 * cpu.filter((c) => c >= options.saturationCpuPct).length) / cpu.length : null,
    slackPct: cpu.length > 0 ? 100 - sum(cpu) / cpu.length : null,
    p95Utilization: cpu.length > 0 ? percentile(cpu, 95) : null,
    maxInstances: instances.length > 0 ? maxOf(instances) : null,
    scalingActions: desired.length > 0 ? actions : null,
    requests: totalRequests,
    errorPct: totalRequests !== null && totalRequests > 0 ? (100 * sum(errors)) / totalRequests : null,
    p95ResponseTimeMs: latency.length > 0 ? percentile(latency, 95) * 1000 : null,
  };
}

/** Treatment over control for each metric both arms have (below 1: the treatment used or missed less). */
export function armRatios(control: ArmMetrics, treatment: ArmMetrics): Record<string, number | null> {
  const keys = [
    'instanceHours',
    'costUsd',
    'saturatedPct',
    'slackPct',
    'p95Utilization',
    'errorPct',
    'p95ResponseTimeMs',
  ] as const;
  return Object.fromEntries(
    keys.map((k) => {
      const c = control[k],
        t = treatment[k];
      return [k, c !== null && t !== null && c > 0 ? t / c : null];
    }),
  );
}

function finite(values: ArrayLike<number>): number[] {
  return Array.from(values).filter(Number.isFinite);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
