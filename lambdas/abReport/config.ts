import { numberVar, optionalString, requiredString } from '../common/config.ts';
import type { AbReportConfig } from './runAbReport.ts';
import { ENV } from '../common/env.ts';

/** The report's configuration from its environment, checked once at cold start. */
export function abReportConfig(env: Readonly<Record<string, string | undefined>>): AbReportConfig {
  const optional = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const loadBalancer = optional(ENV.abLoadBalancer);
  return {
    bucket: requiredString(env, ENV.bucket),
    prefix: optionalString(env, ENV.abPrefix, 'ab'),
    control: {
      group: requiredString(env, ENV.abControlGroup),
      targetGroup: optional(ENV.abControlTargetGroup),
      loadBalancer,
    },
    treatment: {
      group: requiredString(env, ENV.abTreatmentGroup),
      targetGroup: optional(ENV.abTreatmentTargetGroup),
      loadBalancer,
    },
    windowHours: numberVar(env, ENV.abWindowHours, 24, { min: 1, max: 24 * 15 }),
    periodSeconds: numberVar(env, ENV.abPeriodSeconds, 300, { min: 60, integer: true }),
    pricePerInstanceHour: numberVar(env, ENV.pricePerInstanceHour, 0.0416, { min: 0 }),
    saturationCpuPct: numberVar(env, ENV.abSaturationCpu, 90, { min: 1, max: 100 }),
  };
}
