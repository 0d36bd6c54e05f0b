import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesce } from '../../lib/coalesce';

describe('coalesce', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs once for a burst of triggers, then once more for triggers during the run', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const soon = coalesce(
      () =>
        new Promise<void>((resolve) => {
          runs += 1;
          release = resolve;
        }),
      100,
    );
    for (let i = 0; i < 50; i++) soon();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i++) soon();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1); // never two at once
    release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2); // nothing asked since
  });

  it('waits at least the gap, or twice what the last run took', async () => {
    const starts: number[] = [];
    const soon = coalesce(async () => {
      starts.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 400));
    }, 100);
    const t0 = Date.now();
    soon();
    await vi.advanceTimersByTimeAsync(500);
    soon();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(starts.map((t) => t - t0)).toEqual([0, 800]);
  });

  it('runs nothing after cancel, and a failing run does not stop later ones', async () => {
    let runs = 0;
    const soon = coalesce(() => {
      runs += 1;
      throw new Error('read failed');
    }, 10);
    soon();
    await vi.advanceTimersByTimeAsync(50);
    soon();
    await vi.advanceTimersByTimeAsync(50);
    expect(runs).toBe(2);
    soon.cancel();
    soon();
    await vi.advanceTimersByTimeAsync(50);
    expect(runs).toBe(2);
  });
});
