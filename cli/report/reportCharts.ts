import { maxOf, minOf } from '../../models/stats.ts';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ReportStrategy } from './report.ts';
import type { ForecastRow, TimelineRow } from './reportData.ts';

/** Widest chart, px; the page is about 1100 px wide. */
const CHART_WIDTH_PX = 860;
/** Under-provisioned buckets are drawn at least this wide, so a half-hour dip shows on a 4-week axis. */
const MIN_MARK_PX = 2;
const ORACLE = 'oracle';
const PALETTE_10 = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];
const PALETTE_20 = [
  '#4c78a8',
  '#9ecae9',
  '#f58518',
  '#ffbf79',
  '#54a24b',
  '#88d27a',
  '#b79a20',
  '#f2cf5b',
  '#439894',
  '#83bcb6',
  '#e45756',
  '#ff9d98',
  '#79706e',
  '#bab0ac',
  '#d67195',
  '#fcbfd2',
  '#b279a2',
  '#d6a5c9',
  '#9e765f',
  '#d8b5a5',
];
const SYMLOG_TICKS_PCT = [0, 0.5, 1, 2, 5, 10, 20, 50, 100];

/**
 * A vega-lite spec rendered to an SVG string without a browser (renderer 'none': no canvas needed).
 * vega only logs what goes wrong, and would hand back a half-drawn chart: a compile warning (a spec
 * mistake) or a runtime error throws instead.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const problems: string[] = [];
  const collect = vega.logger(vega.Warn, undefined, (_method, level, args) => {
    problems.push(`${level} ${args.map(String).join(' ')}`);
  });
  const compiled = compile(spec, { logger: collect }).spec;
  if (problems.length > 0) throw new Error(`vega-lite: ${problems.join('; ')}`);
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    logger: collect.level(vega.Error) as vega.LoggerInterface,
  });
  try {
    const svg = await view.toSVG();
    if (problems.length > 0) throw new Error(`vega: ${problems.join('; ')}`);
    return hoverTitles(compactPaths(svg));
  } finally {
    view.finalize();
  }
}

/** A hex colour at 60% of its brightness. */
function darker(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number) => Math.round(((n >> shift) & 255) * 0.6);
  return `#${((channel(16) << 16) | (channel(8) << 8) | channel(0)).toString(16).padStart(6, '0')}`;
}

/** What the cost chart marks besides the settings. */
export interface FrontierMarks {
  /** The recommended setting: a thick black ring. */
  readonly recommended?: { readonly strategy: string; readonly knob: number };
  /** Each strategy's cheapest setting meeting the SLO in hindsight: a dashed ring. */
  readonly hindsight: Readonly<Record<string, number>>;
  /** Strategies whose every setting is labelled with its knob value (few, so the chart stays legible). */
  readonly labelled: readonly string[];
}

const NO_MARKS: FrontierMarks = { hindsight: {}, labelled: [] };

/** A setting's figures in words: the hover title of its point. */
function settingTip(strategy: string, knobName: string, p: ReportStrategy['frontier'][number]): string {
  const knob = knobName === 'none' ? '' : ` · ${knobName} ${p.knob}`;
  return (
    `${strategy}${knob} · ${p.instanceHours.toLocaleString('en-US', { maximumFractionDigits: 1 })} instance-hours · ` +
    `${p.underProvisionedPct.toFixed(2)}% of minutes under-provisioned · ${p.unservedPct.toFixed(3)}% of demand unserved`
  );
}

/**
 * Cost against under-provisioning: each strategy's settings joined in knob order, its default
 * setting as a large mark, the oracle as a black diamond apart from the strategies' colours; the
 * recommended and hindsight-cheapest settings ringed, a few strategies' knob values written beside
 * their points, and every point's figures in a tooltip (a <title> in the static SVG).
 */
