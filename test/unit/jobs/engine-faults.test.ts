/**
 * The job engine against the emulator's faults: rate limits, server errors, hangs, lost answers,
 * refusals, a person acting meanwhile, and spend that does not stop.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FaultPlanInput } from '../../../sandbox/api/faults';
import type { RunningSandbox } from '../../../sandbox/server';
import { advance, control, type ObjectState, states } from '../sandbox/harness';
import { driveUntil, emulator, freshDatabase, objectsFor, type Rig, rig, statusUpdates } from './engine-harness';

let sb: RunningSandbox;
let adv: string;
let campaigns: ObjectState[];
const cursor = 0;
let r: Rig;

function take(predicate: (c: ObjectState) => boolean = () => true): string {
  const index = campaigns.findIndex((c, i) => i >= cursor && predicate(c));
  const found = campaigns[index];
  if (!found) throw new Error('no campaign left');
  campaigns.splice(index, 1);
  return found.id;
}

async function pause(id: string): Promise<string> {
  const { jobIds } = await r.engine.enqueue({
    level: 'campaign',
    advertiserId: adv,
    action: 'DISABLE',
    actor: { kind: 'user' },
    objects: await objectsFor(r.client, adv, 'campaign', [id]),
  });
  return jobIds[0] as string;
}

function fault(id: string, plan: Omit<FaultPlanInput, 'path' | 'ids'>): void {
  sb.state.faults.add([{ path: 'campaign/status/update', ids: [id], ...plan }]);
}

beforeAll(async () => {
  sb = await emulator(120);
  adv = sb.advertiserIds[0] as string;
  campaigns = (await states(sb, 'campaign', adv)).filter((c) => !c.deleted && c.operation_status === 'ENABLE');
});

afterAll(async () => {
  await sb?.close();
});

beforeEach(async () => {
  await freshDatabase();
  sb.state.faults.clear();
  r = rig(sb, { timeoutMs: 1_000 });
});

afterEach(async () => {
  await r.engine.idle();
  expect(r.errors).toEqual([]);
});

describe('transient failures are retried until the pause is confirmed', () => {
  test.each([
    { name: '40100 (app rate limit)', plan: { kind: 'code', code: 40100 }, codes: [40100, 0], via: 'retrying' },
    { name: '40133 (advertiser rate limit)', plan: { kind: 'code', code: 40133 }, codes: [40133, 0], via: 'retrying' },
    { name: '50002 (failed to process)', plan: { kind: 'code', code: 50002 }, codes: [50002, 0], via: 'unknown' },
    { name: 'a hang past the timeout', plan: { kind: 'hang' }, codes: [null, 0], via: 'unknown' },
  ] as const)('$name', async ({ plan, codes, via }) => {
    const id = take();
    fault(id, plan);
    const jobId = await pause(id);
    const [job] = await driveUntil(r.engine, [jobId], ['confirmed', 'settled']);
    expect((await statusUpdates(sb, 'campaign', id)).map((u) => u.code)).toEqual(codes);
    expect(job?.attempt).toBe(2);
    const audit = await r.engine.outbox.auditForJob(jobId);
    const path = audit.map((a) => a.to);
    expect(path).toContain(via);
    // A resend comes only after a read that showed the campaign unchanged.
    const secondStart = audit.findIndex(
      (a, i) => a.to === 'sending' && audit.slice(0, i).some((b) => b.to === 'sending'),
    );
    expect(audit.slice(0, secondStart).some((a) => a.event === 'status-read')).toBe(true);
  });
});

describe('a lost answer to an applied change', () => {
  test('apply-then-hang: the job goes unknown, reads the status and is confirmed without a resend', async () => {
    const id = take();
    fault(id, { kind: 'apply-then-hang' });
    const jobId = await pause(id);
    const [job] = await driveUntil(r.engine, [jobId], ['confirmed', 'settled']);
    expect(await statusUpdates(sb, 'campaign', id)).toHaveLength(1);
    expect(job?.attempt).toBe(1);
    const audit = await r.engine.outbox.auditForJob(jobId);
    const unknownAt = audit.findIndex((a) => a.to === 'unknown');
    expect(unknownAt).toBeGreaterThan(0);
    expect(audit[unknownAt + 1]).toMatchObject({ event: 'status-read', to: 'confirmed' });
  });
});

describe('refusals are final', () => {
  test.each([40001, 40105])('%i: failed after one request, with TikTok’s code', async (code) => {
    const id = take();
    fault(id, { kind: 'code', code });
    const jobId = await pause(id);
    const [job] = await driveUntil(r.engine, [jobId], ['failed']);
    // A few more runs send nothing more.
    for (let i = 0; i < 3; i++) await r.engine.runDue();
    expect(await statusUpdates(sb, 'campaign', id)).toHaveLength(1);
    expect(job?.lastError?.code).toBe(code);
    expect(job?.lastError?.message).toContain(String(code));
  });
});

describe('a person acts while the job waits to retry', () => {
  test('re-enabled in Ads Manager: the job is superseded and no DISABLE is sent after', async () => {
    const id = take();
    fault(id, { kind: 'code', code: 40100 });
    const jobId = await pause(id);
    await driveUntil(r.engine, [jobId], ['retrying']);
    // The person pauses and re-enables it a minute later (modify_time moves).
    await control(sb, 'POST', 'objects/status', { level: 'campaign', id, operation_status: 'DISABLE' });
    await advance(sb, 1);
    await control(sb, 'POST', 'objects/status', { level: 'campaign', id, operation_status: 'ENABLE' });
    const [job] = await driveUntil(r.engine, [jobId], ['superseded']);
    for (let i = 0; i < 3; i++) await r.engine.runDue();
    expect((await statusUpdates(sb, 'campaign', id)).map((u) => u.code)).toEqual([40100]);
    expect(job?.lastError?.kind).toBe('changed-elsewhere');
    const [truth] = (await states(sb, 'campaign', adv)).filter((c) => c.id === id);
    expect(truth?.operation_status).toBe('ENABLE');
  });
});

describe('spend that keeps rising after the pause', () => {
  test('keep-spending: confirmed off, then still-spending after the report window', async () => {
    const id = take((c) => c.spending);
    fault(id, { kind: 'keep-spending' });
    const jobId = await pause(id);
    const [job] = await driveUntil(r.engine, [jobId], ['still-spending', 'settled'], {
      between: () => advance(sb, 2),
    });
    expect(job?.state).toBe('still-spending');
    expect(job?.confirmedAt).not.toBeNull();
    expect(job?.spend.last?.value ?? 0).toBeGreaterThan(job?.spend.atWindow?.value ?? Number.POSITIVE_INFINITY);
  });
});
