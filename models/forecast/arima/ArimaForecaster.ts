import type { RegularSeries } from '../../series/types.ts';
import { stepsPerDay } from '../../series/types.ts';
import { bytesToFloat64, float64ToBytes, makeCheckpoint, trainingWindowOf, verifyCheckpoint } from '../checkpoint.ts';
import { ForecastError, InsufficientHistoryError, NotFittedError } from '../errors.ts';
import { gaussianForecast } from '../intervals.ts';
import {
  DEFAULT_LEVELS,
  type Checkpoint,
  type FitOptions,
  type Forecast,
  type Forecaster,
  type TrainingWindow,
} from '../types.ts';
import { fitAndForecast, isSanePath, type ArimaMethod, type ArimaPath } from './arimaPackage.ts';
import { huberClean, selectOrder, type ArimaOrder } from './orderSelection.ts';
import { fitSeasonal, seasonalValue, type SeasonalFit } from './seasonality.ts';
import { chooseDailyHarmonics } from './harmonics.ts';
import { estimateArma, forecastArma, innovationBias, type ArmaCoefficients } from './armaFilter.ts';

export interface ArimaProps {
  /** Daily Fourier harmonics, or 'auto' to choose from 2, 4, 6, 8 by AICc. @default 'auto' */
  readonly dailyHarmonics?: number | 'auto';
  /** Weekly Fourier harmonics, used only with at least `weeklyMinDays` of history. @default 2 */
  readonly weeklyHarmonics?: number;
  /** History needed before weekly terms are fitted. @default 14 */
  readonly weeklyMinDays?: number;
  /** The ARIMA part is fitted on this many most recent days of deseasonalised values. @default 3 */
  readonly residualDays?: number;
  /** ...but on at least this many values, for coarse steps (30-minute data). @default 864 */
  readonly residualMinPoints?: number;
  /** Huber clipping of one-step innovations, in robust standard deviations. @default 3 */
  readonly huberC?: number;
  /** Order search bounds. @default { maxP: 3, maxD: 1, maxQ: 2 } */
  readonly maxP?: number;
  readonly maxD?: number;
  readonly maxQ?: number;
  /** ctsa estimation method (0 ML, 1 CSS-ML, 2 CSS). @default 1 */
  readonly method?: ArimaMethod;
  /** Steps forecast at fit time and kept (one day at 5 minutes is 288). @default 2 days */
  readonly cachedDays?: number;
  /**
   * What `condition` does. 'refit': fit everything again on the new window (orders included),
   * as the backtest protocol asks of ARIMA. 'filter': keep the seasonal fit, the order and
   * coefficients of the last fit (prescale's own least-squares estimates for that order) and
   * only run the ARMA filter over the new window (about a millisecond instead of ~200), refitting
   * only when the new data have left the fit behind (`refitBiasZ`); for callers that retrain on
   * a schedule, such as the experiment's daily retraining and the scaler. @default 'refit'
   */
  readonly conditionMode?: 'refit' | 'filter';
  /**
   * In 'filter' mode, `condition` refits after all when the mean of the last hour's one-step
   * innovations under the day's coefficients is more than this many standard errors from zero.
   * @default 4
   */
  readonly refitBiasZ?: number;
}

/** Innovations the 'filter' mode's refit check averages (an hour of 5-minute data). */
const BIAS_STEPS = 12;

const DEFAULTS: Required<ArimaProps> = {
  dailyHarmonics: 'auto',
  weeklyHarmonics: 2,
  weeklyMinDays: 14,
  residualDays: 3,
  residualMinPoints: 864,
  huberC: 3,
  maxP: 3,
  maxD: 1,
  maxQ: 2,
  method: 1,
  cachedDays: 2,
  conditionMode: 'refit',
  refitBiasZ: 4,
};

interface ArimaState {
  readonly seasonal: SeasonalFit;
  readonly order: ArimaOrder;
  /** Absolute slot (epoch seconds / step) of the first forecast step. */
  readonly nextSlot: number;
  readonly varianceRatio: number;
  /** prescale's own estimates for the chosen order, for the 'filter' condition mode. */
  readonly coefficients?: ArmaCoefficients;
  readonly path: ArimaPath;
  readonly window: TrainingWindow;
}

