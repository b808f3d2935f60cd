import * as tf from '@tensorflow/tfjs';
import { seededRng } from '../../random.ts';
import { stepsPerDay, type RegularSeries } from '../../series/types.ts';
import { trainingWindowOf, verifyCheckpoint } from '../checkpoint.ts';
import { ForecastError, InsufficientHistoryError, NotFittedError } from '../errors.ts';
import { DEFAULT_LEVELS, type Checkpoint, type FitOptions, type Forecast, type Forecaster } from '../types.ts';
import { initTfBackend, requireTfBackend } from './backend.ts';
import { empiricalIntervals, extendForecast, seasonalResiduals, thinSorted } from './extend.ts';
import {
  auxInputs,
  anchorLevel,
  buildInputs,
  contextPoints,
  inputFeatures,
  lstmSteps,
  minimumFitPoints,
  robustScale,
  splitWindows,
  type WindowLayout,
} from './features.ts';
import { batchTensors, initialWeights, LstmNet, type Topology } from './network.ts';
import { decodeLstm, encodeLstm, type FittedLstm } from './state.ts';
import { trainNet, type LstmLoss } from './train.ts';

export interface LstmProps {
  /** Input window in steps. @default 72 (6 hours of 5-minute data) */
  readonly windowSteps?: number;
  /** Consecutive values the LSTM reads as one timestep; must divide windowSteps. @default 3 */
  readonly patchSteps?: number;
  /** LSTM units. @default 16 */
  readonly hiddenUnits?: number;
  /** Steps the net forecasts directly; beyond them the forecast glides onto a daily profile. @default 12 */
  readonly horizonSteps?: number;
  /** Most training epochs (early stopping often ends sooner). @default 12 */
  readonly epochs?: number;
  /** Most epochs when continuing from a previous model's weights (`FitOptions.warmStart`). @default 3 */
  readonly warmStartEpochs?: number;
  /** Epochs without a better validation error before stopping. @default 4 */
  readonly patience?: number;
  /** Windows per Adam step; on wasm a step costs about the same up to 256. @default 256 */
  readonly batchSize?: number;
  /** Adam step size. @default 0.01 */
  readonly learningRate?: number;
  /** Training loss; MAE fits the median, which is what MASE rewards. @default 'mae' */
  readonly loss?: LstmLoss;
  /** Feed the same-time-yesterday path over the horizon straight to the output layer. @default true */
  readonly seasonalInputs?: boolean;
  /** Most recent training windows used; bounds training time on long histories. @default 4032 */
  readonly maxTrainingWindows?: number;
  /** Scaled inputs are clipped to ±clip. @default 8 */
  readonly clip?: number;
  /**
   * The window is expressed relative to the median of its last anchorSteps values (1: the last
   * value), so a single spike at the origin does not carry the whole forecast with it; 'auto' is
   * a quarter of an hour (3 at 5 minutes, 1 at 30 minutes, where one value already averages a
   * half hour). @default 'auto'
   */
  readonly anchorSteps?: number | 'auto';
  /** Days whose per-slot median forms the profile used beyond horizonSteps. @default 7 */
  readonly profileDays?: number;
  /**
   * e-folding steps of the net's offset from that profile beyond horizonSteps. @default 2016 (a week,
   * so over the next day the offset mostly persists: level shifts in load usually do)
   */
  readonly offsetDecaySteps?: number;
}

// Defaults measured with scripts/bench/benchLstm.ts on 14 days of 5-minute data, wasm backend, one
// core: 72-step windows read 3 steps at a time (24 LSTM steps; on wasm the cost is per op and
// per step, so reading the 72 values one by one would take three times as long, past the
// budget), 16 units, batch 256 and at most 12 epochs train in about 10-18 s. 32 units gained
// little at twice the time; MSE loss was clearly worse than MAE.
const DEFAULTS: Required<LstmProps> = {
  windowSteps: 72,
  patchSteps: 3,
  hiddenUnits: 16,
  horizonSteps: 12,
  epochs: 12,
  warmStartEpochs: 3,
  patience: 4,
  batchSize: 256,
  learningRate: 0.01,
  loss: 'mae',
  seasonalInputs: true,
  maxTrainingWindows: 4032,
  clip: 8,
  anchorSteps: 'auto',
  profileDays: 7,
  offsetDecaySteps: 2016,
};

/** Order statistics kept of the lag-one-day residuals (the checkpoint stays small). */
const TAIL_SAMPLE = 1000;