export function frontierSpec(
  strategies: readonly ReportStrategy[],
  defaultStrategy: string,
  marks: FrontierMarks = NO_MARKS,
): TopLevelSpec {
  const swept = strategies.filter((s) => s.name !== ORACLE);
  // The default strategy first: it gets the first colour and leads the legend.
  const names = [
    ...swept.filter((s) => s.name === defaultStrategy),
    ...swept.filter((s) => s.name !== defaultStrategy),
  ].map((s) => s.name);
  const palette = names.length > PALETTE_10.length ? PALETTE_20 : PALETTE_10;
  const colorOf = (strategy: string) => palette[Math.max(0, names.indexOf(strategy)) % palette.length];
  const settings = swept.flatMap((s) =>
    [...s.frontier]
      .sort((a, b) => a.knob - b.knob)
      .map((p, order) => ({
        strategy: s.name,
        order,
        knobName: s.knobName,
        knob: p.knob,
        instanceHours: p.instanceHours,
        underProvisionedPct: p.underProvisionedPct,
        unservedPct: p.unservedPct,
        lineWidth: s.name === defaultStrategy ? 3 : 1.5,
        tip: settingTip(s.name, s.knobName, p),
      })),
  );
  const defaults = swept.map((s) => {
    const p = s.frontier.find((f) => f.knob === s.defaultKnob);
    return {
      strategy: s.name,
      knobName: s.knobName,
      knob: s.defaultKnob,
      instanceHours: s.metrics.instanceHours,
      underProvisionedPct: s.metrics.underProvisionedPct,
      unservedPct: s.metrics.unservedPct,
      tip: `default setting: ${settingTip(s.name, s.knobName, p ?? { knob: s.defaultKnob, ...s.metrics })}`,
    };
  });
  const at = (strategy: string, knob: number) => settings.find((p) => p.strategy === strategy && p.knob === knob);
  const hindsight = Object.entries(marks.hindsight)
    .map(([strategy, knob]) => at(strategy, knob))
    .filter((p) => p !== undefined)
    .map((p) => ({ ...p, ringColor: colorOf(p.strategy), tip: `cheapest meeting the SLO in hindsight: ${p.tip}` }));
  const recommendedPoint =
    marks.recommended === undefined ? undefined : at(marks.recommended.strategy, marks.recommended.knob);
  // Its label goes up and away from the ring, towards the middle, so it stays inside the plot.
  const hours = settings.map((p) => Math.log(p.instanceHours)).filter(Number.isFinite);
  const rightHalf =
    recommendedPoint !== undefined &&
    Math.log(recommendedPoint.instanceHours) > (minOf(hours) + maxOf(hours)) / 2 + 0.25 * (maxOf(hours) - minOf(hours));
  const recommended =
    recommendedPoint === undefined
      ? []
      : [
          {
            ...recommendedPoint,
            label: rightHalf
              ? `recommended: ${recommendedPoint.strategy} at ${recommendedPoint.knob} ↘`
              : `↙ recommended: ${recommendedPoint.strategy} at ${recommendedPoint.knob}`,
            tip: `recommended: ${recommendedPoint.tip}`,
          },
        ];
  // The palette's light colours (yellow, pink) are unreadable as small text: the labels take a darker shade.
  const labelled = settings
    .filter((p) => marks.labelled.includes(p.strategy))
    .map((p) => ({ ...p, labelColor: darker(colorOf(p.strategy)) }));
  const oracle = strategies
    .filter((s) => s.name === ORACLE)
    .map((s) => ({
      label: 'oracle',
      instanceHours: s.metrics.instanceHours,
      underProvisionedPct: s.metrics.underProvisionedPct,
      tip: `oracle · ${s.metrics.instanceHours.toLocaleString('en-US', { maximumFractionDigits: 1 })} instance-hours · serves every minute`,
    }));
  // Log cost: a ratio of costs is a distance, and one expensive sweep does not squash the rest.
  // Symlog under-provisioning: the low percentages that matter get room, zero stays on the axis.
  const x = {
    field: 'instanceHours',
    type: 'quantitative',
    title: 'cost: instance-hours over the evaluation window (log scale)',
    scale: { type: 'log', nice: false },
    axis: { tickCount: 8, format: ',~r' },
  };
  const y = {
    field: 'underProvisionedPct',
    type: 'quantitative',
    title: 'under-provisioned: % of minutes (symlog scale)',
    scale: { type: 'symlog', constant: 1 },
    axis: { values: SYMLOG_TICKS_PCT, format: '~g' },
  };
  const color = {
    field: 'strategy',
    type: 'nominal',
    title: 'strategy',
    scale: { domain: names, range: palette },
    legend: { symbolStrokeWidth: 1.5, labelLimit: 0 },
  };
  const shape = { field: 'strategy', type: 'nominal', scale: { domain: names } };
  // vega-lite's tooltip, for a browser running vega; its description (the same words) becomes the SVG <title>.
  const tooltip = [
    { field: 'strategy', type: 'nominal' },
    { field: 'knobName', type: 'nominal', title: 'knob' },
    { field: 'knob', type: 'quantitative', title: 'value' },
    { field: 'instanceHours', type: 'quantitative', title: 'instance-hours', format: ',.1f' },
    { field: 'underProvisionedPct', type: 'quantitative', title: 'under-provisioned, % of minutes', format: '.2f' },
    { field: 'unservedPct', type: 'quantitative', title: 'unserved, % of demand', format: '.3f' },
  ];
  const hover = { tooltip, description: { field: 'tip', type: 'nominal' } };
  const layers: object[] = [
    {
      data: { values: settings },
      mark: { type: 'line', opacity: 0.75, aria: false },
      encoding: {
        x,
        y,
        color,
        order: { field: 'order' },
        strokeWidth: { field: 'lineWidth', type: 'quantitative', scale: null },
      },
    },
    {
      data: { values: settings },
      mark: { type: 'point', filled: true, size: 28, opacity: 0.9 },
      encoding: { x, y, color, shape, ...hover },
    },
    {
      data: { values: defaults },
      mark: { type: 'point', filled: true, size: 200, opacity: 1, stroke: '#222', strokeWidth: 1 },
      encoding: { x, y, color, shape, ...hover },
    },
  ];
  if (labelled.length > 0)
    layers.push({
      data: { values: labelled },
      // The colour as a mark property from the data: a colour channel here would split the legend in two.
      mark: {
        type: 'text',
        align: 'left',
        baseline: 'bottom',
        dx: 5,
        dy: -3,
        fontSize: 9.5,
        aria: false,
        color: { expr: 'datum.labelColor' },
      },
      encoding: { x, y, text: { field: 'knob', type: 'quantitative' } },
    });
  if (hindsight.length > 0)
    layers.push({
      data: { values: hindsight },
      mark: {
        type: 'point',
        shape: 'circle',
        filled: false,
        size: 420,
        strokeWidth: 1.6,
        strokeDash: [3, 2],
        color: { expr: 'datum.ringColor' },
      },
      encoding: { x, y, ...hover },
    });
  if (recommended.length > 0)
    layers.push(
      {
        data: { values: recommended },
        mark: { type: 'point', shape: 'circle', filled: false, size: 700, strokeWidth: 3, color: '#111' },
        encoding: { x, y, ...hover },
      },
      {
        data: { values: recommended },
        // Up and away from the ring, pointing back at it: the crowded low corner has no room beside it.
        mark: {
          type: 'text',
          align: rightHalf ? 'right' : 'left',
          dx: rightHalf ? -10 : 10,
          dy: -44,
          fontWeight: 'bold',
          color: '#111',
          aria: false,
        },
        encoding: { x, y, text: { field: 'label' } },
      },
    );
  if (oracle.length > 0) {
    layers.push(
      {
        data: { values: oracle },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 220, color: '#111' },
        encoding: { x, y, description: { field: 'tip', type: 'nominal' } },
      },
      {
        data: { values: oracle },
        mark: { type: 'text', align: 'left', dx: 9, dy: -9, fontWeight: 'bold', color: '#111', aria: false },
        encoding: { x, y, text: { field: 'label' } },
      },
    );
  }
  return { width: CHART_WIDTH_PX - 160, height: 420, layer: layers, config: CONFIG } as TopLevelSpec;
}