/**
 * Dynamic harmonic regression: Fourier terms for the daily (and weekly) cycle, then an ARIMA on
 * the Huber-cleaned recent residuals, with the order chosen by our own fast AICc search and the
 * coefficients estimated by the `arima` package. Refitted on every scaler tick: it is cheap.
 */
export class ArimaForecaster implements Forecaster {
  readonly name = 'arima';
  private readonly props: Required<ArimaProps>;
  private state?: ArimaState;

  constructor(props: ArimaProps = {}) {
    this.props = { ...DEFAULTS, ...props };
    for (const key of [
      'weeklyHarmonics',
      'residualDays',
      'residualMinPoints',
      'maxP',
      'maxD',
      'maxQ',
      'cachedDays',
    ] as const) {
      const v = this.props[key];
      if (!Number.isInteger(v) || v < 0)
        throw new RangeError(`arima '${key}' must be a non-negative integer, got ${v}`);
    }
    if (!(this.props.huberC > 0)) throw new RangeError(`arima 'huberC' must be positive, got ${this.props.huberC}`);
    if (!(this.props.refitBiasZ > 0))
      throw new RangeError(`arima 'refitBiasZ' must be positive, got ${this.props.refitBiasZ}`);
  }

  async fit(series: RegularSeries, _options?: FitOptions): Promise<this> {
    const m = stepsPerDay(series.stepSeconds);
    const y = series.values;
    if (y.length < m) throw new InsufficientHistoryError(`arima needs at least one day (${m} points), got ${y.length}`);
    const firstSlot = Math.round(series.startSeconds / series.stepSeconds);
    const weeklyHarmonics = y.length >= this.props.weeklyMinDays * m ? this.props.weeklyHarmonics : 0;
    const dailyHarmonics =
      this.props.dailyHarmonics === 'auto'
        ? chooseDailyHarmonics(y, firstSlot, m, weeklyHarmonics)
        : this.props.dailyHarmonics;
    const seasonal = fitSeasonal(y, firstSlot, { daySteps: m, dailyHarmonics, weeklyHarmonics });

    const recent = Math.min(y.length, Math.max(this.props.residualDays * m, this.props.residualMinPoints));
    const residuals = new Float64Array(recent);
    for (let i = 0; i < recent; i++) {
      const at = y.length - recent + i;
      residuals[i] = y[at] - seasonalValue(seasonal, firstSlot + at);
    }
    const { cleaned, varianceRatio, levelShift } = huberClean(residuals, this.props.huberC);
    const { order, path: unshifted } = this.estimate(cleaned, m);
    const path = shiftPath(unshifted, levelShift);
    this.state = {
      seasonal,
      order,
      varianceRatio,
      path,
      nextSlot: firstSlot + y.length,
      window: trainingWindowOf(series),
      coefficients: this.props.conditionMode === 'filter' ? estimateArma(cleaned, order) : undefined,
    };
    return this;
  }

