/** Coverage of the cached forecasts' upper bounds at the steps the floor plans for (diagnostic). */
import { planExperiment } from '../../models/experiment/plan.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { cachedTickForecasts } from './forecastCache.ts';

for (const path of process.argv.slice(2)) {
  const input = await readSeriesFile(path);
  const plan = planExperiment(input.series, input.name);
  const f = await cachedTickForecasts(input.name, plan);
  const y = plan.forecastSeries.values;
  const evalIdx = Math.round((plan.config.evaluationStartSeconds - plan.forecastSeries.startSeconds) / 300);
  const levels = [50, 80, 90, 95, 99];
  for (const h of [1, 2, 3]) {
    const miss: Record<number, number> = {};
    let n = 0;
    let relW = 0,
      absErr = 0,
      naiveErr = 0,
      snaiveErr = 0;
    const byHour: number[][] = Array.from({ length: 24 }, () => [0, 0]);
    for (let o = 0; o < f.origins; o++) {
      const t = f.firstOrigin + o + h;
      if (t < evalIdx || t >= y.length) continue;
      const m = f.mean[o * f.horizonSteps + h];
      if (Number.isNaN(m)) continue;
      n++;
      for (const l of levels) if (y[t] > f.upper[l][o * f.horizonSteps + h]) miss[l] = (miss[l] ?? 0) + 1;
      relW += (f.upper[90][o * f.horizonSteps + h] - m) / Math.max(m, 1e-9);
      absErr += Math.abs(y[t] - m);
      naiveErr += Math.abs(y[t] - y[f.firstOrigin + o - 1]);
      snaiveErr += Math.abs(y[t] - y[t - 288]);
      const hr = Math.floor(((plan.forecastSeries.startSeconds + t * 300) % 86400) / 3600);
      byHour[hr][0]++;
      if (y[t] > f.upper[90][o * f.horizonSteps + h]) byHour[hr][1]++;
    }
    process.stdout.write(
      `${input.name} h=${h} n=${n} exceed(upper L): ${levels.map((l) => `${l}:${((100 * (miss[l] ?? 0)) / n).toFixed(1)}%(nom ${(50 - l / 2).toFixed(1)})`).join(' ')} relW90 ${(relW / n).toFixed(3)} MAE/naive ${(absErr / naiveErr).toFixed(3)} MAE/snaive ${(absErr / snaiveErr).toFixed(3)}\n`,
    );
    if (h === 2)
      process.stdout.write(
        `   q90 exceed by hour: ${byHour.map((b) => ((100 * b[1]) / Math.max(1, b[0])).toFixed(0)).join(' ')}\n`,
      );
  }
}
