import { describe, expect, it } from 'vitest';
import { configLabel, renderReportHtml, type ReportData, type ReportStrategy } from '../../cli/report/report.ts';
import { cdkSnippet, type RecommendationJson, type ReportDecision } from '../../cli/report/reportVerdict.ts';

const START_SECONDS = Date.UTC(2026, 0, 5) / 1000;

function strategy(name: string, knobName: string, instanceHours: number, knobs: number[]): ReportStrategy {
  return {
    name,
    description: `${name} scales`,
    knobName,
    defaultKnob: knobs[1] ?? knobs[0],
    metrics: {
      underProvisionedPct: 1,
      unservedPct: 0.1,
      instanceHours,
      costUsd: instanceHours * 0.04,
      costVsOracle: instanceHours / 500,
      slackPct: 30,
      scalingActions: 10,
      p95Utilization: 70,
      maxInstances: 9,
    },
    frontier: knobs.map((knob, i) => ({
      knob,
      instanceHours: instanceHours * (1 + i / 10),
      underProvisionedPct: 3 / (i + 1),
      unservedPct: 0.3 / (i + 1),
    })),
  };
}

const figures = (instanceHours: number, unservedPct: number) => ({
  unservedPct,
  underProvisionedPct: unservedPct * 2,
  instanceHours,
  costVsOracle: instanceHours / 500,
});

const PRESCALE_REC: RecommendationJson = {
  verdict: 'prescale',
  strategy: 'prescale',
  knob: 125,
  construct: 'PredictiveScaling (prescale)',
  props: {
    mode: 'forecast-and-scale',
    policy: 'quantile',
    quantilePct: 90,
    targetUtilizationPct: 45,
    bootLeadTime: 'Duration.seconds(600)',
  },
  env: { PRESCALE_QUANTILE: '90', PRESCALE_TARGET_UTILIZATION: '45' },
  slo: { unservedPct: 0.1 },
  tunedOn: { start: '2026-01-05T00:00:00.000Z', end: '2026-01-12T00:00:00.000Z' },
  metSloOnHistory: true,
  history: figures(800, 0.05),
  evaluation: figures(900, 0.04),
  meetsSlo: true,
  bestBaseline: { strategy: 'target-tracking', knob: 40 },
  vsBestBaseline: 0.75,
  vsBestBaselineHindsight: 0.9,
};

function decision(recommendation: RecommendationJson | null = PRESCALE_REC): ReportDecision {
  return {
    slo: { unservedPct: 0.1 },
    recommendation,
    atSlo: {
      'target-tracking': {
        hindsight: { knob: 30, ...figures(1000, 0.08) },
        tuned: {
          knob: 40,
          metSloOnHistory: true,
          meetsSlo: true,
          history: figures(1100, 0.07),
          evaluation: figures(1200, 0.06),
        },
      },
      'reactive-step': {
        hindsight: null,
        tuned: {
          knob: 50,
          metSloOnHistory: false,
          meetsSlo: false,
          history: figures(1300, 0.5),
          evaluation: figures(1400, 0.6),
        },
      },
      prescale: {
        hindsight: { knob: 110, ...figures(850, 0.09) },
        tuned: {
          knob: 125,
          metSloOnHistory: true,
          meetsSlo: recommendation?.meetsSlo ?? true,
          history: figures(800, 0.05),
          evaluation: figures(900, 0.04),
        },
      },
    },
    costAtSlo: {
      hindsight: {
        prescale: { knob: 110, instanceHours: 850, meetsSlo: true },
        bestBaseline: { strategy: 'target-tracking', knob: 30, instanceHours: 1000, meetsSlo: true },
        ratio: 0.85,
      },
      tuned: {
        prescale: { knob: 125, instanceHours: 900, meetsSlo: true },
        bestBaseline: { strategy: 'target-tracking', knob: 40, instanceHours: 1200, meetsSlo: true },
        ratio: 0.75,
      },
    },
    frontierVs: {
      'target-tracking': { settings: 6, compared: 5, median: 0.6123, worst: 1.234 },
      'reactive-step': { settings: 2, compared: 0, median: null, worst: null },
    },
  };
}

