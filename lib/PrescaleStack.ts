import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { PredictiveScaling, type PredictiveScalingProps } from './PredictiveScaling.ts';
import { demoServiceUserData } from './demoService.ts';

export interface PrescaleStackProps extends StackProps {
  /** @default 1 */
  readonly minCapacity?: number;
  /** @default 10 */
  readonly maxCapacity?: number;
  /** @default t3.micro */
  readonly instanceType?: ec2.InstanceType;
  /** Passed to PredictiveScaling (mode, buffers, schedules...). @default forecast-only, total CPU */
  readonly predictive?: Omit<PredictiveScalingProps, 'autoScalingGroup'>;
}

/**
 * The demo: a VPC without NAT gateways, a launch template (Amazon Linux 2023, IMDSv2 required,
 * encrypted root volume) running a small HTTP service whose requests cost a known amount of CPU,
 * a group with group metrics enabled, and PredictiveScaling with its reactive fallback.
 */
export class PrescaleStack extends Stack {
  public readonly group: autoscaling.AutoScalingGroup;
  public readonly predictive: PredictiveScaling;

  constructor(scope: Construct, id: string, props: PrescaleStackProps = {}) {
    super(scope, id, props);
    const minCapacity = props.minCapacity ?? 1;
    const maxCapacity = props.maxCapacity ?? 10;
    if (!Number.isInteger(minCapacity) || minCapacity < 0)
      throw new Error(`'minCapacity' must be a non-negative integer, got ${minCapacity}`);
    if (!Number.isInteger(maxCapacity) || maxCapacity < Math.max(1, minCapacity))
      throw new Error(
        `'maxCapacity' must be an integer of at least max(1, minCapacity=${minCapacity}), got ${maxCapacity}`,
      );
    const vpc = new ec2.Vpc(this, 'Vpc', {
      natGateways: 0,
      maxAzs: 2,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    vpc.addFlowLog('FlowLog');
    const securityGroup = new ec2.SecurityGroup(this, 'ServiceSg', {
      vpc,
      description: 'prescale demo service',
      allowAllOutbound: true,
    });
    securityGroup.addIngressRule(
      ec2.Peer.ipv4(vpc.vpcCidrBlock),
      ec2.Port.tcp(8080),
      'the demo service, from inside the VPC',
    );
    Validations.of(securityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: "ingress is port 8080 from the VPC's own CIDR only; the rule cannot read the CIDR, a token at synth time",
    });
    const scalingEvents = new sns.Topic(this, 'ScalingEvents', {
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      displayName: 'prescale demo: Auto Scaling events',
    });
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      instanceType: props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      requireImdsv2: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
        },
      ],
      userData: demoServiceUserData(),
      securityGroup,
    });
    this.group = new autoscaling.AutoScalingGroup(this, 'Group', {
      vpc,
      launchTemplate,
      minCapacity,
      maxCapacity,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      groupMetrics: [autoscaling.GroupMetrics.all()],
      notifications: [{ topic: scalingEvents }],
    });
    this.predictive = new PredictiveScaling(this, 'Predictive', { autoScalingGroup: this.group, ...props.predictive });
    new CfnOutput(this, 'PredictUrl', {
      value: this.predictive.predictUrl.url,
      description: 'prescale forecast --url <this> (SigV4, AWS_IAM)',
    });
    new CfnOutput(this, 'GroupName', { value: this.group.autoScalingGroupName });
  }
}
