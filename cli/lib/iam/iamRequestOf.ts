import type { IamRequest } from './types.ts';

/** The account and region a request is authorized in. */
export interface Where {
  readonly region: string;
  readonly account: string;
}

type Input = Readonly<Record<string, unknown>>;
type Mapper = (input: Input, where: Where) => IamRequest;

/**
 * The IAM request behind each SDK command prescale's Lambdas send: the action (the Service
 * Authorization Reference's name, not always the operation's: ListObjectsV2 is s3:ListBucket,
 * DeleteObjects is s3:DeleteObject on every key), the resource ARNs and the condition keys the
 * request carries. A command missing here has no mapping, and its call counts as denied: add it.
 */
const COMMANDS: Readonly<Record<string, Readonly<Record<string, Mapper>>>> = {
  S3Client: {
    GetObjectCommand: (i) => onObjects('s3:GetObject', i, [text(i, 'Key')]),
    HeadObjectCommand: (i) => onObjects('s3:GetObject', i, [text(i, 'Key')]),
    PutObjectCommand: (i) => ({
      ...onObjects('s3:PutObject', i, [text(i, 'Key')]),
      context: defined({ 's3:if-none-match': i.IfNoneMatch, 's3:if-match': i.IfMatch }),
    }),
    DeleteObjectCommand: (i) => onObjects('s3:DeleteObject', i, [text(i, 'Key')]),
    DeleteObjectsCommand: (i) => {
      const objects = ((i.Delete as { Objects?: { Key?: string }[] } | undefined)?.Objects ?? []).map((o) => o.Key);
      return onObjects(
        's3:DeleteObject',
        i,
        objects.filter((k): k is string => k !== undefined),
      );
    },
    ListObjectsV2Command: (i) => ({
      action: 's3:ListBucket',
      resources: [`arn:aws:s3:::${text(i, 'Bucket')}`],
      context: defined({ 's3:prefix': i.Prefix, 's3:delimiter': i.Delimiter, 's3:max-keys': i.MaxKeys }),
    }),
  },
  AutoScalingClient: {
    // Describe has no resource-level permissions: '*' is the only resource it takes.
    DescribeAutoScalingGroupsCommand: () => ({
      action: 'autoscaling:DescribeAutoScalingGroups',
      resources: ['*'],
      context: {},
    }),
    UpdateAutoScalingGroupCommand: (i, where) => ({
      action: 'autoscaling:UpdateAutoScalingGroup',
      resources: [groupArn(text(i, 'AutoScalingGroupName'), where)],
      context: defined({ 'autoscaling:MinSize': i.MinSize, 'autoscaling:MaxSize': i.MaxSize }),
    }),
    CreateOrUpdateTagsCommand: (i, where) => onTags('autoscaling:CreateOrUpdateTags', i, where),
    DeleteTagsCommand: (i, where) => onTags('autoscaling:DeleteTags', i, where),
  },
  CloudWatchClient: {
    GetMetricDataCommand: () => ({ action: 'cloudwatch:GetMetricData', resources: ['*'], context: {} }),
    PutMetricDataCommand: (i) => ({
      action: 'cloudwatch:PutMetricData',
      resources: ['*'],
      context: { 'cloudwatch:namespace': text(i, 'Namespace') },
    }),
    DescribeAlarmsCommand: (i, where) => {
      const names = (i.AlarmNames as string[] | undefined) ?? [];
      return {
        action: 'cloudwatch:DescribeAlarms',
        // Without names it describes every alarm in the account: only '*' allows that.
        resources:
          names.length === 0
            ? ['*']
            : names.map((n) => `arn:aws:cloudwatch:${where.region}:${where.account}:alarm:${n}`),
        context: {},
      };
    },
  },
  LambdaClient: {
    InvokeCommand: (i, where) => ({
      action: 'lambda:InvokeFunction',
      resources: [functionArn(text(i, 'FunctionName'), i.Qualifier as string | undefined, where)],
      context: {},
    }),
  },
};

/** The IAM request of one SDK command, or undefined when the command has no mapping here. */
export function iamRequestOf(client: string, command: string, input: Input, where: Where): IamRequest | undefined {
  return COMMANDS[client]?.[command]?.(input, where);
}

/**
 * An Auto Scaling group's ARN. The real one holds a UUID that only AWS knows; policies pin the
 * group by name with a wildcard for it, so any UUID stands in.
 */
export function groupArn(name: string, where: Where): string {
  return `arn:aws:autoscaling:${where.region}:${where.account}:autoScalingGroup:00000000-0000-4000-8000-000000000000:autoScalingGroupName/${name}`;
}

function onObjects(action: string, input: Input, keys: readonly string[]): IamRequest {
  const bucket = text(input, 'Bucket');
  return { action, resources: keys.map((key) => `arn:aws:s3:::${bucket}/${key}`), context: {} };
}

function onTags(action: string, input: Input, where: Where): IamRequest {
  const tags = (input.Tags as { ResourceId?: string; Key?: string; Value?: string }[] | undefined) ?? [];
  const groups = [...new Set(tags.map((t) => t.ResourceId).filter((g): g is string => g !== undefined))];
  const keys = tags.map((t) => t.Key).filter((k): k is string => k !== undefined);
  const requestTags = Object.fromEntries(
    tags
      .filter((t) => t.Key !== undefined && t.Value !== undefined)
      .map((t) => [`aws:RequestTag/${t.Key}`, t.Value as string]),
  );
  return { action, resources: groups.map((g) => groupArn(g, where)), context: { 'aws:TagKeys': keys, ...requestTags } };
}

function functionArn(name: string, qualifier: string | undefined, where: Where): string {
  const suffix = qualifier === undefined ? '' : `:${qualifier}`;
  if (name.startsWith('arn:')) return `${name}${suffix}`;
  // A partial ARN, '123456789012:function:name'.
  if (name.includes(':function:')) return `arn:aws:lambda:${where.region}:${name}${suffix}`;
  return `arn:aws:lambda:${where.region}:${where.account}:function:${name}${suffix}`;
}

function text(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string') throw new TypeError(`the command's '${field}' must be a string, got ${String(value)}`);
  return value;
}

/** Condition keys whose value the request set, as IAM sees them: strings. */
function defined(keys: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(keys)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}
