import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { reactiveScaling } from '../models/policy/reactive.ts';
import { demoServiceUserData } from './demoService.ts';
import { PredictiveScaling } from './PredictiveScaling.ts';
import { ReactiveScaling } from './ReactiveScaling.ts';
import { abReportEnvironment } from '../lambdas/common/env.ts';

export interface AbExperimentStackProps extends StackProps {
  /** Bounds of each arm's group. @default 1 and 10 */
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
  /** Folder with the bundled Lambdas. @default dist/lambdas */
  readonly lambdaAssetDir?: string;
  /** When the A/B report is written. @default every day */
  readonly reportSchedule?: events.Schedule;
}

/**
 * The live A/B: an Application Load Balancer whose listener sends half the requests to a control
 * group (the reactive fallback only) and half to a treatment group (reactive + predictive, in
 * forecast-and-scale mode), both running the demo service, and the ab-report Lambda writing
 * their comparison to S3 on a schedule.
 */
export class AbExperimentStack extends Stack {
  public readonly control: autoscaling.AutoScalingGroup;
  public readonly treatment: autoscaling.AutoScalingGroup;
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly report: lambda.Function;

  constructor(scope: Construct, id: string, props: AbExperimentStackProps = {}) {
    super(scope, id, props);
    const minCapacity = props.minCapacity ?? 1;
    const maxCapacity = props.maxCapacity ?? 10;
    if (!Number.isInteger(maxCapacity) || maxCapacity < Math.max(1, minCapacity))
      throw new Error(
        `'maxCapacity' must be an integer of at least max(1, minCapacity=${minCapacity}), got ${maxCapacity}`,
      );
    const assets = props.lambdaAssetDir ?? fileURLToPath(new URL('../dist/lambdas', import.meta.url));
    const vpc = new ec2.Vpc(this, 'Vpc', {
      natGateways: 0,
      maxAzs: 2,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    vpc.addFlowLog('FlowLog');

    const logsBucket = new s3.Bucket(this, 'Logs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    Validations.of(logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'this is the log bucket (ALB access logs) itself',
    });
    const albSg = new ec2.SecurityGroup(this, 'AlbSg', {
      vpc,
      description: 'prescale A/B load balancer',
      allowAllOutbound: true,
    });
    albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'the A/B service, public: prescale loadgen drives it');
    Validations.of(albSg).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'a public demo endpoint on port 80 that prescale loadgen drives; it serves only the CPU-burning demo service',
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      securityGroup: albSg,
      dropInvalidHeaderFields: true,
    });
    // ELB access logs need the region at synth time (the log-delivery account differs by region).
    if (!Token.isUnresolved(this.region)) {
      this.loadBalancer.logAccessLogs(logsBucket, 'alb');
    } else {
      Validations.of(this.loadBalancer).acknowledge({
        id: 'AwsSolutions-ELB2',
        reason: 'environment-agnostic synth: give the stack env.region and ALB access logs go to the logs bucket',
      });
    }

    const arm = (name: string) => {
      const sg = new ec2.SecurityGroup(this, `${name}Sg`, {
        vpc,
        description: `prescale A/B ${name} instances`,
        allowAllOutbound: true,
      });
      sg.addIngressRule(albSg, ec2.Port.tcp(8080), 'from the load balancer only');
      const template = new ec2.LaunchTemplate(this, `${name}LaunchTemplate`, {
        machineImage: ec2.MachineImage.latestAmazonLinux2023(),
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
        requireImdsv2: true,
        securityGroup: sg,
        userData: demoServiceUserData(),
        blockDevices: [
          {
            deviceName: '/dev/xvda',
            volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
          },
        ],
      });
      const group = new autoscaling.AutoScalingGroup(this, `${name}Group`, {
        vpc,
        launchTemplate: template,
        minCapacity,
        maxCapacity,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        groupMetrics: [autoscaling.GroupMetrics.all()],
      });
      Validations.of(group).acknowledge({
        id: 'AwsSolutions-AS3',
        reason:
          "the A/B report reads the groups' activity from CloudWatch group metrics; scaling notifications would duplicate it",
      });
      const targetGroup = new elbv2.ApplicationTargetGroup(this, `${name}Targets`, {
        vpc,
        port: 8080,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targets: [group],
        healthCheck: { path: '/', interval: Duration.seconds(30) },
      });
      return { group, targetGroup };
    };
    const control = arm('Control');
    const treatment = arm('Treatment');
    this.control = control.group;
    this.treatment = treatment.group;
    const listener = this.loadBalancer.addListener('Http', { port: 80, open: false });
    listener.addAction('Split', {
      action: elbv2.ListenerAction.weightedForward([
        { targetGroup: control.targetGroup, weight: 50 },
        { targetGroup: treatment.targetGroup, weight: 50 },
      ]),
    });

    new ReactiveScaling(this, 'ControlReactive', { autoScalingGroup: control.group, definition: reactiveScaling() });
    const predictive = new PredictiveScaling(this, 'TreatmentPredictive', {
      autoScalingGroup: treatment.group,
      mode: 'forecast-and-scale',
      lambdaAssetDir: assets,
    });

    const logGroup = new logs.LogGroup(this, 'ReportLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'ReportRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'prescale ab-report',
    });
    logGroup.grantWrite(role);
    this.report = new lambda.Function(this, 'Report', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(assets, 'abReport')),
      memorySize: 512,
      timeout: Duration.minutes(2),
      role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      description: 'prescale A/B report',
      environment: abReportEnvironment({
        bucket: predictive.bucket.bucketName,
        control: {
          group: control.group.autoScalingGroupName,
          targetGroup: control.targetGroup.targetGroupFullName,
          loadBalancer: this.loadBalancer.loadBalancerFullName,
        },
        treatment: {
          group: treatment.group.autoScalingGroupName,
          targetGroup: treatment.targetGroup.targetGroupFullName,
        },
      }),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [predictive.bucket.arnForObjects('ab/*')] }),
    );
    const cfnBucket = predictive.bucket.node.defaultChild as s3.CfnBucket;
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'cloudwatch:GetMetricData and X-Ray writes take no resource-level permissions',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(cfnBucket)}.Arn>/ab/*]`,
        reason: "report objects under the ab/ prefix of prescale's bucket",
      },
    );
    new events.Rule(this, 'ReportSchedule', {
      schedule: props.reportSchedule ?? events.Schedule.rate(Duration.days(1)),
      targets: [new targets.LambdaFunction(this.report)],
    });

    new CfnOutput(this, 'Url', {
      value: `http://${this.loadBalancer.loadBalancerDnsName}/`,
      description: 'prescale loadgen --url <this> --trace FILE',
    });
    new CfnOutput(this, 'ReportsBucket', {
      value: predictive.bucket.bucketName,
      description: 'ab/<date>.json and ab/<date>.html',
    });
  }
}
