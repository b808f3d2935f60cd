import { windowMetrics } from '../../models/experiment/metrics.ts';
import type { SimulationResult } from '../../models/fleet/types.ts';

export interface TwinFigures {
  readonly instanceHours: number;
  readonly underProvisionedPct: number;
  readonly unservedPct: number;
}

/** The group after a tick's minute: what the scaler (and any policy in that minute) left. */
export interface TickState {
  readonly minSize: number;
  readonly desiredCapacity: number;
}

export interface TwinMismatch {
  readonly tick: string;
  readonly twin: TickState;
  readonly simulated: TickState;
}

/** The window compared: from the first tick to the end of the last one. */
export interface TickWindow {
  readonly firstTick: number;
  readonly endSeconds: number;
  readonly tickSeconds: number;
}

/** Ticks where the two runs' MinSize or desired capacity differ after the tick's minute. */
export function compareTicks(twin: SimulationResult, simulated: SimulationResult, w: TickWindow): TwinMismatch[] {
  const out: TwinMismatch[] = [];
  for (let t = w.firstTick; t < w.endSeconds; t += w.tickSeconds) {
    const m = (t - twin.startSeconds) / 60;
    const a = { minSize: twin.minSize[m], desiredCapacity: twin.desiredCapacity[m] };
    const b = { minSize: simulated.minSize[m], desiredCapacity: simulated.desiredCapacity[m] };
    if (a.minSize !== b.minSize || a.desiredCapacity !== b.desiredCapacity)
      out.push({ tick: new Date(t * 1000).toISOString(), twin: a, simulated: b });
  }
  return out;
}

/** Ticks where the floor (MinSize) changed. */
export function floorChanges(run: SimulationResult, w: TickWindow): number {
  let changes = 0;
  for (let t = w.firstTick + w.tickSeconds; t < w.endSeconds; t += w.tickSeconds) {
    const m = (t - run.startSeconds) / 60;
    if (run.minSize[m] !== run.minSize[m - w.tickSeconds / 60]) changes++;
  }
  return changes;
}

/** Instance-hours, under-provisioned minutes and unserved demand over the window, for both runs alike. */
export function windowFigures(run: SimulationResult, w: TickWindow, capacityPerInstance: number): TwinFigures {
  // To the end of the last tick: a coarse trace's last interval may run past it.
  const m = windowMetrics(run, {
    fromMinute: (w.firstTick - run.startSeconds) / 60,
    toMinute: (w.endSeconds - run.startSeconds) / 60,
    capacityPerInstance,
    pricePerInstanceHour: 0,
  });
  return { instanceHours: m.instanceHours, underProvisionedPct: m.underProvisionedPct, unservedPct: m.unservedPct };
}
