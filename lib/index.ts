/**
 * prescale's CDK library: the constructs a CDK app uses, their props, and the plain policy data
 * they take. Everything a user imports comes from here.
 */
export { PredictiveScaling, type LoadMetric, type PredictiveScalingProps } from './PredictiveScaling.ts';
export { ReactiveScaling, type ReactiveScalingProps } from './ReactiveScaling.ts';
export { PrescaleStack, type PrescaleStackProps } from './PrescaleStack.ts';
export { AbExperimentStack, type AbExperimentStackProps } from './AbExperimentStack.ts';
export { DEMO_REQUEST_CPU_MS, demoServiceUserData } from './demoService.ts';
export { reactiveScaling, type ReactiveThresholds } from '../models/policy/reactive.ts';
export { PRESCALE_POLICY, prescaleFallback } from '../models/policy/defaults.ts';
export { FORECAST_POLICY_KINDS, type ForecastPolicyKind } from '../models/policy/decide.ts';
export type {
  ReactiveScaling as ReactiveScalingData,
  StepScalingPolicy,
  StepAdjustment,
  CpuAlarm,
} from '../models/policy/types.ts';
