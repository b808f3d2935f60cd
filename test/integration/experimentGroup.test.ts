import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { readGroupSeries } from '../../cli/lib/readGroupSeries.ts';
import { captureOutput } from '../helpers/captureOutput.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';

let aws: LocalAws;
let client: CloudWatchClient;
const saved = { ...process.env };
const output = captureOutput();

const GROUP = `experiment-group-${process.pid}`;
const NOW = Math.floor(Date.now() / 1000);
const DAYS = 5;
/** Total CPU in percent-instances: 6 instances at 30-70% CPU in a daily cycle, every 5 minutes. */
const cpuAt = (i: number) => 50 + 20 * Math.sin((2 * Math.PI * i) / 288);

beforeAll(async () => {
  aws = await startLocalAws();
  client = new CloudWatchClient({ ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint });
  const first = Math.floor((NOW - DAYS * 86_400) / 300) * 300;
  const dims = [{ Name: 'AutoScalingGroupName', Value: GROUP }];
  const cpu: MetricDatum[] = [];
  const inService: MetricDatum[] = [];
  for (let i = 0, t = first; t < NOW - 300; i++, t += 300) {
    if (i === 700) continue; // one missing datapoint: a gap, interpolated
    const when = new Date(t * 1000);
    cpu.push({ MetricName: 'CPUUtilization', Dimensions: dims, Timestamp: when, Value: cpuAt(i), Unit: 'Percent' });
    inService.push({ MetricName: 'GroupInServiceInstances', Dimensions: dims, Timestamp: when, Value: 6 });
  }
  for (const [namespace, data] of [
    ['AWS/EC2', cpu],
    ['AWS/AutoScaling', inService],
  ] as const) {
    for (let k = 0; k < data.length; k += 500)
      await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(k, k + 500) }));
  }
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: LOCAL_AWS_CONFIG.region,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  });
}, 120_000);

afterAll(async () => {
  process.env = saved;
  await aws?.stop();
});

describe('prescale experiment --group: a live group, read from CloudWatch as the scaler reads it', () => {
  it('reads total CPU per 5-minute period, as load-minutes, 100 per instance, gaps filled', async () => {
    const read = await readGroupSeries({ group: GROUP, client, nowSeconds: NOW });
    expect(read.capacityPerInstance).toBe(100);
    expect(read.series.stepSeconds).toBe(300);
    expect(read.series.startSeconds % 300).toBe(0);
    expect(read.gaps).toBe(1);
    expect(read.series.values.length).toBeGreaterThan(DAYS * 288 - 300);
    // 6 instances x CPU % is percent-instances per minute; over 5 minutes, five times that.
    const i0 = Math.round((read.series.startSeconds - Math.floor((NOW - DAYS * 86_400) / 300) * 300) / 300);
    expect(read.series.values[0]).toBeCloseTo(6 * cpuAt(i0) * 5, 6);
  });

  it('runs the experiment on it: every strategy tuned on the history and judged after', async () => {
    const out = mkdtempSync(join(tmpdir(), 'prescale-group-'));
    const code = await main([
      'experiment',
      '--group',
      GROUP,
      '--forecaster',
      'snaive',
      '--strategies',
      // No forecast-driven strategy: the forecasting path is the same as with a file, and slow.
      'reactive-step,target-tracking,target-tracking-requests,oracle',
      '--json',
      '--out',
      out,
    ]);
    expect(output.stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const result = JSON.parse(output.stdout);
    expect(result.trace).toBe(GROUP);
    expect(result.config.capacityPerInstance).toBe(100);
    expect(result.recommendation).toBeNull(); // prescale did not run
    expect(result.atSlo['target-tracking'].tuned.knob).toEqual(expect.any(Number));
    expect(result.strategies.map((s: { name: string }) => s.name)).toEqual([
      'reactive-step',
      'target-tracking',
      'target-tracking-requests',
      'oracle',
    ]);
    // The group never used more than 6 instances' worth at 70% CPU: the oracle needs at most 5.
    expect(result.strategies.find((s: { name: string }) => s.name === 'oracle').maxInstances).toBeLessThanOrEqual(5);
  }, 120_000);

  it('names the group when CloudWatch has nothing for it, and refuses --group with --trace', async () => {
    expect(await main(['experiment', '--group', 'no-such-group'])).toBe(2);
    expect(output.stderr).toMatch(/no load data for group 'no-such-group' in the last 63 days/);
    expect(await main(['experiment', '--group', GROUP, '--trace', 'x.csv'])).toBe(2);
    expect(output.stderr).toMatch(/give --trace FILE or --group NAME, not both/);
    expect(await main(['experiment', '--group', GROUP, '--period', '120'])).toBe(2);
    expect(output.stderr).toMatch(/--period must be 60 or 300 seconds, got '120'/);
  });
});
