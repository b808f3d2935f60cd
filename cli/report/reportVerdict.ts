import type { FrontierRatios } from '../../models/experiment/frontier.ts';
import type { SloCostComparison } from '../../models/experiment/recommend.ts';
import type { Slo } from '../../models/experiment/slo.ts';
import type { recommendationJson } from './deployable.ts';
import { sloText } from './experimentTables.ts';
import { esc, fixed, formatNumber, grouped, pct, utcMinute } from './html.ts';

/** What deployable.ts's `recommendationJson` gives: the verdict, how to deploy it, how it did. */
export type RecommendationJson = ReturnType<typeof recommendationJson>;

/** A setting's figures over one window. */
export interface SloFigures {
  readonly unservedPct: number;
  readonly underProvisionedPct: number;
  readonly instanceHours: number;
  readonly costVsOracle: number | null;
}

/** One strategy at the SLO, as metrics.json's `atSlo` has it. */
export interface ReportAtSlo {
  /** The cheapest setting meeting the SLO on the evaluation window; null when none does. */
  readonly hindsight: ({ readonly knob: number } & SloFigures) | null;
  /** The setting the history's tuning window chose, and how it did on both windows. */
  readonly tuned: {
    readonly knob: number;
    readonly metSloOnHistory: boolean;
    readonly meetsSlo: boolean;
    readonly history: SloFigures;
    readonly evaluation: SloFigures;
  };
}

/** The experiment's answer at the SLO: what to deploy, and the evidence. */
export interface ReportDecision {
  readonly slo: Slo;
  /** What to deploy; null when none was made (prescale did not run). */
  readonly recommendation: RecommendationJson | null;
  /** Per strategy. */
  readonly atSlo: Readonly<Record<string, ReportAtSlo>>;
  /** prescale against the best baseline at the SLO, in hindsight and tuned on the history. */
  readonly costAtSlo: { readonly hindsight: SloCostComparison; readonly tuned: SloCostComparison };
  /** prescale's frontier against each baseline's settings with at most 5% of minutes under-provisioned. */
  readonly frontierVs: Readonly<Record<string, FrontierRatios | undefined>>;
}

const VERDICT_WORDS: Record<RecommendationJson['verdict'], string> = {
  prescale: 'Turn on prescale',
  'stay-reactive': 'Stay reactive',
  'aws-predictive': 'Use AWS predictive scaling',
};

/**
 * The report's first section: the verdict in words, the setting and how to deploy it, the SLO,
 * the window it was chosen on, and how it then did on the evaluation window against the baselines.
 */
export function verdictSection(decision: ReportDecision | undefined, knobNames: ReadonlyMap<string, string>): string {
  const r = decision?.recommendation ?? null;
  if (decision === undefined || r === null) {
    const slo = decision === undefined ? '' : ` at the SLO (${esc(sloText(decision.slo))})`;
    return `<section class="verdict none" id="verdict"><div class="verdict-word">No recommendation</div>
<p>None was made${slo}: prescale did not run in this experiment, so there is nothing to weigh the baselines against.</p></section>`;
  }
  const knobName = knobNames.get(r.strategy);
  const setting =
    knobName === undefined || knobName === 'none'
      ? `${esc(r.strategy)} at ${formatNumber(r.knob)}`
      : `${esc(r.strategy)} with ${esc(knobName)} at <strong>${formatNumber(r.knob)}</strong>`;
  const e = r.evaluation;
  const miss = !r.meetsSlo;
  const unservedBound = ` (SLO: at most ${r.slo.unservedPct}%)`;
  const minutesBound = r.slo.underProvisionedPct === undefined ? '' : ` (SLO: at most ${r.slo.underProvisionedPct}%)`;
  const figures = [
    figureCell(pct(e.unservedPct), `of demand unserved${unservedBound}`, miss && e.unservedPct > r.slo.unservedPct),
    figureCell(
      pct(e.underProvisionedPct),
      `of minutes under-provisioned${minutesBound}`,
      miss && r.slo.underProvisionedPct !== undefined && e.underProvisionedPct > r.slo.underProvisionedPct,
    ),
    figureCell(grouped(e.instanceHours), 'instance-hours', false),
    figureCell(`${fixed(e.costVsOracle, 2)}×`, 'the oracle’s cost', false),
  ].join('');
  const badge = miss
    ? '<span class="badge miss">Misses the SLO</span>'
    : '<span class="badge meets">Meets the SLO</span>';
  const history = r.metSloOnHistory
    ? 'it served all of the history'
    : '<strong class="worse">no setting served all of the history, so this is the closest</strong>';
  return `<section class="verdict ${miss ? 'miss' : 'meets'}" id="verdict">
<div class="verdict-word">${esc(VERDICT_WORDS[r.verdict] ?? r.verdict)}</div>
<div class="verdict-setting">${setting}</div>
<p>For the SLO <strong>${esc(sloText(r.slo))}</strong>; chosen on the history from ${esc(utcMinute(r.tunedOn.start))}
to ${esc(utcMinute(r.tunedOn.end))} alone (${history}), then run on the evaluation window:</p>
<div class="outcome">${figures}<div class="fig">${badge}</div></div>
${comparison(decision, r)}
${deploySnippet(r)}
</section>`;
}

