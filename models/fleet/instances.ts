/**
 * The group's instances as cohorts (instances launched in the same minute), oldest first.
 * An instance boots for `bootSeconds` (billed, not serving), then serves; for its first
 * `warmupSeconds` of serving it is warming: it serves but is left out of the alarms' metrics.
 */
export interface Cohort {
  readonly launchedAtSeconds: number;
  count: number;
}

export interface FleetCounts {
  readonly total: number;
  readonly booting: number;
  readonly warming: number;
  readonly warm: number;
}

export class Instances {
  private readonly cohorts: Cohort[] = [];

  constructor(private readonly bootSeconds: number, private readonly warmupSeconds: number) {}

  get total(): number {
    let n = 0;
    for (const c of this.cohorts) n += c.count;
    return n;
  }

  launch(atSeconds: number, count: number): void {
    if (count <= 0) return;
    const last = this.cohorts[this.cohorts.length - 1];
    if (last !== undefined && last.launchedAtSeconds === atSeconds) last.count += count;
    else this.cohorts.push({ launchedAtSeconds: atSeconds, count });
  }

  /**
   * Terminate `count` instances, newest first: booting instances go before warming ones, and
   * warming before serving, so pending capacity is given up before serving capacity. (AWS's
   * default termination policy first balances Availability Zones and prefers old launch
   * templates; with one zone and one template this is the neutral choice.) Returns the number
   * of instances terminated in the minute they were launched, which still bill 60 s.
   */
  terminate(atSeconds: number, count: number): number {
    let left = count;
    let sameMinute = 0;
    while (left > 0 && this.cohorts.length > 0) {
      const newest = this.cohorts[this.cohorts.length - 1];
      const n = Math.min(left, newest.count);
      newest.count -= n;
      left -= n;
      if (newest.launchedAtSeconds === atSeconds) sameMinute += n;
      if (newest.count === 0) this.cohorts.pop();
    }
    return sameMinute;
  }

  counts(nowSeconds: number): FleetCounts {
    let booting = 0, warming = 0, warm = 0;
    for (const c of this.cohorts) {
      const age = nowSeconds - c.launchedAtSeconds;
      if (age < this.bootSeconds) booting += c.count;
      else if (age < this.bootSeconds + this.warmupSeconds) warming += c.count;
      else warm += c.count;
    }
    return { total: booting + warming + warm, booting, warming, warm };
  }
}
