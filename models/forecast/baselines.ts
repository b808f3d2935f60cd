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

/**
 * The two baselines of docs/backtest-protocol.md §4. They need only the last value (naive) or the last
 * season (snaive) plus one variance, so their checkpoint keeps exactly that.
 */

/** Last value; interval f ± z·sqrt(h·σ²), σ² = mean squared one-step difference. */
export class NaiveForecaster implements Forecaster {
  readonly name = 'naive';
  private fitted?: { last: number; sigma2: number; window: TrainingWindow };

  async fit(series: RegularSeries, _options?: FitOptions): Promise<this> {
    const y = series.values;
    if (y.length < 2) throw new InsufficientHistoryError(`naive needs at least 2 points, got ${y.length}`);
    let ss = 0;
    for (let t = 1; t < y.length; t++) ss += (y[t] - y[t - 1]) ** 2;
    this.fitted = { last: y[y.length - 1], sigma2: ss / (y.length - 1), window: trainingWindowOf(series) };
    return this;
  }

  condition(series: RegularSeries): Promise<this> {
    return this.fit(series);
  }

  predict(steps: number, levels: readonly number[] = DEFAULT_LEVELS): Forecast {
    if (this.fitted === undefined) throw new NotFittedError(this.name);
    const { last, sigma2 } = this.fitted;
    const mean = new Array<number>(steps).fill(last);
    const sigma = mean.map((_, i) => Math.sqrt((i + 1) * sigma2));
    return gaussianForecast(mean, sigma, levels);
  }

  toCheckpoint(): Checkpoint {
    if (this.fitted === undefined) throw new NotFittedError(this.name);
    return makeCheckpoint(
      {
        kind: 'naive',
        name: this.name,
        hyperparameters: {},
        trainingWindow: this.fitted.window,
        state: { last: this.fitted.last, sigma2: this.fitted.sigma2 },
      },
      {},
    );
  }

  static fromCheckpoint(checkpoint: Checkpoint): NaiveForecaster {
    verifyCheckpoint(checkpoint, 'naive');
    const { last, sigma2 } = checkpoint.manifest.state as { last: number; sigma2: number };
    const model = new NaiveForecaster();
    model.fitted = { last, sigma2, window: checkpoint.manifest.trainingWindow };
    return model;
  }
}

export interface SeasonalNaiveProps {
  /** Season length in steps. @default steps per day of the fitted series (288 for 5 minutes) */
  readonly seasonSteps?: number;
}

/** f_h = y[n - m + ((h-1) mod m) + 1]; interval f ± z·σ, σ² = mean squared lag-m difference. */
export class SeasonalNaiveForecaster implements Forecaster {
  readonly name = 'snaive';
  private fitted?: { lastSeason: Float64Array; sigma2: number; window: TrainingWindow };

  constructor(private readonly props: SeasonalNaiveProps = {}) {}

  async fit(series: RegularSeries, _options?: FitOptions): Promise<this> {
    const m = this.props.seasonSteps ?? stepsPerDay(series.stepSeconds);
    const y = series.values;
    if (y.length <= m)
      throw new InsufficientHistoryError(`snaive needs more than one season (${m} points), got ${y.length}`);
    let ss = 0;
    for (let t = m; t < y.length; t++) ss += (y[t] - y[t - m]) ** 2;
    this.fitted = { lastSeason: y.slice(y.length - m), sigma2: ss / (y.length - m), window: trainingWindowOf(series) };
    return this;
  }

  condition(series: RegularSeries): Promise<this> {
    return this.fit(series);
  }

  predict(steps: number, levels: readonly number[] = DEFAULT_LEVELS): Forecast {
    if (this.fitted === undefined) throw new NotFittedError(this.name);
    const { lastSeason, sigma2 } = this.fitted;
    const m = lastSeason.length;
    const mean = Array.from({ length: steps }, (_, i) => lastSeason[i % m]);
    return gaussianForecast(mean, new Array<number>(steps).fill(Math.sqrt(sigma2)), levels);
  }

  toCheckpoint(): Checkpoint {
    if (this.fitted === undefined) throw new NotFittedError(this.name);
    return makeCheckpoint(
      {
        kind: 'snaive',
        name: this.name,
        hyperparameters: { ...this.props },
        trainingWindow: this.fitted.window,
        state: { sigma2: this.fitted.sigma2 },
      },
      { lastSeason: float64ToBytes(this.fitted.lastSeason) },
    );
  }

  static fromCheckpoint(checkpoint: Checkpoint): SeasonalNaiveForecaster {
    verifyCheckpoint(checkpoint, 'snaive');
    const { manifest } = checkpoint;
    const model = new SeasonalNaiveForecaster(manifest.hyperparameters as SeasonalNaiveProps);
    model.fitted = {
      lastSeason: bytesToFloat64(checkpoint.blobs.lastSeason, 'snaive lastSeason'),
      sigma2: (manifest.state as { sigma2: number }).sigma2,
      window: manifest.trainingWindow,
    };
    return model;
  }
}