function figureCell(value: string, label: string, bad: boolean): string {
  return `<div class="fig${bad ? ' bad' : ''}"><span class="v">${esc(value)}</span><span class="l">${esc(label)}</span></div>`;
}

/** "0.76× (24% cheaper)" */
function ratioWords(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const change = Math.round(100 * (ratio - 1));
  const words = change === 0 ? 'the same cost' : change < 0 ? `${-change}% cheaper` : `${change}% dearer`;
  return `<strong class="${ratio < 1 ? 'better' : ratio > 1 ? 'worse' : ''}">${fixed(ratio, 2)}×</strong> the instance-hours (${words})`;
}

const meets = (m: boolean) => (m ? 'met the SLO' : '<span class="worse">missed the SLO</span>');

/** How the recommended setting compares with the baselines (or, when a baseline won, with prescale). */
function comparison(decision: ReportDecision, r: RecommendationJson): string {
  const lines: string[] = [];
  const hindsight = decision.costAtSlo.hindsight.bestBaseline;
  if (r.verdict === 'prescale') {
    const best = r.bestBaseline;
    if (best !== null) {
      const bestMet = decision.atSlo[best.strategy]?.tuned.meetsSlo;
      const unlike =
        bestMet === true && !r.meetsSlo
          ? ' Not like for like: this setting missed the SLO where the baseline met it.'
          : '';
      lines.push(
        `Against the best baseline tuned the same way (${esc(best.strategy)} at ${formatNumber(best.knob)}${bestMet === undefined ? '' : `, which ${meets(bestMet)}`}): ${ratioWords(r.vsBestBaseline)}.${unlike}`,
      );
    } else lines.push('No baseline ran to compare with.');
  } else {
    const p = decision.costAtSlo.tuned.prescale;
    const tuned = decision.costAtSlo.tuned;
    if (p !== null && tuned.bestBaseline !== null)
      lines.push(
        `prescale tuned the same way (at ${formatNumber(p.knob)}, which ${meets(p.meetsSlo)}) would have taken ${ratioWords(tuned.ratio)} of this setting; the history preferred ${esc(r.strategy)}.`,
      );
  }
  if (hindsight !== null)
    lines.push(
      `Against the cheapest baseline setting meeting the SLO in hindsight (${esc(hindsight.strategy)} at ${formatNumber(hindsight.knob)}, known only after the fact): ${ratioWords(r.vsBestBaselineHindsight)}.`,
    );
  else if (Object.keys(decision.atSlo).length > 0)
    lines.push('No baseline setting met the SLO on the evaluation window, even in hindsight.');
  const own = decision.atSlo[r.strategy]?.hindsight;
  if (!r.meetsSlo)
    lines.push(
      own === null || own === undefined
        ? `No setting of ${esc(r.strategy)} met the SLO on the evaluation window.`
        : `In hindsight, the cheapest ${esc(r.strategy)} setting meeting the SLO was ${formatNumber(own.knob)}: ${grouped(own.instanceHours)} instance-hours, ${fixed(own.costVsOracle, 2)}× the oracle${hindsight === null ? '' : `, ${fixed(own.instanceHours / hindsight.instanceHours, 2)}× the cheapest baseline meeting it`}.`,
    );
  return lines.map((l) => `<p class="cmp">${l}</p>`).join('\n');
}

/** The code that deploys the recommendation, the construct's name, and the scaler's environment. */
function deploySnippet(r: RecommendationJson): string {
  const env = Object.entries(r.env);
  const envBlock =
    env.length === 0
      ? ''
      : `<details><summary>The scaler Lambda's PRESCALE_* environment (${env.length} variables; the construct sets them from the props)</summary>
<pre class="env"><code>${esc(env.map(([k, v]) => `${k}=${v}`).join('\n'))}</code></pre></details>`;
  return `<div class="deploy"><div class="construct">Deploy with ${esc(r.construct)}:</div>
<pre class="code"><code>${esc(cdkSnippet(r))}</code></pre>${envBlock}</div>`;
}

/** Code written as is into a snippet (a variable, a Duration), not as a string literal. */
class Raw {
  constructor(readonly code: string) {}
}

