import { describe, expect, test } from 'vitest';
import {
  backoffDelay,
  msUntilUtcMidnight,
  nextVerifyDelay,
  QPM_FLOOR_MS,
  QPS_FLOOR_MS,
  rateLimitFloor,
  retryDelay,
} from '../../../lib/jobs/backoff';

const fixed = (r: number) => () => r;

describe('backoffDelay', () => {
  test.each([
    // attempt, random, expected (base 1000, cap 60000)
    [1, 0, 1000],
    [1, 0.999999, 1000],
    [2, 0, 1000],
    [2, 0.999999, 2000],
    [3, 0, 2000],
    [3, 0.5, 3000],
    [4, 0.999999, 8000],
    [7, 0.999999, 60000],
    [7, 0, 30000],
    [50, 0, 30000],
    [5000, 0.999999, 60000],
  ])('attempt %i with random %f → %i ms', (attempt, r, expected) => {
    expect(backoffDelay(attempt, { base: 1000, cap: 60000, random: fixed(r) })).toBe(expected);
  });

  test('every delay is within [max(base, 50 % of the ceiling), ceiling]', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const ceiling = Math.min(60000, 1000 * 2 ** (attempt - 1));
      for (const r of [0, 0.1, 0.37, 0.5, 0.81, 0.999]) {
        const d = backoffDelay(attempt, { base: 1000, cap: 60000, random: fixed(r) });
        expect(d).toBeGreaterThanOrEqual(Math.max(1000, ceiling / 2));
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  test.each([[0], [-3], [Number.NaN]])('attempt %f counts as the first', (attempt) => {
    expect(backoffDelay(attempt, { base: 500, random: fixed(0.999999) })).toBe(500);
  });

  test('a random source outside [0,1) is clamped', () => {
    expect(backoffDelay(3, { base: 1000, random: fixed(7) })).toBe(4000);
    expect(backoffDelay(3, { base: 1000, random: fixed(-7) })).toBe(2000);
  });

  test('a cap below base yields base', () => {
    expect(backoffDelay(9, { base: 1000, cap: 10, random: fixed(0.5) })).toBe(1000);
  });
});

describe('rate-limit floors', () => {
  const now = Date.UTC(2025, 0, 1, 23, 0, 0);

  test.each([
    [{}, 0],
    [{ rateLimit: 'app' as const }, QPS_FLOOR_MS],
    [{ rateLimit: 'advertiser' as const, rateLimitWindow: 'second' as const }, QPS_FLOOR_MS],
    [{ rateLimit: 'app' as const, rateLimitWindow: 'minute' as const }, QPM_FLOOR_MS],
    [{ rateLimit: 'app' as const, rateLimitWindow: 'day' as const }, 3_600_000 + QPS_FLOOR_MS],
  ])('%j → floor %i ms', (cause, floor) => {
    expect(rateLimitFloor(cause, now)).toBe(floor);
  });

  test('QPM floor is five minutes', () => {
    expect(QPM_FLOOR_MS).toBe(300_000);
  });

  test('retryDelay never goes below the floor and keeps growing above it', () => {
    const opts = { base: 200, cap: 60000, random: fixed(0) };
    expect(retryDelay(1, { rateLimit: 'app' }, now, opts)).toBe(1000);
    expect(retryDelay(1, {}, now, opts)).toBe(200);
    expect(retryDelay(9, { rateLimit: 'app' }, now, opts)).toBe(25600);
    expect(retryDelay(1, { rateLimit: 'advertiser', rateLimitWindow: 'minute' }, now, opts)).toBe(300_000);
  });

  test('msUntilUtcMidnight', () => {
    expect(msUntilUtcMidnight(Date.UTC(2025, 11, 31, 23, 59, 59))).toBe(1000);
    expect(msUntilUtcMidnight(Date.UTC(2025, 0, 1))).toBe(86_400_000);
  });
});

describe('nextVerifyDelay', () => {
  test.each([
    [0, 500],
    [1, 500],
    [2, 1000],
    [3, 2000],
    [4, 4000],
    [5, 8000],
    [6, 16000],
    [7, 30000],
    [1000, 30000],
    [-1, 500],
  ])('after %i reads → %i ms', (reads, delay) => {
    expect(nextVerifyDelay(reads)).toBe(delay);
  });
});
