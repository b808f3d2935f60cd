/** Where a variant's unserved demand falls compared with a baseline run (diagnostic). */
import { planExperiment } from '../../models/experiment/plan.ts';
import { simulateStrategy, strategyContext } from '../../models/experiment/runExperiment.ts';
import { simulate } from '../../models/fleet/runSimulation.ts';
import { readSeriesFile } from '../../cli/lib/readSeriesFile.ts';
import { cachedTickForecasts } from './forecastCache.ts';
import { VARIANTS } from './variants.ts';
import type { StrategyName } from '../../models/experiment/strategies/catalogue.ts';

const [path, variant, knobS, baseline, bknobS] = process.argv.slice(2);
const input = await readSeriesFile(path);
const plan = planExperiment(input.series, input.name);
const forecasts = await cachedTickForecasts(input.name, plan);
const inputs = { trace: plan.trace, forecasts, config: plan.config };
const ctx = strategyContext(inputs);
const a = simulate(plan.trace, VARIANTS[variant].setup(ctx, Number(knobS)));
const b = (await simulateStrategy(inputs, ctx, baseline as StrategyName, Number(bknobS)))!.simulation;
const from = Math.round((plan.config.evaluationStartSeconds - plan.trace.startSeconds) / 60);
let ua = 0,
  ub = 0,
  d = 0,
  ia = 0,
  ib = 0;
const events: string[] = [];
for (let t = from; t < a.minutes; t++) {
  d += a.demand[t];
  ua += a.demand[t] - a.served[t];
  ub += b.demand[t] - b.served[t];
  ia += a.billedSeconds[t];
  ib += b.billedSeconds[t];
  const xa = a.demand[t] - a.served[t],
    xb = b.demand[t] - b.served[t];
  if (xa > 0 || xb > 0)
    events.push(
      `${new Date((a.startSeconds + 60 * t) * 1000).toISOString().slice(5, 16)} dem ${a.demand[t].toFixed(0)} A serve ${a.servingCount[t]} des ${a.desiredCapacity[t]} min ${a.minSize[t]} unserved ${xa.toFixed(0)} | B serve ${b.servingCount[t]} des ${b.desiredCapacity[t]} unserved ${xb.toFixed(0)}`,
    );
}
console.log(
  `A unserved ${((100 * ua) / d).toFixed(3)}% ${(ia / 3600).toFixed(0)} h; B ${((100 * ub) / d).toFixed(3)}% ${(ib / 3600).toFixed(0)} h; cap/inst ${plan.config.fleet.capacityPerInstance.toFixed(1)}`,
);
console.log(events.slice(0, Number(process.env.N ?? 60)).join('\n'));
