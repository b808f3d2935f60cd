import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { PredictiveScaling, type PredictiveScalingProps } from '../../lib/PredictiveScaling.ts';
import { deployable } from '../../cli/report/deployable.ts';
import { planExperiment } from '../../models/experiment/plan.ts';
import { hedgeSetting } from '../../models/policy/defaults.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';

const assets = mkdtempSync(join(tmpdir(), 'prescale-rec-'));
for (const name of ['scaler', 'trainer', 'predict']) {
  mkdirSync(join(assets, name));
  writeFileSync(join(assets, name, 'index.mjs'), '');
}

/** The scaler's string environment variables when the construct is given these props. */
function scalerEnv(props: Partial<PredictiveScalingProps>): Record<string, string> {
  const stack = new Stack(new App(), 'Rec');
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
  return Object.fromEntries(
    Object.entries(fn.Properties.Environment.Variables).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

describe('a recommended prescale setting, deployed', () => {
  const plan = planExperiment(syntheticLoad(8), 'rec');

  it.each([60, 75, 90, 100, 130, 155])(
    'hedge %d: the construct given the props runs the scaler with the env',
    (hedge) => {
      const d = deployable('prescale', hedge, plan);
      const s = hedgeSetting(hedge);
      expect(d.props).toMatchObject({ quantilePct: s.quantilePct, targetUtilizationPct: s.targetUtilizationPct });
      // Durations are written as the CDK code that makes them.
      const props = Object.fromEntries(
        Object.entries(d.props).map(([k, v]) => {
          const m = typeof v === 'string' ? /^Duration\.seconds\((\d+)\)$/.exec(v) : null;
          return [k, m ? Duration.seconds(Number(m[1])) : v];
        }),
      );
      const env = scalerEnv(props as Partial<PredictiveScalingProps>);
      for (const [name, value] of Object.entries(d.env)) expect(env[name], name).toBe(value);
      // ...and the scaler really reads a planned percentile, utilization and observed floor from them.
      expect(env.PRESCALE_QUANTILE).toBe(String(s.quantilePct));
      expect(env.PRESCALE_TARGET_UTILIZATION).toBe(String(s.targetUtilizationPct));
      expect(env.PRESCALE_OBSERVED_FLOOR_PCT ?? '0').toBe(String(s.observedFloorPct));
      expect(env.PRESCALE_OBSERVED_PEAK_SECONDS ?? '0').toBe(String(s.observedPeakSeconds));
    },
  );

  it('names the AWS policy and its setting when the verdict is to stay reactive', () => {
    expect(deployable('target-tracking', 45, plan).props).toEqual({ targetUtilizationPercent: 45 });
    expect(deployable('reactive-step', 60, plan).props).toEqual({ scaleOutPct: 60, scaleInPct: 30 });
    const perTarget = deployable('target-tracking-requests', 50, plan).props.targetRequestsPerMinute;
    expect(perTarget).toBeCloseTo(plan.config.fleet.capacityPerInstance / 2, 4);
  });
});
