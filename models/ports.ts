import type { Checkpoint } from './forecast/types.ts';
import type { Decision, GroupState } from './policy/decide.ts';
import type { LoadKind } from './policy/loadUnits.ts';

/**
 * The three ports the scaler, the trainer and the prediction service talk through. Each has an
 * AWS implementation in `lambdas/adapters/` and a local one for the CLI; the core never sees
 * the SDK.
 */

export interface LoadWindow {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly stepSeconds: number;
}

/** Load history on a regular grid; missing datapoints are NaN (gaps), never zeros. */
export interface LoadSeries {
  readonly startSeconds: number;
  readonly stepSeconds: number;
  /** What the values are: sums per interval (request counts) or levels (total CPU); see policy/loadUnits.ts. */
  readonly kind: LoadKind;
  readonly values: Float64Array;
}

export interface MetricSource {
  /** The group's load over the window: one value per step, NaN where CloudWatch had no datapoint. */
  fetchLoad(group: string, window: LoadWindow): Promise<LoadSeries>;
}

/** What the scaler changed, or why it changed nothing. */
export interface AppliedCapacity {
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly changed: boolean;
}

export interface CapacityTarget {
  /** The group as it is now, with the minimum it was configured with before prescale managed it. */
  read(group: string): Promise<GroupState>;
  /** Apply a decision with the floor semantics (docs/architecture.md). */
  apply(group: string, decision: Decision): Promise<AppliedCapacity>;
  /** Give the group back its configured minimum (prescale switched off for it). */
  release(group: string): Promise<void>;
}

export interface StoredCheckpoint {
  readonly version: string;
  readonly checkpoint: Checkpoint;
}

export interface CheckpointStore {
  /** The promoted checkpoint of a group, or undefined when there is none. */
  loadPromoted(group: string): Promise<StoredCheckpoint | undefined>;
  /** Write a new version (not yet promoted) and return its id. */
  save(group: string, checkpoint: Checkpoint): Promise<string>;
  /** Point the group at a version; the pointer is written last, so readers never see half a checkpoint. */
  promote(group: string, version: string): Promise<void>;
  /** Versions of a group, oldest first. */
  list(group: string): Promise<string[]>;
}
