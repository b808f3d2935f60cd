import { describe, expect, it } from 'vitest';
import { renderReportHtml, type ReportData, type ReportStrategy } from '../../cli/report/report.ts';
import { busiestSpan, forecastRows, timelineRows } from '../../cli/report/reportData.ts';

const START_SECONDS = Date.UTC(2026, 0, 5) / 1000;
const DAYS = 5;
const MINUTES = DAYS * 1440;

function strategy(name: string, instanceHours: number, underProvisionedPct: number): ReportStrategy {
  return {
    name,
    description: `${name} scales <i>somehow</i>`,
    knobName: name === 'oracle' ? 'none' : 'target CPU %',
    defaultKnob: 70,
    metrics: {
      underProvisionedPct,
      unservedPct: underProvisionedPct / 10,
      instanceHours,
      costUsd: instanceHours * 0.1,
      costVsOracle: name === 'oracle' ? 1 : null,
      slackPct: 20,
      scalingActions: 42,
      p95Utilization: 71.5,
      maxInstances: 9,
    },
    frontier:
      name === 'oracle'
        ? [{ knob: 0, instanceHours, underProvisionedPct, unservedPct: 0 }]
        : [80, 60, 70].map((knob) => ({
            knob,
            instanceHours: instanceHours * (1.7 - knob / 100),
            underProvisionedPct: underProvisionedPct * (knob / 70),
            unservedPct: 0,
          })),
  };
}

/** 5 days (2 of training, 3 evaluated), demand daily and slowly rising; 'reactive-step' lags it. */
function reportData(overrides: Partial<ReportData> = {}): ReportData {
  const demand = Float64Array.from(
    { length: MINUTES },
    (_, t) => 500 + t / 100 + 400 * Math.sin((2 * Math.PI * t) / 1440) ** 2,
  );
  const capacity = (lagMinutes: number) =>
    Float64Array.from(demand, (_, t) => 1.1 * demand[Math.max(0, t - lagMinutes)]);
  return {
    trace: 'web-synthetic',
    generatedAt: '2026-01-09T00:00:00.000Z',
    config: { capacityPerInstance: 100, bootSeconds: 300, evaluationStart: '2026-01-07T00:00:00.000Z' },
    strategies: [strategy('reactive-step', 1000, 2.5), strategy('prescale', 950, 0.5), strategy('oracle', 800, 0)],
    defaultStrategy: 'prescale',
    vs: {
      'reactive-step': {
        underProvisionedRatioAtEqualCost: 0.2,
        costRatioAtEqualUnderProvisioning: null,
        extrapolated: true,
      },
    },
    timeline: {
      startSeconds: START_SECONDS,
      evaluationStartSeconds: START_SECONDS + 2 * 86400,
      demandPerMinute: demand,
      capacityPerMinute: { 'reactive-step': capacity(30), prescale: capacity(0), oracle: demand },
      forecast: {
        startSeconds: START_SECONDS,
        stepSeconds: 300,
        mean: Float64Array.from({ length: MINUTES / 5 }, (_, i) => (i < 288 ? NaN : demand[i * 5])),
        lower80: Float64Array.from({ length: MINUTES / 5 }, (_, i) => (i < 288 ? NaN : 0.9 * demand[i * 5])),
        upper80: Float64Array.from({ length: MINUTES / 5 }, (_, i) => (i < 288 ? NaN : 1.1 * demand[i * 5])),
      },
    },
    ...overrides,
  };
}

const svgCount = (html: string) => (html.match(/<svg[\s>]/g) ?? []).length;

describe('renderReportHtml', () => {
  it('has a row per strategy, the default highlighted, the ratios, and an inline SVG per chart', async () => {
    const html = await renderReportHtml(reportData());
    for (const name of ['reactive-step', 'prescale', 'oracle']) expect(html).toContain(`>${name}</td>`);
    expect(html).toMatch(/<tr class="default"><td[^>]*>prescale<\/td>/);
    expect(html).toContain('0.20</span> †');
    expect(html).toContain('<td>—</td>');
    // frontier, load and capacity, the busiest two days, forecast, forecast on the busiest days
    expect(svgCount(html)).toBe(5);
    expect(html).toContain('Forecast and outcome');
  });

  it('refers to nothing outside the file', async () => {
    const html = await renderReportHtml(reportData());
    const urls = (html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).filter((u) => !u.startsWith('http://www.w3.org/'));
    expect(urls).toEqual([]);
    expect(/<script|<link|@import|url\(/i.test(html)).toBe(false);
  });

  it('escapes names and descriptions', async () => {
    const evil = { ...strategy('<b>', 900, 1), description: '<script>alert(1)</script>' };
    const data = reportData();
    const html = await renderReportHtml({
      ...data,
      trace: '<img src=x>',
      strategies: [...data.strategies, evil],
      vs: {
        ...data.vs,
        '<b>': { underProvisionedRatioAtEqualCost: 1.5, costRatioAtEqualUnderProvisioning: 0.9, extrapolated: false },
      },
      timeline: {
        ...data.timeline,
        capacityPerMinute: { ...data.timeline.capacityPerMinute, '<b>': data.timeline.demandPerMinute },
      },
    });
    // Booleans, not toContain: a failure would print the whole page.
    expect(html.includes('<b>')).toBe(false);
    expect(html.includes('<script')).toBe(false);
    expect(html.includes('<img')).toBe(false);
    expect(html.includes('<i>')).toBe(false);
    expect(html.includes('&lt;b&gt;')).toBe(true);
  });

  it('does without a forecast, ratios, baselines or a timeline', async () => {
    const data = reportData();
    const noForecast = await renderReportHtml({ ...data, timeline: { ...data.timeline, forecast: undefined } });
    expect(noForecast).not.toContain('Forecast and outcome');
    expect(svgCount(noForecast)).toBe(3);

    const bare = await renderReportHtml({
      ...data,
      vs: {},
      timeline: {
        startSeconds: START_SECONDS,
        evaluationStartSeconds: START_SECONDS,
        demandPerMinute: [],
        capacityPerMinute: {},
      },
    });
    expect(bare).toContain('No baseline ran alongside prescale');
    expect(svgCount(bare)).toBe(1);
  });
});

describe('report downsampling', () => {
  const t = reportData().timeline;

  it('keeps a short dip below demand visible in a coarse bucket', () => {
    const dip = Float64Array.from(t.demandPerMinute, (d, i) => (i === 2 * 1440 + 17 ? d / 2 : 2 * d));
    const rows = timelineRows({ ...t, capacityPerMinute: { s: dip } }, ['s'], 30, 2 * 1440, MINUTES);
    expect(rows).toHaveLength(144);
    expect(rows[0].underMinutes).toBe(1);
    expect(rows[0].capacity).toBeLessThan(rows[0].demand as number);
    expect(rows.slice(1).every((r) => r.underMinutes === 0)).toBe(true);
  });

  it('finds the busiest two days of the evaluation window and counts forecast coverage', () => {
    expect(busiestSpan(t, 2 * 1440)).toBe(3 * 1440);
    expect(busiestSpan(t, 4 * 1440)).toBeNull();
    const { rows, coverage80Pct } = forecastRows(t, 30);
    expect(rows).toHaveLength(144);
    expect(rows[0].time).toBe(t.evaluationStartSeconds * 1000);
    expect(coverage80Pct).toBeGreaterThan(50);
  });
});