export interface TimelineChartOptions {
  /** Panels in this order, one per strategy. */
  readonly strategies: readonly string[];
  readonly bucketMinutes: number;
  readonly panelHeightPx: number;
  /** Time-axis ticks every this many hours; the default lets vega choose. */
  readonly tickHours?: number;
  readonly axisFormat: string;
}

/**
 * Small multiples, one panel per strategy on shared axes: demand (the bucket's highest) as a
 * grey area, serving capacity (that peak plus the bucket's tightest headroom, see timelineRows)
 * as a step line, buckets with an under-provisioned minute in red from capacity up to demand.
 */
export function timelineSpec(rows: readonly TimelineRow[], options: TimelineChartOptions): TopLevelSpec {
  const span = rows.length === 0 ? 0 : maxOf(rows.map((r) => r.timeEnd)) - minOf(rows.map((r) => r.time));
  const padMs = Math.max(0, (MIN_MARK_PX * span) / CHART_WIDTH_PX - options.bucketMinutes * 60_000) / 2;
  const label = panelLabels(rows);
  const values = rows.map((r) => ({ ...r, panel: label.get(r.strategy), x0: r.time - padMs, x1: r.timeEnd + padMs }));
  const keys = [
    'demand (highest in bucket)',
    'serving capacity (at the bucket’s tightest minute)',
    'under-provisioned (a minute short)',
  ];
  const x = {
    field: 'time',
    type: 'temporal',
    title: 'time (UTC)',
    scale: { type: 'utc' },
    axis: {
      format: options.axisFormat,
      ...(options.tickHours === undefined ? {} : { tickCount: { interval: 'hours', step: options.tickHours } }),
    },
  };
  const y = { type: 'quantitative', title: 'load units/min', axis: { tickCount: 3, titleFontSize: 10 } };
  return {
    data: { values },
    facet: {
      row: {
        field: 'panel',
        type: 'nominal',
        title: null,
        sort: options.strategies.map((s) => label.get(s)).filter((l) => l !== undefined),
        header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontSize: 12, labelPadding: 2 },
      },
    },
    spacing: 6,
    spec: {
      width: CHART_WIDTH_PX - 60,
      height: options.panelHeightPx,
      layer: [
        {
          mark: { type: 'area', interpolate: 'step-after', aria: false },
          encoding: {
            x,
            y: { ...y, field: 'demand' },
            color: {
              datum: keys[0],
              scale: { domain: keys, range: ['#c4c4c4', '#1f77b4', '#d62728'] },
              legend: { orient: 'top', title: null, symbolType: 'square', labelLimit: 0 },
            },
          },
        },
        {
          transform: [{ filter: 'datum.underMinutes > 0' }],
          mark: { type: 'rect', aria: false },
          encoding: {
            x: { ...x, field: 'x0' },
            x2: { field: 'x1' },
            y: { ...y, field: 'capacity' },
            y2: { field: 'demand' },
            color: { datum: keys[2] },
          },
        },
        {
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.2, aria: false },
          encoding: { x, y: { ...y, field: 'capacity' }, color: { datum: keys[1] } },
        },
      ],
    },
    resolve: { scale: { x: 'shared', y: 'shared' } },
    config: CONFIG,
  } as TopLevelSpec;
}

