/**
 * The job engine against the real emulator over HTTP: sending, batching, verification, spend,
 * de-duplication, undo, the token gate and the support report.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { JobConflictError } from '../../../lib/jobs/engine';
import { supportReport } from '../../../lib/jobs/support-report';
import type { RunningSandbox } from '../../../sandbox/server';
import { type ObjectState, states } from '../sandbox/harness';
import { driveUntil, emulator, freshDatabase, objectsFor, type Rig, rig, statusUpdates } from './engine-harness';

let sb: RunningSandbox;
let adv: string;
let campaigns: ObjectState[];
let cursor = 0;
let r: Rig;

/** Campaigns no other test of this file has touched. */
function take(n: number): string[] {
  const out = campaigns.slice(cursor, cursor + n).map((c) => c.id);
  cursor += n;
  if (out.length < n) throw new Error('not enough campaigns in the emulator');
  return out;
}

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
  sb.state.faults.clear();
  r = rig(sb);
});

afterEach(async () => {
  await r.engine.idle();
  expect(r.errors).toEqual([]);
});

describe('one pause', () => {
  test('sends exactly one status update, is confirmed by a read, then settles', async () => {
    const [id] = take(1) as [string];
    const objects = await objectsFor(r.client, adv, 'campaign', [id]);
    const { jobIds } = await r.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects: objects.map((o) => ({ ...o, spendAtClick: '12.50' })),
    });
    const [job] = await driveUntil(r.engine, jobIds, ['settled']);

    const updates = await statusUpdates(sb, 'campaign', id);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ ids: [id], status: 'DISABLE', code: 0 });
    expect(job?.confirmedAt).not.toBeNull();
    expect(job?.requestIds).toContain(updates[0]?.requestId);
    expect(job?.spend.atClick?.value).toBe(12.5);
    expect(job?.spend.atConfirm).not.toBeNull();
    expect(job?.spend.last?.value).toBe(job?.spend.atConfirm?.value);
    const [truth] = await states(sb, 'campaign', adv).then((all) => all.filter((c) => c.id === id));
    expect(truth?.operation_status).toBe('DISABLE');
  });

  test('the audit trail records every step with the request_id of each API answer', async () => {
    const [id] = take(1) as [string];
    const { jobIds } = await r.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'rule', id: 'cpa-high' },
      objects: await objectsFor(r.client, adv, 'campaign', [id]),
    });
    const [job] = await driveUntil(r.engine, jobIds, ['settled']);
    const audit = await r.engine.outbox.auditForJob(jobIds[0] as string);
    expect(audit.map((a) => a.to)).toEqual(
      expect.arrayContaining(['queued', 'sending', 'sent', 'verifying', 'confirmed', 'settled']),
    );
    expect(audit[0]).toMatchObject({
      event: 'created',
      advertiserId: adv,
      level: 'campaign',
      objectId: id,
      actor: 'rule',
    });
    const logged = new Set((await sb.requests()).map((q) => q.requestId));
    for (const rid of job?.requestIds ?? []) expect(logged.has(rid)).toBe(true);
    expect(audit.filter((a) => a.requestId).map((a) => a.requestId)).toEqual(
      expect.arrayContaining(job?.requestIds ?? []),
    );
    const text = JSON.stringify(audit) + JSON.stringify(job);
    expect(text).not.toContain(sb.token);
  });

  test('reports each change, and schedules the next run only while a job is open', async () => {
    const [id] = take(1) as [string];
    const { jobIds } = await r.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects: await objectsFor(r.client, adv, 'campaign', [id]),
    });
    await driveUntil(r.engine, jobIds, ['settled']);
    const seen = new Set(r.changes.flat().map((j) => j.state));
    // Created with its attempt started (one commit), so the first change reported is already `sending`.
    expect([...seen]).toEqual(expect.arrayContaining(['sending', 'verifying', 'confirmed', 'settled']));
    expect(r.changes[0]?.find((j) => j.id === jobIds[0])?.state).toBe('sending');
    const audit = await r.engine.outbox.auditForJob(jobIds[0] as string);
    expect(audit.slice(0, 2).map((a) => [a.event, a.to])).toEqual([
      ['created', 'queued'],
      ['send-started', 'sending'],
    ]);
    expect(r.scheduled.some((t) => typeof t === 'number')).toBe(true);
    expect(r.scheduled.at(-1)).toBeNull();
  });
});

