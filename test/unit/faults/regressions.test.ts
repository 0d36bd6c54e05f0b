/**
 * What the chaos runs found, pinned down: each case failed on the engine as it was (the seed is named) and
 * passes on the fixed one.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { ApiFailure } from '../../../lib/api/errors';
import { createOutbox } from '../../../lib/jobs/outbox';
import { createJob, transition } from '../../../lib/jobs/state-machine';
import type { Job, JobPolicy } from '../../../lib/jobs/types';
import type { RunningSandbox } from '../../../sandbox/server';
import { driveUntil, emulator, freshDatabase, objectsFor, rig, statusUpdates } from '../jobs/engine-harness';
import { type ObjectState, states } from '../sandbox/harness';

const T0 = 1_700_000_000_000;
const POLICY: Partial<JobPolicy> = {
  random: () => 0.5,
  backoffBaseMs: 1_000,
  backoffCapMs: 60_000,
  reportLatencyWindowMs: 3_600_000,
  settleCheckGapMs: 600_000,
};
const OUTAGE: ApiFailure = { kind: 'http', retry: 'retryable', outcome: 'unknown', httpStatus: 503, message: 'm' };

function job(patch: Partial<Job>): Job {
  const { job: made } = createJob(
    {
      id: 'j',
      level: 'campaign',
      advertiserId: '7000000000000000001',
      objectId: '1800000000000000001',
      objectName: 'C',
      action: 'DISABLE',
      actor: { kind: 'user' },
      baseline: { operationStatus: 'ENABLE', modifyTime: null },
    },
    T0,
    POLICY,
  );
  return { ...made, ...patch };
}

describe('a 5xx outage on the status update (FAULT_SEED=51)', () => {
  test('the first unknown outcome is read at once; later ones wait longer and longer before the read and resend', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => {
      const result = transition(
        job({ state: 'sending', attempt, nextAt: null }),
        { type: 'send-error', failure: OUTAGE },
        T0,
        POLICY,
      );
      if (!result.ok) throw new Error(result.rejection.reason);
      expect(result.job.state).toBe('unknown');
      return (result.job.nextAt ?? 0) - T0;
    });
    expect(waits[0]).toBe(0);
    for (let i = 2; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1] ?? 0);
    expect(waits[7]).toBeGreaterThan(20 * (waits[1] ?? 0));
    expect(Math.max(...waits)).toBeLessThanOrEqual(60_000);
  });
});

describe('reports that keep failing after a confirmed pause (FAULT_SEED=4)', () => {
  const confirmed = (at: number) =>
    job({ state: 'confirmed', attempt: 1, confirmedAt: T0, settleAt: T0 + 3_600_000, deadline: null, nextAt: at });

  test('within the window the spend read is retried', () => {
    const result = transition(confirmed(T0 + 60_000), { type: 'read-error', failure: OUTAGE }, T0 + 60_000, POLICY);
    expect(result.ok && result.job.nextAt).toBeGreaterThan(T0 + 60_000);
  });

  test('long after the window the pause stops watching spend (it is no longer an open job)', () => {
    const late = T0 + 3_600_000 + 3 * 600_000;
    const result = transition(confirmed(late), { type: 'read-error', failure: OUTAGE }, late, POLICY);
    expect(result.ok && result.job).toMatchObject({ state: 'confirmed', nextAt: null });
    expect(result.ok && result.job.lastError?.httpStatus).toBe(503);
  });
});

describe('a token entered while no worker ran (FAULT_SEED=86, 195)', () => {
  let sb: RunningSandbox;
  let adv: string;
  let campaign: ObjectState;

  beforeAll(async () => {
    sb = await emulator(40);
    adv = sb.advertiserIds[0] as string;
    const all = await states(sb, 'campaign', adv);
    campaign = all.find((c) => !c.deleted && c.operation_status === 'ENABLE') as ObjectState;
  });
  afterAll(async () => {
    await sb?.close();
  });
  beforeEach(async () => {
    await freshDatabase();
  });

  test('the next start of the worker resumes the blocked job: one update, confirmed', async () => {
    const first = rig(sb);
    first.token.present = false;
    const { jobIds } = await first.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects: await objectsFor(first.client, adv, 'campaign', [campaign.id]),
    });
    const [blocked] = await driveUntil(first.engine, jobIds, ['blocked']);
    expect(blocked?.resumeState).toBe('queued');
    await first.engine.idle();

    // The token comes back while the worker is stopped; a new worker starts and recovers.
    const next = rig(sb);
    await next.engine.recover();
    const [job] = await driveUntil(next.engine, jobIds, ['confirmed', 'settled']);
    await next.engine.idle();
    expect(job?.state === 'confirmed' || job?.state === 'settled').toBe(true);
    expect((await statusUpdates(sb, 'campaign', campaign.id)).filter((u) => u.code === 0)).toHaveLength(1);
    const trail = await createOutbox().auditForJob(jobIds[0] as string);
    expect(trail.map((a) => a.event)).toContain('token-available');
  });
});
