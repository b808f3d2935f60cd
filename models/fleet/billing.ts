/**
 * EC2 per-second billing (Linux on-demand): from launch to termination, 60 seconds minimum.
 * The simulator bills 60 s for every minute an instance exists and adds the minimum's top-up in
 * the minute the instance is terminated, so per-minute billed seconds sum to the true bill
 * over any window.
 */

export const MIN_BILLED_SECONDS = 60;

/** Seconds billed for an instance that ran from `launchSeconds` to `terminateSeconds`. */
export function billedSeconds(launchSeconds: number, terminateSeconds: number): number {
  return Math.max(MIN_BILLED_SECONDS, terminateSeconds - launchSeconds);
}

/** Seconds to bill at termination on top of the time run, to reach the minimum. */
export function minimumTopUpSeconds(launchSeconds: number, terminateSeconds: number): number {
  return billedSeconds(launchSeconds, terminateSeconds) - (terminateSeconds - launchSeconds);
}

/** Cost of instance-seconds at an hourly price. */
export function costOf(instanceSeconds: number, pricePerInstanceHour: number): number {
  return (instanceSeconds / 3600) * pricePerInstanceHour;
}
