import { esc, fixed, formatNumber, grouped, utcMinute } from './html.ts';
import { forecastSpec, frontierSpec, renderSvg, timelineSpec, type FrontierMarks } from './reportCharts.ts';
import { busiestSpan, evaluationStartMinute, forecastRows, timelineRows } from './reportData.ts';
import { FRONTIER_MAX_UNDER_PROVISIONED_PCT } from '../../models/experiment/frontier.ts';
import { sloTable, verdictSection, type ReportDecision } from './reportVerdict.ts';

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
  /** The answer at the SLO and its evidence; absent from older callers (the verdict then says none was made). */
  readonly decision?: ReportDecision;
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
  const knobNames = new Map(data.strategies.map((s) => [s.name, s.knobName]));
  const d = data.defaultStrategy;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>prescale experiment: ${esc(data.trace)}</title>
<style>${STYLE}</style></head><body>
<h1>prescale experiment: ${esc(data.trace)}</h1>
<p class="note">Generated ${esc(data.generatedAt)}.</p>
<div class="config">${configStrip(data.config)}</div>
${verdictSection(data.decision, knobNames)}
<h2>How to read this</h2>
<p>Each strategy scaled the same simulated EC2 Auto Scaling group through the same recorded demand: instances boot and warm up
before they serve, and are billed per second. A minute is <em>under-provisioned</em> when demand exceeds what the serving instances
can do at 100% CPU; <em>unserved</em> is the share of demand dropped in those minutes. Only the evaluation window counts; the days
before it trained the forecasts, and their last days chose each strategy's setting for the SLO ("tuned on the history"), as a team
would before deploying. Every strategy's main knob was swept (the cost chart shows all settings). The oracle knew the future: it is
the cheapest schedule that serves every minute, so "× oracle" is the price of not knowing it. Cheaper and fewer under-provisioned
minutes is better: down and to the left on the cost chart.</p>
<h2>Cost at the SLO</h2>
<p class="note"><em>Hindsight</em>: each strategy's cheapest setting that met the SLO on the evaluation window, which only the
evaluation could tell. <em>Tuned on the history</em>: the setting its history chose (the cheapest meeting the SLO there, or the
closest when none did), and what it then did on the evaluation window. The best baseline is the cheapest in hindsight, or the one
the history preferred.</p>
${sloTable(data.decision, data.decision?.recommendation?.strategy)}
<h2>Default settings</h2>
${metricsTable(data)}
<h2>${esc(d)} against the baselines</h2>
<p class="note">Read from ${esc(d)}'s cost curve, interpolated between its settings. At each baseline's default setting:
<em>under-provisioned ratio at equal cost</em>, ${esc(d)}'s under-provisioned minutes at the baseline's instance-hours over the baseline's;
<em>cost ratio at equal under-provisioning</em>, ${esc(d)}'s instance-hours at the baseline's under-provisioning over the baseline's.
${data.decision === undefined ? '' : `<em>Frontier against frontier</em>: the same cost ratio at every setting of the baseline with at most ${FRONTIER_MAX_UNDER_PROVISIONED_PCT}% of minutes under-provisioned (the settings a team might run), its median and worst (largest), and how many of those settings ${esc(d)}'s curve reached. `}Below 1 favours ${esc(d)} (0.5: half the under-provisioning, or half the cost); — where the ratio is undefined
(the baseline had no under-provisioned minute, or ${esc(d)} never reached its level); † where the value needed
${esc(d)}'s curve beyond its swept settings.</p>
${vsTable(data)}
${charts.join('\n')}
</body></html>
`;
}

/** Human labels, with units, for the config keys the experiment writes. */
const CONFIG_LABELS: Readonly<Record<string, string>> = {
  capacityPerInstance: 'capacity per instance (load units/min)',
  targetUtilizationPct: 'planned CPU (%)',
  bootSeconds: 'boot (s)',
  warmupSeconds: 'warm-up (s)',
  tickSeconds: 'scaler tick (s)',
  minSize: 'min instances',
  maxSize: 'max instances',
  pricePerInstanceHour: 'price per instance-hour ($)',
  metricDelaySeconds: 'metric delay (s)',
  traceStepSeconds: 'trace step (s)',
  forecastStepSeconds: 'forecast step (s)',
  trainingDays: 'history (days)',
  tuningDays: 'tuning window (days)',
  evaluationDays: 'evaluated (days)',
  tuningStart: 'tuning from',
  evaluationStart: 'evaluation from',
};

/** A config key as words: the known ones from CONFIG_LABELS, others de-camelCased with their unit ("fooSeconds" → "foo (s)"). */
export function configLabel(key: string): string {
  const known = CONFIG_LABELS[key];
  if (known !== undefined) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_]+/)
    .filter((w) => w !== '');
  const units: Record<string, string> = { seconds: 's', pct: '%', days: 'days', minutes: 'min', usd: '$' };
  const last = words[words.length - 1];
  return last !== undefined && units[last] !== undefined && words.length > 1
    ? `${words.slice(0, -1).join(' ')} (${units[last]})`
    : words.join(' ');
}

function configStrip(config: ReportData['config']): string {
  return Object.entries(config)
    .map(([k, v]) => {
      const value = typeof v === 'number' ? formatNumber(v) : utcMinute(v);
      return `<span><span class="k">${esc(configLabel(k))}</span> ${esc(value)}</span>`;
    })
    .join('');
}

async function renderCharts(data: ReportData): Promise<string[]> {
  const charts: string[] = [];
  const marks = frontierMarks(data);
  const marked = [
    marks.recommended === undefined
      ? ''
      : ` The thick black ring is the recommended setting (${marks.recommended.strategy} at ${formatNumber(marks.recommended.knob)}).`,
    Object.keys(marks.hindsight).length === 0
      ? ''
      : " Dashed rings: each strategy's cheapest setting meeting the SLO in hindsight (the SLO bounds unserved demand, not this axis, so they need not sit at the bottom).",
    marks.labelled.length === 0 ? '' : ` Numbers: the knob's value at each setting of ${marks.labelled.join(' and ')}.`,
  ].join('');
  charts.push(
    figure(
      'Cost against under-provisioning',
      `Every setting of every strategy, joined in knob order; the large outlined mark is its default setting${data.strategies.some((s) => s.name === 'oracle') ? ', the black diamond the oracle' : ''}.${marked} Both axes are compressed (log cost, symlog under-provisioning) so the low-cost, low-under-provisioning corner gets room. Down and left is better; hover a point for its figures.`,
      await renderSvg(frontierSpec(data.strategies, data.defaultStrategy, marks)),
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

/** What the cost chart marks: the recommended setting, the hindsight-cheapest at the SLO, the strategies whose knobs it labels. */
function frontierMarks(data: ReportData): FrontierMarks {
  const decision = data.decision;
  const r = decision?.recommendation ?? null;
  const hindsight: Record<string, number> = {};
  for (const [name, at] of Object.entries(decision?.atSlo ?? {}))
    if (at.hindsight !== null) hindsight[name] = at.hindsight.knob;
  const best = r?.bestBaseline?.strategy ?? decision?.costAtSlo.hindsight.bestBaseline?.strategy;
  const labelled = [
    ...new Set([data.defaultStrategy, ...(r === null ? [] : [r.strategy]), ...(best === undefined ? [] : [best])]),
  ];
  return {
    recommended: r === null ? undefined : { strategy: r.strategy, knob: r.knob },
    hindsight,
    labelled: labelled.filter((s) => data.strategies.some((x) => x.name === s)),
  };
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
        grouped(m.instanceHours),
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
  const frontierVs = data.decision?.frontierVs;
  const ratio = (v: number | null | undefined, extrapolated = false) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return '—';
    return `<span class="${v < 1 ? 'better' : v > 1 ? 'worse' : ''}">${fixed(v, 2)}</span>${extrapolated ? ' †' : ''}`;
  };
  const rows = entries.map(([name, r]) => {
    const f = frontierVs?.[name];
    const frontier =
      frontierVs === undefined
        ? ''
        : f === undefined
          ? '<td>—</td><td>—</td><td>—</td>'
          : `<td>${ratio(f.median)}</td><td>${ratio(f.worst)}</td><td>${f.compared} of ${f.settings}</td>`;
    return `<tr><td>${esc(name)}</td><td>${ratio(r.underProvisionedRatioAtEqualCost, r.extrapolated)}</td><td>${ratio(r.costRatioAtEqualUnderProvisioning, r.extrapolated)}</td>${frontier}</tr>`;
  });
  const groups =
    frontierVs === undefined
      ? ''
      : `<tr><th></th><th colspan="2" class="group">at the baseline's default setting</th><th colspan="3" class="group">frontier against frontier: cost ratio at equal under-provisioning</th></tr>`;
  const frontierHead =
    frontierVs === undefined
      ? ''
      : `<th>median</th><th>worst</th><th>baseline settings compared (of those ≤ ${FRONTIER_MAX_UNDER_PROVISIONED_PCT}% under-provisioned)</th>`;
  return `<table class="vs"><thead>${groups}<tr><th>${frontierVs === undefined ? 'baseline (default setting)' : 'baseline'}</th><th>under-provisioned ratio at equal cost</th><th>cost ratio at equal under-provisioning</th>${frontierHead}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function figure(title: string, note: string, svg: string): string {
  return `<h2>${esc(title)}</h2>\n<p class="note">${esc(note)}</p>\n<figure>${svg}</figure>`;
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
tr.recommended td:first-child::after{content:" ← recommended";font-weight:600;color:#1a7f37}
th.group{text-align:center;border-bottom:1px solid #bbb}table.slo td{white-space:nowrap}
.verdict{border:2px solid #1a7f37;background:#f3faf4;border-radius:8px;padding:1em 1.3em;margin:1.2em 0 1.6em}
.verdict.miss{border-color:#b42318;background:#fff6f5}.verdict.none{border-color:#999;background:#f6f6f6}
.verdict-word{font-size:1.9em;font-weight:700;line-height:1.2}.verdict.meets .verdict-word{color:#1a7f37}
.verdict-setting{font-size:1.15em;margin:.15em 0 .5em}.verdict p{margin:.45em 0}
.outcome{display:flex;flex-wrap:wrap;gap:.5em 2em;align-items:center;margin:.6em 0}
.outcome .fig{display:flex;flex-direction:column}.outcome .v{font-size:1.45em;font-weight:700;font-variant-numeric:tabular-nums}
.outcome .l{font-size:.85em;color:#555}.outcome .fig.bad .v{color:#b42318}
.badge{display:inline-block;padding:.3em .8em;border-radius:4px;font-weight:700;font-size:1.1em;color:#fff}
.badge.meets{background:#1a7f37}.badge.miss{background:#b42318}
.deploy{margin-top:.8em}.deploy .construct{font-weight:600;margin-bottom:.2em}
pre{background:#272822;color:#f8f8f2;padding:.7em 1em;border-radius:6px;overflow-x:auto;font-size:.88em;line-height:1.4;margin:.2em 0}
pre.env{background:#f4f4f4;color:#222}details summary{cursor:pointer;color:#444;font-size:.9em;margin-top:.4em}
dl.strategies{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;font-size:.9em;color:#444}dl.strategies dt{font-weight:600}dl.strategies dd{margin:0}
figure{margin:0}svg{max-width:100%;height:auto}
`;
