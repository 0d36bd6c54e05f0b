/**
 * The outbox in IndexedDB (fake-indexeddb): strict commit before any request, one transaction per
 * step with its audit row, the v1 → v2 upgrade, and typed storage errors.
 */
import { openDB } from 'idb';
import { beforeEach, describe, expect, test } from 'vitest';
import { createApiClient } from '../../../lib/api/client';
import { createJobEngine } from '../../../lib/jobs/engine';
import { createRateLimiter } from '../../../lib/jobs/limiter';
import { createOutbox, getJobsInSlices, OutboxWriteError } from '../../../lib/jobs/outbox';
import { createJob } from '../../../lib/jobs/state-machine';
import type { Job } from '../../../lib/jobs/types';
import {
  DB_NAME,
  DB_VERSION,
  openDatabase,
  type SafePauseDatabase,
  StorageUnavailableError,
} from '../../../lib/store/db';
import { freshDatabase } from './engine-harness';

const ADV = '7000000000000000001';

function newJob(
  id: string,
  objectId = '1800000000000000001',
  at = 1_000,
): { job: Job; audit: ReturnType<typeof createJob>['audit'] } {
  return createJob(
    {
      id,
      level: 'campaign',
      advertiserId: ADV,
      objectId,
      objectName: `Campaign ${objectId}`,
      action: 'DISABLE',
      actor: { kind: 'user' },
      baseline: { operationStatus: 'ENABLE', modifyTime: '2026-01-01 00:00:00' },
    },
    at,
  );
}

beforeEach(async () => {
  await freshDatabase();
});

describe('commit before send', () => {
  test('the job and its send-started row are stored (strictly) before fetch is called', async () => {
    const seen: { state: string | undefined; events: string[] }[] = [];
    const engine = createJobEngine({
      getClient: async () =>
        createApiClient({
          baseUrl: 'http://127.0.0.1:9',
          getToken: async () => 'test-token-123',
          fetch: async () => {
            const [job] = await engine.outbox.openJobs().then((all) => (all.length ? all : engine.outbox.snapshot()));
            const audit = job ? await engine.outbox.auditForJob(job.id) : [];
            seen.push({ state: job?.state, events: audit.map((a) => a.event) });
            return new Response(
              JSON.stringify({
                code: 0,
                message: 'OK',
                request_id: '2026',
                data: { campaign_ids: ['1800000000000000001'], status: 'DISABLE' },
              }),
            );
          },
        }),
      limiter: createRateLimiter(),
      now: Date.now,
      random: () => 0.5,
      schedule: () => {},
      onChange: () => {},
      locks: null,
    });
    const { jobIds } = await engine.enqueue({
      level: 'campaign',
      advertiserId: ADV,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects: [{ id: '1800000000000000001', name: 'A', baseline: { operationStatus: 'ENABLE', modifyTime: null } }],
    });
    await engine.idle();
    expect(seen[0]).toEqual({ state: 'sending', events: ['created', 'send-started'] });
    expect((await engine.outbox.getJob(jobIds[0] as string))?.state).not.toBe('queued');
  });

  test('a store that cannot be opened sends nothing and says why', async () => {
    let fetched = 0;
    const engine = createJobEngine({
      getClient: async () =>
        createApiClient({
          baseUrl: 'http://127.0.0.1:9',
          getToken: async () => 't',
          fetch: async () => {
            fetched += 1;
            return new Response('{}');
          },
        }),
      limiter: createRateLimiter(),
      now: Date.now,
      random: () => 0.5,
      schedule: () => {},
      onChange: () => {},
      locks: null,
      openDb: () => Promise.reject(new DOMException('Internal error opening backing store', 'UnknownError')),
    });
    const attempt = engine.enqueue({
      level: 'campaign',
      advertiserId: ADV,
      action: 'DISABLE',
      actor: { kind: 'user' },
      objects: [{ id: '1', name: 'A', baseline: { operationStatus: 'ENABLE', modifyTime: null } }],
    });
    await expect(attempt).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(attempt).rejects.toMatchObject({ userMessage: expect.stringContaining('will not send anything') });
    await engine.idle();
    expect(fetched).toBe(0);
  });
});

