import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import type { FleetConfig, ReactiveScaling } from '../../models/fleet/types.ts';
import { putReactiveFallback, type FallbackNames } from '../../lambdas/adapters/reactiveFallback.ts';

export interface GroupFixture {
  readonly group: string;
  readonly bucket: string;
  readonly fleet: FleetConfig;
  readonly reactive: ReactiveScaling;
  readonly names: FallbackNames;
}

/**
 * What a deployment stands on, made through the APIs as CloudFormation would: the versioned
 * checkpoint bucket, a launch template, the group at its initial size and its reactive fallback
 * (the construct's step data, put by `putReactiveFallback`).
 */
export async function provisionGroup(
  config: {
    readonly endpoint: string;
    readonly region: string;
    readonly credentials: { accessKeyId: string; secretAccessKey: string };
  },
  fixture: GroupFixture,
): Promise<void> {
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const ec2 = new EC2Client(config);
  const autoScaling = new AutoScalingClient(config);
  const cloudWatch = new CloudWatchClient(config);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: fixture.bucket }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: fixture.bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const template = `${fixture.group}-lt`;
    await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: template,
        LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.medium' },
      }),
    );
    const f = fixture.fleet;
    await autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: fixture.group,
        MinSize: f.minSize,
        MaxSize: f.maxSize,
        DesiredCapacity: f.initialCapacity ?? f.minSize,
        LaunchTemplate: { LaunchTemplateName: template, Version: '$Latest' },
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    await putReactiveFallback({ autoScaling, cloudWatch }, fixture.group, fixture.reactive, fixture.names);
  } finally {
    for (const c of [s3, ec2, autoScaling, cloudWatch]) c.destroy();
  }
}
