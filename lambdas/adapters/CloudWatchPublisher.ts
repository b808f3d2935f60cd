import { PutMetricDataCommand, type CloudWatchClient, type StandardUnit } from '@aws-sdk/client-cloudwatch';

/** Publishes what the scaler saw and did, per group, in prescale's own namespace. */
export class CloudWatchPublisher {
  constructor(
    private readonly client: CloudWatchClient,
    private readonly namespace = 'Prescale',
  ) {}

  async publish(group: string, atSeconds: number, metrics: Readonly<Record<string, number>>): Promise<void> {
    const data = Object.entries(metrics)
      .filter(([, v]) => Number.isFinite(v))
      .map(([name, value]) => ({
        MetricName: name,
        Value: value,
        Timestamp: new Date(atSeconds * 1000),
        Unit: 'None' as StandardUnit,
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: group }],
      }));
    if (data.length > 0)
      await this.client.send(new PutMetricDataCommand({ Namespace: this.namespace, MetricData: data }));
  }
}
