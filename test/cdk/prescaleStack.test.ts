import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { PredictiveScaling } from '../../lib/PredictiveScaling.ts';
import { PrescaleStack } from '../../lib/PrescaleStack.ts';
import { ReactiveScaling } from '../../lib/ReactiveScaling.ts';
import { reactiveScaling } from '../../models/policy/reactive.ts';
import { bundleAll } from '../../scripts/bundle.ts';

let template: Template;
// The constructs package the bundled Lambdas; a folder of our own, as other test files bundle too.
const assets = mkdtempSync(join(tmpdir(), 'prescale-cdk-'));

beforeAll(async () => {
  await bundleAll(assets);
  template = Template.fromStack(
    new PrescaleStack(new App(), 'Demo', { minCapacity: 2, maxCapacity: 12, predictive: { lambdaAssetDir: assets } }),
  );
});

/** Every IAM policy statement in the template. */
function statements(
  t: Template,
): { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown }[] {
  return Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: never[] } } }).Properties.PolicyDocument.Statement,
  );
}

describe('PrescaleStack (demo)', () => {
  it('has a group with its bounds, group metrics and a hardened launch template', () => {
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '2',
      MaxSize: '12',
      MetricsCollection: [{ Granularity: '1Minute' }],
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: { HttpTokens: 'required' },
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
      }),
    });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  it('deploys the reactive fallback from the plain step data: thresholds, periods and steps', () => {
    const fallback = reactiveScaling({ scaleOutPct: 90 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/EC2',
      Statistic: 'Average',
      Period: 60,
      Threshold: fallback.scaleOut.alarm.threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: fallback.scaleOut.alarm.evaluationPeriods,
      DatapointsToAlarm: fallback.scaleOut.alarm.datapointsToAlarm,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CPUUtilization',
      Threshold: fallback.scaleIn.alarm.threshold,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      EvaluationPeriods: 10,
    });
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      AdjustmentType: 'PercentChangeInCapacity',
      MinAdjustmentMagnitude: 1,
      StepAdjustments: Match.arrayWith([Match.objectLike({ MetricIntervalLowerBound: 20, ScalingAdjustment: 40 })]),
    });
  });

  it('schedules the scaler every 5 minutes and the trainer daily, and serves predictions behind AWS_IAM', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          PRESCALE_MODE: 'forecast-only',
          PRESCALE_CAPACITY_PER_INSTANCE: '100',
          PRESCALE_LOAD_METRIC: 'total-cpu',
          PRESCALE_POLICY_KIND: 'quantile',
          PRESCALE_QUANTILE: '75',
        }),
      },
    });
  });

  it('keeps the bucket encrypted, versioned, private and SSL-only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('grants least privilege: no autoscaling:*, no write action on *, PutMetricData only in its namespace', () => {
    const all = statements(template);
    const actions = (s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
    expect(all.flatMap(actions)).not.toContain('autoscaling:*');
    const readOnlyOnStar = new Set([
      'autoscaling:DescribeAutoScalingGroups',
      'cloudwatch:GetMetricData',
      'cloudwatch:PutMetricData',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
    ]);
    for (const s of all.filter((x) => x.Resource === '*')) {
      for (const a of actions(s)) expect(readOnlyOnStar.has(a), `${a} on *`).toBe(true);
    }
    const put = all.find((s) => actions(s).includes('cloudwatch:PutMetricData'));
    expect(put?.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'Prescale' } });
    const writes = all.find((s) => actions(s).includes('autoscaling:UpdateAutoScalingGroup'));
    expect(JSON.stringify(writes?.Resource)).toMatch(/autoScalingGroupName\//);
  });

  it('alarms on scaler errors and stale forecasts, and draws a dashboard', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'LoadForecast',
      Namespace: 'Prescale',
      TreatMissingData: 'breaching',
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const shown of ['cpu * n', 'LoadForecastUpper', 'GroupMinSize', 'ForecastMASE', 'RecommendedCapacity'])
      expect(body).toContain(shown);
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the demo stack (AWS Solutions rules)', () => {
    const app = new App();
    new PrescaleStack(app, 'Nagged', { predictive: { lambdaAssetDir: assets } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('does fail the synth on an unacknowledged finding, so the test above can fail', () => {
    const app = new App();
    const stack = new Stack(app, 'Open');
    new s3.Bucket(stack, 'NoAccessLogs');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});

describe('construct props are validated, naming the bad value', () => {
  function groupIn(stack: Stack): autoscaling.AutoScalingGroup {
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    return new autoscaling.AutoScalingGroup(stack, 'G', {
      vpc,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
  }

  it.each([
    [{ capacityPerInstance: 0 }, /'capacityPerInstance' must be positive, got 0/],
    [{ tick: Duration.seconds(30) }, /'tick' must be whole minutes of at least one minute, got 30 seconds/],
    [{ targetUtilizationPct: 120 }, /'targetUtilizationPct' must be within \(0, 100\], got 120/],
    [
      { loadMetric: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: {} } },
      /'capacityPerInstance' is required/,
    ],
    [{ lambdaAssetDir: '/nonexistent' }, /'lambdaAssetDir' has no scaler\/index.mjs/],
    [
      { policy: 'yolo' as never },
      /'policy' must be one of simple-ceiling, buffered, confidence-aware, incremental, quantile, got 'yolo'/,
    ],
    [{ bufferPct: -5 }, /'bufferPct' must be within \[0, 500\], got -5/],
    [{ observedFloorPct: 300 }, /'observedFloorPct' must be within \[0, 200\], got 300/],
  ])('PredictiveScaling rejects %o', (props, message) => {
    const stack = new Stack(new App(), 'S');
    expect(
      () => new PredictiveScaling(stack, 'P', { autoScalingGroup: groupIn(stack), lambdaAssetDir: assets, ...props }),
    ).toThrow(message);
  });

  it('puts the default fallback 10 CPU points above the planned utilization, and passes the observed floor on', () => {
    const stack = new Stack(new App(), 'S');
    new PredictiveScaling(stack, 'P', {
      autoScalingGroup: groupIn(stack),
      lambdaAssetDir: assets,
      targetUtilizationPct: 60,
      observedFloorPct: 100,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 70,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 40,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ PRESCALE_TARGET_UTILIZATION: '60', PRESCALE_OBSERVED_FLOOR_PCT: '100' }),
      },
    });
  });

  it('ReactiveScaling rejects a scale-out policy on a less-than alarm, and the demo stack max below min', () => {
    const stack = new Stack(new App(), 'S');
    const bad = reactiveScaling();
    expect(
      () =>
        new ReactiveScaling(stack, 'R', {
          autoScalingGroup: groupIn(stack),
          definition: { scaleOut: bad.scaleIn, scaleIn: bad.scaleIn },
        }),
    ).toThrow(/'scaleOut' must alarm on a greater-than comparison, got LessThanOrEqualToThreshold/);
    expect(
      () =>
        new PrescaleStack(new App(), 'D', { minCapacity: 5, maxCapacity: 3, predictive: { lambdaAssetDir: assets } }),
    ).toThrow(/'maxCapacity' must be an integer of at least max\(1, minCapacity=5\), got 3/);
  });
});
