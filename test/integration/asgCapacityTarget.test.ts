import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsgCapacityTarget, CONFIGURED_MIN_TAG, GroupNotFoundError } from '../../lambdas/adapters/AsgCapacityTarget.ts';
import type { Decision } from '../../models/policy/decide.ts';
import type { IamCheck, RoleClients } from '../../cli/lib/iam/IamCheck.ts';
import { expectEveryCallAllowed, startIamCheck } from '../helpers/iam.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';

let aws: LocalAws;
let autoScaling: AutoScalingClient;
let cloudWatch: CloudWatchClient;
let ec2: EC2Client;
// The clients the target is given, as the scaler's: every call recorded and checked against its role policy.
let iam: IamCheck;
let scaler: RoleClients;

const decision = (minSize: number, desiredCapacity?: number): Decision => ({
  recommendedCapacity: minSize,
  plannedLoadPerMinute: 0,
  minSize,
  desiredCapacity,
  reason: 'test',
});

async function group(name: string) {
  const out = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  return out.AutoScalingGroups![0];
}

beforeAll(async () => {
  aws = await startLocalAws();
  const config = { ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint };
  autoScaling = new AutoScalingClient(config);
  cloudWatch = new CloudWatchClient(config);
  ec2 = new EC2Client(config);
  iam = await startIamCheck(aws, { bucket: 'prescale-asg-test', groups: ['web'], scaleOutAlarm: 'web-scale-out' });
  scaler = iam.clientsFor('scaler');
  await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'web-lt',
      LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' },
    }),
  );
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'web',
      MinSize: 1,
      MaxSize: 10,
      DesiredCapacity: 2,
      LaunchTemplate: { LaunchTemplateName: 'web-lt', Version: '$Latest' },
      AvailabilityZones: ['us-east-1a'],
    }),
  );
});
afterAll(async () => {
  try {
    await expectEveryCallAllowed(iam, [
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteTags',
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:UpdateAutoScalingGroup',
      'cloudwatch:DescribeAlarms',
    ]);
  } finally {
    await iam?.stop();
    for (const c of [autoScaling, cloudWatch, ec2]) c?.destroy();
    await aws?.stop();
  }
});

describe('AsgCapacityTarget against the local endpoint', () => {
  it('raises the floor and desired capacity, remembers the configured minimum, lowers gently and restores it', async () => {
    const target = new AsgCapacityTarget({ autoScaling: scaler.autoScaling });
    expect(await target.read('web')).toEqual({
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 2,
      configuredMinSize: 1,
      scaleOutAlarmActive: false,
    });

    expect(await target.apply('web', decision(4))).toEqual({ minSize: 4, desiredCapacity: 4, changed: true });
    let asg = await group('web');
    expect([asg.MinSize, asg.DesiredCapacity]).toEqual([4, 4]);
    expect(asg.Tags?.find((t) => t.Key === CONFIGURED_MIN_TAG)?.Value).toBe('1');
    expect((await target.read('web')).configuredMinSize).toBe(1);

    // A lower floor without a desired capacity leaves desired capacity to the reactive policy.
    expect(await target.apply('web', decision(3))).toEqual({ minSize: 3, desiredCapacity: 4, changed: true });
    asg = await group('web');
    expect([asg.MinSize, asg.DesiredCapacity]).toEqual([3, 4]);
    expect(await target.apply('web', decision(3))).toMatchObject({ changed: false });

    await target.release('web');
    asg = await group('web');
    expect(asg.MinSize).toBe(1);
    expect(asg.Tags?.some((t) => t.Key === CONFIGURED_MIN_TAG)).toBe(false);
  });

  it("reads the reactive scale-out alarm's state", async () => {
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'web-scale-out',
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 70,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }],
      }),
    );
    const target = new AsgCapacityTarget({
      autoScaling: scaler.autoScaling,
      cloudWatch: scaler.cloudWatch,
      scaleOutAlarmName: '{group}-scale-out',
    });
    expect((await target.read('web')).scaleOutAlarmActive).toBe(false);
    await cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: 'web-scale-out', StateValue: 'ALARM', StateReason: 'test' }),
    );
    expect((await target.read('web')).scaleOutAlarmActive).toBe(true);
  });

  it('names a group that does not exist', async () => {
    await expect(new AsgCapacityTarget({ autoScaling: scaler.autoScaling }).read('nope')).rejects.toThrow(
      GroupNotFoundError,
    );
    await expect(new AsgCapacityTarget({ autoScaling: scaler.autoScaling }).read('nope')).rejects.toThrow(
      /'nope' not found/,
    );
  });
});
