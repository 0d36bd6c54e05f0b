/**
 * Delays: capped exponential backoff with jitter for retries, rate-limit floors, and the adaptive
 * schedule of verification reads. Pure: randomness and time are passed in.
 */

export interface BackoffOptions {
  /** First delay and the floor of every delay (ms). */
  base?: number;
  /** Largest delay before jitter (ms). */
  cap?: number;
  /** A number in [0, 1); defaults to Math.random. */
  random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 1_000;
export const DEFAULT_BACKOFF_CAP_MS = 60_000;

/**
 * `min(base · 2^(attempt−1), cap)`, then randomised to 50–100 % of that, never below `base`.
 * `attempt` is the number of the attempt that just failed, from 1.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.base ?? DEFAULT_BACKOFF_BASE_MS;
  const cap = Math.max(base, opts.cap ?? DEFAULT_BACKOFF_CAP_MS);
  const n = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  // Bound the exponent so huge attempt counts cannot overflow to Infinity before the cap applies.
  const ceiling = Math.min(cap, base * 2 ** Math.min(n - 1, 52));
  const r = Math.min(1, Math.max(0, (opts.random ?? Math.random)()));
  return Math.round(Math.max(base, ceiling * (0.5 + 0.5 * r)));
}

/** What a retry delay depends on, beyond the attempt number. */
export interface RetryCause {
  rateLimit?: 'app' | 'advertiser' | undefined;
  rateLimitWindow?: 'second' | 'minute' | 'day' | undefined;
}

/** Over QPS: retry in the next second. */
export const QPS_FLOOR_MS = 1_000;
/** Over QPM: TikTok says to stop for five minutes. */
export const QPM_FLOOR_MS = 300_000;

/** Milliseconds from `now` to the next 00:00 UTC (when a daily quota resets). */
export function msUntilUtcMidnight(now: number): number {
  const d = new Date(now);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  return next - now;
}

/** The smallest delay a rate-limit answer allows, or 0 when the failure is not a rate limit. */
export function rateLimitFloor(cause: RetryCause, now: number): number {
  if (!cause.rateLimit) return 0;
  switch (cause.rateLimitWindow) {
    case 'day':
      return msUntilUtcMidnight(now) + QPS_FLOOR_MS;
    case 'minute':
      return QPM_FLOOR_MS;
    default:
      return QPS_FLOOR_MS;
  }
}

/** The delay before retrying after `cause` made attempt `attempt` fail. */
export function retryDelay(attempt: number, cause: RetryCause, now: number, opts: BackoffOptions = {}): number {
  return Math.max(backoffDelay(attempt, opts), rateLimitFloor(cause, now));
}

export const VERIFY_FIRST_DELAY_MS = 500;
/** Two status reads of one job while verifying are never closer than this, whatever the expected showing time. */
export const VERIFY_MIN_GAP_MS = 250;
export const VERIFY_MAX_DELAY_MS = 30_000;

/**
 * Delay before the next status read when `readCount` reads have been made since the change was
 * sent: 0.5 s, 0.5 s, 1 s, 2 s, 4 s, 8 s, 16 s, then every 30 s. The second read comes as soon as
 * the first: TikTok usually shows a change within a second or two, and a read at 1 s instead of
 * 1.5 s is what the user waits for.
 */
export function nextVerifyDelay(readCount: number): number {
  const n = Number.isFinite(readCount) ? Math.max(0, Math.floor(readCount)) : 0;
  return Math.min(VERIFY_MAX_DELAY_MS, VERIFY_FIRST_DELAY_MS * 2 ** Math.min(Math.max(0, n - 1), 30));
}
