import { describe, expect, it } from 'vitest';
import { abReportConfig } from '../../lambdas/abReport/config.ts';
import { scalerConfig, type ScalerConfig } from '../../lambdas/scaler/config.ts';
import { abReportEnvironment, ENV, scalerEnvironment, trainerEnvironment } from '../../lambdas/common/env.ts';
import { trainerConfig } from '../../lambdas/trainer/config.ts';

// The construct writes the environment with the *Environment() functions and each Lambda reads it
// back; these round trips are what keeps the two sides of that contract in step.
describe('the Lambda environment contract', () => {
  const minimal = { [ENV.bucket]: 'b', [ENV.capacityPerInstance]: '100' };

  it('names every variable once', () => {
    const names = Object.values(ENV);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^PRESCALE_[A-Z_]+$/);
  });

  it('scaler: config(scalerEnvironment(s)) equals s, at the defaults and with every setting changed', () => {
    const defaults = scalerConfig(minimal);
    expect(scalerConfig(scalerEnvironment(defaults))).toEqual(defaults);
    const changed: ScalerConfig = {
      mode: 'forecast-and-scale',
      drift: { windowHours: 12, thresholdMase: 2.5, sustainSeconds: 3 * 3600 },
      policy: {
        kind: 'confidence-aware',
        bufferPct: 20,
        intervalLevel: 95,
        capacityPerInstance: 1234.5,
        targetUtilizationPct: 65,
        quantilePct: 90,
        bootSeconds: 600,
        tickSeconds: 120,
        maxScaleInFraction: 0.25,
        observedFloorPct: 100,
        observedPeakSeconds: 3600,
      },
      historyDays: 7,
      maxCheckpointAgeHours: 24,
      groups: ['web-a', 'web-b'],
      discoveryTag: 'team:scale',
      bucket: 'bucket-2',
      checkpointPrefix: 'models',
      namespace: 'Custom',
      concurrency: 8,
      load: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCount',
        dimensions: { TargetGroup: '{group}' },
        stat: 'Sum',
      },
      scaleOutAlarmName: 'web-high-cpu',
      trainerFunction: 'trainer-fn',
    };
    expect(scalerConfig(scalerEnvironment(changed))).toEqual(changed);
  });

  it('trainer: config(trainerEnvironment(s)) equals s', () => {
    const defaults = trainerConfig({ [ENV.bucket]: 'b' });
    expect(trainerConfig(trainerEnvironment(defaults))).toEqual(defaults);
    const changed = {
      ...defaults,
      groups: ['g1'],
      discoveryTag: 'x:y',
      checkpointPrefix: 'cp',
      keepVersions: 3,
      historyDays: 10,
      seed: 7,
      load: { namespace: 'N', metricName: 'M', dimensions: { AutoScalingGroupName: '{group}' } },
    };
    expect(trainerConfig(trainerEnvironment(changed))).toEqual(changed);
  });

  it('A/B report: config(abReportEnvironment(s)) equals s', () => {
    const arms = { [ENV.bucket]: 'b', [ENV.abControlGroup]: 'c', [ENV.abTreatmentGroup]: 't' };
    const defaults = abReportConfig(arms);
    expect(abReportConfig(abReportEnvironment(defaults))).toEqual(defaults);
    const lb = 'app/lb/1';
    const changed = {
      ...defaults,
      prefix: 'exp',
      windowHours: 48,
      periodSeconds: 60,
      pricePerInstanceHour: 0.1,
      saturationCpuPct: 85,
      control: { group: 'c', targetGroup: 'targetgroup/c/1', loadBalancer: lb },
      treatment: { group: 't', targetGroup: 'targetgroup/t/2', loadBalancer: lb },
    };
    expect(abReportConfig(abReportEnvironment(changed))).toEqual(changed);
  });

  it('leaves unset settings out, so the Lambda applies its own default', () => {
    expect(scalerEnvironment({ bucket: 'b', policy: { capacityPerInstance: 5 } })).toEqual({
      [ENV.bucket]: 'b',
      [ENV.capacityPerInstance]: '5',
    });
  });
});
