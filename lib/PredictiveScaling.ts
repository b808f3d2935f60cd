import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ReactiveScaling as ReactiveScalingData } from '../models/policy/types.ts';
import { reactiveScaling } from '../models/policy/reactive.ts';
import { FORECAST_POLICY_KINDS, type ForecastPolicyKind } from '../models/policy/decide.ts';
import { PRESCALE_POLICY, prescaleFallback } from '../models/policy/defaults.ts';
import { isLoadKind, LOAD_KINDS, loadKindOfStat, type LoadKind } from '../models/policy/loadUnits.ts';
import { ENV, scalerEnvironment, trainerEnvironment } from '../lambdas/common/env.ts';
import { ReactiveScaling } from './ReactiveScaling.ts';

/** A load metric other than total CPU, e.g. an ALB target group's RequestCount (Sum). */
export interface LoadMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** @default 'Sum' */
  readonly stat?: string;
  /**
   * What the statistic's values are: 'sum' per period (a count), 'per-second' (a rate) or
   * 'level' (already in the units of `capacityPerInstance`). @default 'sum' for Sum and SampleCount; required otherwise
   */
  readonly kind?: LoadKind;
}

export interface PredictiveScalingProps {
  readonly autoScalingGroup: autoscaling.IAutoScalingGroup;
  /**
   * The load forecast: total CPU (average CPUUtilization × in-service instances) or a metric.
   * @default 'total-cpu'
   */
  readonly loadMetric?: 'total-cpu' | LoadMetric;
  /**
   * Load one instance serves at 100% CPU, per minute (a 'sum' or 'per-second' metric) or in the
   * level's own units (a 'level'). @default 100 with total CPU (one instance at 100% CPU is 100
   * percent-instances); required with a metric
   */
  readonly capacityPerInstance?: number;
  /** Utilization the forecast capacity is planned at, percent. @default 80 */
  readonly targetUtilizationPct?: number;
  /** Forecast percentile planned for (the 'quantile' policy). @default 75 */
  readonly quantilePct?: number;
  /**
   * How the forecast becomes capacity: 'quantile' (a percentile), 'confidence-aware' (an interval's
   * upper bound), 'buffered' or 'incremental' (the mean plus `bufferPct`), 'simple-ceiling' (the mean).
   * @default 'quantile'
   */
  readonly policy?: ForecastPolicyKind;
  /** Extra load planned for, percent of the forecast ('buffered', 'incremental'). @default 0 */
  readonly bufferPct?: number;
  /** Plan for at least this percent of the newest observed load, whatever the forecast says. @default 0 */
  readonly observedFloorPct?: number;
  /**
   * The observed load `observedFloorPct` plans for (and a scale-in keeps at full CPU) is the
   * highest of this long before each tick, not the newest interval's: a burst's capacity is
   * held this long after it. At most a day. @default no hold (the newest interval)
   */
  readonly observedPeakHold?: Duration;
  /** How often the scaler runs. @default Duration.minutes(5) */
  readonly tick?: Duration;
  /** 'forecast-only' publishes forecasts and recommendations without touching the group. @default 'forecast-only' */
  readonly mode?: 'forecast-only' | 'forecast-and-scale';
  /** Time from launch to serving, the scaler's lead time. @default Duration.minutes(5) */
  readonly bootLeadTime?: Duration;
  /** Where checkpoints, locks and drift state live. @default a new encrypted, versioned, SSL-only bucket */
  readonly bucket?: s3.IBucket;
  /**
   * The reactive fallback as plain data, or false to add none. @default the prescale policy's
   * fallback: scale out 10 CPU points above `targetUtilizationPct`, at 90% at most (90% at the default 80%)
   */
  readonly reactive?: ReactiveScalingData | false;
  /** When the trainer retrains. @default every day */
  readonly retrainSchedule?: events.Schedule;
  /** Folder with the bundled Lambdas (`npm run bundle`). @default dist/lambdas in this repository */
  readonly lambdaAssetDir?: string;
}

