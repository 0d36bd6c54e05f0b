/**
 * Client-side rate limiter: one set of buckets for the whole app and one per advertiser and path.
 *
 * Each bucket is a token bucket whose tokens come back individually: a token spent at time t is
 * available again at exactly t + window. That makes the thresholds exact for any window TikTok may
 * count in (fixed or sliding): no window of `windowMs` ever holds more than `limit` requests.
 * A classic refilling bucket would let up to twice the limit through around a window edge.
 *
 * `reserve` books a slot and returns how long to wait before sending (0 = now). Deterministic: the
 * clock is injected and no timers are used.
 */

export interface WindowLimit {
  /** Requests allowed in any window of `windowMs`. */
  limit: number;
  windowMs: number;
  /**
   * How much of `windowMs` is a margin for the unknown moment TikTok counts a request (it arrives after it is sent).
   * An answer bounds that moment: `settle` then frees the slot `windowMs - marginMs` after the answer, if sooner.
   */
  marginMs?: number;
}

export interface RateLimiterOptions {
  /** Limits shared by every request of the app. Default: TikTok's Basic tier (10 QPS, 600 QPM). */
  app?: readonly WindowLimit[];
  /** Limits per advertiser and per path. Default: 10 QPS. */
  advertiserPerPath?: readonly WindowLimit[];
  clock?: () => number;
  /** Pause after a rate-limit answer: base doubles per consecutive penalty, up to cap. */
  penaltyBaseMs?: number;
  penaltyCapMs?: number;
}

export const BASIC_TIER: Required<Pick<RateLimiterOptions, 'app' | 'advertiserPerPath'>> = {
  app: [
    { limit: 10, windowMs: 1_000 },
    { limit: 600, windowMs: 60_000 },
  ],
  advertiserPerPath: [{ limit: 10, windowMs: 1_000 }],
};

/** TikTok's sandbox: 1 QPS and 30 QPM per endpoint, applied app-wide to stay on the safe side. */
export const SANDBOX_TIER: Required<Pick<RateLimiterOptions, 'app' | 'advertiserPerPath'>> = {
  app: [
    { limit: 1, windowMs: 1_000 },
    { limit: 30, windowMs: 60_000 },
  ],
  advertiserPerPath: [{ limit: 1, windowMs: 1_000 }],
};

/**
 * Per-second windows with a margin (200 ms by default): TikTok counts a request when it arrives, and ten requests
 * sent in the same millisecond arrive spread over up to ~150 ms (measured with the sandbox under a bulk stop), so a
 * burst booked exactly 1 s after the previous one has its first requests counted in the previous one's window and
 * TikTok refuses them (40100), which costs far more than the slots given up here. TikTok's answer bounds that moment,
 * so a request answered sooner frees its slot 1 s after the answer (the limiter's settle).
 */
export function withArrivalMargin(limits: readonly WindowLimit[], marginMs = 200): WindowLimit[] {
  return limits.map((l) => (l.windowMs <= 1_000 ? { ...l, windowMs: l.windowMs + marginMs, marginMs } : l));
}

export const DEFAULT_PENALTY_BASE_MS = 1_000;
export const DEFAULT_PENALTY_CAP_MS = 60_000;

