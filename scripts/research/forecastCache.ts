/* eslint-disable @typescript-eslint/no-unused-vars -- destructuring drops fields */
/**
 * Research helper (not part of the product): tick forecasts computed once per trace and plan,
 * kept on disk as raw Float64Array files, keyed by trace name + the plan settings the
 * forecasts depend on. Forecasts do not depend on the policy in 'requests' mode.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TickForecasts } from '../../models/experiment/forecastSource.ts';
import type { ExperimentPlan } from '../../models/experiment/plan.ts';
import { computeTickForecasts } from '../../models/experiment/tickForecasts.ts';

export const CACHE_DIR = process.env.RESEARCH_CACHE ?? '/tmp/research-cache';

function key(name: string, plan: ExperimentPlan): string {
  const c = plan.config;
  const settings = {
    name,
    n: plan.forecastSeries.values.length,
    start: plan.forecastSeries.startSeconds,
    firstOrigin: plan.firstOrigin,
    horizon: plan.horizonSteps,
    tick: c.tickSeconds,
    boot: c.bootSeconds,
    delay: c.metricDelaySeconds,
    first: c.forecasting.firstForecastSeconds,
    model: c.forecasting.model ?? 'ensemble',
    seed: c.forecasting.seed ?? 0,
    sum: plan.forecastSeries.values.reduce((a, b) => a + b, 0),
  };
  return `${name}-${createHash('sha1').update(JSON.stringify(settings)).digest('hex').slice(0, 10)}`;
}

function save(file: string, a: Float64Array): void {
  writeFileSync(file, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}
function load(file: string): Float64Array {
  const b = readFileSync(file);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export async function cachedTickForecasts(name: string, plan: ExperimentPlan): Promise<TickForecasts> {
  const dir = join(CACHE_DIR, key(name, plan));
  const metaFile = join(dir, 'meta.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Omit<
      TickForecasts,
      'mean' | 'lower' | 'upper' | 'lastObserved'
    > & { levels: number[] };
    const lower: Record<number, Float64Array> = {};
    const upper: Record<number, Float64Array> = {};
    for (const l of meta.levels) {
      lower[l] = load(join(dir, `lower${l}.f64`));
      upper[l] = load(join(dir, `upper${l}.f64`));
    }
    const { levels: _levels, ...rest } = meta;
    return {
      ...rest,
      mean: load(join(dir, 'mean.f64')),
      lower,
      upper,
      lastObserved: load(join(dir, 'last.f64')),
      observed: plan.forecastSeries.values,
    };
  }
  const t0 = Date.now();
  process.stderr.write(`${name}: forecasting into ${dir}\n`);
  const { forecasts, trainings, failures } = await computeTickForecasts(plan);
  mkdirSync(dir, { recursive: true });
  const levels = Object.keys(forecasts.upper).map(Number);
  for (const l of levels) {
    save(join(dir, `lower${l}.f64`), forecasts.lower[l]);
    save(join(dir, `upper${l}.f64`), forecasts.upper[l]);
  }
  save(join(dir, 'mean.f64'), forecasts.mean);
  save(join(dir, 'last.f64'), forecasts.lastObserved ?? new Float64Array(forecasts.origins).fill(NaN));
  const { mean: _m, lower: _l, upper: _u, lastObserved: _o, observed: _obs, ...meta } = forecasts;
  writeFileSync(metaFile, JSON.stringify({ ...meta, levels, trainings, failures, seconds: (Date.now() - t0) / 1000 }));
  process.stderr.write(
    `${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s, ${trainings} trainings, ${failures} failures\n`,
  );
  return forecasts;
}
