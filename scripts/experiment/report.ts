import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { timelineRows, zoomRows, forecastRows } from './reportData.ts';

export interface ReportStrategy {
  readonly name: string;
  readonly description: string;
  readonly knobName: string;
  readonly defaultKnob: number;
  readonly metrics: {
    readonly underProvisionedPct: number; readonly unservedPct: number; readonly instanceHours: number; readonly costUsd: number;
    readonly costVsOracle: number | null; readonly slackPct: number; readonly scalingActions: number; readonly p95Utilization: number;
    readonly maxInstances: number;
  };
  readonly frontier: readonly { readonly knob: number; readonly instanceHours: number; readonly underProvisionedPct: number; readonly unservedPct: number }[];
}

export interface ReportData {
  readonly trace: string;
  readonly generatedAt: string;
  readonly config: Readonly<Record<string, string | number>>;
  readonly strategies: readonly ReportStrategy[];
  readonly defaultStrategy: string;
  readonly vs: Readonly<Record<string, { readonly underProvisionedRatioAtEqualCost: number | null; readonly costRatioAtEqualUnderProvisioning: number | null; readonly extrapolated: boolean }>>;
  readonly timeline: {
    readonly startSeconds: number;
    readonly evaluationStartSeconds: number;
    readonly demandPerMinute: ArrayLike<number>;
    readonly capacityPerMinute: Readonly<Record<string, ArrayLike<number>>>;
    readonly forecast?: {
      readonly startSeconds: number; readonly stepSeconds: number;
      readonly mean: ArrayLike<number>; readonly lower80: ArrayLike<number>; readonly upper80: ArrayLike<number>;
    };
  };
}

/** Strategies shown in the 5-minute zoom: the baselines and the default. */
const ZOOM_STRATEGIES = ['reactive-step', 'target-tracking', 'aws-predictive', 'prescale'];

