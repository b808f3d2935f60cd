import { createHash } from 'node:crypto';
import type { RegularSeries } from '../series/types.ts';
import { CheckpointFormatError, CorruptCheckpointError } from './errors.ts';
import { CHECKPOINT_FORMAT_VERSION, type Checkpoint, type CheckpointManifest, type TrainingWindow } from './types.ts';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Little-endian bytes of a float64 array (a copy). */
export function float64ToBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return new Uint8Array(out.buffer);
}

/** Little-endian bytes of a float32 array (a copy). */
export function float32ToBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return new Uint8Array(out.buffer);
}

export function bytesToFloat64(bytes: Uint8Array, what: string): Float64Array {
  if (bytes.byteLength % 8 !== 0) {
    throw new CorruptCheckpointError(`${what}: ${bytes.byteLength} bytes is not a whole number of float64 values`);
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}

export function bytesToFloat32(bytes: Uint8Array, what: string): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new CorruptCheckpointError(`${what}: ${bytes.byteLength} bytes is not a whole number of float32 values`);
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export function trainingWindowOf(series: RegularSeries): TrainingWindow {
  return {
    startSeconds: series.startSeconds,
    endSeconds: series.startSeconds + series.values.length * series.stepSeconds,
    stepSeconds: series.stepSeconds,
    points: series.values.length,
  };
}

/** Build a checkpoint, computing each blob's length and digest. */
export function makeCheckpoint(
  fields: Omit<CheckpointManifest, 'formatVersion' | 'blobs'>,
  blobs: Record<string, Uint8Array>,
): Checkpoint {
  const described: Record<string, { bytes: number; sha256: string }> = {};
  for (const [name, bytes] of Object.entries(blobs)) {
    described[name] = { bytes: bytes.byteLength, sha256: sha256Hex(bytes) };
  }
  return { manifest: { formatVersion: CHECKPOINT_FORMAT_VERSION, ...fields, blobs: described }, blobs };
}

/**
 * Check the format version, the kind, and every blob's presence, length and digest, so a
 * corrupt or foreign checkpoint fails loudly instead of forecasting wrong numbers.
 */
export function verifyCheckpoint(checkpoint: Checkpoint, expectedKind?: string): void {
  const { manifest } = checkpoint;
  if (manifest === null || typeof manifest !== 'object') {
    throw new CorruptCheckpointError('checkpoint manifest is not an object');
  }
  if (manifest.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointFormatError(
      `checkpoint format version ${JSON.stringify(manifest.formatVersion)} is not supported ` +
        `(this prescale reads version ${CHECKPOINT_FORMAT_VERSION})`,
    );
  }
  if (expectedKind !== undefined && manifest.kind !== expectedKind) {
    throw new CheckpointFormatError(`checkpoint holds a '${manifest.kind}' model, expected '${expectedKind}'`);
  }
  if (manifest.blobs === null || typeof manifest.blobs !== 'object' || typeof manifest.state !== 'object') {
    throw new CorruptCheckpointError(`checkpoint manifest of '${manifest.kind}' lacks 'blobs' or 'state'`);
  }
  for (const [name, want] of Object.entries(manifest.blobs)) {
    const bytes = checkpoint.blobs[name];
    if (bytes === undefined) throw new CorruptCheckpointError(`checkpoint blob '${name}' is missing`);
    if (bytes.byteLength !== want.bytes) {
      throw new CorruptCheckpointError(
        `checkpoint blob '${name}' has ${bytes.byteLength} bytes, manifest says ${want.bytes}`,
      );
    }
    if (sha256Hex(bytes) !== want.sha256) {
      throw new CorruptCheckpointError(`checkpoint blob '${name}' does not match its SHA-256 digest`);
    }
  }
}

/** The part of a composite checkpoint that belongs to one member (blob names un-prefixed). */
export function memberCheckpoint(checkpoint: Checkpoint, member: string): Checkpoint {
  const manifest = checkpoint.manifest.members?.[member];
  if (manifest === undefined) {
    throw new CorruptCheckpointError(`checkpoint of '${checkpoint.manifest.kind}' has no member '${member}'`);
  }
  const prefix = `${member}/`;
  const blobs: Record<string, Uint8Array> = {};
  for (const [name, bytes] of Object.entries(checkpoint.blobs)) {
    if (name.startsWith(prefix)) blobs[name.slice(prefix.length)] = bytes;
  }
  return { manifest, blobs };
}

/** Put member checkpoints under one parent: member blobs are prefixed `<member>/`. */
export function withMembers(parent: Checkpoint, members: Record<string, Checkpoint>): Checkpoint {
  const blobs: Record<string, Uint8Array> = { ...parent.blobs };
  const manifests: Record<string, CheckpointManifest> = {};
  for (const [member, cp] of Object.entries(members)) {
    manifests[member] = cp.manifest;
    for (const [name, bytes] of Object.entries(cp.blobs)) blobs[`${member}/${name}`] = bytes;
  }
  return { manifest: { ...parent.manifest, members: manifests }, blobs };
}