describe('one transaction per step', () => {
  test('applyEvent stores the new job and one audit row together', async () => {
    const outbox = createOutbox();
    await outbox.commitNewJobs([newJob('j1')], { now: 1_000 });
    const result = await outbox.applyEvent('j1', { type: 'send-started' }, 2_000);
    expect(result.ok).toBe(true);
    expect((await outbox.getJob('j1'))?.state).toBe('sending');
    const audit = await outbox.auditForJob('j1');
    expect(audit.map((a) => [a.event, a.to])).toEqual([
      ['created', 'queued'],
      ['send-started', 'sending'],
    ]);
    expect(audit[1]).toMatchObject({
      advertiserId: ADV,
      level: 'campaign',
      objectId: '1800000000000000001',
      actor: 'user',
    });
  });

  test('an illegal event changes nothing and adds no audit row', async () => {
    const outbox = createOutbox();
    await outbox.commitNewJobs([newJob('j1')], { now: 1_000 });
    const result = await outbox.applyEvent('j1', { type: 'send-ok', requestId: 'x' }, 2_000);
    expect(result.ok).toBe(false);
    expect((await outbox.getJob('j1'))?.state).toBe('queued');
    expect(await outbox.auditForJob('j1')).toHaveLength(1);
  });

  test('when the audit row cannot be written, the job change is rolled back and a typed error says why', async () => {
    const real = await openDatabase();
    const failingAudit = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'transaction') return Reflect.get(target, prop, receiver);
        return (...args: Parameters<SafePauseDatabase['transaction']>) => {
          const tx = target.transaction(...args);
          return new Proxy(tx, {
            get(t, p) {
              if (p !== 'objectStore') {
                const value = Reflect.get(t, p, t);
                return typeof value === 'function' ? value.bind(t) : value;
              }
              return (name: 'jobs' | 'audit') => {
                const store = t.objectStore(name);
                if (name !== 'audit') return store;
                return new Proxy(store, {
                  get(s, q, rr) {
                    if (q === 'add') {
                      return () => {
                        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
                      };
                    }
                    const value = Reflect.get(s, q, rr);
                    return typeof value === 'function' ? value.bind(s) : value;
                  },
                });
              };
            },
          });
        };
      },
    }) as SafePauseDatabase;
    await createOutbox().commitNewJobs([newJob('j1')], { now: 1_000 });
    const outbox = createOutbox({ open: async () => failingAudit });
    const attempt = outbox.applyEvent('j1', { type: 'send-started' }, 2_000);
    await expect(attempt).rejects.toBeInstanceOf(OutboxWriteError);
    await expect(attempt).rejects.toMatchObject({ userMessage: expect.stringContaining('storage is full') });
    const plain = createOutbox();
    expect((await plain.getJob('j1'))?.state).toBe('queued');
    expect(await plain.auditForJob('j1')).toHaveLength(1);
  });

  test('new jobs with a failing event are not stored at all', async () => {
    const outbox = createOutbox();
    const results = await outbox.commitNewJobs([newJob('j2')], {
      now: 1_000,
      events: [{ jobId: 'missing', event: { type: 'undo', undoJobId: 'j2' } }],
    });
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await outbox.getJob('j2')).toBeNull();
  });
});

