/**
 * A one-line progress bar on a terminal (stderr), silent otherwise, so piped `--json` output
 * and CI logs stay clean.
 */
export class ProgressBar {
  private done = 0;
  private readonly startedMs = performance.now();
  private readonly enabled: boolean;

  constructor(
    private readonly total: number,
    private readonly label: string,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = stream.isTTY === true;
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  tick(detail = ''): void {
    this.done = Math.min(this.total, this.done + 1);
    if (!this.enabled) return;
    const width = 28;
    const filled = Math.round((this.done / Math.max(1, this.total)) * width);
    const elapsedS = (performance.now() - this.startedMs) / 1000;
    const etaS = this.done > 0 ? (elapsedS / this.done) * (this.total - this.done) : 0;
    const line =
      `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ` +
      `${formatSeconds(elapsedS)} elapsed, ~${formatSeconds(etaS)} left ${detail}`;
    this.stream.write(
      `\r${line.slice(0, (this.stream.columns ?? 120) - 1).padEnd(Math.min(line.length, (this.stream.columns ?? 120) - 1))}`,
    );
  }

  finish(): void {
    if (this.enabled) this.stream.write('\n');
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