/** No timeline: only the cost chart is drawn, so each render takes a fraction of a second. */
function reportData(overrides: Partial<ReportData> = {}): ReportData {
  return {
    trace: 'verdict-synthetic',
    generatedAt: '2026-01-20T00:00:00.000Z',
    config: {
      capacityPerInstance: 4.36,
      bootSeconds: 300,
      pricePerInstanceHour: 0.04,
      evaluationStart: '2026-01-12T00:00:00.000Z',
      someNewSettingSeconds: 7,
    },
    strategies: [
      strategy('target-tracking', 'target CPU %', 1000, [30, 40, 50]),
      strategy('reactive-step', 'scale-out CPU %', 1100, [50, 60, 70]),
      strategy('prescale', 'hedge (percentile to 90, then lower CPU)', 800, [75, 110, 125]),
    ],
    defaultStrategy: 'prescale',
    decision: decision(),
    vs: {
      'target-tracking': {
        underProvisionedRatioAtEqualCost: 0.5,
        costRatioAtEqualUnderProvisioning: 0.7,
        extrapolated: false,
      },
      'reactive-step': {
        underProvisionedRatioAtEqualCost: 0.4,
        costRatioAtEqualUnderProvisioning: 0.8,
        extrapolated: false,
      },
    },
    timeline: {
      startSeconds: START_SECONDS,
      evaluationStartSeconds: START_SECONDS,
      demandPerMinute: [],
      capacityPerMinute: {},
    },
    ...overrides,
  };
}

