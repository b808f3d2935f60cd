/** Fill the forecast cache: npx tsx scripts/research/warm.ts TRACE... (one trace at a time). */
import { planExperiment } from '../../models/experiment/plan.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { cachedTickForecasts } from './forecastCache.ts';

for (const path of process.argv.slice(2)) {
  const input = await readSeriesFile(path);
  const plan = planExperiment(input.series, input.name);
  await cachedTickForecasts(input.name, plan);
}
