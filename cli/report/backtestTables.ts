import { summarize, type BacktestRow } from '../../models/backtest/runBacktest.ts';
import { fixed, formatTable } from '../lib/table.ts';

/** The backtest's tables per horizon: per series and model, across series, and the ensemble's member weights. */
export function renderTables(rows: BacktestRow[]): string {
  const out: string[] = [];
  for (const horizon of ['short', 'day'] as const) {
    const group = rows.filter((r) => r.horizon === horizon);
    if (group.length === 0) continue;
    out.push(`\n${horizon === 'short' ? 'Short horizon (12 steps)' : 'Day horizon (one day of steps)'}\n`);
    out.push(
      formatTable(
        [
          'series',
          'model',
          'MASE',
          'sMAPE%',
          'RMSE',
          'cov80',
          'cov95',
          'relwidth80',
          'fit+fc ms',
          'origins',
          'failures',
        ],
        group.map((r) => [
          r.series,
          r.model,
          fixed(r.mase, 3),
          fixed(r.smape, 1),
          fixed(r.rmse, 2),
          fixed(r.cov80, 3),
          fixed(r.cov95, 3),
          fixed(r.relwidth80, 3),
          fixed(r.fit_ms_median, 0),
          String(r.n_origins),
          String(r.failures),
        ]),
      ),
    );
    out.push('\nAcross series\n');
    out.push(
      formatTable(
        ['model', 'GM MASE', 'sMAPE%', 'cov80', 'cov95', 'relwidth80', 'median ms', 'series', 'failures'],
        summarize(group).map((s) => [
          s.model,
          fixed(s.gmMase, 3),
          fixed(s.smape, 1),
          fixed(s.cov80, 3),
          fixed(s.cov95, 3),
          fixed(s.relwidth80, 3),
          fixed(s.fitMsMedian, 0),
          String(s.series),
          String(s.failures),
        ]),
      ),
    );
    const weighted = group.filter((r) => r.diagnostics !== undefined);
    if (weighted.length > 0) {
      const names = [...new Set(weighted.flatMap((r) => Object.keys(r.diagnostics ?? {})))];
      out.push('\nEnsemble member weights (mean over origins)\n');
      out.push(
        formatTable(
          ['series', 'model', ...names],
          weighted.map((r) => [r.series, r.model, ...names.map((n) => fixed(r.diagnostics?.[n], 3))]),
        ),
      );
    }
  }
  return `${out.join('\n')}\n`;
}
