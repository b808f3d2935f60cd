import { describe, expect, it } from 'vitest';
import { UnresolvableValueError } from '../../cli/lib/iam/errors.ts';
import { IamEvaluator } from '../../cli/lib/iam/IamEvaluator.ts';
import { groupArn, iamRequestOf } from '../../cli/lib/iam/iamRequestOf.ts';
import { resolveDocument, resolveIntrinsics, type Resources } from '../../cli/lib/iam/resolveIntrinsics.ts';
import { summarizeIam } from '../../cli/lib/iam/summarizeIam.ts';
import type { IamCall } from '../../cli/lib/iam/types.ts';

const where = { region: 'eu-west-1', account: '111122223333' };

describe('the IAM request behind each SDK command', () => {
  it.each([
    [
      'S3Client',
      'ListObjectsV2Command',
      { Bucket: 'b', Prefix: 'checkpoints/web/', Delimiter: '/' },
      {
        action: 's3:ListBucket',
        resources: ['arn:aws:s3:::b'],
        context: { 's3:prefix': 'checkpoints/web/', 's3:delimiter': '/' },
      },
    ],
    [
      'S3Client',
      'PutObjectCommand',
      { Bucket: 'b', Key: 'locks/web/300', IfNoneMatch: '*' },
      {
        action: 's3:PutObject',
        resources: ['arn:aws:s3:::b/locks/web/300'],
        context: { 's3:if-none-match': '*' },
      },
    ],
    [
      'S3Client',
      'DeleteObjectsCommand',
      { Bucket: 'b', Delete: { Objects: [{ Key: 'a' }, { Key: 'c/d' }] } },
      {
        action: 's3:DeleteObject',
        resources: ['arn:aws:s3:::b/a', 'arn:aws:s3:::b/c/d'],
        context: {},
      },
    ],
    [
      'AutoScalingClient',
      'UpdateAutoScalingGroupCommand',
      { AutoScalingGroupName: 'web', MinSize: 4 },
      {
        action: 'autoscaling:UpdateAutoScalingGroup',
        resources: [groupArn('web', where)],
        context: { 'autoscaling:MinSize': '4' },
      },
    ],
    [
      'AutoScalingClient',
      'CreateOrUpdateTagsCommand',
      { Tags: [{ ResourceId: 'web', Key: 'k', Value: '2' }] },
      {
        action: 'autoscaling:CreateOrUpdateTags',
        resources: [groupArn('web', where)],
        context: { 'aws:TagKeys': ['k'], 'aws:RequestTag/k': '2' },
      },
    ],
    [
      'CloudWatchClient',
      'PutMetricDataCommand',
      { Namespace: 'Prescale', MetricData: [] },
      {
        action: 'cloudwatch:PutMetricData',
        resources: ['*'],
        context: { 'cloudwatch:namespace': 'Prescale' },
      },
    ],
    [
      'CloudWatchClient',
      'DescribeAlarmsCommand',
      { AlarmNames: ['web-scale-out'] },
      {
        action: 'cloudwatch:DescribeAlarms',
        resources: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:web-scale-out'],
        context: {},
      },
    ],
    [
      'LambdaClient',
      'InvokeCommand',
      { FunctionName: 'trainer', Qualifier: 'live' },
      {
        action: 'lambda:InvokeFunction',
        resources: ['arn:aws:lambda:eu-west-1:111122223333:function:trainer:live'],
        context: {},
      },
    ],
  ])('%s %s', (client, command, input, expected) => {
    expect(iamRequestOf(client, command, input, where)).toEqual(expected);
  });

  it('builds the group ARN AWS uses, colons around the UUID', () => {
    expect(groupArn('web', where)).toMatch(
      /^arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/web$/,
    );
  });

  it('has no mapping for a command it does not know, and such a call counts as denied', async () => {
    expect(iamRequestOf('S3Client', 'CopyObjectCommand', { Bucket: 'b' }, where)).toBeUndefined();
    const call: IamCall = { role: 'scaler', client: 'S3Client', command: 'CopyObjectCommand' };
    const summary = await summarizeIam([call], new IamEvaluator(() => []));
    expect(summary).toEqual({
      calls: 1,
      denied: 1,
      deniedCalls: [
        {
          role: 'scaler',
          command: 'CopyObjectCommand',
          action: undefined,
          resources: [],
          reason: expect.stringMatching(/no IAM mapping for S3Client CopyObjectCommand/),
        },
      ],
    });
  });
});

describe('resolving the template for a test', () => {
  const resources: Resources = {
    Bucket: { Type: 'AWS::S3::Bucket' },
    Group: { Type: 'AWS::AutoScaling::AutoScalingGroup' },
    Trainer: { Type: 'AWS::Lambda::Function' },
  };
  const names = { account: '1', region: 'r', byLogicalId: { Bucket: 'test-bucket', Group: ['web', 'api'] } };

  it('resolves Ref, Fn::GetAtt Arn and Fn::Join, one string per bound name', () => {
    const join = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':autoscaling:g/', { Ref: 'Group' }]] };
    expect(resolveIntrinsics(join, resources, names)).toEqual([
      'arn:aws:autoscaling:g/web',
      'arn:aws:autoscaling:g/api',
    ]);
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['Bucket', 'Arn'] }, resources, names)).toEqual([
      'arn:aws:s3:::test-bucket',
    ]);
    // An unbound resource keeps its logical id as its name: it matches nothing a test creates.
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['Trainer', 'Arn'] }, resources, names)).toEqual([
      'arn:aws:lambda:r:1:function:Trainer',
    ]);
  });

  it('keeps a policy document shape, a multi-valued resource becoming a list', () => {
    const statement = { Effect: 'Allow', Action: 'x:Y', Resource: { 'Fn::Join': ['/', ['g', { Ref: 'Group' }]] } };
    expect(resolveDocument({ Statement: [statement] }, resources, names)).toEqual({
      Statement: [{ ...statement, Resource: ['g/web', 'g/api'] }],
    });
  });

  it('names what it cannot resolve', () => {
    expect(() => resolveIntrinsics({ 'Fn::Sub': 'x' }, resources, names)).toThrow(UnresolvableValueError);
    expect(() => resolveIntrinsics({ Ref: 'Nope' }, resources, names)).toThrow(/Ref to 'Nope'/);
  });
});