/** Index of the first element of sorted `xs` for which `pred` is true (pred monotone). */
function partition(xs: readonly number[], pred: (x: number) => boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(xs[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Booking times of one limit, sorted; may hold future bookings. */
class WindowLog {
  private readonly times: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly marginMs = 0,
  ) {}

  get size(): number {
    return this.times.length;
  }

  /** Drops bookings that can no longer share a window with any time ≥ now. */
  prune(now: number): void {
    const keepFrom = partition(this.times, (x) => x > now - this.windowMs);
    if (keepFrom > 0) this.times.splice(0, keepFrom);
  }

  /**
   * The earliest time ≥ from at which one more booking keeps every window within the limit.
   * One forward pass: when the L bookings starting at k share a window with t, t must move to a
   * full window after the first of them; that clears every earlier group too, so k only grows.
   */
  earliest(from: number): number {
    const { limit: L, windowMs: W, times } = this;
    let t = from;
    for (let k = partition(times, (x) => x > t - W); k + L - 1 < times.length; k++) {
      const first = times[k] as number;
      if (first >= t + W) break;
      const last = times[k + L - 1] as number;
      if (Math.max(last, t) - Math.min(first, t) < W) t = first + W;
    }
    return t;
  }

  insert(t: number): void {
    this.times.splice(
      partition(this.times, (x) => x > t),
      0,
      t,
    );
  }

  /** The booking at `bookedAt` was answered at `answeredAt`: it was counted by then, so it frees no later. */
  settle(bookedAt: number, answeredAt: number): void {
    if (this.marginMs <= 0) return;
    const moved = answeredAt - this.marginMs;
    if (moved >= bookedAt) return;
    const at = partition(this.times, (x) => x >= bookedAt);
    if (this.times[at] !== bookedAt) return;
    this.times.splice(at, 1);
    this.insert(moved);
  }
}

class Bucket {
  readonly logs: WindowLog[];
  blockedUntil = Number.NEGATIVE_INFINITY;
  penaltyStreak = 0;

  constructor(limits: readonly WindowLimit[]) {
    this.logs = limits.map((l) => new WindowLog(l.limit, l.windowMs, l.marginMs));
  }

  isIdle(now: number): boolean {
    return this.blockedUntil <= now && this.logs.every((log) => log.size === 0);
  }
}

export type PenaltyKind = 'app' | 'advertiser';

function validateLimits(limits: readonly WindowLimit[], what: string): void {
  for (const { limit, windowMs, marginMs = 0 } of limits) {
    if (!Number.isInteger(limit) || limit < 1 || !(windowMs > 0)) {
      throw new RangeError(`${what}: every limit needs a whole limit ≥ 1 and a positive window`);
    }
    if (!(marginMs >= 0 && marginMs < windowMs)) {
      throw new RangeError(`${what}: a window's margin must be at least 0 and shorter than the window`);
    }
  }
}

export class RateLimiter {
  private readonly clock: () => number;
  private readonly appLimits: readonly WindowLimit[];
  private readonly advertiserLimits: readonly WindowLimit[];
  private readonly penaltyBaseMs: number;
  private readonly penaltyCapMs: number;
  private readonly app: Bucket;
  /** Penalties that cover every path of an advertiser (a 40133 without a known path). */
  private readonly advertisers = new Map<string, Bucket>();
  private readonly paths = new Map<string, Bucket>();
  private reservations = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.appLimits = options.app ?? BASIC_TIER.app;
    this.advertiserLimits = options.advertiserPerPath ?? BASIC_TIER.advertiserPerPath;
    validateLimits(this.appLimits, 'app');
    validateLimits(this.advertiserLimits, 'advertiserPerPath');
    this.penaltyBaseMs = options.penaltyBaseMs ?? DEFAULT_PENALTY_BASE_MS;
    this.penaltyCapMs = options.penaltyCapMs ?? DEFAULT_PENALTY_CAP_MS;
    this.app = new Bucket(this.appLimits);
  }

  private pathKey(advertiserId: string, path: string): string {
    return `${advertiserId}\u0000${path}`;
  }

  private bucketsFor(advertiserId: string | null, path: string, create: boolean): Bucket[] {
    const buckets = [this.app];
    if (advertiserId === null) return buckets;
    const adv = this.advertisers.get(advertiserId);
    if (adv) buckets.push(adv);
    const key = this.pathKey(advertiserId, path);
    let perPath = this.paths.get(key);
    if (!perPath && create) {
      perPath = new Bucket(this.advertiserLimits);
      this.paths.set(key, perPath);
    }
    if (perPath) buckets.push(perPath);
    return buckets;
  }

  private earliestFor(buckets: Bucket[], now: number): number {
    let t = now;
    for (const bucket of buckets) t = Math.max(t, bucket.blockedUntil);
    // Raise t until every log accepts it; each step only moves t forward, so this ends.
    for (let changed = true; changed; ) {
      changed = false;
      for (const bucket of buckets) {
        for (const log of bucket.logs) {
          log.prune(now);
          const next = log.earliest(t);
          if (next > t) {
            t = next;
            changed = true;
          }
        }
      }
    }
    return t;
  }

  /**
   * Books the next slot for a request to `path` (for `advertiserId`, or null for requests made for
   * no advertiser, such as user/info) and returns the wait in ms before sending it. The slot is
   * consumed: send after the wait without reserving again.
   */
  reserve(advertiserId: string | null, path: string, now: number = this.clock()): number {
    const buckets = this.bucketsFor(advertiserId, path, true);
    const t = this.earliestFor(buckets, now);
    for (const bucket of buckets) for (const log of bucket.logs) log.insert(t);
    if (++this.reservations % 256 === 0) this.sweep(now);
    return t - now;
  }

  /**
   * The request booked `reserve`'s wait after `bookedAt` (so at the booked time) was answered at `answeredAt`:
   * TikTok counted it no later than that, so windows with a margin free its slot from the answer on. Never later
   * than booked; a booking that is not found (swept) is left alone.
   */
  settle(advertiserId: string | null, path: string, bookedAt: number, answeredAt: number = this.clock()): void {
    for (const bucket of this.bucketsFor(advertiserId, path, false)) {
      for (const log of bucket.logs) log.settle(bookedAt, answeredAt);
    }
  }

  /** The wait `reserve` would return now, without booking anything. */
  peek(advertiserId: string | null, path: string, now: number = this.clock()): number {
    return this.earliestFor(this.bucketsFor(advertiserId, path, false), now) - now;
  }

  /**
   * After a rate-limit answer (40100/40016: `app`; 40133: `advertiser`), pauses that bucket. The pause
   * doubles with each penalty that follows the previous one within a minute of its end, from
   * `penaltyBaseMs` up to `penaltyCapMs`; `opts.ms` sets it explicitly (e.g. five minutes for QPM).
   * An advertiser penalty with `opts.path` pauses only that path. Returns the pause in ms.
   */
  penalize(
    kind: PenaltyKind,
    advertiserId: string | null,
    now: number = this.clock(),
    opts: { path?: string; ms?: number } = {},
  ): number {
    let bucket: Bucket;
    if (kind === 'app') bucket = this.app;
    else {
      if (advertiserId === null) throw new RangeError('an advertiser penalty needs an advertiser ID');
      if (opts.path !== undefined) {
        const key = this.pathKey(advertiserId, opts.path);
        bucket = this.paths.get(key) ?? new Bucket(this.advertiserLimits);
        this.paths.set(key, bucket);
      } else {
        bucket = this.advertisers.get(advertiserId) ?? new Bucket([]);
        this.advertisers.set(advertiserId, bucket);
      }
    }
    // Nothing is sent while a bucket is paused, so a refusal that arrives during the pause answers a request sent
    // before it: the same overrun, not a new one. It does not lengthen the pause.
    if (opts.ms === undefined && bucket.penaltyStreak > 0 && now < bucket.blockedUntil) {
      return bucket.blockedUntil - now;
    }
    const recent = bucket.penaltyStreak > 0 && now <= bucket.blockedUntil + 60_000;
    bucket.penaltyStreak = recent ? bucket.penaltyStreak + 1 : 1;
    const ms = opts.ms ?? Math.min(this.penaltyCapMs, this.penaltyBaseMs * 2 ** Math.min(bucket.penaltyStreak - 1, 30));
    bucket.blockedUntil = Math.max(bucket.blockedUntil, now + ms);
    return ms;
  }

  /** Forgets buckets that hold no bookings and no pause. */
  sweep(now: number = this.clock()): void {
    for (const [key, bucket] of this.paths) {
      for (const log of bucket.logs) log.prune(now);
      if (bucket.isIdle(now) && bucket.blockedUntil + 60_000 < now) this.paths.delete(key);
    }
    for (const [key, bucket] of this.advertisers) {
      if (bucket.blockedUntil + 60_000 < now) this.advertisers.delete(key);
    }
  }

  /** Number of per-advertiser buckets held (for tests and diagnostics). */
  get trackedBuckets(): number {
    return this.paths.size + this.advertisers.size;
  }
}

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  return new RateLimiter(options);
}