const LAMBDAS = ['scaler', 'trainer', 'predict'] as const;

/**
 * Predictive scaling for any Auto Scaling group: the scaler, trainer and prediction Lambdas,
 * their schedules, the prediction Function URL (AWS_IAM), least-privilege permissions, alarms
 * on scaler errors and stale forecasts, a dashboard, and the reactive fallback.
 */
export class PredictiveScaling extends Construct {
  public readonly bucket: s3.IBucket;
  public readonly scaler: lambda.Function;
  public readonly trainer: lambda.Function;
  public readonly predict: lambda.Function;
  public readonly predictUrl: lambda.FunctionUrl;
  public readonly reactive?: ReactiveScaling;
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly scalerErrorsAlarm: cloudwatch.Alarm;
  public readonly staleForecastAlarm: cloudwatch.Alarm;
  private readonly loadMetric: 'total-cpu' | LoadMetric;

  constructor(scope: Construct, id: string, props: PredictiveScalingProps) {
    super(scope, id);
    const settings = validated(props);
    this.loadMetric = props.loadMetric ?? 'total-cpu';
    const group = props.autoScalingGroup;
    const assets = props.lambdaAssetDir ?? fileURLToPath(new URL('../dist/lambdas', import.meta.url));
    for (const name of LAMBDAS) {
      if (!existsSync(join(assets, name, 'index.mjs')))
        throw new Error(`'lambdaAssetDir' has no ${name}/index.mjs (run 'npm run bundle' first), got ${assets}`);
    }
    this.bucket = props.bucket ?? this.newBucket();
    if (props.reactive !== false)
      this.reactive = new ReactiveScaling(this, 'Reactive', {
        autoScalingGroup: group,
        definition: props.reactive ?? reactiveScaling(prescaleFallback(settings.targetUtilizationPct)),
      });

    const load =
      props.loadMetric === undefined || props.loadMetric === 'total-cpu' ? ('total-cpu' as const) : props.loadMetric;
    const common = {
      bucket: this.bucket.bucketName,
      groups: [group.autoScalingGroupName],
      discoveryTag: 'prescale:enabled',
      load,
    };
    const environment: Record<string, string> = {
      ...trainerEnvironment(common),
      ...scalerEnvironment({
        ...common,
        mode: settings.mode,
        scaleOutAlarmName: this.reactive?.scaleOutAlarm.alarmName,
        policy: {
          kind: settings.policy,
          capacityPerInstance: settings.capacityPerInstance,
          targetUtilizationPct: settings.targetUtilizationPct,
          quantilePct: settings.quantilePct,
          bufferPct: settings.bufferPct,
          observedFloorPct: settings.observedFloorPct,
          observedPeakSeconds: settings.observedPeakSeconds > 0 ? settings.observedPeakSeconds : undefined,
          tickSeconds: settings.tickSeconds,
          bootSeconds: settings.bootSeconds,
        },
      }),
      NODE_OPTIONS: '--enable-source-maps',
    };
    const fn = (name: (typeof LAMBDAS)[number], memoryMb: number, timeout: Duration) => {
      const id = `${name[0].toUpperCase()}${name.slice(1)}`;
      // Our own role and log group: no AWS managed policy, logs writable only to this function's group.
      const logGroup = new logs.LogGroup(this, `${id}Logs`, {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = new iam.Role(this, `${id}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `prescale ${name}`,
      });
      logGroup.grantWrite(role);
      return new lambda.Function(this, id, {
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        handler: 'index.handler',
        code: lambda.Code.fromAsset(join(assets, name)),
        memorySize: memoryMb,
        timeout,
        environment,
        role,
        logGroup,
        tracing: lambda.Tracing.ACTIVE,
        description: `prescale ${name}`,
      });
    };
    this.trainer = fn('trainer', 2048, Duration.minutes(10));
    this.scaler = fn('scaler', 1024, Duration.minutes(2));
    this.scaler.addEnvironment(ENV.trainerFunction, this.trainer.functionName);
    this.predict = fn('predict', 1024, Duration.seconds(30));
    this.predictUrl = this.predict.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    new events.Rule(this, 'ScalerSchedule', {
      schedule: events.Schedule.rate(props.tick ?? Duration.minutes(5)),
      targets: [new targets.LambdaFunction(this.scaler)],
    });
    new events.Rule(this, 'TrainerSchedule', {
      schedule: props.retrainSchedule ?? events.Schedule.rate(Duration.days(1)),
      targets: [new targets.LambdaFunction(this.trainer)],
    });
    this.grantLeastPrivilege(group);
    [this.scalerErrorsAlarm, this.staleForecastAlarm] = this.alarms(group);
    this.dashboard = this.dashboardFor(group);
  }

  private grantLeastPrivilege(group: autoscaling.IAutoScalingGroup): void {
    // The group's ARN holds a UUID only known after creation; its name pins it down. The ARN is
    // 'autoScalingGroup:<uuid>:autoScalingGroupName/<name>', colons throughout: formatArn's default
    // 'autoScalingGroup/*:...' matched no group, so every write was denied.
    const stack = Stack.of(this);
    const groupArn = `arn:${stack.partition}:autoscaling:${stack.region}:${stack.account}:autoScalingGroup:*:autoScalingGroupName/${group.autoScalingGroupName}`;
    for (const f of [this.scaler, this.trainer, this.predict]) {
      // Describe and GetMetricData have no resource-level permissions: '*' is the only resource they take.
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['autoscaling:DescribeAutoScalingGroups', 'cloudwatch:GetMetricData'],
          resources: ['*'],
        }),
      );
    }
    this.scaler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'],
        resources: [groupArn],
      }),
    );
    this.scaler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'Prescale' } },
      }),
    );
    if (this.reactive !== undefined)
      this.scaler.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['cloudwatch:DescribeAlarms'],
          resources: [this.reactive.scaleOutAlarm.alarmArn],
        }),
      );
    this.scaler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.trainer.functionArn] }),
    );
    const objects = (prefix: string) => this.bucket.arnForObjects(`${prefix}/*`);
    this.scaler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects('checkpoints')] }),
    );
    this.scaler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [objects('locks'), objects('state')],
      }),
    );
    this.trainer.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [objects('checkpoints')],
      }),
    );
    this.predict.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects('checkpoints')] }),
    );
    for (const f of [this.scaler, this.trainer, this.predict]) {
      // Each of them reads keys that may not exist yet: a group's promoted.json, its drift.json.
      // S3 answers a GET of a missing key with 404 NoSuchKey only to a caller with s3:ListBucket on
      // the bucket, and with 403 AccessDenied to anyone else (GetObject API reference,
      // "Permissions"); the Lambdas take NoSuchKey as "none yet" and AccessDenied as a failure.
      // Not conditioned on s3:prefix: a GetObject request carries no s3:prefix, and AWS does not
      // document that the check sets one, so a prefix-conditioned grant may not count. Listing
      // reveals key names in prescale's bucket, never their contents.
      f.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
      // The policies live on the function's role, a sibling of the function in the construct tree.
      const role = f.role as iam.Role;
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'autoscaling:DescribeAutoScalingGroups, cloudwatch:GetMetricData, cloudwatch:PutMetricData (conditioned on the Prescale namespace) and X-Ray writes take no resource-level permissions',
      });
      const cfnBucket = this.bucket.node.defaultChild;
      if (cfnBucket instanceof s3.CfnBucket) {
        const arn = `<${Stack.of(this).getLogicalId(cfnBucket)}.Arn>`;
        Validations.of(role).acknowledge(
          ...['checkpoints', 'locks', 'state'].map((prefix) => ({
            id: `AwsSolutions-IAM5[Resource::${arn}/${prefix}/*]`,
            reason: `objects under prescale's own ${prefix}/ prefix of its bucket`,
          })),
        );
      }
    }
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    Validations.of(this.scaler.role as iam.Role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/<${Stack.of(group).getLogicalId(group.node.defaultChild as cdk.CfnElement)}>]`,
      reason: 'the managed group only: the wildcard stands for the UUID in its ARN, the name is fixed',
    });
  }

  private newBucket(): s3.Bucket {
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'this is the access log bucket of the checkpoint bucket',
    });
    return new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'checkpoints-bucket/',
    });
  }

  private alarms(group: autoscaling.IAutoScalingGroup): [cloudwatch.Alarm, cloudwatch.Alarm] {
    const errors = new cloudwatch.Alarm(this, 'ScalerErrors', {
      metric: this.scaler.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'prescale scaler failed in 2 of the last 3 five-minute periods',
    });
    const forecasts = new cloudwatch.Metric({
      namespace: 'Prescale',
      metricName: 'LoadForecast',
      dimensionsMap: { AutoScalingGroupName: group.autoScalingGroupName },
      statistic: 'SampleCount',
      period: Duration.minutes(15),
    });
    const stale = new cloudwatch.Alarm(this, 'StaleForecast', {
      metric: forecasts,
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: 'prescale published no forecast for this group for 30 minutes',
    });
    return [errors, stale];
  }

  private dashboardFor(group: autoscaling.IAutoScalingGroup): cloudwatch.Dashboard {
    const dims = { AutoScalingGroupName: group.autoScalingGroupName };
    const prescale = (metricName: string, label: string) =>
      new cloudwatch.Metric({
        namespace: 'Prescale',
        metricName,
        dimensionsMap: dims,
        statistic: 'Average',
        period: Duration.minutes(5),
        label,
      });
    const asg = (metricName: string, label: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/AutoScaling',
        metricName,
        dimensionsMap: dims,
        statistic: 'Average',
        period: Duration.minutes(5),
        label,
      });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard');
    const actual =
      this.loadMetric === 'total-cpu'
        ? new cloudwatch.MathExpression({
            expression: 'cpu * n',
            label: 'actual load (total CPU)',
            period: Duration.minutes(5),
            usingMetrics: {
              cpu: new cloudwatch.Metric({
                namespace: 'AWS/EC2',
                metricName: 'CPUUtilization',
                dimensionsMap: dims,
                statistic: 'Average',
                period: Duration.minutes(5),
              }),
              n: asg('GroupInServiceInstances', 'in service'),
            },
          })
        : new cloudwatch.Metric({
            namespace: this.loadMetric.namespace,
            metricName: this.loadMetric.metricName,
            statistic: this.loadMetric.stat ?? 'Sum',
            period: Duration.minutes(5),
            label: 'actual load',
            dimensionsMap: Object.fromEntries(
              Object.entries(this.loadMetric.dimensions).map(([k, v]) => [
                k,
                v.replaceAll('{group}', group.autoScalingGroupName),
              ]),
            ),
          });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Load: actual against the forecast band',
        width: 12,
        left: [
          actual,
          prescale('LoadForecast', 'forecast (mean)'),
          prescale('LoadForecastUpper', 'forecast (80% upper)'),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Capacity',
        width: 12,
        left: [
          asg('GroupDesiredCapacity', 'desired'),
          asg('GroupMinSize', 'min'),
          asg('GroupInServiceInstances', 'in service'),
          prescale('RecommendedCapacity', 'recommended'),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Forecast error (MASE)',
        width: 12,
        left: [prescale('ForecastMASE', 'MASE')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Decisions',
        width: 12,
        left: [
          prescale('AppliedCapacity', 'applied'),
          prescale('FallbackModel', 'fallback model'),
          prescale('RetrainRequested', 'retrain requested'),
        ],
      }),
    );
    return dashboard;
  }
}

interface Settings {
  readonly mode: 'forecast-only' | 'forecast-and-scale';
  readonly policy: ForecastPolicyKind;
  readonly bufferPct: number;
  readonly observedFloorPct: number;
  readonly observedPeakSeconds: number;
  readonly capacityPerInstance: number;
  readonly targetUtilizationPct: number;
  readonly quantilePct: number;
  readonly tickSeconds: number;
  readonly bootSeconds: number;
}

/** Check the props, naming the bad value. */
function validated(props: PredictiveScalingProps): Settings {
  const totalCpu = props.loadMetric === undefined || props.loadMetric === 'total-cpu';
  const capacityPerInstance = props.capacityPerInstance ?? (totalCpu ? 100 : NaN);
  if (!totalCpu && props.capacityPerInstance === undefined)
    throw new Error("'capacityPerInstance' is required with a 'loadMetric' other than total CPU");
  if (!totalCpu) {
    const metric = props.loadMetric as LoadMetric;
    if (metric.kind !== undefined && !isLoadKind(metric.kind))
      throw new Error(`'loadMetric.kind' must be one of ${LOAD_KINDS.join(', ')}, got '${String(metric.kind)}'`);
    if (metric.kind === undefined && loadKindOfStat(metric.stat ?? 'Sum') === undefined)
      throw new Error(
        `'loadMetric.kind' is required with statistic '${metric.stat}': say whether its values are a 'sum', a 'per-second' rate or a 'level'`,
      );
  }
  if (!(capacityPerInstance > 0)) throw new Error(`'capacityPerInstance' must be positive, got ${capacityPerInstance}`);
  const targetUtilizationPct = props.targetUtilizationPct ?? PRESCALE_POLICY.targetUtilizationPct;
  if (!(targetUtilizationPct > 0 && targetUtilizationPct <= 100))
    throw new Error(`'targetUtilizationPct' must be within (0, 100], got ${targetUtilizationPct}`);
  const quantilePct = props.quantilePct ?? PRESCALE_POLICY.defaultQuantilePct;
  if (!(quantilePct >= 1 && quantilePct <= 99.5))
    throw new Error(`'quantilePct' must be within [1, 99.5], got ${quantilePct}`);
  const tickSeconds = (props.tick ?? Duration.minutes(5)).toSeconds();
  if (tickSeconds < 60 || tickSeconds % 60 !== 0)
    throw new Error(`'tick' must be whole minutes of at least one minute, got ${tickSeconds} seconds`);
  const bootSeconds = (props.bootLeadTime ?? Duration.minutes(5)).toSeconds();
  if (bootSeconds < 0 || bootSeconds > 3600)
    throw new Error(`'bootLeadTime' must be within [0, 1 hour], got ${bootSeconds} seconds`);
  const mode = props.mode ?? 'forecast-only';
  if (mode !== 'forecast-only' && mode !== 'forecast-and-scale')
    throw new Error(`'mode' must be 'forecast-only' or 'forecast-and-scale', got '${String(mode)}'`);
  const policy = props.policy ?? PRESCALE_POLICY.kind;
  if (!(FORECAST_POLICY_KINDS as readonly string[]).includes(policy))
    throw new Error(`'policy' must be one of ${FORECAST_POLICY_KINDS.join(', ')}, got '${String(policy)}'`);
  const bufferPct = props.bufferPct ?? 0;
  if (!(bufferPct >= 0 && bufferPct <= 500)) throw new Error(`'bufferPct' must be within [0, 500], got ${bufferPct}`);
  const observedFloorPct = props.observedFloorPct ?? 0;
  if (!(observedFloorPct >= 0 && observedFloorPct <= 200))
    throw new Error(`'observedFloorPct' must be within [0, 200], got ${observedFloorPct}`);
  const observedPeakSeconds = props.observedPeakHold?.toSeconds() ?? 0;
  if (!(Number.isInteger(observedPeakSeconds) && observedPeakSeconds >= 0 && observedPeakSeconds <= 86_400))
    throw new Error(`'observedPeakHold' must be whole seconds within [0, 1 day], got ${observedPeakSeconds} seconds`);
  return {
    mode,
    policy,
    bufferPct,
    observedFloorPct,
    observedPeakSeconds,
    capacityPerInstance,
    targetUtilizationPct,
    quantilePct,
    tickSeconds,
    bootSeconds,
  };
}
