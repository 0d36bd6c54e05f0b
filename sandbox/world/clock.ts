/**
 * Simulated clock: sim time = start + real elapsed x speed + manual advances. Changing the speed
 * re-anchors, so sim time never jumps.
 */
export class SimClock {
  private anchorReal: number;
  private anchorSim: number;
  private speedValue: number;

  constructor(
    readonly startMs: number,
    speed: number,
    private readonly realNow: () => number = Date.now,
  ) {
    this.anchorReal = realNow();
    this.anchorSim = startMs;
    this.speedValue = speed;
  }

  get speed(): number {
    return this.speedValue;
  }

  nowMs(): number {
    return this.anchorSim + (this.realNow() - this.anchorReal) * this.speedValue;
  }

  /** The last whole simulated minute that has begun. */
  nowMinute(): number {
    return Math.floor(this.nowMs() / 60_000);
  }

  setSpeed(speed: number): void {
    const now = this.nowMs();
    this.anchorReal = this.realNow();
    this.anchorSim = now;
    this.speedValue = speed;
  }

  advanceMinutes(minutes: number): void {
    this.anchorSim += minutes * 60_000;
  }
}