describe('batching', () => {
  test('45 campaigns go out in exactly 3 status updates of 20, 20 and 5', async () => {
    const ids = take(45);
    const { jobIds } = await r.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'emergency' },
      objects: await objectsFor(r.client, adv, 'campaign', ids),
    });
    expect(jobIds).toHaveLength(45);
    await driveUntil(r.engine, jobIds, ['confirmed', 'settled'], { timeoutMs: 15_000 });
    const updates = (await statusUpdates(sb, 'campaign')).filter((u) => u.ids.some((x) => ids.includes(x)));
    expect(updates.map((u) => u.ids.length)).toEqual([20, 20, 5]);
    expect(new Set(updates.flatMap((u) => u.ids))).toEqual(new Set(ids));
  });
});

describe('de-duplication', () => {
  test('a second pause of the same campaign joins the open job', async () => {
    const [id] = take(1) as [string];
    const objects = await objectsFor(r.client, adv, 'campaign', [id]);
    const input = { level: 'campaign' as const, advertiserId: adv, action: 'DISABLE' as const, objects };
    const [a, b] = await Promise.all([
      r.engine.enqueue({ ...input, actor: { kind: 'user' } }),
      r.engine.enqueue({ ...input, actor: { kind: 'rule', id: 'r1' } }),
    ]);
    expect(b?.jobIds).toEqual(a?.jobIds);
    expect([...(a?.joined ?? []), ...(b?.joined ?? [])]).toHaveLength(1);
    await driveUntil(r.engine, a?.jobIds ?? [], ['settled']);
    expect(await r.engine.outbox.jobsForObjects(adv, 'campaign', [id]).then((m) => m.get(id)?.length)).toBe(1);
    expect(await statusUpdates(sb, 'campaign', id)).toHaveLength(1);
  });

  test('a resume of a campaign whose pause is still open is refused with a clear message', async () => {
    const [id] = take(1) as [string];
    const objects = await objectsFor(r.client, adv, 'campaign', [id]);
    const base = { level: 'campaign' as const, advertiserId: adv, actor: { kind: 'user' as const }, objects };
    await r.engine.enqueue({ ...base, action: 'DISABLE' });
    const refused = r.engine.enqueue({ ...base, action: 'ENABLE' });
    await expect(refused).rejects.toBeInstanceOf(JobConflictError);
    await expect(refused).rejects.toThrow(/still in progress/);
  });
});

describe('a batch with one deleted campaign', () => {
  test('the others are paused; the deleted one fails with TikTok’s code and message', async () => {
    const ids = take(4);
    const objects = await objectsFor(r.client, adv, 'campaign', ids);
    const bad = ids[2] as string;
    await fetch(`${sb.url}/__sandbox/objects/status`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ level: 'campaign', id: bad, operation_status: 'DELETE' }),
    });
    const { jobIds } = await r.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects,
    });
    const jobs = await driveUntil(r.engine, jobIds, ['confirmed', 'settled', 'failed']);
    const badJob = jobs.find((j) => j.objectId === bad);
    expect(badJob?.state).toBe('failed');
    expect(badJob?.lastError?.code).toBe(40002);
    expect(badJob?.lastError?.message).toContain(bad);
    for (const j of jobs.filter((x) => x.objectId !== bad)) expect(['confirmed', 'settled']).toContain(j.state);
    const updates = (await statusUpdates(sb, 'campaign')).filter((u) => u.ids.some((x) => ids.includes(x)));
    expect(updates.map((u) => u.code)).toEqual([40002, 0]);
    expect(updates[1]?.ids.sort()).toEqual(ids.filter((x) => x !== bad).sort());
  });
});

