import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { AbExperimentStack } from '../../lib/AbExperimentStack.ts';
import { bundleAll } from '../../scripts/bundle.ts';

const assets = mkdtempSync(join(tmpdir(), 'prescale-cdk-ab-'));
let template: Template;

beforeAll(async () => {
  await bundleAll(assets);
  template = Template.fromStack(new AbExperimentStack(new App(), 'Ab', { lambdaAssetDir: assets }));
});

describe('AbExperimentStack (live A/B)', () => {
  it('splits the listener 50/50 between the control and the treatment target groups', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        Match.objectLike({
          Type: 'forward',
          ForwardConfig: { TargetGroups: [Match.objectLike({ Weight: 50 }), Match.objectLike({ Weight: 50 })] },
        }),
      ],
    });
    template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 2);
  });

  it('gives the control the reactive fallback only and the treatment predictive scaling that acts', () => {
    // Control: 70/40 alarms; treatment: the prescale fallback at 90/60.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 70 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 90 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PRESCALE_MODE: 'forecast-and-scale' }) },
    });
  });

  it('writes the A/B report on a schedule, pointed at both arms', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'prescale A/B report',
      Environment: {
        Variables: Match.objectLike({
          PRESCALE_AB_CONTROL_GROUP: Match.anyValue(),
          PRESCALE_AB_TREATMENT_GROUP: Match.anyValue(),
          PRESCALE_AB_CONTROL_TARGET_GROUP: Match.anyValue(),
          PRESCALE_AB_LOAD_BALANCER: Match.anyValue(),
        }),
      },
    });
    expect(
      Object.keys(template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(1 day)' } }))
        .length,
    ).toBe(2); // trainer, report
  });

  it('passes cdk-nag with nothing unacknowledged, with and without a region', () => {
    for (const env of [undefined, { region: 'eu-west-1' }]) {
      const app = new App();
      new AbExperimentStack(app, 'Ab', { lambdaAssetDir: assets, env });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(() => app.synth()).not.toThrow();
    }
  });

  it('names bad bounds', () => {
    expect(
      () => new AbExperimentStack(new App(), 'Bad', { lambdaAssetDir: assets, minCapacity: 4, maxCapacity: 2 }),
    ).toThrow(/'maxCapacity' must be an integer of at least max\(1, minCapacity=4\), got 2/);
  });
});