/** The TypeScript (CDK) that deploys the recommended setting, `group` being the app's AutoScalingGroup. */
export function cdkSnippet(r: Pick<RecommendationJson, 'strategy' | 'props'>): string {
  const props = r.props;
  const group = '// group: the autoscaling.AutoScalingGroup to scale';
  switch (r.strategy) {
    case 'prescale': {
      const durations = Object.values(props).some((v) => typeof v === 'string' && isDuration(v));
      return [
        "import { PredictiveScaling } from './lib/index.ts'; // prescale's CDK library",
        ...(durations ? ["import { Duration } from 'aws-cdk-lib';"] : []),
        group,
        `new PredictiveScaling(this, 'Prescale', ${tsValue({ autoScalingGroup: new Raw('group'), ...props }, '')});`,
      ].join('\n');
    }
    case 'reactive-step':
      return [
        "import { ReactiveScaling, reactiveScaling } from './lib/index.ts'; // prescale's CDK library",
        group,
        `new ReactiveScaling(this, 'Reactive', ${tsValue({ autoScalingGroup: new Raw('group'), definition: new Raw(`reactiveScaling(${tsValue(props, '  ')})`) }, '')});`,
      ].join('\n');
    case 'target-tracking':
      return [group, `group.scaleOnCpuUtilization('Cpu', ${tsValue(props, '')});`].join('\n');
    case 'target-tracking-requests':
      return [group, `group.scaleOnRequestCount('Requests', ${tsValue(props, '')});`].join('\n');
    case 'aws-predictive': {
      const { targetUtilizationPercent, ...policy } = props;
      return [
        "import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';",
        group,
        `new autoscaling.CfnScalingPolicy(this, 'Predictive', ${tsValue({ autoScalingGroupName: new Raw('group.autoScalingGroupName'), ...policy }, '')});`,
        ...(targetUtilizationPercent === undefined
          ? []
          : [`group.scaleOnCpuUtilization('Cpu', ${tsValue({ targetUtilizationPercent }, '')});`]),
      ].join('\n');
    }
    default:
      return JSON.stringify(props, null, 2);
  }
}

function isDuration(v: string): boolean {
  return /^Duration\.(seconds|minutes|hours|millis)\(\d+(\.\d+)?\)$/.test(v);
}

/** A value as a TypeScript literal: objects on one line when short, else one property a line. */
function tsValue(v: unknown, indent: string): string {
  if (v instanceof Raw) return v.code;
  if (typeof v === 'string') return isDuration(v) ? v : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof v !== 'object' || v === null) return String(v);
  const inner = `${indent}  `;
  const items = Array.isArray(v)
    ? v.map((x) => tsValue(x, inner))
    : Object.entries(v).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${tsValue(x, inner)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return `${open}${close}`;
  const line = Array.isArray(v) ? `[${items.join(', ')}]` : `{ ${items.join(', ')} }`;
  if (!line.includes('\n') && indent.length + line.length <= 72) return line;
  return `${open}\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}${close}`;
}

/** "Cost at the SLO": every strategy's hindsight and history-tuned settings, then prescale over the best baseline both ways. */
export function sloTable(decision: ReportDecision | undefined, recommended: string | undefined): string {
  if (decision === undefined) return '<p class="note">This experiment predates the SLO: no figures at it.</p>';
  const at = Object.entries(decision.atSlo);
  if (at.length === 0) return '<p class="note">No strategy was measured at the SLO.</p>';
  const head = `<tr><th rowspan="2">strategy</th><th colspan="3" class="group">hindsight: cheapest meeting the SLO</th><th colspan="5" class="group">tuned on the history</th></tr>
<tr><th>setting</th><th>instance-hours</th><th>× oracle</th><th>setting</th><th>instance-hours</th><th>× oracle</th><th>unserved demand %</th><th>meets the SLO</th></tr>`;
  const rows = at.map(([name, a]) => {
    const h = a.hindsight,
      t = a.tuned;
    const cells = [
      `<td>${esc(name)}</td>`,
      `<td>${h === null ? '<span class="worse">none meets</span>' : formatNumber(h.knob)}</td>`,
      `<td>${h === null ? '—' : grouped(h.instanceHours)}</td>`,
      `<td>${h === null ? '—' : `${fixed(h.costVsOracle, 2)}×`}</td>`,
      `<td>${formatNumber(t.knob)}${t.metSloOnHistory ? '' : ' <span class="note" title="no setting served all of the history">(closest)</span>'}</td>`,
      `<td>${grouped(t.evaluation.instanceHours)}</td>`,
      `<td>${fixed(t.evaluation.costVsOracle, 2)}×</td>`,
      `<td>${fixed(t.evaluation.unservedPct, 3)}</td>`,
      `<td>${t.meetsSlo ? '<span class="better">yes</span>' : '<span class="worse">no</span>'}</td>`,
    ];
    const cls = [name === 'prescale' ? 'default' : '', name === recommended ? 'recommended' : '']
      .filter((c) => c !== '')
      .join(' ');
    return `<tr${cls === '' ? '' : ` class="${cls}"`}>${cells.join('')}</tr>`;
  });
  const c = decision.costAtSlo;
  const side = (x: SloCostComparison) =>
    x.prescale === null || x.bestBaseline === null
      ? ''
      : ` (prescale at ${formatNumber(x.prescale.knob)} over ${esc(x.bestBaseline.strategy)} at ${formatNumber(x.bestBaseline.knob)})`;
  const ratio = (v: number | null) =>
    v === null || !Number.isFinite(v)
      ? '—'
      : `<strong class="${v < 1 ? 'better' : v > 1 ? 'worse' : ''}">${fixed(v, 2)}</strong>`;
  return `<table class="slo"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>
<p>prescale's instance-hours at the SLO over the best baseline's (below 1 favours prescale): in hindsight ${ratio(c.hindsight.ratio)}${side(c.hindsight)};
tuned on the history ${ratio(c.tuned.ratio)}${side(c.tuned)}.</p>`;
}