/** The verdict section's HTML. */
function verdictOf(html: string): string {
  const m = /<section class="verdict[^"]*" id="verdict">[\s\S]*?<\/section>/.exec(html);
  expect(m).not.toBeNull();
  return (m as RegExpExecArray)[0];
}

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('the verdict section', () => {
  it('comes first and gives the verdict, the setting, the props as CDK code, the SLO and the window', async () => {
    const html = await renderReportHtml(reportData());
    const verdict = verdictOf(html);
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('How to read this'));
    const words = text(verdict);
    expect(words).toContain('Turn on prescale');
    expect(words).toContain('prescale with hedge (percentile to 90, then lower CPU) at 125');
    expect(words).toContain('at most 0.1% of demand unserved');
    expect(words).toContain('2026-01-05 00:00 UTC to 2026-01-12 00:00 UTC');
    // The props as a TypeScript construct call: Durations as code, strings quoted.
    expect(words).toContain("new PredictiveScaling(this, 'Prescale', {");
    expect(words).toContain('autoScalingGroup: group,');
    expect(words).toContain('quantilePct: 90,');
    expect(words).toContain('bootLeadTime: Duration.seconds(600),');
    expect(words).toContain("import { Duration } from 'aws-cdk-lib';");
    // The expected outcome on the evaluation window, and the comparisons.
    expect(verdict).toContain('class="verdict meets"');
    expect(words).toContain('Meets the SLO');
    expect(words).toContain('900.0 instance-hours');
    expect(words).toContain('1.80× the oracle');
    expect(words).toContain('target-tracking at 40, which met the SLO): 0.75× the instance-hours (25% cheaper)');
    expect(words).toContain('in hindsight (target-tracking at 30, known only after the fact): 0.90×');
    expect(words).not.toContain('No baseline setting met the SLO');
    expect(words).not.toContain('Not like for like');
    // The env, collapsed.
    expect(verdict).toMatch(/<details><summary>[^<]*PRESCALE_\* environment \(2 variables/);
    expect(words).toContain('PRESCALE_QUANTILE=90');
  });

  it('shows a recommendation that missed the SLO as a miss, in red', async () => {
    const missed: RecommendationJson = {
      ...PRESCALE_REC,
      evaluation: figures(900, 0.336),
      meetsSlo: false,
    };
    const verdict = verdictOf(await renderReportHtml(reportData({ decision: decision(missed) })));
    expect(verdict).toContain('class="verdict miss"');
    expect(verdict).toContain('<span class="badge miss">Misses the SLO</span>');
    expect(verdict).not.toContain('Meets the SLO');
    // The figure that broke the SLO is the one marked.
    expect(verdict).toMatch(/<div class="fig bad"><span class="v">0\.336%<\/span><span class="l">of demand unserved/);
    // Cheaper than a baseline that met the SLO is no like-for-like saving; what it would have taken is told.
    const words = text(verdict);
    expect(words).toContain('Not like for like: this setting missed the SLO where the baseline met it.');
    expect(words).toContain(
      'In hindsight, the cheapest prescale setting meeting the SLO was 110: 850.0 instance-hours',
    );
  });

  it('says so when no baseline met the SLO even in hindsight', async () => {
    const d = decision();
    const none: ReportDecision = {
      ...d,
      costAtSlo: { ...d.costAtSlo, hindsight: { ...d.costAtSlo.hindsight, bestBaseline: null, ratio: null } },
    };
    const words = text(verdictOf(await renderReportHtml(reportData({ decision: none }))));
    expect(words).toContain('No baseline setting met the SLO on the evaluation window, even in hindsight.');
    expect(words).not.toContain('Against the cheapest baseline setting');
  });

  it('says when no setting served all of the history', async () => {
    const closest: RecommendationJson = { ...PRESCALE_REC, metSloOnHistory: false };
    const words = text(verdictOf(await renderReportHtml(reportData({ decision: decision(closest) }))));
    expect(words).toContain('no setting served all of the history, so this is the closest');
  });

  it('names the AWS policy to keep when the verdict is to stay reactive, and what prescale would have cost', async () => {
    const stay: RecommendationJson = {
      ...PRESCALE_REC,
      verdict: 'stay-reactive',
      strategy: 'target-tracking',
      knob: 40,
      construct: 'AutoScalingGroup.scaleOnCpuUtilization (aws-cdk-lib)',
      props: { targetUtilizationPercent: 40 },
      env: {},
      vsBestBaseline: 1,
    };
    const verdict = verdictOf(await renderReportHtml(reportData({ decision: decision(stay) })));
    const words = text(verdict);
    expect(words).toContain('Stay reactive');
    expect(words).toContain('target-tracking with target CPU % at 40');
    expect(words).toContain("group.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 40 });");
    expect(words).toContain('prescale tuned the same way (at 125, which met the SLO) would have taken 0.75×');
    expect(verdict).not.toContain('<details>');
  });

  it('says none was made when prescale did not run, or for an older caller without a decision', async () => {
    for (const data of [reportData({ decision: decision(null) }), reportData({ decision: undefined })]) {
      const words = text(verdictOf(await renderReportHtml(data)));
      expect(words).toContain('No recommendation');
      expect(words).toContain('prescale did not run');
    }
  });
});

describe('CDK snippets', () => {
  it('writes each AWS policy as the CDK call deployable.ts names', () => {
    expect(cdkSnippet({ strategy: 'target-tracking-requests', props: { targetRequestsPerMinute: 250 } })).toContain(
      "group.scaleOnRequestCount('Requests', { targetRequestsPerMinute: 250 });",
    );
    const reactive = cdkSnippet({ strategy: 'reactive-step', props: { scaleOutPct: 60, scaleInPct: 30 } });
    expect(reactive).toContain("new ReactiveScaling(this, 'Reactive', {");
    expect(reactive).toContain('definition: reactiveScaling({ scaleOutPct: 60, scaleInPct: 30 }),');
    const predictive = cdkSnippet({
      strategy: 'aws-predictive',
      props: {
        policyType: 'PredictiveScaling',
        predictiveScalingConfiguration: { mode: 'ForecastAndScale', schedulingBufferTime: 300 },
        targetUtilizationPercent: 50,
      },
    });
    expect(predictive).toContain("new autoscaling.CfnScalingPolicy(this, 'Predictive', {");
    expect(predictive).toContain('autoScalingGroupName: group.autoScalingGroupName,');
    expect(predictive).toContain("group.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 50 });");
    // Quotes and nested keys that are not identifiers stay valid TypeScript.
    const nested = cdkSnippet({
      strategy: 'prescale',
      props: { loadMetric: { dimensions: { 'Target-Group': "it's" } } },
    });
    expect(nested).toContain("'Target-Group': 'it\\'s'");
  });
});

