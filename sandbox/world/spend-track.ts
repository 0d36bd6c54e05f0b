/**
 * One ad's cumulative spend as a piecewise-linear function of the simulated minute, in integer minor
 * units. Any bucket (hour, day, lifetime) is a difference of two values of this function, so reports
 * at every granularity add up exactly.
 */
export class SpendTrack {
  private readonly starts: number[] = [];
  private readonly rates: number[] = [];
  private readonly bases: number[] = [];
  /** Minute up to which the function is known (exclusive end of the last segment). */
  private end = Number.NEGATIVE_INFINITY;

  get syncedTo(): number {
    return this.end;
  }

  /** Extends the function by `minutes` at `rate` minor units per minute, starting at `from`. */
  append(from: number, minutes: number, rate: number): void {
    if (minutes <= 0) return;
    const n = this.starts.length;
    if (n > 0 && from !== this.end) throw new Error(`spend track gap: ${from} != ${this.end}`);
    if (n > 0 && this.rates[n - 1] === rate) {
      this.end = from + minutes;
      return;
    }
    const base = n === 0 ? 0 : this.at(from);
    this.starts.push(from);
    this.rates.push(rate);
    this.bases.push(base);
    this.end = from + minutes;
  }

  /** Cumulative spend at the start of `minute` (clamped to the known range). */
  at(minute: number): number {
    const n = this.starts.length;
    const first = this.starts[0];
    if (n === 0 || first === undefined || minute <= first) return 0;
    const m = Math.min(minute, this.end);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= m) lo = mid;
      else hi = mid - 1;
    }
    return (this.bases[lo] ?? 0) + (this.rates[lo] ?? 0) * (m - (this.starts[lo] ?? 0));
  }
}
