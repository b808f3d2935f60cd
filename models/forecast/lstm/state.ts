import { bytesToFloat32, bytesToFloat64, float32ToBytes, float64ToBytes, makeCheckpoint } from '../checkpoint.ts';
import { CorruptCheckpointError } from '../errors.ts';
import type { Checkpoint, TrainingWindow } from '../types.ts';
import type { WindowLayout } from './features.ts';
import { paramCount, paramSpecs, type Topology } from './network.ts';

/** Everything a fitted LSTM forecaster holds besides its hyperparameters. */
export interface FittedLstm {
  readonly topology: Topology;
  readonly layout: WindowLayout;
  /** Values are divided by this before entering the net (robust spread of the training window). */
  readonly scale: number;
  readonly stepSeconds: number;
  /** Parameters in paramSpecs order: the source of truth, tensors are made from them on demand. */
  readonly weights: readonly Float32Array[];
  /** Sorted scaled validation residuals (actual - forecast), one sample per step 1..H. */
  readonly stepResiduals: readonly Float64Array[];
  /** Sorted scaled lag-one-day differences of the training window, for intervals beyond H. */
  readonly tailResiduals: Float64Array;
  /** The most recent history: what the next forecast starts from. */
  readonly context: Float64Array;
  readonly contextStartSeconds: number;
  readonly trainingWindow: TrainingWindow;
  readonly validation: Record<string, number>;
  /** The tfjs backend the weights were trained on (predictions are bit-identical only on it). */
  readonly backend: string;
}

export function encodeLstm(name: string, hyperparameters: Record<string, unknown>, f: FittedLstm): Checkpoint {
  const flat = new Float32Array(f.weights.reduce((n, w) => n + w.length, 0));
  let at = 0;
  for (const w of f.weights) {
    flat.set(w, at);
    at += w.length;
  }
  const residuals = new Float64Array(f.stepResiduals.length * (f.stepResiduals[0]?.length ?? 0));
  f.stepResiduals.forEach((r, h) => residuals.set(r, h * r.length));
  return makeCheckpoint(
    {
      kind: 'lstm',
      name,
      hyperparameters,
      trainingWindow: f.trainingWindow,
      validation: f.validation,
      state: {
        topology: { ...f.topology, params: paramSpecs(f.topology) },
        layout: f.layout,
        scaler: { kind: 'relative-to-last-value', scale: f.scale },
        stepSeconds: f.stepSeconds,
        contextStartSeconds: f.contextStartSeconds,
        residualSteps: f.stepResiduals.length,
        backend: f.backend,
      },
    },
    {
      weights: float32ToBytes(flat),
      context: float64ToBytes(f.context),
      stepResiduals: float64ToBytes(residuals),
      tailResiduals: float64ToBytes(f.tailResiduals),
    },
  );
}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new CorruptCheckpointError(`lstm checkpoint lacks ${what}`);
  return value;
}

function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CorruptCheckpointError(`lstm checkpoint ${what} must be a finite number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Rebuild the fitted state from a checkpoint already checked by verifyCheckpoint. */
export function decodeLstm(cp: Checkpoint): FittedLstm {
  const state = cp.manifest.state as Record<string, unknown>;
  const t = need(state.topology as (Topology & Record<string, unknown>) | undefined, 'state.topology');
  const topology: Topology = {
    cell: 'lstm',
    steps: finiteNumber(t.steps, 'topology.steps'),
    inputFeatures: finiteNumber(t.inputFeatures, 'topology.inputFeatures'),
    hiddenUnits: finiteNumber(t.hiddenUnits, 'topology.hiddenUnits'),
    auxInputs: finiteNumber(t.auxInputs, 'topology.auxInputs'),
    outputs: finiteNumber(t.outputs, 'topology.outputs'),
  };
  const l = need(state.layout as (WindowLayout & Record<string, unknown>) | undefined, 'state.layout');
  const layout: WindowLayout = {
    windowSteps: finiteNumber(l.windowSteps, 'layout.windowSteps'),
    patchSteps: finiteNumber(l.patchSteps, 'layout.patchSteps'),
    horizonSteps: finiteNumber(l.horizonSteps, 'layout.horizonSteps'),
    seasonSteps: finiteNumber(l.seasonSteps, 'layout.seasonSteps'),
    clip: finiteNumber(l.clip, 'layout.clip'),
    // Checkpoints from before the anchor option forecast from the last value.
    ...(l.anchorSteps === undefined ? {} : { anchorSteps: finiteNumber(l.anchorSteps, 'layout.anchorSteps') }),
  };
  const scaler = need(state.scaler as { scale?: unknown } | undefined, 'state.scaler');

  const flat = bytesToFloat32(need(cp.blobs.weights, "blob 'weights'"), 'lstm weights');
  const specs = paramSpecs(topology);
  const expected = specs.reduce((n, s) => n + paramCount(s), 0);
  if (flat.length !== expected) {
    throw new CorruptCheckpointError(`lstm weights hold ${flat.length} values, the topology needs ${expected}`);
  }
  let at = 0;
  const weights = specs.map((s) => {
    const w = flat.slice(at, at + paramCount(s));
    at += paramCount(s);
    return w;
  });

  const H = finiteNumber(state.residualSteps, 'state.residualSteps');
  const all = bytesToFloat64(need(cp.blobs.stepResiduals, "blob 'stepResiduals'"), 'lstm step residuals');
  if (H < 1 || all.length === 0 || all.length % H !== 0) {
    throw new CorruptCheckpointError(`lstm step residuals: ${all.length} values do not split into ${H} steps`);
  }
  const per = all.length / H;
  const stepResiduals = Array.from({ length: H }, (_, h) => all.slice(h * per, (h + 1) * per));
  const context = bytesToFloat64(need(cp.blobs.context, "blob 'context'"), 'lstm context');
  return {
    topology,
    layout,
    scale: finiteNumber(scaler.scale, 'scaler.scale'),
    stepSeconds: finiteNumber(state.stepSeconds, 'state.stepSeconds'),
    weights,
    stepResiduals,
    tailResiduals: bytesToFloat64(need(cp.blobs.tailResiduals, "blob 'tailResiduals'"), 'lstm tail residuals'),
    context,
    contextStartSeconds: finiteNumber(state.contextStartSeconds, 'state.contextStartSeconds'),
    trainingWindow: cp.manifest.trainingWindow,
    validation: cp.manifest.validation ?? {},
    backend: typeof state.backend === 'string' ? state.backend : 'unknown',
  };
}
