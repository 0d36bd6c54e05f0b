import { describe, expect, test } from 'vitest';
import { BASIC_TIER, createRateLimiter, type RateLimiter, SANDBOX_TIER } from '../../../lib/jobs/limiter';

const A = '7000000000000000001';
const B = '7000000000000000002';
const GET = 'campaign/get/';
const UPDATE = 'campaign/status/update/';

function reserveMany(
  limiter: RateLimiter,
  n: number,
  advertiserId: string | null,
  path: string,
  now: number,
): number[] {
  return Array.from({ length: n }, () => limiter.reserve(advertiserId, path, now));
}

describe('defaults', () => {
  test('Basic tier: 10 QPS and 600 QPM per app, 10 QPS per advertiser and path', () => {
    expect(BASIC_TIER.app).toEqual([
      { limit: 10, windowMs: 1000 },
      { limit: 600, windowMs: 60000 },
    ]);
    expect(BASIC_TIER.advertiserPerPath).toEqual([{ limit: 10, windowMs: 1000 }]);
  });

  test('the injected clock is used when no time is given', () => {
    let t = 5000;
    const limiter = createRateLimiter({ clock: () => t });
    expect(reserveMany(limiter, 10, A, GET, t)).toEqual(Array(10).fill(0));
    expect(limiter.reserve(A, GET)).toBe(1000);
    t = 5500;
    expect(limiter.peek(A, GET)).toBe(500);
  });

  test.each([[{ app: [{ limit: 0, windowMs: 1000 }] }], [{ advertiserPerPath: [{ limit: 1, windowMs: 0 }] }]])(
    'invalid limits are refused: %j',
    (opts) => {
      expect(() => createRateLimiter(opts)).toThrow(RangeError);
    },
  );
});

describe('QPS threshold', () => {
  test('the 10th request in a second goes now, the 11th waits exactly until the window ends', () => {
    const limiter = createRateLimiter();
    expect(reserveMany(limiter, 10, A, GET, 0)).toEqual(Array(10).fill(0));
    expect(limiter.reserve(A, GET, 0)).toBe(1000);
  });

  test('bookings are consumed: the next 10 share the following second', () => {
    const limiter = createRateLimiter();
    const waits = reserveMany(limiter, 25, A, GET, 0);
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits.slice(10, 20)).toEqual(Array(10).fill(1000));
    expect(waits.slice(20)).toEqual(Array(5).fill(2000));
  });

  test('a request spaced exactly one window after the oldest goes now', () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 10; i++) expect(limiter.reserve(A, GET, i * 10)).toBe(0);
    expect(limiter.reserve(A, GET, 999)).toBe(1);
    const fresh = createRateLimiter();
    for (let i = 0; i < 10; i++) fresh.reserve(A, GET, i * 10);
    expect(fresh.reserve(A, GET, 1000)).toBe(0);
    expect(fresh.reserve(A, GET, 1000)).toBe(10);
  });

  test('peek reports the wait without booking', () => {
    const limiter = createRateLimiter();
    reserveMany(limiter, 10, A, GET, 0);
    expect(limiter.peek(A, GET, 0)).toBe(1000);
    expect(limiter.peek(A, GET, 0)).toBe(1000);
    expect(limiter.reserve(A, GET, 0)).toBe(1000);
  });

  test('the app limit is shared across advertisers and paths', () => {
    const limiter = createRateLimiter();
    reserveMany(limiter, 5, A, GET, 0);
    reserveMany(limiter, 3, B, UPDATE, 0);
    reserveMany(limiter, 2, null, 'user/info/', 0);
    expect(limiter.reserve(B, GET, 0)).toBe(1000);
  });

  test('the advertiser limit is per path', () => {
    const limiter = createRateLimiter({
      app: [{ limit: 100, windowMs: 1000 }],
      advertiserPerPath: [{ limit: 2, windowMs: 1000 }],
    });
    expect(reserveMany(limiter, 3, A, GET, 0)).toEqual([0, 0, 1000]);
    expect(limiter.reserve(A, UPDATE, 0)).toBe(0);
    expect(limiter.reserve(B, GET, 0)).toBe(0);
  });

  test("one advertiser's future bookings do not hold back another", () => {
    const limiter = createRateLimiter({
      app: [{ limit: 20, windowMs: 1000 }],
      advertiserPerPath: [{ limit: 1, windowMs: 1000 }],
    });
    expect(reserveMany(limiter, 3, A, GET, 0)).toEqual([0, 1000, 2000]);
    expect(limiter.reserve(B, GET, 0)).toBe(0);
  });

  test('sandbox tier: 1 QPS', () => {
    const limiter = createRateLimiter(SANDBOX_TIER);
    expect(reserveMany(limiter, 3, A, GET, 0)).toEqual([0, 1000, 2000]);
  });
});

