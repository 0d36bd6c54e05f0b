/**
 * A worker killed mid-request (recovery reads before any resend), and the search for the ID that
 * makes a whole batch fail when TikTok's message does not name it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { ApiClient } from '../../../lib/api/client';
import { TikTokApiError } from '../../../lib/api/errors';
import { createOutbox } from '../../../lib/jobs/outbox';
import { createJob } from '../../../lib/jobs/state-machine';
import type { RunningSandbox } from '../../../sandbox/server';
import { type ObjectState, states } from '../sandbox/harness';
import { driveUntil, emulator, freshDatabase, objectsFor, type Rig, rig, statusUpdates } from './engine-harness';

describe('recovery of a job left in sending', () => {
  let sb: RunningSandbox;
  let adv: string;
  let campaigns: ObjectState[];
  let r: Rig;

  beforeAll(async () => {
    sb = await emulator();
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
  });

  /** What a killed worker leaves behind: the attempt on record, then (maybe) the request, then nothing. */
  async function killedMidRequest(id: string, requestLeft: boolean): Promise<string> {
    const [object] = await objectsFor(r.client, adv, 'campaign', [id]);
    if (!object) throw new Error('no object');
    const outbox = createOutbox();
    const t0 = Date.now();
    const made = createJob(
      {
        id: `killed-${id}`,
        level: 'campaign',
        advertiserId: adv,
        objectId: id,
        objectName: object.name,
        action: 'DISABLE',
        actor: { kind: 'user' },
        baseline: object.baseline,
      },
      t0,
    );
    await outbox.commitNewJobs([made], { now: t0 });
    const started = await outbox.applyEvent(made.job.id, { type: 'send-started' }, t0);
    expect(started.ok).toBe(true);
    if (requestLeft) await r.client.updateStatus('campaign', adv, [id], 'DISABLE');
    return made.job.id;
  }

  test.each([
    { requestLeft: true, updates: 1, name: 'the request reached TikTok: confirmed by a read, nothing resent' },
    { requestLeft: false, updates: 1, name: 'the request never left: read unchanged, then sent once' },
  ])('$name', async ({ requestLeft, updates }) => {
    const id = campaigns.pop()?.id as string;
    const jobId = await killedMidRequest(id, requestLeft);
    // A new worker over the same database.
    const next = rig(sb);
    r = next;
    await next.engine.recover();
    const [job] = await driveUntil(next.engine, [jobId], ['confirmed', 'settled']);
    const audit = await next.engine.outbox.auditForJob(jobId);
    const interrupted = audit.findIndex((a) => a.event === 'send-interrupted');
    expect(audit[interrupted]?.to).toBe('unknown');
    expect(audit[interrupted + 1]?.event).toBe('status-read');
    expect(await statusUpdates(sb, 'campaign', id)).toHaveLength(updates);
    expect(job?.attempt).toBe(requestLeft ? 1 : 2);
  });
});

describe('a batch refused as a whole without naming the bad ID', () => {
  const adv = '7000000000000000001';
  const ids = Array.from({ length: 8 }, (_, i) => String(1_000_000 + i));
  const bad = ids[5] as string;

  /** A client whose status update refuses any batch holding `bad`, with a message naming nothing. */
  function fakeClient(): { client: ApiClient; calls: string[][] } {
    const status = new Map(ids.map((id) => [id, 'ENABLE']));
    const calls: string[][] = [];
    let seq = 0;
    const client = {
      baseUrl: 'http://127.0.0.1/open_api/v1.3/',
      async updateStatus(_level: string, _adv: string, batch: readonly string[], action: string) {
        calls.push([...batch]);
        seq += 1;
        if (batch.includes(bad)) {
          throw new TikTokApiError({
            code: 40002,
            message: 'Invalid parameter.',
            requestId: `r${seq}`,
            endpoint: 'campaign/status/update/',
            write: true,
          });
        }
        for (const id of batch) status.set(id, action);
        return { data: { ids: [...batch], status: action, objects: [], errors: [] }, requestId: `r${seq}` };
      },
      async getObjects(_level: string, _adv: string, opts: { ids?: readonly string[] } = {}) {
        seq += 1;
        const list = (opts.ids ?? []).map((id) => ({
          level: 'campaign',
          id,
          name: `C${id}`,
          advertiserId: adv,
          campaignId: id,
          adgroupId: null,
          operationStatus: status.get(id) ?? 'ENABLE',
          secondaryStatus: null,
          budget: null,
          budgetMode: null,
          createTime: null,
          modifyTime: '2026-01-01 00:00:00',
          unrecognized: [],
        }));
        return {
          data: { list, pageInfo: { page: 1, page_size: 100, total_number: list.length, total_page: 1 } },
          requestId: `r${seq}`,
        };
      },
      async report() {
        seq += 1;
        return {
          data: {
            list: [],
            pageInfo: { page: 1, page_size: 1000, total_number: 0, total_page: 1 },
            totalMetrics: null,
          },
          requestId: `r${seq}`,
        };
      },
    } as unknown as ApiClient;
    return { client, calls };
  }

  beforeEach(async () => {
    await freshDatabase();
  });

  test('halves are sent apart until only the bad ID fails; every other ID is paused', async () => {
    const { client, calls } = fakeClient();
    const sbStub = { url: 'http://127.0.0.1:1', token: 'unused' } as RunningSandbox;
    const { engine } = rig(sbStub, { client });
    const { jobIds } = await engine.enqueue({
      level: 'campaign',
      advertiserId: adv,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects: ids.map((id) => ({
        id,
        name: `C${id}`,
        baseline: { operationStatus: 'ENABLE', modifyTime: '2026-01-01 00:00:00' },
      })),
    });
    const jobs = await driveUntil(engine, jobIds, ['confirmed', 'settled', 'failed']);
    await engine.idle();
    const failed = jobs.filter((j) => j.state === 'failed');
    expect(failed.map((j) => j.objectId)).toEqual([bad]);
    expect(failed[0]?.lastError?.code).toBe(40002);
    expect(calls[0]).toHaveLength(8);
    // Every good ID went out in a batch that succeeded; the bad one was finally sent alone.
    expect(calls.at(-1)?.length ?? 0).toBeGreaterThan(0);
    expect(calls.filter((c) => c.includes(bad)).at(-1)).toEqual([bad]);
    expect(Math.max(...calls.map((c) => c.length))).toBeLessThanOrEqual(8);
  });
});