/** The experiment's self-contained HTML report: tables, and charts rendered to inline SVG without a browser. */
export async function renderReportHtml(data: ReportData): Promise<string> {
  const charts: string[] = [];
  charts.push(section('Cost against under-provisioning', 'Every setting of every strategy; lines join a strategy\'s settings in knob order, the large mark is its default. Down and left is better.', await svg(frontierSpec(data))));
  const timeline = timelineRows(data.timeline, 1800);
  if (timeline.length > 0) {
    charts.push(section('Load and capacity over the evaluation window', '30-minute buckets: the highest demand and the lowest serving capacity in each, so under-provisioning stays visible.', await svg(timelineSpec(timeline))));
    const zoom = zoomRows(data.timeline, ZOOM_STRATEGIES, 300);
    if (zoom.length > 0) charts.push(section('The two busiest days, 5-minute resolution', 'Demand (grey) and serving capacity of the baselines and prescale.', await svg(timelineSpec(zoom))));
  }
  const band = forecastRows(data.timeline, 1800);
  if (band.length > 0) charts.push(section('Forecast and outcome', 'The load the scaler planned each interval with (forecast made a boot time ahead): mean and 80% interval, against the demand that came.', await svg(forecastSpec(band))));

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>prescale experiment: ${esc(data.trace)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums}
th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}
tr.default{background:#eef6ff;font-weight:600}
.note{color:#555}svg{max-width:100%;height:auto}
</style></head><body>
<h1>prescale experiment: ${esc(data.trace)}</h1>
<p class="note">Generated ${esc(data.generatedAt)}. ${Object.entries(data.config).map(([k, v]) => `${esc(k)} = ${esc(String(v))}`).join('; ')}.</p>
<p>Each strategy scaled the same simulated EC2 Auto Scaling group through the same demand. An instance boots, warms up, and is billed per second;
a minute is <em>under-provisioned</em> when demand exceeds what the serving instances can do at 100% CPU. Every strategy's main knob was swept
(its frontier below); the table shows each at its default setting. The oracle knew the future: it is the cheapest schedule that serves every minute.</p>
<h2>Default settings</h2>
${metricsTable(data)}
<h2>prescale against the baselines</h2>
<p class="note">From prescale's frontier, interpolated between settings. <em>Under-provisioned ratio at equal cost</em>: prescale's under-provisioned minutes at the baseline's instance-hours, over the baseline's.
<em>Cost ratio at equal under-provisioning</em>: prescale's instance-hours at the baseline's under-provisioning, over the baseline's. Below 1 favours prescale; † marks values read beyond prescale's swept settings.</p>
${vsTable(data)}
${charts.join('\n')}
</body></html>
`;
}

function metricsTable(data: ReportData): string {
  const head = ['strategy', 'knob', 'instance-hours', 'cost $', '× oracle', 'under-provisioned %', 'unserved %', 'slack %', 'scaling actions', 'p95 CPU %', 'max instances'];
  const rows = data.strategies.map((s) => {
    const m = s.metrics;
    const cells = [esc(s.name), s.name === 'oracle' ? '—' : `${esc(s.knobName)} ${s.defaultKnob}`, num(m.instanceHours, 1), num(m.costUsd, 2), num(m.costVsOracle, 2),
      num(m.underProvisionedPct, 2), num(m.unservedPct, 3), num(m.slackPct, 1), String(m.scalingActions), num(m.p95Utilization, 1), String(m.maxInstances)];
    return `<tr${s.name === data.defaultStrategy ? ' class="default"' : ''} title="${esc(s.description)}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<table><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

function vsTable(data: ReportData): string {
  const entries = Object.entries(data.vs);
  if (entries.length === 0) return '<p class="note">No baseline ran alongside prescale.</p>';
  const rows = entries.map(([name, r]) => `<tr><td>${esc(name)}</td><td>${num(r.underProvisionedRatioAtEqualCost, 3)}${r.extrapolated ? ' †' : ''}</td><td>${num(r.costRatioAtEqualUnderProvisioning, 3)}${r.extrapolated ? ' †' : ''}</td></tr>`);
  return `<table><tr><th>baseline (default setting)</th><th>under-provisioned ratio at equal cost</th><th>cost ratio at equal under-provisioning</th></tr>${rows.join('')}</table>`;
}

function frontierSpec(data: ReportData): TopLevelSpec {
  const values = data.strategies.flatMap((s) => s.frontier.map((p, order) => ({
    strategy: s.name, order, knob: p.knob, instanceHours: p.instanceHours, underProvisionedPct: p.underProvisionedPct, isDefault: p.knob === s.defaultKnob,
  })));
  const x = { field: 'instanceHours', type: 'quantitative', title: 'instance-hours', scale: { zero: false } } as const;
  const y = { field: 'underProvisionedPct', type: 'quantitative', title: 'under-provisioned minutes (%)' } as const;
  const color = { field: 'strategy', type: 'nominal', title: 'strategy' } as const;
  return {
    width: 760, height: 420, data: { values },
    layer: [
      { mark: { type: 'line', opacity: 0.6 }, encoding: { x, y, color, order: { field: 'order' } } },
      { mark: { type: 'point', filled: true }, encoding: { x, y, color, shape: color, size: { condition: { test: 'datum.isDefault', value: 160 }, value: 30 } } },
    ],
  } as TopLevelSpec;
}

function timelineSpec(rows: readonly object[]): TopLevelSpec {
  return {
    data: { values: rows },
    facet: { row: { field: 'strategy', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left' } } },
    spec: {
      width: 900, height: 70,
      layer: [
        { mark: { type: 'area', color: '#bbb', interpolate: 'step-after' }, encoding: { x: { field: 'time', type: 'temporal', title: null }, y: { field: 'demand', type: 'quantitative', title: 'load / min' } } },
        { mark: { type: 'line', color: '#1f77b4', interpolate: 'step-after', strokeWidth: 1 }, encoding: { x: { field: 'time', type: 'temporal' }, y: { field: 'capacity', type: 'quantitative' } } },
      ],
    },
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}

function forecastSpec(rows: readonly object[]): TopLevelSpec {
  const x = { field: 'time', type: 'temporal', title: null } as const;
  return {
    width: 900, height: 220, data: { values: rows },
    layer: [
      { mark: { type: 'area', color: '#9ecae1', opacity: 0.6 }, encoding: { x, y: { field: 'lower80', type: 'quantitative', title: 'load / min' }, y2: { field: 'upper80' } } },
      { mark: { type: 'line', color: '#08519c', strokeWidth: 1 }, encoding: { x, y: { field: 'mean', type: 'quantitative' } } },
      { mark: { type: 'line', color: '#333', strokeWidth: 0.8 }, encoding: { x, y: { field: 'demand', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

async function svg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const out = await view.toSVG();
  view.finalize();
  return out;
}

function section(title: string, note: string, body: string): string {
  return `<h2>${esc(title)}</h2><p class="note">${esc(note)}</p>${body}`;
}

function num(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