describe('arrival margin and settle', () => {
  const margined = () =>
    createRateLimiter({
      app: [{ limit: 10, windowMs: 1200, marginMs: 200 }],
      advertiserPerPath: [{ limit: 10, windowMs: 1200, marginMs: 200 }],
    });

  test('unanswered, a burst frees its slots one window plus the margin later', () => {
    const limiter = margined();
    reserveMany(limiter, 10, A, UPDATE, 0);
    expect(limiter.peek(A, UPDATE, 0)).toBe(1200);
  });

  test('answered after 50 ms, the slots free 1 s after the answers', () => {
    const limiter = margined();
    reserveMany(limiter, 10, A, UPDATE, 0);
    for (let i = 0; i < 10; i++) limiter.settle(A, UPDATE, 0, 50 + i);
    expect(limiter.peek(A, UPDATE, 60)).toBe(1050 - 60);
    expect(reserveMany(limiter, 10, A, UPDATE, 1059)).toEqual(Array(10).fill(0));
    expect(limiter.peek(A, UPDATE, 1059)).toBeGreaterThan(0);
  });

  test('one slot is freed per answer, the rest wait the full margin', () => {
    const limiter = margined();
    reserveMany(limiter, 10, A, UPDATE, 0);
    limiter.settle(A, UPDATE, 0, 30);
    expect(limiter.reserve(A, UPDATE, 100)).toBe(1030 - 100);
    expect(limiter.reserve(A, UPDATE, 100)).toBe(1200 - 100);
  });

  test('an answer later than the margin changes nothing; an unknown booking is ignored', () => {
    const limiter = margined();
    reserveMany(limiter, 10, A, UPDATE, 0);
    limiter.settle(A, UPDATE, 0, 450);
    limiter.settle(A, UPDATE, 77, 80);
    limiter.settle(B, UPDATE, 0, 10);
    expect(limiter.peek(A, UPDATE, 0)).toBe(1200);
  });

  test('windows without a margin (per minute) keep the booked time', () => {
    const limiter = createRateLimiter({
      app: [
        { limit: 100, windowMs: 1200, marginMs: 200 },
        { limit: 10, windowMs: 60_000 },
      ],
      advertiserPerPath: [{ limit: 100, windowMs: 1200, marginMs: 200 }],
    });
    reserveMany(limiter, 10, A, UPDATE, 0);
    for (let i = 0; i < 10; i++) limiter.settle(A, UPDATE, 0, 5);
    expect(limiter.peek(A, UPDATE, 10)).toBe(60_000 - 10);
  });

  test('a margin as long as the window is refused', () => {
    expect(() => createRateLimiter({ app: [{ limit: 1, windowMs: 1000, marginMs: 1000 }] })).toThrow(RangeError);
  });
});

describe('QPM threshold', () => {
  test('with 20 QPS allowed, the 601st request in a minute waits until the first leaves the window', () => {
    const limiter = createRateLimiter({
      app: [
        { limit: 20, windowMs: 1000 },
        { limit: 600, windowMs: 60000 },
      ],
      advertiserPerPath: [{ limit: 1000, windowMs: 1000 }],
    });
    let waits: number[] = [];
    for (let s = 0; s < 30; s++) waits = waits.concat(reserveMany(limiter, 20, A, GET, s * 1000).map((w) => w));
    expect(waits.every((w) => w === 0)).toBe(true);
    expect(limiter.reserve(A, GET, 30000)).toBe(30000);
    expect(limiter.reserve(A, GET, 30000)).toBe(30000);
  });

  test('no window of 60 s ever holds more than 600 bookings', () => {
    const limiter = createRateLimiter({
      app: [
        { limit: 50, windowMs: 1000 },
        { limit: 600, windowMs: 60000 },
      ],
      advertiserPerPath: [{ limit: 1000, windowMs: 1000 }],
    });
    const times: number[] = [];
    for (let i = 0; i < 1500; i++) {
      const now = i * 37;
      times.push(now + limiter.reserve(A, GET, now));
    }
    times.sort((a, b) => a - b);
    for (let i = 0; i + 600 < times.length; i++) {
      expect((times[i + 600] as number) - (times[i] as number)).toBeGreaterThanOrEqual(60000);
    }
    for (let i = 0; i + 50 < times.length; i++) {
      expect((times[i + 50] as number) - (times[i] as number)).toBeGreaterThanOrEqual(1000);
    }
  });
});

