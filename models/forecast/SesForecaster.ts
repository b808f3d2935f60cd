import type { RegularSeries } from '../series/types.ts';
import { stepsPerDay } from '../series/types.ts';
import { bytesToFloat64, float64ToBytes, makeCheckpoint, trainingWindowOf, verifyCheckpoint } from './checkpoint.ts';
import { InsufficientHistoryError, NotFittedError } from './errors.ts';
import { gaussianForecast } from './intervals.ts';
import {
  DEFAULT_LEVELS,
  type Checkpoint,
  type FitOptions,
  type Forecast,
  type Forecaster,
  type TrainingWindow,
} from './types.ts';
import { median } from '../stats.ts';

export interface SesProps {
  /** Days whose per-slot median forms the daily profile. @default 14 */
  readonly profileDays?: number;
  /** Most recent days the smoothing constant is chosen on (one-step squared error). @default 7 */
  readonly fitDays?: number;
  /** Smoothing constants tried. @default 0.02 to 1 */
  readonly alphas?: readonly number[];
}

const DEFAULTS: Required<SesProps> = {
  profileDays: 14,
  fitDays: 7,
  alphas: [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
};

interface SesState {
  /** The daily profile from the first forecast step on: ahead[j] is the profile j steps after the history. */
  readonly ahead: Float64Array;
  readonly level: number;
  readonly alpha: number;
  /** Mean squared one-step error of the chosen smoothing constant. */
  readonly sigma2: number;
  readonly window: TrainingWindow;
}

/**
 * Simple exponential smoothing of the series with its daily profile removed: the profile is
 * the per-time-of-day median of the last `profileDays` (a median, so yesterday's burst does
 * not become today's expected shape), the smoothing constant the one with the least one-step
 * squared error over the last `fitDays`. The forecast is the smoothed level plus the profile.
 * Unlike naive it does not follow a single spike, unlike seasonal naive it follows the
 * current level; an ensemble member that errs differently from ARIMA and the LSTM. Refitting
 * takes about a millisecond, so `condition` refits.
 */
export class SesForecaster implements Forecaster {
  readonly name = 'ses';
  private readonly props: Required<SesProps>;
  private fitted?: SesState;

  constructor(props: SesProps = {}) {
    this.props = { ...DEFAULTS, ...props };
    for (const key of ['profileDays', 'fitDays'] as const) {
      const v = this.props[key];
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`ses '${key}' must be a positive integer, got ${v}`);
    }
    const { alphas } = this.props;
    if (alphas.length === 0 || !alphas.every((a) => a > 0 && a <= 1)) {
      throw new RangeError(`ses 'alphas' must be a non-empty list within (0, 1], got ${alphas.join(', ')}`);
    }
  }

  async fit(series: RegularSeries, _options?: FitOptions): Promise<this> {
    const m = stepsPerDay(series.stepSeconds);
    const y = series.values;
    const n = y.length;
    if (n < m + 2) throw new InsufficientHistoryError(`ses needs more than a day (${m + 1} points), got ${n}`);
    // profile[s]: median of the values s steps into the last day, s steps into the day before, ...
    const profile = new Float64Array(m);
    const from = Math.max(0, n - this.props.profileDays * m);
    const same: number[] = [];
    for (let s = 0; s < m; s++) {
      same.length = 0;
      for (let t = n - m + s; t >= from; t -= m) same.push(y[t]);
      profile[s] = median(same);
    }
    const slot = (t: number): number => (((t - n) % m) + m) % m;
    const start = Math.max(1, n - this.props.fitDays * m);
    let best = { alpha: 1, sse: Infinity, level: y[n - 1] - profile[slot(n - 1)] };
    for (const alpha of this.props.alphas) {
      let level = y[start - 1] - profile[slot(start - 1)];
      let sse = 0;
      for (let t = start; t < n; t++) {
        const error = y[t] - profile[slot(t)] - level;
        sse += error * error;
        level += alpha * error;
      }
      if (sse < best.sse) best = { alpha, sse, level };
    }
    const ahead = Float64Array.from({ length: m }, (_, j) => profile[slot(n + j)]);
    this.fitted = {
      ahead,
      level: best.level,
      alpha: best.alpha,
      sigma2: best.sse / (n - start),
      window: trainingWindowOf(series),
    };
    return this;
  }

  condition(series: RegularSeries): Promise<this> {
    return this.fit(series);
  }

  predict(steps: number, levels: readonly number[] = DEFAULT_LEVELS): Forecast {
    if (this.fitted === undefined) throw new NotFittedError(this.name);
    const { ahead, level, alpha, sigma2 } = this.fitted;
    const m = ahead.length;
    const mean = Array.from({ length: steps }, (_, h) => level + ahead[h % m]);
    // The SES forecast variance: sigma² (1 + (h - 1) alpha²) at step h.
    const sigma = mean.map((_, h) => Math.sqrt(sigma2 * (1 + h * alpha * alpha)));
    return gaussianForecast(mean, sigma, levels);
  }

  /** The smoothing constant chosen by the last fit. */
  get alpha(): number | undefined {
    return this.fitted?.alpha;
  }

  toCheckpoint(): Checkpoint {
    if (this.fitted === undefined) throw new NotFittedError(this.name);
    const { ahead, level, alpha, sigma2, window } = this.fitted;
    return makeCheckpoint(
      {
        kind: 'ses',
        name: this.name,
        hyperparameters: { ...this.props },
        trainingWindow: window,
        state: { level, alpha, sigma2 },
      },
      { ahead: float64ToBytes(ahead) },
    );
  }

  static fromCheckpoint(checkpoint: Checkpoint): SesForecaster {
    verifyCheckpoint(checkpoint, 'ses');
    const { manifest } = checkpoint;
    const model = new SesForecaster(manifest.hyperparameters as SesProps);
    const { level, alpha, sigma2 } = manifest.state as { level: number; alpha: number; sigma2: number };
    model.fitted = {
      ahead: bytesToFloat64(checkpoint.blobs.ahead, 'ses ahead'),
      level,
      alpha,
      sigma2,
      window: manifest.trainingWindow,
    };
    return model;
  }
}
