import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { PredictiveScaling, type PredictiveScalingProps } from '../../lib/PredictiveScaling.ts';
import { scalerConfig } from '../../lambdas/scaler/config.ts';
import { loadKindOf } from '../../lambdas/adapters/CloudWatchMetricSource.ts';

const assets = mkdtempSync(join(tmpdir(), 'prescale-kind-'));
for (const name of ['scaler', 'trainer', 'predict']) {
  mkdirSync(join(assets, name));
  writeFileSync(join(assets, name, 'index.mjs'), '');
}

function synth(props: Partial<PredictiveScalingProps>) {
  const stack = new Stack(new App(), 'Kind');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
  const group = new autoscaling.AutoScalingGroup(stack, 'Group', {
    vpc,
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  new PredictiveScaling(stack, 'Prescale', { autoScalingGroup: group, lambdaAssetDir: assets, ...props });
  const fn = Object.values(
    Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { Description: 'prescale scaler' },
    }),
  )[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
  const vars = Object.entries(fn.Properties.Environment.Variables).filter(([, v]) => typeof v === 'string');
  return scalerConfig({ ...Object.fromEntries(vars), PRESCALE_BUCKET: 'b' });
}

const latency = {
  namespace: 'App',
  metricName: 'RequestsPerSecond',
  dimensions: { Group: '{group}' },
  stat: 'Average',
};

describe('the load metric kind, from construct props to the scaler', () => {
  it('defaults to total CPU, a level, at 100 per instance', () => {
    const config = synth({});
    expect(loadKindOf(config.load)).toBe('level');
    expect(config.policy.capacityPerInstance).toBe(100);
  });

  it('takes a Sum metric as a sum per period without being told', () => {
    const config = synth({ loadMetric: { ...latency, stat: 'Sum' }, capacityPerInstance: 600 });
    expect(loadKindOf(config.load)).toBe('sum');
  });

  it('carries a stated kind to the scaler', () => {
    const config = synth({ loadMetric: { ...latency, kind: 'per-second' }, capacityPerInstance: 600 });
    expect(loadKindOf(config.load)).toBe('per-second');
  });

  it('refuses an Average metric without a kind, and an unknown kind, naming the prop', () => {
    expect(() => synth({ loadMetric: latency, capacityPerInstance: 600 })).toThrow(
      /'loadMetric.kind' is required with statistic 'Average'/,
    );
    expect(() => synth({ loadMetric: { ...latency, kind: 'rate' as never }, capacityPerInstance: 600 })).toThrow(
      /'loadMetric.kind' must be one of sum, per-second, level, got 'rate'/,
    );
  });
});
