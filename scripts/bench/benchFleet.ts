/**
 * Speed benchmark of the fleet simulator: 30 days of a 1-minute trace through one strategy and
 * setting (target: well under 1 s), for the reactive step policy, target tracking, and the
 * prescale scaler reading a forecast every 5 minutes.
 * Usage: npx tsx scripts/bench/benchFleet.ts [--json]   (a seeded synthetic trace; no files needed)
 */
import { performance } from 'node:perf_hooks';
import { simulate } from '../../models/fleet/runSimulation.ts';
import type { SimulationSetup } from '../../models/fleet/types.ts';
import { median } from '../../models/backtest/metrics.ts';
import { reactiveScaling } from '../../models/policy/reactive.ts';
import { scalerController } from '../../models/experiment/strategies/scalerController.ts';
import { seededRng } from '../../models/random.ts';

const json = process.argv.includes('--json');
const DAYS = 30;
const minutes = DAYS * 1440;
const rng = seededRng(7);
const values = new Float64Array(minutes);
for (let t = 0; t < minutes; t++) values[t] = 400 + 300 * Math.sin((2 * Math.PI * t) / 1440) + 60 * rng();
const trace = { startSeconds: 1_767_225_600, stepSeconds: 60, values };
const fleet = { capacityPerInstance: 50, minSize: 1, maxSize: 100, initialCapacity: 10 };

const setups: Record<string, SimulationSetup> = {
  'reactive-step': { fleet, reactive: reactiveScaling() },
  'target-tracking': { fleet, targetTracking: { targetUtilizationPct: 50 } },
  'prescale scaler': {
    fleet,
    reactive: reactiveScaling(),
    controllers: [
      scalerController(
        {
          // A perfect-knowledge stand-in forecast: what matters here is the scaler's cost per tick.
          forecastAt: (now) => {
            const i = Math.floor((now - trace.startSeconds) / 60);
            const mean = Array.from({ length: 12 }, (_, h) => 5 * (values[Math.min(minutes - 1, i + 5 * h)] ?? 0));
            return {
              startSeconds: now,
              stepSeconds: 300,
              kind: 'sum' as const,
              mean,
              upper: { 80: mean.map((v) => v * 1.2) },
            };
          },
        },
        {
          kind: 'confidence-aware',
          capacityPerInstance: 50,
          targetUtilizationPct: 60,
          intervalLevel: 80,
          bootSeconds: 300,
          tickSeconds: 300,
        },
      ),
    ],
  },
};

const results: Record<string, number> = {};
for (const [name, setup] of Object.entries(setups)) {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    simulate(trace, setup);
    times.push(performance.now() - t0);
  }
  results[name] = median(times);
  if (!json)
    process.stdout.write(
      `${name.padEnd(16)} ${DAYS} days at 1 minute: median ${results[name].toFixed(1)} ms over 5 runs\n`,
    );
}
if (json) process.stdout.write(`${JSON.stringify({ days: DAYS, minutes, medianMs: results })}\n`);
