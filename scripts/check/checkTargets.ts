/**
 * Reads the JSON of `prescale backtest --json` over the nine NAB series and checks it against
 * the forecasting targets: GM MASE of the ensemble on the short horizon at most 0.90 x the best
 * reference in the R reference results (docs/results.md) (0.622 -> 0.560), the ensemble better than snaive
 * on at least 8 of 9 series, mean cov80 in [0.75, 0.85] and mean cov95 in [0.90, 0.98].
 * Usage: npx tsx scripts/check/checkTargets.ts reports/backtest-nab.json
 */
import { readFileSync } from 'node:fs';
import { summarize, type BacktestRow } from '../../models/backtest/runBacktest.ts';
import { fixed, formatTable } from '../../cli/lib/table.ts';

const BEST_REFERENCE_SHORT_GM_MASE = 0.622; // ens_dhr_stlf, R forecast 8.20
const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: npx tsx scripts/check/checkTargets.ts BACKTEST_JSON\n');
  process.exit(2);
}
const { results } = JSON.parse(readFileSync(file, 'utf8')) as { results: BacktestRow[] };

for (const horizon of ['short', 'day'] as const) {
  const rows = results.filter((r) => r.horizon === horizon);
  if (rows.length === 0) continue;
  const models = [...new Set(rows.map((r) => r.model))];
  const series = [...new Set(rows.map((r) => r.series))];
  process.stdout.write(`\n${horizon} horizon: MASE per series\n`);
  process.stdout.write(
    `${formatTable(
      ['series', ...models],
      series.map((s) => [s, ...models.map((m) => fixed(rows.find((r) => r.series === s && r.model === m)?.mase, 3))]),
    )}\n`,
  );
  process.stdout.write(`\n${horizon} horizon: across series\n`);
  process.stdout.write(
    `${formatTable(
      ['model', 'GM MASE', 'sMAPE%', 'cov80', 'cov95', 'relwidth80', 'median ms', 'failures'],
      summarize(rows).map((s) => [
        s.model,
        fixed(s.gmMase, 3),
        fixed(s.smape, 1),
        fixed(s.cov80, 3),
        fixed(s.cov95, 3),
        fixed(s.relwidth80, 3),
        fixed(s.fitMsMedian, 0),
        String(s.failures),
      ]),
    )}\n`,
  );
  const weighted = rows.filter((r) => r.model === 'ensemble' && r.diagnostics !== undefined);
  if (weighted.length > 0) {
    const names = Object.keys(weighted[0].diagnostics ?? {});
    process.stdout.write(`\n${horizon} horizon: ensemble member weights (mean over origins)\n`);
    process.stdout.write(
      `${formatTable(
        ['series', ...names],
        weighted.map((r) => [r.series, ...names.map((n) => fixed(r.diagnostics?.[n], 3))]),
      )}\n`,
    );
  }
}

const short = results.filter((r) => r.horizon === 'short');
const ensemble = summarize(short).find((s) => s.model === 'ensemble');
if (ensemble !== undefined) {
  const goal = 0.9 * BEST_REFERENCE_SHORT_GM_MASE;
  const beats = short
    .filter((r) => r.model === 'ensemble')
    .filter(
      (r) => r.mase < (short.find((s) => s.model === 'snaive' && s.series === r.series)?.mase ?? Infinity),
    ).length;
  const seriesCount = short.filter((r) => r.model === 'ensemble').length;
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  process.stdout.write('\nTargets (short horizon, ensemble)\n');
  process.stdout.write(
    `  GM MASE ${fixed(ensemble.gmMase, 3)} <= ${goal.toFixed(3)} (0.90 x ${BEST_REFERENCE_SHORT_GM_MASE}): ${check(ensemble.gmMase <= goal)}\n`,
  );
  process.stdout.write(
    `  better than snaive on ${beats} of ${seriesCount} series (need 8 of 9): ${check(beats >= 8)}\n`,
  );
  process.stdout.write(
    `  mean cov80 ${fixed(ensemble.cov80, 3)} in [0.75, 0.85]: ${check(ensemble.cov80 >= 0.75 && ensemble.cov80 <= 0.85)}\n`,
  );
  process.stdout.write(
    `  mean cov95 ${fixed(ensemble.cov95, 3)} in [0.90, 0.98]: ${check(ensemble.cov95 >= 0.9 && ensemble.cov95 <= 0.98)}\n`,
  );
}
