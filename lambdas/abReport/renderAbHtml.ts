import type { ArmMetrics } from '../../models/experiment/abMetrics.ts';

export interface AbReport {
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly control: { readonly group: string; readonly metrics: ArmMetrics };
  readonly treatment: { readonly group: string; readonly metrics: ArmMetrics };
  readonly ratios: Record<string, number | null>;
  readonly notes: readonly string[];
}

const ROWS: [keyof ArmMetrics, string, number][] = [
  ['instanceHours', 'instance-hours', 1],
  ['costUsd', 'cost $', 2],
  ['saturatedPct', 'periods with CPU at saturation %', 2],
  ['slackPct', 'idle CPU %', 1],
  ['p95Utilization', 'p95 CPU %', 1],
  ['maxInstances', 'max instances', 0],
  ['scalingActions', 'changes to desired capacity', 0],
  ['requests', 'requests', 0],
  ['errorPct', '5xx %', 3],
  ['p95ResponseTimeMs', 'p95 response time ms', 1],
];

/** A self-contained page comparing the two arms; every value escaped. */
export function renderAbHtml(report: AbReport): string {
  const cell = (v: number | null, digits: number) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits));
  const rows = ROWS.map(
    ([key, label, digits]) =>
      `<tr><td>${esc(label)}</td><td>${cell(report.control.metrics[key], digits)}</td>` +
      `<td>${cell(report.treatment.metrics[key], digits)}</td><td>${cell(report.ratios[key] ?? null, 3)}</td></tr>`,
  ).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>prescale A/B ${esc(report.windowEnd)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:900px;padding:0 1em}table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body><h1>prescale live A/B</h1>
<p>${esc(report.windowStart)} to ${esc(report.windowEnd)}. Control: <b>${esc(report.control.group)}</b> (reactive only). Treatment: <b>${esc(report.treatment.group)}</b> (reactive + predictive).
Treatment ÷ control below 1 means the treatment used or missed less.</p>
<table><tr><th>metric</th><th>control</th><th>treatment</th><th>treatment ÷ control</th></tr>${rows}</table>
${report.notes.length > 0 ? `<ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