function positiveInteger(props: Required<LstmProps>, key: keyof LstmProps): void {
  const v = props[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new RangeError(`'${key}' must be a positive integer, got ${v}`);
}

/**
 * An LSTM forecaster on TensorFlow.js: a window of recent load (relative to its last value)
 * with calendar features goes through a small LSTM, and one linear layer forecasts the next
 * horizonSteps moves at once, helped by yesterday's path over the same hour.
 */
export class LstmForecaster implements Forecaster {
  readonly name = 'lstm';
  readonly hyperparameters: Required<LstmProps>;
  private fitted?: FittedLstm;
  private net?: LstmNet;

  constructor(props: LstmProps = {}) {
    const p = { ...DEFAULTS, ...props };
    for (const key of [
      'windowSteps',
      'patchSteps',
      'hiddenUnits',
      'horizonSteps',
      'epochs',
      'warmStartEpochs',
      'batchSize',
      'profileDays',
    ] as const) {
      positiveInteger(p, key);
    }
    if (p.anchorSteps !== 'auto') positiveInteger(p, 'anchorSteps');
    if (!Number.isInteger(p.patience) || p.patience < 0)
      throw new RangeError(`'patience' must be a non-negative integer, got ${p.patience}`);
    if (p.windowSteps % p.patchSteps !== 0) {
      throw new RangeError(`'patchSteps' must divide 'windowSteps', got ${p.patchSteps} and ${p.windowSteps}`);
    }
    for (const key of ['learningRate', 'clip', 'offsetDecaySteps', 'maxTrainingWindows'] as const) {
      if (!(p[key] > 0)) throw new RangeError(`'${key}' must be positive, got ${p[key]}`);
    }
    if (p.loss !== 'mae' && p.loss !== 'mse')
      throw new RangeError(`'loss' must be 'mae' or 'mse', got ${String(p.loss)}`);
    this.hyperparameters = p;
  }

  async fit(series: RegularSeries, options: FitOptions = {}): Promise<this> {
    const backend = await initTfBackend();
    const hp = this.hyperparameters;
    const y = series.values;
    const bad = y.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ForecastError(`lstm cannot fit a series with a non-finite value (index ${bad}: ${y[bad]})`);
    const m = stepsPerDay(series.stepSeconds);
    if (hp.seasonalInputs && hp.horizonSteps > m) {
      throw new RangeError(
        `'horizonSteps' (${hp.horizonSteps}) must not exceed a day (${m} steps) with seasonal inputs`,
      );
    }
    const layout = this.layoutFor(m);
    const split = splitWindows(y.length, layout, m, hp.maxTrainingWindows);
    if (split === undefined) {
      throw new InsufficientHistoryError(
        `lstm needs at least ${minimumFitPoints(layout, m)} points to fit (a ${contextPoints(layout)}-point context, ` +
          `${hp.horizonSteps} steps ahead, enough windows to train and validate), got ${y.length}`,
      );
    }
    const { firstTrain, lastTrain, firstValidation, lastValidation } = split;
    const validationCount = lastValidation - firstValidation + 1;
    const range = (from: number, to: number): Int32Array =>
      Int32Array.from({ length: to - from + 1 }, (_, i) => from + i);

    const scale = robustScale(y);
    const scaled = { z: y.map((v) => v / scale), startSeconds: series.startSeconds, stepSeconds: series.stepSeconds };
    const topology = this.topologyFor(layout);
    const seed = options.seed ?? 0;
    this.dispose();
    this.fitted = undefined;
    const previous = options.warmStart instanceof LstmForecaster ? options.warmStart.fitted : undefined;
    const warm = previous !== undefined && JSON.stringify(previous.topology) === JSON.stringify(topology);
    const net = new LstmNet(
      topology,
      warm ? previous.weights.map((w) => Float32Array.from(w)) : initialWeights(topology, seededRng(seed)),
    );
    let result: ReturnType<typeof trainNet>;
    try {
      result = trainNet(net, scaled, layout, range(firstTrain, lastTrain), range(firstValidation, lastValidation), {
        epochs: warm ? hp.warmStartEpochs : hp.epochs,
        batchSize: hp.batchSize,
        learningRate: hp.learningRate,
        patience: hp.patience,
        loss: hp.loss,
        seed: (seed ^ 0x5bd1e995) >>> 0,
      });
    } catch (error) {
      net.dispose();
      throw error;
    }
    const H = hp.horizonSteps;
    const { validationPredictions: pred, validationTargets: target } = result;
    let naiveAbs = 0;
    const stepResiduals = Array.from({ length: H }, (_, h) => {
      const r = new Float64Array(validationCount);
      for (let k = 0; k < validationCount; k++) {
        r[k] = target[k * H + h] - pred[k * H + h];
        naiveAbs += Math.abs(target[k * H + h]);
      }
      return r.sort();
    });
    const contextLength = Math.min(y.length, Math.max(contextPoints(layout), m * hp.profileDays));
    this.net = net;
    this.fitted = {
      topology,
      layout,
      scale,
      stepSeconds: series.stepSeconds,
      weights: net.readWeights(),
      stepResiduals,
      tailResiduals: thinSorted(seasonalResiduals(scaled.z, m), TAIL_SAMPLE),
      context: y.slice(y.length - contextLength),
      contextStartSeconds: series.startSeconds + (y.length - contextLength) * series.stepSeconds,
      trainingWindow: trainingWindowOf(series),
      validation: {
        mae: result.validationMae * scale,
        naiveMae: (naiveAbs / (validationCount * H)) * scale,
        windows: validationCount,
        trainingWindows: lastTrain - firstTrain + 1,
        epochs: result.epochsRun,
        bestEpoch: result.bestEpoch,
      },
      backend,
    };
    return this;
  }

  async condition(series: RegularSeries): Promise<this> {
    const f = this.requireFitted();
    await initTfBackend();
    if (series.stepSeconds !== f.stepSeconds) {
      throw new ForecastError(
        `lstm was trained on ${f.stepSeconds} s steps, got a series of ${series.stepSeconds} s steps`,
      );
    }
    const needed = contextPoints(f.layout);
    const y = series.values;
    if (y.length < needed) {
      throw new InsufficientHistoryError(
        `lstm needs at least ${needed} points of history to forecast, got ${y.length}`,
      );
    }
    const bad = y.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ForecastError(`lstm cannot forecast from a non-finite value (index ${bad}: ${y[bad]})`);
    const length = Math.min(y.length, Math.max(needed, stepsPerDay(f.stepSeconds) * this.hyperparameters.profileDays));
    this.fitted = {
      ...f,
      context: y.slice(y.length - length),
      contextStartSeconds: series.startSeconds + (y.length - length) * series.stepSeconds,
    };
    return this;
  }

  predict(steps: number, levels: readonly number[] = DEFAULT_LEVELS): Forecast {
    const f = this.requireFitted();
    if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
    requireTfBackend();
    this.net ??= new LstmNet(f.topology, f.weights);
    const net = this.net;
    const { context, layout, scale } = f;
    const z = context.map((v) => v / scale);
    const origin = context.length - 1;
    const moves = tf.tidy(() => {
      const inputs = buildInputs({ z, startSeconds: f.contextStartSeconds, stepSeconds: f.stepSeconds }, layout, [
        origin,
      ]);
      const { seq, aux } = batchTensors(inputs, f.topology);
      return net.forward(seq, aux).dataSync();
    });
    const level = anchorLevel(z, origin, layout.anchorSteps) * scale;
    const netMean = Array.from(moves, (move) => level + move * scale);
    if (!netMean.every(Number.isFinite)) throw new ForecastError('lstm produced a non-finite forecast');
    const mean = extendForecast(
      netMean,
      context,
      stepsPerDay(f.stepSeconds),
      this.hyperparameters.profileDays,
      this.hyperparameters.offsetDecaySteps,
      steps,
    );
    return { mean, intervals: empiricalIntervals(mean, f.stepResiduals, f.tailResiduals, scale, levels) };
  }

  toCheckpoint(): Checkpoint {
    return encodeLstm(this.name, { ...this.hyperparameters }, this.requireFitted());
  }

  /** Rebuild a fitted model; tensors are created on first predict (after initTfBackend). */
  static fromCheckpoint(checkpoint: Checkpoint): LstmForecaster {
    verifyCheckpoint(checkpoint, 'lstm');
    const model = new LstmForecaster(checkpoint.manifest.hyperparameters as LstmProps);
    model.fitted = decodeLstm(checkpoint);
    return model;
  }

  /** What training measured on the held-back windows (original units), if fitted. */
  get validation(): Readonly<Record<string, number>> | undefined {
    return this.fitted?.validation;
  }

  /** Free the network's tensors; the model stays usable and rebuilds them when needed. */
  dispose(): void {
    this.net?.dispose();
    this.net = undefined;
  }

  private requireFitted(): FittedLstm {
    if (this.fitted === undefined) throw new NotFittedError(this.name);
    return this.fitted;
  }

  private layoutFor(seasonSteps: number): WindowLayout {
    const hp = this.hyperparameters;
    return {
      windowSteps: hp.windowSteps,
      patchSteps: hp.patchSteps,
      horizonSteps: hp.horizonSteps,
      seasonSteps: hp.seasonalInputs ? seasonSteps : 0,
      clip: hp.clip,
      anchorSteps: hp.anchorSteps === 'auto' ? Math.max(1, Math.round((900 * seasonSteps) / 86_400)) : hp.anchorSteps,
    };
  }

  private topologyFor(layout: WindowLayout): Topology {
    return {
      cell: 'lstm',
      steps: lstmSteps(layout),
      inputFeatures: inputFeatures(layout),
      hiddenUnits: this.hyperparameters.hiddenUnits,
      auxInputs: auxInputs(layout),
      outputs: layout.horizonSteps,
    };
  }
}
