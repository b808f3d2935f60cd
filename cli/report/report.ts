import { forecastSpec, frontierSpec, renderSvg, timelineSpec } from './reportCharts.ts';
import { busiestSpan, evaluationStartMinute, forecastRows, timelineRows } from './reportData.ts';

export interface ReportStrategy {
  readonly name: string;
  readonly description: string;
  readonly knobName: string;
  readonly defaultKnob: number;
  /** Over the evaluation window, at the default setting. */
  readonly metrics: {
    readonly underProvisionedPct: number;
    readonly unservedPct: number;
    readonly instanceHours: number;
    readonly costUsd: number;
    readonly costVsOracle: number | null;
    readonly slackPct: number;
    readonly scalingActions: number;
    readonly p95Utilization: number;
    readonly maxInstances: number;
  };
  /** Every setting swept (any order; drawn in knob order). */
  readonly frontier: readonly {
    readonly knob: number;
    readonly instanceHours: number;
    readonly underProvisionedPct: number;
    readonly unservedPct: number;
  }[];
}

export interface ReportData {
  readonly trace: string;
  /** ISO time, passed in so the page is reproducible. */
  readonly generatedAt: string;
  readonly config: Readonly<Record<string, string | number>>;
  readonly strategies: readonly ReportStrategy[];
  readonly defaultStrategy: string;
  readonly vs: Readonly<
    Record<
      string,
      {
        readonly underProvisionedRatioAtEqualCost: number | null;
        readonly costRatioAtEqualUnderProvisioning: number | null;
        readonly extrapolated: boolean;
      }
    >
  >;
  readonly timeline: {
    /** Epoch seconds of minute 0. */
    readonly startSeconds: number;
    readonly evaluationStartSeconds: number;
    /** Load units per minute, one per minute. */
    readonly demandPerMinute: ArrayLike<number>;
    /** Per strategy at its default setting: instances serving x capacity per instance, one per minute. */
    readonly capacityPerMinute: Readonly<Record<string, ArrayLike<number>>>;
    /** Per-minute load rate the scaler planned each interval with; NaN where none. */
    readonly forecast?: {
      readonly startSeconds: number;
      readonly stepSeconds: number;
      readonly mean: ArrayLike<number>;
      readonly lower80: ArrayLike<number>;
      readonly upper80: ArrayLike<number>;
    };
  };
}

/** Overview buckets: 28 days of 10 strategies stay near 1 MB of SVG. */
const OVERVIEW_BUCKET_MINUTES = 30;
const ZOOM_BUCKET_MINUTES = 5;
const ZOOM_SPAN_MINUTES = 2 * 1440;

