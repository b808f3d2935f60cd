import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../random.ts';
import type { InputBatch } from './features.ts';

/** The shape of the network: an LSTM over the window, then one linear layer to H outputs. */
export interface Topology {
  readonly cell: 'lstm';
  /** LSTM timesteps per window. */
  readonly steps: number;
  readonly inputFeatures: number;
  readonly hiddenUnits: number;
  /** Inputs that bypass the LSTM and feed the output layer directly (0 for none). */
  readonly auxInputs: number;
  readonly outputs: number;
}

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly [number, number] | readonly [number];
}

/** Parameters in checkpoint order. Gate order in the 4U axes is input, forget, cell, output (Keras). */
export function paramSpecs(t: Topology): ParamSpec[] {
  const u4 = 4 * t.hiddenUnits;
  const specs: ParamSpec[] = [
    { name: 'kernel', shape: [t.inputFeatures, u4] },
    { name: 'recurrentKernel', shape: [t.hiddenUnits, u4] },
    { name: 'bias', shape: [u4] },
    { name: 'headKernel', shape: [t.hiddenUnits, t.outputs] },
    { name: 'headBias', shape: [t.outputs] },
  ];
  if (t.auxInputs > 0) specs.push({ name: 'auxKernel', shape: [t.auxInputs, t.outputs] });
  return specs;
}

export function paramCount(spec: ParamSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}

function gaussian(rng: Rng): number {
  // Box–Muller; 1 - u keeps the log argument in (0, 1].
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function glorotUniform(rows: number, cols: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (rows + cols));
  return Float32Array.from({ length: rows * cols }, () => (2 * rng() - 1) * limit);
}

/** A [rows x cols] matrix with orthonormal rows (rows <= cols), by Gram–Schmidt on Gaussian rows. */
function orthogonalRows(rows: number, cols: number, rng: Rng): Float32Array {
  const m = Array.from({ length: rows }, () => Float64Array.from({ length: cols }, () => gaussian(rng)));
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += m[i][k] * m[j][k];
      for (let k = 0; k < cols; k++) m[i][k] -= dot * m[j][k];
    }
    let norm = 0;
    for (let k = 0; k < cols; k++) norm += m[i][k] ** 2;
    norm = Math.sqrt(norm);
    for (let k = 0; k < cols; k++) m[i][k] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) out.set(m[i], i * cols);
  return out;
}

/**
 * Seeded initial weights, drawn in plain JS so they are identical on every backend:
 * Glorot-uniform kernels, an orthogonal recurrent kernel, forget-gate bias 1 (so the cell
 * remembers from the start), and a zero aux kernel so training starts from "ignore
 * yesterday" rather than from noise.
 */
export function initialWeights(t: Topology, rng: Rng): Float32Array[] {
  const u = t.hiddenUnits;
  const bias = new Float32Array(4 * u);
  bias.fill(1, u, 2 * u);
  const weights = [
    glorotUniform(t.inputFeatures, 4 * u, rng),
    orthogonalRows(u, 4 * u, rng),
    bias,
    glorotUniform(u, t.outputs, rng),
    new Float32Array(t.outputs),
  ];
  if (t.auxInputs > 0) weights.push(new Float32Array(t.auxInputs * t.outputs));
  return weights;
}

/** Tensors for one batch (the caller disposes them, usually through tf.tidy). */
export function batchTensors(batch: InputBatch, t: Topology): { seq: tf.Tensor2D[]; aux?: tf.Tensor2D } {
  const seq = batch.seq.map((row) => tf.tensor2d(row, [batch.size, t.inputFeatures]));
  const aux = t.auxInputs > 0 ? tf.tensor2d(batch.aux, [batch.size, t.auxInputs]) : undefined;
  return { seq, aux };
}

/**
 * The network as a handful of tf variables and a forward function written with core ops.
 * Hand-written rather than tf.layers.lstm: on the wasm backend this skips the layer's
 * per-step bookkeeping and strided unstacking, and the initial weights stay seeded in JS.
 */
export class LstmNet {
  readonly variables: tf.Variable[];

  constructor(
    readonly topology: Topology,
    weights: readonly Float32Array[],
  ) {
    const specs = paramSpecs(topology);
    this.variables = specs.map((spec, i) => tf.tidy(() => tf.variable(tf.tensor(weights[i], [...spec.shape]), true)));
  }

  /** H outputs per row: the scaled move from the window's last value at each step ahead. */
  forward(seq: readonly tf.Tensor2D[], aux?: tf.Tensor2D): tf.Tensor2D {
    const [kernel, recurrent, bias, headKernel, headBias, auxKernel] = this.variables;
    let h: tf.Tensor2D | undefined;
    let c: tf.Tensor2D | undefined;
    for (const x of seq) {
      const projected = tf.add(tf.matMul(x, kernel as tf.Tensor2D), bias);
      const z = h === undefined ? projected : tf.add(projected, tf.matMul(h, recurrent as tf.Tensor2D));
      const [i, f, g, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
      const input: tf.Tensor2D = tf.mul(tf.sigmoid(i), tf.tanh(g));
      // The state starts at zero, so the first step has no forget term.
      const cell: tf.Tensor2D = c === undefined ? input : tf.add(tf.mul(tf.sigmoid(f), c), input);
      c = cell;
      h = tf.mul<tf.Tensor2D>(tf.sigmoid(o), tf.tanh(cell));
    }
    if (h === undefined) throw new RangeError('the LSTM needs at least one timestep');
    let out: tf.Tensor2D = tf.add(tf.matMul(h, headKernel as tf.Tensor2D), headBias);
    if (aux !== undefined && auxKernel !== undefined) out = tf.add(out, tf.matMul(aux, auxKernel as tf.Tensor2D));
    return out;
  }

  /** A copy of every parameter, in checkpoint order. */
  readWeights(): Float32Array[] {
    return this.variables.map((v) => Float32Array.from(v.dataSync()));
  }

  assign(weights: readonly Float32Array[]): void {
    this.variables.forEach((v, i) => {
      tf.tidy(() => v.assign(tf.tensor(weights[i], v.shape)));
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