/** The database, counting each add/put on the jobs store (the job records written, whatever the audit rows). */
async function countingJobWrites(): Promise<{ open: () => Promise<SafePauseDatabase>; writes: () => number }> {
  const db = await openDatabase();
  let writes = 0;
  const countStore = (store: object): object =>
    new Proxy(store, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === 'add' || prop === 'put') {
          return (...args: unknown[]) => {
            writes += 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const proxied = new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction') {
        return (...args: unknown[]) => {
          const tx = (target.transaction as (...a: unknown[]) => object).apply(target, args);
          return new Proxy(tx, {
            get(t, p) {
              const value = Reflect.get(t, p, t);
              if (p === 'objectStore') {
                return (name: string) => {
                  const store = (value as (n: string) => object).call(t, name);
                  return name === 'jobs' ? countStore(store) : store;
                };
              }
              return typeof value === 'function' ? value.bind(t) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { open: async () => proxied, writes: () => writes };
}

describe('one record write per job and transaction', () => {
  test('a job created with its first attempt is written once, with both steps in the audit', async () => {
    const counting = await countingJobWrites();
    const outbox = createOutbox({ open: counting.open });
    const [result] = await outbox.commitNewJobs([newJob('a', '11')], {
      now: 1_000,
      events: [{ jobId: 'a', event: { type: 'send-started' } }],
    });
    expect(result?.ok && result.job.state).toBe('sending');
    expect(counting.writes()).toBe(1);
    expect((await outbox.getJob('a'))?.state).toBe('sending');
    expect((await outbox.auditForJob('a')).map((a) => a.event)).toEqual(['created', 'send-started']);
  });

  test('two steps of one stored job in one transaction: one put, the last state stored, two audit rows', async () => {
    const outbox = createOutbox();
    await outbox.commitNewJobs([newJob('a', '11')], {
      now: 1_000,
      events: [{ jobId: 'a', event: { type: 'send-started' } }],
    });
    const counting = await countingJobWrites();
    const counted = createOutbox({ open: counting.open });
    const results = await counted.applyEvents(
      [
        { jobId: 'a', event: { type: 'send-ok', requestId: 'r1' } },
        { jobId: 'a', event: { type: 'verify-started' } },
      ],
      2_000,
    );
    expect(results.map((r) => r.ok && r.job.state)).toEqual(['sent', 'verifying']);
    expect(counting.writes()).toBe(1);
    expect((await outbox.getJob('a'))?.state).toBe('verifying');
    expect((await outbox.auditForJob('a')).map((a) => a.event)).toEqual([
      'created',
      'send-started',
      'send-ok',
      'verify-started',
    ]);
  });
});

describe('queries', () => {
  test('open jobs, the open job of an object, jobs per object and snapshots', async () => {
    const outbox = createOutbox();
    await outbox.commitNewJobs([newJob('a', '11', 1_000), newJob('b', '22', 1_100)], { now: 1_100 });
    await outbox.applyEvent('b', { type: 'send-started' }, 1_200);
    await outbox.applyEvent(
      'b',
      {
        type: 'send-error',
        failure: { kind: 'tiktok', retry: 'never', outcome: 'not-applied', message: 'no', code: 40001 },
      },
      1_300,
    );
    expect((await outbox.openJobs()).map((j) => j.id)).toEqual(['a']);
    expect((await outbox.openJobForObject(ADV, 'campaign', '11'))?.id).toBe('a');
    expect(await outbox.openJobForObject(ADV, 'campaign', '22')).toBeNull();
    const per = await outbox.jobsForObjects(ADV, 'campaign', ['11', '22', '33']);
    expect([...per.entries()].map(([k, v]) => [k, v.map((j) => j.id)])).toEqual([
      ['11', ['a']],
      ['22', ['b']],
      ['33', []],
    ]);
    expect((await outbox.snapshot()).map((j) => j.id)).toEqual(['b', 'a']);
    expect((await outbox.snapshot({ phase: 'done' })).map((j) => j.id)).toEqual(['b']);
    expect((await outbox.snapshot({ objectIds: ['11'] })).map((j) => j.id)).toEqual(['a']);
    expect((await outbox.snapshot({ limit: 1 })).map((j) => j.id)).toEqual(['b']);
  });
});

describe('schema upgrade', () => {
  test('v1 with a saved token opens as the current version with the token kept and the later stores added', async () => {
    const v1 = await openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('secrets', { keyPath: 'key' });
      },
    });
    await v1.put('secrets', { key: 'accessToken', value: 'kept-token', savedAt: 5 });
    v1.close();
    const db = await openDatabase();
    expect(db.version).toBe(DB_VERSION);
    expect(await db.get('secrets', 'accessToken')).toEqual({ key: 'accessToken', value: 'kept-token', savedAt: 5 });
    expect([...db.objectStoreNames].sort()).toEqual(['audit', 'jobs', 'secrets', 'stops']);
    const jobs = db.transaction('jobs').store;
    expect([...jobs.indexNames].sort()).toEqual(['by-advertiser', 'by-object', 'by-open', 'by-updated']);
    const audit = db.transaction('audit').store;
    expect([...audit.indexNames].sort()).toEqual(['by-advertiser', 'by-job', 'by-time']);
    expect(audit.autoIncrement).toBe(true);
  });

  test('v2 with jobs in flight opens as v3 with every job and audit row intact and the stops store added', async () => {
    const v2 = await openDB(DB_NAME, 2, {
      upgrade(db) {
        db.createObjectStore('secrets', { keyPath: 'key' });
        const jobs = db.createObjectStore('jobs', { keyPath: 'id' });
        jobs.createIndex('by-open', 'phase');
        jobs.createIndex('by-object', ['advertiserId', 'level', 'objectId']);
        jobs.createIndex('by-updated', 'updatedAt');
        jobs.createIndex('by-advertiser', 'advertiserId');
        const audit = db.createObjectStore('audit', { keyPath: 'seq', autoIncrement: true });
        audit.createIndex('by-job', 'jobId');
        audit.createIndex('by-time', 'at');
        audit.createIndex('by-advertiser', 'advertiserId');
      },
    });
    await v2.put('jobs', {
      id: 'j1',
      phase: 'open',
      advertiserId: '1',
      level: 'campaign',
      objectId: '11',
      updatedAt: 7,
    });
    await v2.add('audit', { jobId: 'j1', at: 7, advertiserId: '1', level: 'campaign', objectId: '11' });
    v2.close();
    const db = await openDatabase();
    expect(db.version).toBe(3);
    expect(await db.get('jobs', 'j1')).toMatchObject({ id: 'j1', phase: 'open', updatedAt: 7 });
    expect(await db.getAllFromIndex('audit', 'by-job', 'j1')).toHaveLength(1);
    expect([...db.transaction('stops').store.indexNames]).toEqual(['by-created']);
  });
});

describe('reads for pages', () => {
  test('updatedSince returns exactly the jobs stored at or after the time given', async () => {
    const outbox = createOutbox();
    await outbox.commitNewJobs([newJob('a', '1800000000000000001', 1_000)], { now: 1_000 });
    await outbox.commitNewJobs([newJob('b', '1800000000000000002', 2_000)], { now: 2_000 });
    await outbox.commitNewJobs([newJob('c', '1800000000000000003', 3_000)], { now: 3_000 });
    // A step of the oldest job moves its update time past the others.
    await outbox.applyEvent('a', { type: 'send-started' }, 4_000);

    expect((await outbox.updatedSince(2_000)).map((j) => j.id).sort()).toEqual(['a', 'b', 'c']);
    expect((await outbox.updatedSince(2_001)).map((j) => j.id).sort()).toEqual(['a', 'c']);
    const [a] = await outbox.updatedSince(3_500);
    expect(a).toMatchObject({ id: 'a', state: 'sending', updatedAt: 4_000 });
    expect(await outbox.updatedSince(4_001)).toEqual([]);
  });

  test('getJobsInSlices reads in short transactions of at most the slice, in the order asked', async () => {
    const outbox = createOutbox();
    const ids = Array.from({ length: 250 }, (_, i) => `job-${String(i).padStart(3, '0')}`);
    await outbox.commitNewJobs(
      ids.filter((_, i) => i % 50 !== 7).map((id, i) => newJob(id, String(1_800_000_000_000_000_000n + BigInt(i)))),
      { now: 1_000 },
    );
    const calls: number[] = [];
    const counting = {
      getJobs: (some: readonly string[]) => {
        calls.push(some.length);
        return outbox.getJobs(some);
      },
    };
    const read = await getJobsInSlices(counting, ids, 100);
    expect(calls).toEqual([100, 100, 50]);
    expect(read.map((j) => j?.id ?? null)).toEqual(ids.map((id, i) => (i % 50 === 7 ? null : id)));
  });
});
