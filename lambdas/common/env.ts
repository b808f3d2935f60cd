import type { AbReportConfig } from '../abReport/runAbReport.ts';
import type { ScalerConfig } from '../scaler/config.ts';
import type { TrainerConfig } from '../trainer/config.ts';

/**
 * The environment contract between the CDK construct and the Lambdas: every variable's name, in
 * one table. The construct writes them through the `*Environment()` functions below and each
 * Lambda reads them back in its `config.ts`; `config(xEnvironment(s))` gives back `s`.
 */
export const ENV = {
  bucket: 'PRESCALE_BUCKET',
  checkpointPrefix: 'PRESCALE_CHECKPOINT_PREFIX',
  namespace: 'PRESCALE_NAMESPACE',
  groups: 'PRESCALE_GROUPS',
  discoveryTag: 'PRESCALE_DISCOVERY_TAG',
  loadMetric: 'PRESCALE_LOAD_METRIC',
  historyDays: 'PRESCALE_HISTORY_DAYS',
  mode: 'PRESCALE_MODE',
  policyKind: 'PRESCALE_POLICY_KIND',
  capacityPerInstance: 'PRESCALE_CAPACITY_PER_INSTANCE',
  targetUtilization: 'PRESCALE_TARGET_UTILIZATION',
  quantile: 'PRESCALE_QUANTILE',
  bufferPct: 'PRESCALE_BUFFER_PCT',
  intervalLevel: 'PRESCALE_INTERVAL_LEVEL',
  observedFloorPct: 'PRESCALE_OBSERVED_FLOOR_PCT',
  observedPeakSeconds: 'PRESCALE_OBSERVED_PEAK_SECONDS',
  maxScaleInFraction: 'PRESCALE_MAX_SCALE_IN_FRACTION',
  tickSeconds: 'PRESCALE_TICK_SECONDS',
  bootSeconds: 'PRESCALE_BOOT_SECONDS',
  driftWindowHours: 'PRESCALE_DRIFT_WINDOW_HOURS',
  driftMase: 'PRESCALE_DRIFT_MASE',
  driftSustainHours: 'PRESCALE_DRIFT_SUSTAIN_HOURS',
  maxCheckpointAgeHours: 'PRESCALE_MAX_CHECKPOINT_AGE_HOURS',
  concurrency: 'PRESCALE_CONCURRENCY',
  scaleOutAlarm: 'PRESCALE_SCALE_OUT_ALARM',
  trainerFunction: 'PRESCALE_TRAINER_FUNCTION',
  keepVersions: 'PRESCALE_KEEP_VERSIONS',
  seed: 'PRESCALE_SEED',
  abPrefix: 'PRESCALE_AB_PREFIX',
  abControlGroup: 'PRESCALE_AB_CONTROL_GROUP',
  abTreatmentGroup: 'PRESCALE_AB_TREATMENT_GROUP',
  abControlTargetGroup: 'PRESCALE_AB_CONTROL_TARGET_GROUP',
  abTreatmentTargetGroup: 'PRESCALE_AB_TREATMENT_TARGET_GROUP',
  abLoadBalancer: 'PRESCALE_AB_LOAD_BALANCER',
  abWindowHours: 'PRESCALE_AB_WINDOW_HOURS',
  abPeriodSeconds: 'PRESCALE_AB_PERIOD_SECONDS',
  abSaturationCpu: 'PRESCALE_AB_SATURATION_CPU',
  pricePerInstanceHour: 'PRESCALE_PRICE_PER_INSTANCE_HOUR',
} as const;

export type Environment = Record<string, string>;
type DeepPartial<T> = {
  readonly [K in keyof T]?: T[K] extends object ? (T[K] extends readonly unknown[] ? T[K] : Partial<T[K]>) : T[K];
};

/** Settings the scaler (and the prediction URL, which plans with the scaler's policy) reads; unset fields keep their defaults. */
export function scalerEnvironment(s: DeepPartial<ScalerConfig>): Environment {
  const p = s.policy ?? {};
  return entries([
    [ENV.bucket, s.bucket],
    [ENV.checkpointPrefix, s.checkpointPrefix],
    [ENV.namespace, s.namespace],
    [ENV.groups, s.groups?.join(',')],
    [ENV.discoveryTag, s.discoveryTag],
    [ENV.loadMetric, loadMetricText(s.load)],
    [ENV.historyDays, s.historyDays],
    [ENV.mode, s.mode],
    [ENV.policyKind, p.kind],
    [ENV.capacityPerInstance, p.capacityPerInstance],
    [ENV.targetUtilization, p.targetUtilizationPct],
    [ENV.quantile, p.quantilePct],
    [ENV.bufferPct, p.bufferPct],
    [ENV.intervalLevel, p.intervalLevel],
    [ENV.observedFloorPct, p.observedFloorPct],
    [ENV.observedPeakSeconds, p.observedPeakSeconds],
    [ENV.maxScaleInFraction, p.maxScaleInFraction],
    [ENV.tickSeconds, p.tickSeconds],
    [ENV.bootSeconds, p.bootSeconds],
    [ENV.driftWindowHours, s.drift?.windowHours],
    [ENV.driftMase, s.drift?.thresholdMase],
    [ENV.driftSustainHours, s.drift?.sustainSeconds === undefined ? undefined : s.drift.sustainSeconds / 3600],
    [ENV.maxCheckpointAgeHours, s.maxCheckpointAgeHours],
    [ENV.concurrency, s.concurrency],
    [ENV.scaleOutAlarm, s.scaleOutAlarmName],
    [ENV.trainerFunction, s.trainerFunction],
  ]);
}

/** Settings the trainer reads; unset fields keep their defaults. */
export function trainerEnvironment(s: Partial<TrainerConfig>): Environment {
  return entries([
    [ENV.bucket, s.bucket],
    [ENV.checkpointPrefix, s.checkpointPrefix],
    [ENV.groups, s.groups?.join(',')],
    [ENV.discoveryTag, s.discoveryTag],
    [ENV.loadMetric, loadMetricText(s.load)],
    [ENV.historyDays, s.historyDays],
    [ENV.keepVersions, s.keepVersions],
    [ENV.seed, s.seed],
  ]);
}

/** Settings the A/B report reads; unset fields keep their defaults. */
export function abReportEnvironment(s: DeepPartial<AbReportConfig>): Environment {
  return entries([
    [ENV.bucket, s.bucket],
    [ENV.abPrefix, s.prefix],
    [ENV.abControlGroup, s.control?.group],
    [ENV.abTreatmentGroup, s.treatment?.group],
    [ENV.abControlTargetGroup, s.control?.targetGroup],
    [ENV.abTreatmentTargetGroup, s.treatment?.targetGroup],
    [ENV.abLoadBalancer, s.control?.loadBalancer ?? s.treatment?.loadBalancer],
    [ENV.abWindowHours, s.windowHours],
    [ENV.abPeriodSeconds, s.periodSeconds],
    [ENV.pricePerInstanceHour, s.pricePerInstanceHour],
    [ENV.abSaturationCpu, s.saturationCpuPct],
  ]);
}

function loadMetricText(load: ScalerConfig['load'] | undefined): string | undefined {
  return load === undefined ? undefined : load === 'total-cpu' ? 'total-cpu' : JSON.stringify(load);
}

function entries(pairs: readonly (readonly [string, string | number | undefined])[]): Environment {
  const env: Environment = {};
  for (const [name, value] of pairs) if (value !== undefined) env[name] = String(value);
  return env;
}