describe('penalize', () => {
  test('an app penalty pauses every request for the backoff, doubling when repeated', () => {
    const limiter = createRateLimiter();
    expect(limiter.penalize('app', null, 0)).toBe(1000);
    expect(limiter.reserve(A, GET, 0)).toBe(1000);
    expect(limiter.reserve(B, UPDATE, 500)).toBe(500);
    expect(limiter.penalize('app', null, 1200)).toBe(2000);
    expect(limiter.peek(B, GET, 1200)).toBe(2000);
    expect(limiter.penalize('app', null, 3300)).toBe(4000);
  });

  test('the penalty streak resets after a quiet minute', () => {
    const limiter = createRateLimiter();
    limiter.penalize('app', null, 0);
    limiter.penalize('app', null, 1000);
    expect(limiter.penalize('app', null, 1000 + 2000 + 60001)).toBe(1000);
  });

  test('the penalty is capped', () => {
    const limiter = createRateLimiter({ penaltyCapMs: 5000 });
    let last = 0;
    let at = 0;
    for (let i = 0; i < 10; i++) {
      last = limiter.penalize('app', null, at);
      at += last;
    }
    expect(last).toBe(5000);
  });

  test('refusals that arrive during the pause answer the same burst and do not lengthen it', () => {
    const limiter = createRateLimiter();
    expect(limiter.penalize('app', null, 0)).toBe(1000);
    expect(limiter.penalize('app', null, 5)).toBe(995);
    expect(limiter.penalize('app', null, 9)).toBe(991);
    expect(limiter.peek(null, '/x', 999)).toBe(1);
    // The next overrun after the pause is a new one: it doubles.
    expect(limiter.penalize('app', null, 1500)).toBe(2000);
  });

  test('an advertiser penalty pauses only that advertiser', () => {
    const limiter = createRateLimiter();
    expect(limiter.penalize('advertiser', A, 0)).toBe(1000);
    expect(limiter.reserve(A, GET, 0)).toBe(1000);
    expect(limiter.reserve(A, UPDATE, 0)).toBe(1000);
    expect(limiter.reserve(B, GET, 0)).toBe(0);
  });

  test('an advertiser penalty with a path pauses only that path', () => {
    const limiter = createRateLimiter();
    limiter.penalize('advertiser', A, 0, { path: UPDATE });
    expect(limiter.reserve(A, UPDATE, 0)).toBe(1000);
    expect(limiter.reserve(A, GET, 0)).toBe(0);
  });

  test('an explicit pause (e.g. five minutes for QPM) is honoured', () => {
    const limiter = createRateLimiter();
    expect(limiter.penalize('app', null, 0, { ms: 300_000 })).toBe(300_000);
    expect(limiter.peek(A, GET, 100_000)).toBe(200_000);
  });

  test('an advertiser penalty needs an advertiser', () => {
    expect(() => createRateLimiter().penalize('advertiser', null, 0)).toThrow(RangeError);
  });
});

describe('housekeeping', () => {
  test('idle advertiser buckets are forgotten', () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 50; i++) limiter.reserve(String(1000 + i), GET, 0);
    expect(limiter.trackedBuckets).toBe(50);
    limiter.sweep(120_000);
    expect(limiter.trackedBuckets).toBe(0);
  });

  test('2,000 reservations at one instant are booked exactly, 10 per second', () => {
    const limiter = createRateLimiter();
    const waits: number[] = [];
    for (let i = 0; i < 2_000; i++) waits.push(limiter.reserve(String(i % 7), GET, 0));
    expect(waits[1_999]).toBe(199_000);
    expect(waits.filter((w) => w === 123_000)).toHaveLength(10);
  });
});
