import {
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { FleetSimulation } from '../../models/fleet/runSimulation.ts';
import type {
  DemandTrace,
  FleetConfig,
  GroupUpdate,
  ReactiveScaling,
  SimulationResult,
} from '../../models/fleet/types.ts';
import { TwinPublisher, type RequestMetric } from './TwinPublisher.ts';

export interface TwinGroupProps {
  readonly trace: DemandTrace;
  readonly fleet: FleetConfig;
  readonly reactive: ReactiveScaling;
  readonly tickSeconds: number;
  readonly group: string;
  readonly scaleOutAlarm: string;
  readonly autoScaling: AutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
  readonly requests: RequestMetric;
}

/**
 * The simulated fleet behind a group on the endpoint. Its scaler is whatever the bundled scaler
 * left in the Auto Scaling API (read after each run); its reactive fallback runs here, with its
 * alarms, and a change it makes is written back with SetDesiredCapacity. What the fleet publishes
 * goes to CloudWatch as it becomes visible, and the scale-out alarm's state to the endpoint.
 */
export class TwinGroup {
  private readonly sim: FleetSimulation;
  private readonly live: SimulationResult;
  private readonly publisher: TwinPublisher;
  private pending: GroupUpdate | undefined;
  private minutesRun = 0;
  private desiredInApi: number;
  private alarmInApi: boolean | undefined;

  constructor(private readonly props: TwinGroupProps) {
    const scaler = {
      name: 'prescale-scaler (bundled)',
      tickSeconds: props.tickSeconds,
      tick: () => {
        const update = this.pending;
        this.pending = undefined;
        return update;
      },
    };
    this.sim = new FleetSimulation(props.trace, {
      fleet: props.fleet,
      reactive: props.reactive,
      controllers: [scaler],
    });
    this.live = this.sim.result();
    this.desiredInApi = props.fleet.initialCapacity ?? props.fleet.minSize;
    this.publisher = new TwinPublisher(
      props.cloudWatch,
      props.group,
      this.live,
      props.fleet.metricDelaySeconds ?? 60,
      props.requests,
    );
  }

  get nowSeconds(): number {
    return this.sim.nowSeconds;
  }

  /** The run so far (its arrays fill as it goes). */
  result(): SimulationResult {
    return this.live;
  }

  /** Run the fleet up to `untilSeconds` and publish what it published by then: the history before prescale. */
  async runHistory(untilSeconds: number): Promise<void> {
    while (this.sim.nowSeconds < untilSeconds && this.sim.step()) this.minutesRun++;
    await this.publisher.publishVisible(untilSeconds, this.minutesRun);
    await this.syncDesired();
  }

  /** Before a tick's Lambdas run: the newly visible datapoints and the alarm's state, as AWS would have them. */
  async beforeTick(): Promise<void> {
    await this.publisher.publishVisible(this.sim.nowSeconds, this.minutesRun);
    const alarm = this.sim.scaleOutAlarmActive;
    if (alarm === this.alarmInApi) return;
    await this.props.cloudWatch.send(
      new SetAlarmStateCommand({
        AlarmName: this.props.scaleOutAlarm,
        StateValue: alarm ? 'ALARM' : 'OK',
        StateReason: 'set by prescale twin from the simulated alarm',
      }),
    );
    this.alarmInApi = alarm;
  }

  /** After the scaler ran: take MinSize and desired capacity from the API, then run the tick's minutes. */
  async runTick(): Promise<void> {
    const out = await this.props.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [this.props.group] }),
    );
    const asg = out.AutoScalingGroups?.[0];
    if (asg === undefined) throw new Error(`group ${this.props.group} disappeared from the endpoint`);
    this.pending = { minSize: asg.MinSize ?? 0, desiredCapacity: asg.DesiredCapacity ?? 0, reason: 'bundled scaler' };
    this.desiredInApi = asg.DesiredCapacity ?? 0;
    for (let m = 0; m < this.props.tickSeconds / 60 && this.sim.step(); m++) {
      this.minutesRun++;
      await this.syncDesired();
    }
  }

  /** The fallback's policies run here; what they set goes back into the API. */
  private async syncDesired(): Promise<void> {
    const desired = this.live.desiredCapacity[this.minutesRun - 1];
    if (this.minutesRun === 0 || desired === this.desiredInApi) return;
    await this.props.autoScaling.send(
      new SetDesiredCapacityCommand({
        AutoScalingGroupName: this.props.group,
        DesiredCapacity: desired,
        HonorCooldown: false,
      }),
    );
    this.desiredInApi = desired;
  }
}