describe('undo', () => {
  test('resumes a confirmed pause with an ENABLE job and marks the pause undone', async () => {
    const [id] = take(1) as [string];
    const { jobIds } = await r.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'rule', id: 'r2' },
      objects: await objectsFor(r.client, adv, 'campaign', [id]),
    });
    const pauseId = jobIds[0] as string;
    await driveUntil(r.engine, [pauseId], ['confirmed', 'settled']);
    const { jobId } = await r.engine.undo(pauseId);
    const [resume] = await driveUntil(r.engine, [jobId], ['confirmed']);
    expect(resume).toMatchObject({ action: 'ENABLE', undoOf: pauseId, actor: { kind: 'user' } });
    expect(await r.engine.outbox.getJob(pauseId)).toMatchObject({ state: 'undone', undoJobId: jobId });
    expect((await statusUpdates(sb, 'campaign', id)).map((u) => u.status)).toEqual(['DISABLE', 'ENABLE']);
    expect(await r.engine.snapshot({ phase: 'open', objectIds: [id] })).toEqual([]);
  });
});

describe('no token', () => {
  test('jobs wait as blocked, send nothing, and continue when the token is back', async () => {
    const [id] = take(1) as [string];
    const objects = await objectsFor(r.client, adv, 'campaign', [id]);
    r.token.present = false;
    const { jobIds } = await r.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects,
    });
    await driveUntil(r.engine, jobIds, ['blocked']);
    expect(await statusUpdates(sb, 'campaign', id)).toHaveLength(0);
    r.token.present = true;
    await r.engine.runDue();
    expect((await r.engine.outbox.getJob(jobIds[0] as string))?.state).toBe('blocked');
    await r.engine.tokenAvailable();
    await driveUntil(r.engine, jobIds, ['confirmed', 'settled']);
    expect(await statusUpdates(sb, 'campaign', id)).toHaveLength(1);
  });

  test('an attempt started with its job is not sent when the token is gone by its round, and is read first', async () => {
    const [id] = take(1) as [string];
    const objects = await objectsFor(r.client, adv, 'campaign', [id]);
    // The token is there when the job is created (its attempt is committed with it), gone when the run comes.
    let asked = 0;
    r = rig(sb, { deps: { getClient: async () => (++asked === 1 || r.token.present ? r.client : null) } });
    r.token.present = false;
    const { jobIds } = await r.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects,
    });
    const jobId = jobIds[0] as string;
    await driveUntil(r.engine, jobIds, ['blocked']);
    expect(await statusUpdates(sb, 'campaign', id)).toHaveLength(0);
    expect((await r.engine.outbox.auditForJob(jobId)).map((a) => a.event)).toEqual(
      expect.arrayContaining(['created', 'send-started', 'send-interrupted', 'token-missing']),
    );
    const logged = (await sb.requests()).length;
    r.token.present = true;
    await r.engine.tokenAvailable();
    await driveUntil(r.engine, jobIds, ['confirmed', 'settled']);
    // Interrupted means unknown: a status read came before the one update.
    const updates = await statusUpdates(sb, 'campaign', id);
    expect(updates).toHaveLength(1);
    const since = (await sb.requests()).slice(logged).filter((q) => q.actor === null);
    const updateAt = since.findIndex((q) => q.path.endsWith('/campaign/status/update/'));
    const readAt = since.findIndex((q) => q.path.endsWith('/campaign/get/'));
    expect(updateAt).toBeGreaterThan(0);
    expect(readAt).toBeGreaterThanOrEqual(0);
    expect(readAt).toBeLessThan(updateAt);
  });
});

describe('support report', () => {
  test('names the object, the action and every request_id, and never the token', async () => {
    const [id] = take(1) as [string];
    sb.state.faults.add([{ path: 'campaign/status/update', kind: 'code', code: 40100, ids: [id] }]);
    const { jobIds } = await r.engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects: await objectsFor(r.client, adv, 'campaign', [id]),
    });
    const [job] = await driveUntil(r.engine, jobIds, ['settled']);
    if (!job) throw new Error('no job');
    const text = supportReport(job, await r.engine.outbox.auditForJob(job.id));
    const updates = await statusUpdates(sb, 'campaign', id);
    expect(updates.map((u) => u.code)).toEqual([40100, 0]);
    expect(text).toContain(`Advertiser ID: ${adv}`);
    expect(text).toContain(id);
    expect(text).toContain(job.objectName);
    expect(text).toContain('DISABLE');
    expect(text).toContain('40100');
    for (const u of updates) expect(text).toContain(u.requestId);
    for (const rid of job.requestIds) expect(text).toContain(rid);
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/);
    expect(text).not.toContain(sb.token);
  });
});
