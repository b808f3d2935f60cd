import { numberVar, optionalString, requiredString } from '../shared/config.ts';
import type { AbReportConfig } from './runAbReport.ts';

/** The report's configuration from its environment, checked once at cold start. */
export function abReportConfig(env: Readonly<Record<string, string | undefined>>): AbReportConfig {
  const optional = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const loadBalancer = optional('PRESCALE_AB_LOAD_BALANCER');
  return {
    bucket: requiredString(env, 'PRESCALE_BUCKET'),
    prefix: optionalString(env, 'PRESCALE_AB_PREFIX', 'ab'),
    control: { group: requiredString(env, 'PRESCALE_AB_CONTROL_GROUP'), targetGroup: optional('PRESCALE_AB_CONTROL_TARGET_GROUP'), loadBalancer },
    treatment: { group: requiredString(env, 'PRESCALE_AB_TREATMENT_GROUP'), targetGroup: optional('PRESCALE_AB_TREATMENT_TARGET_GROUP'), loadBalancer },
    windowHours: numberVar(env, 'PRESCALE_AB_WINDOW_HOURS', 24, { min: 1, max: 24 * 15 }),
    periodSeconds: numberVar(env, 'PRESCALE_AB_PERIOD_SECONDS', 300, { min: 60, integer: true }),
    pricePerInstanceHour: numberVar(env, 'PRESCALE_PRICE_PER_INSTANCE_HOUR', 0.0416, { min: 0 }),
    saturationCpuPct: numberVar(env, 'PRESCALE_AB_SATURATION_CPU', 90, { min: 1, max: 100 }),
  };
}