/** Each strategy's panel title with its share of under-provisioned minutes over the panel's span. */
function panelLabels(rows: readonly TimelineRow[]): Map<string, string> {
  const under = new Map<string, number>(),
    minutes = new Map<string, number>();
  for (const r of rows) {
    under.set(r.strategy, (under.get(r.strategy) ?? 0) + r.underMinutes);
    minutes.set(r.strategy, (minutes.get(r.strategy) ?? 0) + (r.timeEnd - r.time) / 60_000);
  }
  return new Map(
    [...minutes].map(([s, m]) => {
      const pct = m > 0 ? (100 * (under.get(s) ?? 0)) / m : 0;
      return [
        s,
        `${s}: ${pct === 0 ? 'no minute' : `${pct.toFixed(pct < 0.1 ? 3 : 2)}% of minutes`} under-provisioned`,
      ];
    }),
  );
}

/** Demand against the forecast mean and its 80% band. */
export function forecastSpec(rows: readonly ForecastRow[], axisFormat: string, tickHours?: number): TopLevelSpec {
  const x = {
    field: 'time',
    type: 'temporal',
    title: 'time (UTC)',
    scale: { type: 'utc' },
    axis: {
      format: axisFormat,
      ...(tickHours === undefined ? {} : { tickCount: { interval: 'hours', step: tickHours } }),
    },
  };
  const keys = ['80% interval', 'forecast mean', 'demand'];
  return {
    width: CHART_WIDTH_PX - 60,
    height: 240,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'area', opacity: 0.55, aria: false },
        encoding: {
          x,
          y: { field: 'lower80', type: 'quantitative', title: 'load units per minute', scale: { domainMin: 0 } },
          y2: { field: 'upper80' },
          color: {
            datum: keys[0],
            scale: { domain: keys, range: ['#9ecae1', '#08519c', '#e6550d'] },
            legend: { orient: 'top', title: null, labelLimit: 0 },
          },
        },
      },
      {
        mark: { type: 'line', strokeWidth: 1.2, aria: false },
        encoding: { x, y: { field: 'mean', type: 'quantitative' }, color: { datum: keys[1] } },
      },
      {
        mark: { type: 'line', strokeWidth: 0.9, aria: false },
        encoding: { x, y: { field: 'demand', type: 'quantitative' }, color: { datum: keys[2] } },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

const CONFIG = {
  font: 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
};

/**
 * A <title> in each point that has a description, so that a browser shows it on hover: vega's SVG
 * renderer writes a mark's description (or its tooltip, by vega-lite) only as an aria-label, and
 * its tooltips need vega's JavaScript handler, which this static page does not have.
 */
function hoverTitles(svg: string): string {
  return svg.replace(/<path\b([^>]*?)(\/?)>/g, (tag: string, attrs: string, selfClosing: string) => {
    const label = / aria-label="([^"]*)"/.exec(attrs)?.[1];
    if (label === undefined || !attrs.includes('role="graphics-symbol"')) return tag;
    return `<path${attrs}><title>${label}</title>${selfClosing === '/' ? '</path>' : ''}`;
  });
}

/** Path coordinates to 0.1 px: a third off the size of the long series, nothing visible. */
function compactPaths(svg: string): string {
  return svg.replace(
    / d="([^"]*)"/g,
    (_, d: string) => ` d="${d.replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10) / 10))}"`,
  );
}