describe('the evidence at the SLO', () => {
  it('tables every strategy in hindsight and tuned, and the ratios both ways', async () => {
    const html = await renderReportHtml(reportData());
    const table = /<table class="slo">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    const rows = table
      .split(/<tr[^>]*>/)
      .slice(3)
      .map(text);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^ ?target-tracking 30 1,000.0 2\.00× 40 1,200.0 2\.40× 0\.060 yes/);
    expect(rows[1]).toMatch(/^ ?reactive-step none meets — — 50 \(closest\) 1,400.0 2\.80× 0\.600 no/);
    expect(table).toMatch(/<tr class="default recommended"><td>prescale<\/td>/);
    const after = text(html.slice(html.indexOf('<table class="slo">')));
    expect(after).toContain('in hindsight 0.85 (prescale at 110 over target-tracking at 30)');
    expect(after).toContain('tuned on the history 0.75 (prescale at 125 over target-tracking at 40)');
  });

  it('puts the frontier-against-frontier ratios beside the default-point ratios', async () => {
    const html = await renderReportHtml(reportData());
    const table = /<table class="vs">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    expect(table).toContain('frontier against frontier');
    const rows = table
      .split(/<tr[^>]*>/)
      .slice(3)
      .map(text);
    expect(rows[0]).toMatch(/target-tracking 0\.50 0\.70 0\.61 1\.23 5 of 6/);
    expect(rows[1]).toMatch(/reactive-step 0\.40 0\.80 — — 0 of 2/);
  });
});

describe('the cost chart', () => {
  it('labels knob values, rings the recommended and hindsight settings, and gives every point a hover title', async () => {
    const html = await renderReportHtml(reportData());
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    const titles = [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1].replace(/&#39;/g, "'"));
    expect(titles).toContain(
      'prescale · hedge (percentile to 90, then lower CPU) 125 · 960 instance-hours · 1.00% of minutes under-provisioned · 0.100% of demand unserved',
    );
    expect(
      titles.some((t) => t.startsWith('recommended: prescale · hedge (percentile to 90, then lower CPU) 125')),
    ).toBe(true);
    expect(titles.filter((t) => t.startsWith('cheapest meeting the SLO in hindsight:'))).toHaveLength(2);
    // Text marks: prescale's and the best baseline's knob values, and the recommended label.
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const knob of ['75', '110', '125', '30', '40', '50', '↙ recommended: prescale at 125'])
      expect(labels).toContain(knob);
    // reactive-step is neither recommended nor the best baseline: its knob values are not written.
    expect(labels).not.toContain('60');
  });
});

describe('the header', () => {
  it('labels the config in words with units, no camelCase key left', async () => {
    const html = await renderReportHtml(reportData());
    const strip = text(/<div class="config">[\s\S]*?<\/div>/.exec(html)?.[0] ?? '');
    expect(strip).toContain('capacity per instance (load units/min) 4.36');
    expect(strip).toContain('boot (s) 300');
    expect(strip).toContain('evaluation from 2026-01-12 00:00 UTC');
    expect(strip).toContain('some new setting (s) 7');
    expect(/[a-z][A-Z]/.test(strip)).toBe(false);
  });

  it('de-camelCases keys it does not know', () => {
    expect(configLabel('scaleInCooldownSeconds')).toBe('scale in cooldown (s)');
    expect(configLabel('headroomPct')).toBe('headroom (%)');
    expect(configLabel('maxALBTargets')).toBe('max alb targets');
  });
});
