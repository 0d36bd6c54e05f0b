import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../lib/store/changes';

/** A read whose start is counted and whose end the test releases, one at a time. */
function gatedRead() {
  const releases: Array<(value: number) => void> = [];
  let started = 0;
  let inFlight = 0;
  let most = 0;
  const read = () =>
    new Promise<number>((resolve) => {
      started += 1;
      inFlight += 1;
      most = Math.max(most, inFlight);
      const n = started;
      releases.push(() => {
        inFlight -= 1;
        resolve(n);
      });
    });
  return {
    read,
    started: () => started,
    most: () => most,
    release: async () => {
      releases.shift()?.(0);
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('singleFlight', () => {
  it('answers calls made during a read with one follow-up read that starts after it, never two at once', async () => {
    const gate = gatedRead();
    const once = singleFlight(gate.read);
    const first = once();
    const during = [once(), once(), once()];
    expect(gate.started()).toBe(1);
    await gate.release();
    expect(await first).toBe(1);
    expect(gate.started()).toBe(2); // the follow-up began only once the first ended
    await gate.release();
    expect(await Promise.all(during)).toEqual([2, 2, 2]);
    expect(gate.started()).toBe(2);
    expect(gate.most()).toBe(1);
  });

  it('starts afresh once idle, and a failed read does not block the next', async () => {
    let calls = 0;
    const once = singleFlight(async () => {
      calls += 1;
      if (calls === 1) throw new Error('disk busy');
      return calls;
    });
    const failing = once();
    const after = once();
    await expect(failing).rejects.toThrow('disk busy');
    expect(await after).toBe(2);
    expect(await once()).toBe(3);
  });
});
