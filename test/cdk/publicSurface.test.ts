import { describe, expect, it } from 'vitest';
import * as prescale from '../../lib/index.ts';

describe('the library surface (lib/index.ts)', () => {
  it('exports the constructs and the policy data a CDK app needs, and nothing of the Lambdas', () => {
    expect(Object.keys(prescale).sort()).toEqual([
      'AbExperimentStack',
      'DEMO_REQUEST_CPU_MS',
      'FORECAST_POLICY_KINDS',
      'PRESCALE_POLICY',
      'PredictiveScaling',
      'PrescaleStack',
      'ReactiveScaling',
      'demoServiceUserData',
      'prescaleFallback',
      'reactiveScaling',
    ]);
  });

  it('builds the reactive fallback from the same step data the simulator replays', () => {
    const data = prescale.reactiveScaling(prescale.prescaleFallback(prescale.PRESCALE_POLICY.targetUtilizationPct));
    expect(data.scaleOut.alarm.threshold).toBe(90);
    expect(data.scaleIn.alarm.threshold).toBe(60);
  });
});