  /**
   * By default ARIMA is refitted on every tick (orders included): conditioning is fitting. In
   * 'filter' mode the last fit's seasonal terms and coefficients are re-aimed at the new window.
   */
  async condition(series: RegularSeries): Promise<this> {
    const state = this.state;
    if (this.props.conditionMode !== 'filter' || state?.coefficients === undefined) return this.fit(series);
    if (series.stepSeconds !== state.window.stepSeconds) {
      throw new ForecastError(
        `arima was fitted on ${state.window.stepSeconds} s steps, got a series of ${series.stepSeconds} s steps`,
      );
    }
    const m = stepsPerDay(series.stepSeconds);
    const y = series.values;
    const firstSlot = Math.round(series.startSeconds / series.stepSeconds);
    const recent = Math.min(y.length, Math.max(this.props.residualDays * m, this.props.residualMinPoints));
    if (recent < (4 * m) / 24)
      throw new InsufficientHistoryError(`arima needs at least ${(4 * m) / 24} points to condition on, got ${recent}`);
    const residuals = new Float64Array(recent);
    for (let i = 0; i < recent; i++) {
      const at = y.length - recent + i;
      residuals[i] = y[at] - seasonalValue(state.seasonal, firstSlot + at);
    }
    const { cleaned, varianceRatio, levelShift } = huberClean(residuals, this.props.huberC);
    // The data have left what the day's fit knows (a level shift a stationary fit would pull
    // back from): refit now rather than forecast from it until tomorrow.
    if (innovationBias(cleaned, state.coefficients, BIAS_STEPS) > this.props.refitBiasZ) return this.fit(series);
    const path = forecastArma(cleaned, state.coefficients, this.props.cachedDays * m);
    if (!isSanePath(path, cleaned)) return this.fit(series);
    this.state = { ...state, varianceRatio, path: shiftPath(path, levelShift), nextSlot: firstSlot + y.length };
    return this;
  }

  private estimate(cleaned: Float64Array, m: number): { order: ArimaOrder; path: ArimaPath } {
    const chosen = selectOrder(cleaned, { maxP: this.props.maxP, maxD: this.props.maxD, maxQ: this.props.maxQ });
    const steps = this.props.cachedDays * m;
    // ctsa sometimes diverges; fall back to simpler orders rather than forecast nonsense.
    const candidates: ArimaOrder[] = [chosen, { p: 1, d: chosen.d, q: 0 }, { p: 0, d: 1, q: 1 }];
    for (const order of candidates) {
      const path = fitAndForecast(cleaned, order, this.props.method, steps);
      if (isSanePath(path, cleaned)) return { order, path };
    }
    throw new ForecastError(`arima: every candidate order diverged on ${cleaned.length} points`);
  }

  predict(steps: number, levels: readonly number[] = DEFAULT_LEVELS): Forecast {
    if (this.state === undefined) throw new NotFittedError(this.name);
    const { path, seasonal, nextSlot, varianceRatio } = this.state;
    if (steps > path.mean.length) {
      throw new RangeError(
        `arima keeps ${path.mean.length} forecast steps (cachedDays=${this.props.cachedDays}); asked for ${steps}`,
      );
    }
    const mean: number[] = [];
    const sigma: number[] = [];
    for (let h = 0; h < steps; h++) {
      mean.push(path.mean[h] + seasonalValue(seasonal, nextSlot + h));
      sigma.push(Math.sqrt(path.variance[h] * varianceRatio));
    }
    return gaussianForecast(mean, sigma, levels);
  }

  /** The order chosen at the last fit, for reports. */
  get order(): ArimaOrder | undefined {
    return this.state?.order;
  }

  toCheckpoint(): Checkpoint {
    if (this.state === undefined) throw new NotFittedError(this.name);
    const { path, window, ...state } = this.state;
    return makeCheckpoint(
      { kind: 'arima', name: this.name, hyperparameters: { ...this.props }, trainingWindow: window, state },
      { mean: float64ToBytes(path.mean), variance: float64ToBytes(path.variance) },
    );
  }

  static fromCheckpoint(checkpoint: Checkpoint): ArimaForecaster {
    verifyCheckpoint(checkpoint, 'arima');
    const { manifest } = checkpoint;
    const model = new ArimaForecaster(manifest.hyperparameters as ArimaProps);
    const state = manifest.state as unknown as Omit<ArimaState, 'path' | 'window'>;
    model.state = {
      ...state,
      window: manifest.trainingWindow,
      path: {
        mean: Array.from(bytesToFloat64(checkpoint.blobs.mean, 'arima mean')),
        variance: Array.from(bytesToFloat64(checkpoint.blobs.variance, 'arima variance')),
      },
    };
    return model;
  }
}

/** A forecast path moved by a level shift at the end of the history (see `huberClean`). */
function shiftPath(path: ArimaPath, levelShift: number): ArimaPath {
  return levelShift === 0 ? path : { ...path, mean: path.mean.map((v) => v + levelShift) };
}
