/**
 * When the read-back happens: TikTok shows an accepted change only after a processing delay. The engine learns
 * that delay from the jobs it verified and aims the next jobs' reads just after it, instead of reading too early
 * and then waiting out a doubling backoff; a TikTok that becomes slower makes it forget and fall back.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { createApiClient } from '../../../lib/api/client';
import type { Job } from '../../../lib/jobs/types';
import type { RunningSandbox } from '../../../sandbox/server';
import { type ObjectState, states } from '../sandbox/harness';
import { driveUntil, emulator, freshDatabase, objectsFor, type Rig, rig } from './engine-harness';

let sb: RunningSandbox;
let adv: string;
let campaigns: ObjectState[];
let cursor = 0;
let r: Rig;

beforeAll(async () => {
  sb = await emulator(200);
  adv = sb.advertiserIds[0] as string;
  campaigns = (await states(sb, 'campaign', adv)).filter((c) => !c.deleted && c.operation_status === 'ENABLE');
});

afterAll(async () => {
  await sb?.close();
});

beforeEach(async () => {
  await freshDatabase();
  r = rig(sb);
});

afterEach(async () => {
  await r.engine.idle();
  expect(r.errors).toEqual([]);
});

function setProcessingDelay(ms: number): void {
  sb.state.setConfig({ ...sb.state.config, processingDelayMs: ms });
}

async function pauseOne(): Promise<{ job: Job; id: string }> {
  const id = campaigns[cursor++]?.id;
  if (!id) throw new Error('not enough campaigns in the emulator');
  const objects = await objectsFor(
    createApiClient({ baseUrl: sb.url, getToken: async () => sb.token }),
    adv,
    'campaign',
    [id],
  );
  const { jobIds } = await r.engine.enqueue({
    level: 'campaign',
    advertiserId: adv,
    action: 'DISABLE',
    actor: { kind: 'user' },
    objects,
  });
  const [job] = await driveUntil(r.engine, jobIds, ['confirmed', 'settled'], { timeoutMs: 20_000 });
  if (!job) throw new Error('no job');
  return { job, id };
}

async function pausedInTikTok(id: string): Promise<string | undefined> {
  return (await states(sb, 'campaign', adv)).find((c) => c.id === id)?.operation_status;
}

test('after one job has shown the delay, the next job is confirmed by its first read', async () => {
  setProcessingDelay(1_200);
  // Fixed schedule for the first: 0.5 s and 1 s (old status), then 2 s (shown).
  const first = await pauseOne();
  expect(first.job.verifyReads).toBe(3);
  expect(await pausedInTikTok(first.id)).toBe('DISABLE');

  // Learned: the first read of the next job comes after the delay and already sees the change.
  const second = await pauseOne();
  expect(second.job.verifyReads).toBe(1);
  expect(await pausedInTikTok(second.id)).toBe('DISABLE');
  const confirmedAfter = (second.job.confirmedAt ?? 0) - (second.job.sentAt ?? 0);
  expect(confirmedAfter).toBeGreaterThanOrEqual(1_200);
});

test('a TikTok that becomes slower than learned: the job is still confirmed, on the fixed schedule', async () => {
  setProcessingDelay(300);
  await pauseOne();
  const learnedFast = await pauseOne();
  expect(learnedFast.job.verifyReads).toBe(1);

  setProcessingDelay(2_500);
  const slow = await pauseOne();
  expect(slow.job.state === 'confirmed' || slow.job.state === 'settled').toBe(true);
  expect(slow.job.verifyReads).toBeGreaterThanOrEqual(2);
  expect(await pausedInTikTok(slow.id)).toBe('DISABLE');
  setProcessingDelay(200);
});

test('an answer that arrives late does not make the next read early: delays count from when the request left', async () => {
  setProcessingDelay(1_200);
  // The first job's answer reaches the engine 600 ms after TikTok took the change. Counted from the answer, TikTok
  // would seem to show changes after ~1 s, and the next job's first read would come at ~1.05 s: too early.
  const first = campaigns[cursor]?.id as string;
  sb.state.faults.add([{ path: 'campaign/status/update', ids: [first], kind: 'apply-then-hang', delayMs: 600 }]);
  try {
    const slowAnswer = await pauseOne();
    expect(slowAnswer.job.state === 'confirmed' || slowAnswer.job.state === 'settled').toBe(true);
  } finally {
    sb.state.faults.clear();
  }
  const next = await pauseOne();
  expect(next.job.verifyReads).toBe(1);
  expect(await pausedInTikTok(next.id)).toBe('DISABLE');
  setProcessingDelay(200);
});

test('a read that just missed raises the estimate: the job is read again shortly, the next job on its first read', async () => {
  setProcessingDelay(300);
  await pauseOne();
  const learned = await pauseOne();
  expect(learned.job.verifyReads).toBe(1);

  // A little slower than learned: the first read misses, by less than a backoff step.
  setProcessingDelay(650);
  const missed = await pauseOne();
  expect(missed.job.verifyReads).toBe(2);
  const gaps = (await r.engine.outbox.auditForJob(missed.job.id)).flatMap((a) => {
    const m = /next read in (\d+) ms/.exec(a.detail);
    return m ? [Number(m[1])] : [];
  });
  // The fixed schedule's step after a first read is 500 ms; the raised estimate reads again sooner.
  expect(gaps).toHaveLength(1);
  expect(gaps[0]).toBeLessThan(500);

  const next = await pauseOne();
  expect(next.job.verifyReads).toBe(1);
  expect(await pausedInTikTok(next.id)).toBe('DISABLE');
  setProcessingDelay(200);
});
