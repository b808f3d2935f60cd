import * as tf from '@tensorflow/tfjs';
import { seededRng, shuffledIndices } from '../../random.ts';
import { ForecastError } from '../errors.ts';
import { buildInputs, buildTargets, type ScaledSeries, type WindowLayout } from './features.ts';
import { batchTensors, type LstmNet } from './network.ts';

export type LstmLoss = 'mae' | 'mse';

export interface TrainConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Epochs without a better validation MAE before training stops. */
  readonly patience: number;
  readonly loss: LstmLoss;
  readonly seed: number;
}

export interface TrainResult {
  readonly epochsRun: number;
  /** 1-based epoch whose weights were kept. */
  readonly bestEpoch: number;
  /** Validation MAE of the kept weights, in scaled units. */
  readonly validationMae: number;
  /** Predictions of the kept weights on the validation windows, [origins x H], scaled. */
  readonly validationPredictions: Float32Array;
  readonly validationTargets: Float32Array;
}

const PREDICT_CHUNK = 1024;

/** Forward pass over many windows without gradients, chunked to bound memory. */
export function predictScaled(
  net: LstmNet,
  series: ScaledSeries,
  layout: WindowLayout,
  origins: Int32Array,
): Float32Array {
  const H = layout.horizonSteps;
  const out = new Float32Array(origins.length * H);
  for (let from = 0; from < origins.length; from += PREDICT_CHUNK) {
    const part = origins.subarray(from, from + PREDICT_CHUNK);
    const values = tf.tidy(() => {
      const { seq, aux } = batchTensors(buildInputs(series, layout, part), net.topology);
      return net.forward(seq, aux).dataSync();
    });
    out.set(values, from * H);
  }
  return out;
}

function meanAbs(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/**
 * Mini-batch Adam on the training windows in a seeded order (never tfjs' own shuffle), with
 * early stopping on the validation windows; the best epoch's weights are restored.
 */
export function trainNet(
  net: LstmNet,
  series: ScaledSeries,
  layout: WindowLayout,
  trainOrigins: Int32Array,
  validationOrigins: Int32Array,
  config: TrainConfig,
): TrainResult {
  const H = layout.horizonSteps;
  const rng = seededRng(config.seed);
  const targets = buildTargets(series.z, H, trainOrigins, layout.anchorSteps);
  const validationTargets = buildTargets(series.z, H, validationOrigins, layout.anchorSteps);
  const optimizer = tf.train.adam(config.learningRate);
  let best: { epoch: number; mae: number; weights: Float32Array[]; predictions: Float32Array } = {
    epoch: 0,
    mae: Infinity,
    weights: net.readWeights(),
    predictions: new Float32Array(0),
  };
  let epoch = 0;
  try {
    while (epoch < config.epochs && (epoch === best.epoch || epoch - best.epoch < config.patience)) {
      epoch++;
      const order = shuffledIndices(trainOrigins.length, rng);
      for (let from = 0; from < order.length; from += config.batchSize) {
        const rows = order.subarray(from, Math.min(order.length, from + config.batchSize));
        const origins = Array.from(rows, (r) => trainOrigins[r]);
        const target = new Float32Array(rows.length * H);
        rows.forEach((r, b) => target.set(targets.subarray(r * H, (r + 1) * H), b * H));
        tf.tidy(() => {
          const { seq, aux } = batchTensors(buildInputs(series, layout, origins), net.topology);
          const y = tf.tensor2d(target, [rows.length, H]);
          optimizer.minimize(
            () => {
              const diff = tf.sub(net.forward(seq, aux), y);
              return (config.loss === 'mse' ? tf.mean(tf.square(diff)) : tf.mean(tf.abs(diff))) as tf.Scalar;
            },
            false,
            net.variables,
          );
        });
      }
      const predictions = predictScaled(net, series, layout, validationOrigins);
      const mae = meanAbs(predictions, validationTargets);
      if (Number.isFinite(mae) && mae < best.mae) best = { epoch, mae, weights: net.readWeights(), predictions };
    }
  } finally {
    optimizer.dispose();
  }
  if (!Number.isFinite(best.mae)) {
    throw new ForecastError(`lstm training diverged: validation error was not finite in any of ${epoch} epochs`);
  }
  net.assign(best.weights);
  return {
    epochsRun: epoch,
    bestEpoch: best.epoch,
    validationMae: best.mae,
    validationPredictions: best.predictions,
    validationTargets,
  };
}