/** The experiment's self-contained HTML report: tables, and charts rendered to inline SVG in Node. */
export async function renderReportHtml(data: ReportData): Promise<string> {
  const charts = await renderCharts(data);
  const config = Object.entries(data.config)
    .map(
      ([k, v]) => `<span><span class="k">${esc(k)}</span> ${esc(typeof v === 'number' ? formatNumber(v) : v)}</span>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>prescale experiment: ${esc(data.trace)}</title>
<style>${STYLE}</style></head><body>
<h1>prescale experiment: ${esc(data.trace)}</h1>
<p class="note">Generated ${esc(data.generatedAt)}.</p>
<div class="config">${config}</div>
<h2>How to read this</h2>
<p>Each strategy scaled the same simulated EC2 Auto Scaling group through the same recorded demand: instances boot and warm up
before they serve, and are billed per second. A minute is <em>under-provisioned</em> when demand exceeds what the serving instances
can do at 100% CPU; <em>unserved</em> is the share of demand dropped in those minutes. Only the evaluation window counts; the days
before it trained the forecasts. Every strategy's main knob was swept (the cost chart shows all settings); the tables show each at
its default. The oracle knew the future: it is the cheapest schedule that serves every minute, so "× oracle" is the price of not
knowing it. Cheaper and fewer under-provisioned minutes is better: down and to the left on the cost chart.</p>
<h2>Default settings</h2>
${metricsTable(data)}
<h2>${esc(data.defaultStrategy)} against the baselines</h2>
<p class="note">Read from ${esc(data.defaultStrategy)}'s cost curve, interpolated between its settings, at each baseline's default setting.
<em>Under-provisioned ratio at equal cost</em>: ${esc(data.defaultStrategy)}'s under-provisioned minutes at the baseline's instance-hours, over the baseline's.
<em>Cost ratio at equal under-provisioning</em>: ${esc(data.defaultStrategy)}'s instance-hours at the baseline's under-provisioning, over the baseline's.
Below 1 favours ${esc(data.defaultStrategy)} (0.5: half the under-provisioning, or half the cost); — where the ratio is undefined
(the baseline had no under-provisioned minute, or ${esc(data.defaultStrategy)} never reached its level); † where the value needed
${esc(data.defaultStrategy)}'s curve beyond its swept settings.</p>
${vsTable(data)}
${charts.join('\n')}
</body></html>
`;
}

async function renderCharts(data: ReportData): Promise<string[]> {
  const charts: string[] = [];
  charts.push(
    figure(
      'Cost against under-provisioning',
      `Every setting of every strategy, joined in knob order; the large outlined mark is its default setting${data.strategies.some((s) => s.name === 'oracle') ? ', the black diamond the oracle' : ''}. Both axes are compressed (log cost, symlog under-provisioning) so the low-cost, low-under-provisioning corner gets room. Down and left is better.`,
      await renderSvg(frontierSpec(data.strategies, data.defaultStrategy)),
    ),
  );

  const t = data.timeline;
  const listed = data.strategies.map((s) => s.name);
  const panels = [...listed, ...Object.keys(t.capacityPerMinute).filter((s) => !listed.includes(s))].filter(
    (s) => t.capacityPerMinute[s] !== undefined,
  );
  const first = evaluationStartMinute(t);
  const overview = timelineRows(t, panels, OVERVIEW_BUCKET_MINUTES, first, t.demandPerMinute.length);
  if (overview.length > 0) {
    charts.push(
      figure(
        'Load and capacity over the evaluation window',
        `${OVERVIEW_BUCKET_MINUTES}-minute buckets, load units per minute: the highest demand of each bucket in grey, and serving capacity drawn as that peak plus the bucket's tightest headroom (the least capacity to spare in any of its minutes, negative when short), so capacity falls below demand only where a minute really was short, however coarse the bucket; red marks buckets with an under-provisioned minute. Times in UTC.`,
        await renderSvg(
          timelineSpec(overview, {
            strategies: panels,
            bucketMinutes: OVERVIEW_BUCKET_MINUTES,
            panelHeightPx: 64,
            axisFormat: '%a %d %b',
          }),
        ),
      ),
    );
  }
  // Only when the window is longer than the zoom: otherwise the overview already shows it all.
  const zoomStart = t.demandPerMinute.length - first > ZOOM_SPAN_MINUTES ? busiestSpan(t, ZOOM_SPAN_MINUTES) : null;
  const zoomed = panels.filter((s) => s === data.defaultStrategy || s in data.vs);
  if (zoomStart !== null && zoomed.length > 0) {
    const rows = timelineRows(t, zoomed, ZOOM_BUCKET_MINUTES, zoomStart, zoomStart + ZOOM_SPAN_MINUTES);
    charts.push(
      figure(
        'The two busiest days',
        `The 48 hours of the evaluation window with the most demand, in ${ZOOM_BUCKET_MINUTES}-minute buckets, for the baselines and ${data.defaultStrategy}. Times in UTC.`,
        await renderSvg(
          timelineSpec(rows, {
            strategies: zoomed,
            bucketMinutes: ZOOM_BUCKET_MINUTES,
            panelHeightPx: 90,
            tickHours: 6,
            axisFormat: '%a %H:%M',
          }),
        ),
      ),
    );
  }
  const forecast = forecastRows(t, OVERVIEW_BUCKET_MINUTES);
  if (forecast.rows.length > 0) {
    const coverage =
      forecast.coverage80Pct === null
        ? ''
        : ` Demand fell inside the 80% interval in ${forecast.coverage80Pct.toFixed(1)}% of the forecast steps (80% if calibrated).`;
    charts.push(
      figure(
        'Forecast and outcome',
        `The load the scaler planned each interval with, mean and 80% interval, against the demand that came; both averaged over ${OVERVIEW_BUCKET_MINUTES}-minute buckets, load units per minute.${coverage}`,
        await renderSvg(forecastSpec(forecast.rows, '%a %d %b')),
      ),
    );
    const busiest = zoomStart === null ? null : forecastRows(t, 0, zoomStart, zoomStart + ZOOM_SPAN_MINUTES);
    if (busiest !== null && busiest.rows.length > 0) {
      const coverage2 =
        busiest.coverage80Pct === null
          ? ''
          : ` Inside the 80% interval: ${busiest.coverage80Pct.toFixed(1)}% of the steps.`;
      charts.push(
        figure(
          'Forecast on the two busiest days',
          `The same 48 hours as above, at the forecast's own step.${coverage2}`,
          await renderSvg(forecastSpec(busiest.rows, '%a %H:%M', 6)),
        ),
      );
    }
  }
  return charts;
}

function metricsTable(data: ReportData): string {
  const head = [
    'strategy',
    'default setting',
    'instance-hours',
    'cost',
    '× oracle',
    'under-provisioned minutes %',
    'unserved demand %',
    'idle capacity %',
    'scaling actions',
    'p95 CPU %',
    'max instances',
  ];
  const rows = data.strategies.map((s) => {
    const m = s.metrics;
    const knob = s.knobName === 'none' ? '—' : `${esc(s.knobName)} ${formatNumber(s.defaultKnob)}`;
    const cells = [
      `<td title="${esc(s.description)}">${esc(s.name)}</td>`,
      `<td class="text">${knob}</td>`,
      ...[
        formatNumber(m.instanceHours, 1),
        m.costUsd >= 1000 ? `$${formatNumber(m.costUsd, 0)}` : `$${fixed(m.costUsd, 2)}`,
        m.costVsOracle === null ? '—' : `${fixed(m.costVsOracle, 2)}×`,
        fixed(m.underProvisionedPct, 2),
        fixed(m.unservedPct, 3),
        fixed(m.slackPct, 1),
        formatNumber(m.scalingActions, 0),
        fixed(m.p95Utilization, 1),
        formatNumber(m.maxInstances, 0),
      ].map((c) => `<td>${c}</td>`),
    ];
    return `<tr${s.name === data.defaultStrategy ? ' class="default"' : ''}>${cells.join('')}</tr>`;
  });
  const descriptions = data.strategies.map((s) => `<dt>${esc(s.name)}</dt><dd>${esc(s.description)}</dd>`).join('');
  return `<table class="metrics"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
<dl class="strategies">${descriptions}</dl>`;
}

function vsTable(data: ReportData): string {
  const entries = Object.entries(data.vs);
  if (entries.length === 0) return `<p class="note">No baseline ran alongside ${esc(data.defaultStrategy)}.</p>`;
  const ratio = (v: number | null, extrapolated: boolean) => {
    if (v === null || !Number.isFinite(v)) return '—';
    return `<span class="${v < 1 ? 'better' : v > 1 ? 'worse' : ''}">${fixed(v, 2)}</span>${extrapolated ? ' †' : ''}`;
  };
  const rows = entries.map(
    ([name, r]) =>
      `<tr><td>${esc(name)}</td><td>${ratio(r.underProvisionedRatioAtEqualCost, r.extrapolated)}</td><td>${ratio(r.costRatioAtEqualUnderProvisioning, r.extrapolated)}</td></tr>`,
  );
  return `<table class="vs"><thead><tr><th>baseline (default setting)</th><th>under-provisioned ratio at equal cost</th><th>cost ratio at equal under-provisioning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function figure(title: string, note: string, svg: string): string {
  return `<h2>${esc(title)}</h2>\n<p class="note">${esc(note)}</p>\n<figure>${svg}</figure>`;
}

/** Fixed decimals, '—' for a missing or non-finite value. */
function fixed(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** Thousands separators; up to `maxDigits` decimals, trailing zeros dropped. */
function formatNumber(v: number, maxDigits = 2): string {
  return Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: maxDigits }) : '—';
}

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #e5e5e5;padding-bottom:.2em}
.note{color:#555}.config{display:flex;flex-wrap:wrap;gap:.3em 1.2em;font-size:.9em;color:#444}.config .k{font-weight:600;color:#222}
table{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums}
th,td{padding:4px 9px;border-bottom:1px solid #e2e2e2;text-align:right}th{font-weight:600;vertical-align:bottom;font-size:.9em}
th:first-child,td:first-child,td.text{text-align:left}tbody tr:hover{background:#f7f7f7}
tr.default{background:#eaf3ff;font-weight:600}tr.default:hover{background:#e0edff}
.better{color:#1a7f37}.worse{color:#b42318}
dl.strategies{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;font-size:.9em;color:#444}dl.strategies dt{font-weight:600}dl.strategies dd{margin:0}
figure{margin:0}svg{max-width:100%;height:auto}
`;
