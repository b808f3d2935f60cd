import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { parseExperimentArgs } from '../../cli/commands/experiment.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';
import { captureOutput } from '../helpers/captureOutput.ts';

function writeCsv(days: number, name = 'toy_requests'): string {
  const series = syntheticLoad(days, 5);
  const lines = ['timestamp,value'];
  series.values.forEach((v, i) =>
    lines.push(`${new Date((series.startSeconds + i * 300) * 1000).toISOString()},${(v * 10).toFixed(1)}`),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'prescale-exp-')), `${name}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const output = captureOutput();

describe('prescale experiment arguments', () => {
  it('defaults to every strategy, auto capacity and the ensemble', () => {
    const args = parseExperimentArgs([]);
    expect(args.strategies).toContain('prescale');
    expect(args.strategies).toContain('oracle');
    expect(args.options?.capacityPerInstance).toBeUndefined(); // 'auto', unless the input says (a group's total CPU)
    expect(args.forecaster).toBe('ensemble');
    expect(args.trace).toMatch(/data\/elb_request_count_8c0756\.csv$/);
  });

  it('lists the valid names for an unknown strategy and exits 2', async () => {
    expect(await main(['experiment', '--strategies', 'prescale,magic'])).toBe(2);
    expect(output.stderr).toMatch(
      /unknown strategy 'magic'.*static, reactive-step, target-tracking, target-tracking-requests, aws-predictive/,
    );
    expect(await main(['experiment', '--boot-seconds', 'soon'])).toBe(2);
    expect(output.stderr).toMatch(/--boot-seconds must be a number, got 'soon'/);
  });

  it('says how much trace is needed', async () => {
    expect(await main(['experiment', '--trace', writeCsv(3, 'short_trace')])).toBe(2);
    expect(output.stderr).toMatch(/'short_trace' covers 3\.0 days; the experiment needs at least 4 days/);
    expect(output.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('prescale experiment', () => {
  it('runs every strategy over a sweep and writes the report, CSV and JSON', async () => {
    const out = mkdtempSync(join(tmpdir(), 'prescale-exp-out-'));
    const code = await main(['experiment', '--trace', writeCsv(6), '--forecaster', 'snaive', '--json', '--out', out]);
    expect(output.stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(output.stdout);
    expect(result.trace).toBe('toy_requests');
    expect(result.default).toBe('prescale');
    const names = result.strategies.map((s: { name: string }) => s.name);
    expect(names).toEqual([
      'static',
      'reactive-step',
      'target-tracking',
      'target-tracking-requests',
      'aws-predictive',
      'simple-ceiling',
      'buffered',
      'confidence-aware',
      'incremental',
      'prescale',
      'oracle',
    ]);
    for (const s of result.strategies) {
      for (const key of [
        'underProvisionedPct',
        'unservedPct',
        'instanceHours',
        'costUsd',
        'costVsOracle',
        'slackPct',
        'scalingActions',
        'p95Utilization',
        'maxInstances',
      ])
        expect(s[key], `${s.name}.${key}`).toEqual(expect.any(Number));
      expect(s.frontier.length).toBeGreaterThan(0);
      expect(s.frontier[0]).toEqual({
        knob: expect.any(Number),
        instanceHours: expect.any(Number),
        underProvisionedPct: expect.any(Number),
        unservedPct: expect.any(Number),
      });
    }
    const oracle = result.strategies.find((s: { name: string }) => s.name === 'oracle');
    expect(oracle.underProvisionedPct).toBe(0);
    expect(oracle.costVsOracle).toBe(1);
    // Perfect foresight is the cost floor of every strategy that serves everything.
    for (const s of result.strategies)
      if (s.underProvisionedPct === 0) expect(s.instanceHours).toBeGreaterThanOrEqual(oracle.instanceHours - 1e-9);
    for (const baseline of ['reactive-step', 'target-tracking', 'target-tracking-requests', 'aws-predictive']) {
      expect(Object.keys(result.vs[baseline])).toEqual([
        'underProvisionedRatioAtEqualCost',
        'costRatioAtEqualUnderProvisioning',
        'extrapolated',
      ]);
    }
    // The recommendation: chosen on the history's tuning window, judged on the evaluation window.
    expect(result.slo).toEqual({ unservedPct: 0.1 });
    expect(result.report).toBe(join(out, 'report.html'));
    const r = result.recommendation;
    expect(['prescale', 'stay-reactive', 'aws-predictive']).toContain(r.verdict);
    expect(r.tunedOn.end).toBe(result.config.evaluationStart);
    expect(r.tunedOn.start).toBe(result.config.tuningStart);
    expect(Object.keys(r.evaluation)).toEqual(['unservedPct', 'underProvisionedPct', 'instanceHours', 'costVsOracle']);
    expect(r.meetsSlo).toBe(r.evaluation.unservedPct <= 0.1);
    expect(r.knob).toBe(result.atSlo[r.strategy].tuned.knob);
    expect(result.atSlo.prescale.tuned.evaluation.instanceHours).toEqual(expect.any(Number));
    if (r.verdict === 'prescale') expect(r.env.PRESCALE_QUANTILE).toBe(String(r.props.quantilePct));
    expect(result.costAtSlo.tuned.prescale.knob).toBe(result.atSlo.prescale.tuned.knob);
    expect(Object.keys(result.frontierVs['target-tracking'])).toEqual(['settings', 'compared', 'median', 'worst']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    const csv = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^strategy,knob_name,knob,is_default,instanceHours/);
    expect(csv.length).toBeGreaterThan(30);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).vs).toEqual(result.vs);
  });
});
