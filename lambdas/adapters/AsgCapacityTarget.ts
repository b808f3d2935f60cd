import {
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingClient,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Decision, GroupState } from '../../models/policy/decide.ts';
import type { AppliedCapacity, CapacityTarget } from '../../models/ports.ts';
import { GroupNotFoundError } from './errors.ts';

export { GroupNotFoundError };

/** The tag that remembers the group's own MinSize while prescale manages it. */
export const CONFIGURED_MIN_TAG = 'prescale:configured-min-size';

export interface AsgCapacityTargetProps {
  readonly autoScaling: AutoScalingClient;
  /** Reads the reactive scale-out alarm's state, when `scaleOutAlarmName` is given. */
  readonly cloudWatch?: CloudWatchClient;
  /** Name of the reactive scale-out alarm of each group; `{group}` is replaced. @default none (taken as quiet) */
  readonly scaleOutAlarmName?: string;
}

/**
 * Applies decisions to an EC2 Auto Scaling group with the floor semantics: the floor is
 * MinSize (raising it raises desired capacity with it, as the API does), desired capacity is
 * set only when the decision says so. The group's own MinSize is remembered in a tag the first
 * time and restored by `release`.
 */
export class AsgCapacityTarget implements CapacityTarget {
  constructor(private readonly props: AsgCapacityTargetProps) {}

  async read(group: string): Promise<GroupState> {
    const asg = await this.describe(group);
    const tagged = asg.Tags?.find((t) => t.Key === CONFIGURED_MIN_TAG)?.Value;
    const configured = tagged !== undefined && /^\d+$/.test(tagged) ? Number(tagged) : (asg.MinSize ?? 0);
    return {
      minSize: asg.MinSize ?? 0,
      maxSize: asg.MaxSize ?? 0,
      desiredCapacity: asg.DesiredCapacity ?? 0,
      configuredMinSize: configured,
      scaleOutAlarmActive: await this.alarmActive(group),
    };
  }

  async apply(group: string, decision: Decision): Promise<AppliedCapacity> {
    const asg = await this.describe(group);
    if (!asg.Tags?.some((t) => t.Key === CONFIGURED_MIN_TAG)) {
      await this.props.autoScaling.send(
        new CreateOrUpdateTagsCommand({
          Tags: [
            {
              ResourceId: group,
              ResourceType: 'auto-scaling-group',
              Key: CONFIGURED_MIN_TAG,
              Value: String(asg.MinSize ?? 0),
              PropagateAtLaunch: false,
            },
          ],
        }),
      );
    }
    const minSize = decision.minSize;
    const current = asg.DesiredCapacity ?? 0;
    // Raising MinSize above the group's size raises desired capacity with it; say so explicitly
    // rather than rely on every endpoint doing it.
    const desired = decision.desiredCapacity ?? (current < minSize ? minSize : undefined);
    const desiredCapacity = desired ?? current;
    const changed = minSize !== asg.MinSize || desiredCapacity !== current;
    if (changed) {
      await this.props.autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group, MinSize: minSize, DesiredCapacity: desired }),
      );
    }
    return { minSize, desiredCapacity, changed };
  }

  async release(group: string): Promise<void> {
    const asg = await this.describe(group);
    const tagged = asg.Tags?.find((t) => t.Key === CONFIGURED_MIN_TAG)?.Value;
    if (tagged === undefined) return;
    await this.props.autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group, MinSize: Number(tagged) }),
    );
    await this.props.autoScaling.send(
      new DeleteTagsCommand({
        Tags: [{ ResourceId: group, ResourceType: 'auto-scaling-group', Key: CONFIGURED_MIN_TAG }],
      }),
    );
  }

  private async describe(group: string): Promise<AutoScalingGroup> {
    const out = await this.props.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }),
    );
    const asg = out.AutoScalingGroups?.[0];
    if (asg === undefined) throw new GroupNotFoundError(group);
    return asg;
  }

  private async alarmActive(group: string): Promise<boolean> {
    const { cloudWatch, scaleOutAlarmName } = this.props;
    if (cloudWatch === undefined || scaleOutAlarmName === undefined) return false;
    const name = scaleOutAlarmName.replaceAll('{group}', group);
    const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
    return out.MetricAlarms?.[0]?.StateValue === 'ALARM';
  }
}
