/**
 * How a bulk pause goes out: each batch's request leaves at its rate-limiter slot without waiting for the previous
 * batch's answer, only after its own attempt is committed, never closer together than the limiter allows, and with
 * a bounded number of unanswered requests.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type ApiClient, createApiClient } from '../../../lib/api/client';
import { createRateLimiter, withArrivalMargin } from '../../../lib/jobs/limiter';
import { openDatabase, type SafePauseDatabase } from '../../../lib/store/db';
import type { RunningSandbox } from '../../../sandbox/server';
import { type ObjectState, sleep, states } from '../sandbox/harness';
import { driveUntil, emulator, freshDatabase, objectsFor, type Rig, rig, statusUpdates } from './engine-harness';

let sb: RunningSandbox;
let adv: string;
let campaigns: ObjectState[];
let cursor = 0;
let r: Rig;
/** What happened, in order: each enqueue, each status update leaving, each read of every open job, each job write. */
const log: Array<'enqueue' | 'send' | 'open-read' | 'run' | 'report' | 'write'> = [];
/** How long the emulator's report answers are held back (slow spend snapshots). */
let reportDelayMs = 0;

/** Work to start when the next spend report is asked for, while it is under way. */
let duringReport: (() => void) | null = null;

/** Work to finish while the next read of every open job is under way, before that read answers. */
let duringOpenRead: (() => Promise<unknown>) | null = null;

/** The real database, noting each read of every open job (how an engine round starts) and each write of jobs. */
async function notingDatabase(): Promise<SafePauseDatabase> {
  const db = await openDatabase();
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction') {
        const open = target.transaction.bind(target) as (...args: unknown[]) => unknown;
        return (stores: unknown, mode?: unknown, ...rest: unknown[]) => {
          const names = Array.isArray(stores) ? stores : [stores];
          if (mode === 'readwrite' && names.includes('jobs')) log.push('write');
          return open(stores, mode, ...rest);
        };
      }
      if (prop === 'getAllFromIndex') {
        const read = target.getAllFromIndex.bind(target) as (...args: unknown[]) => Promise<unknown>;
        return (store: string, index: string, ...rest: unknown[]) => {
          if (store !== 'jobs' || index !== 'by-open') return read(store, index, ...rest);
          log.push('open-read');
          const meanwhile = duringOpenRead;
          duringOpenRead = null;
          const rows = read(store, index, ...rest);
          if (!meanwhile) return rows;
          return rows.then(async (found) => {
            await meanwhile();
            return found;
          });
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function take(n: number): string[] {
  const out = campaigns.slice(cursor, cursor + n).map((c) => c.id);
  cursor += n;
  if (out.length < n) throw new Error('not enough campaigns in the emulator');
  return out;
}

interface Sent {
  at: number;
  answeredAt: number | null;
  ids: readonly string[];
  /** The state each job of the batch had in the database when the request left. */
  storedStates: string[];
  /** The state of every job of the pause (in the order of its IDs) when the request left. */
  everyState: string[];
}

/**
 * The real client against the emulator, with every status update's answer held back `answerDelayMs` (a slow
 * TikTok), recording when each request left and what the database held for its jobs at that moment.
 */
function recordingClient(
  answerDelayMs: number,
  sent: Sent[],
  stateOf: (objectId: string) => Promise<string>,
  everyState: () => Promise<string[]>,
) {
  const real = createApiClient({ baseUrl: sb.url, getToken: async () => sb.token, timeoutMs: 5_000 });
  const client: ApiClient = {
    ...real,
    baseUrl: real.baseUrl,
    async updateStatus(level, advertiserId, ids, status) {
      const entry: Sent = { at: Date.now(), answeredAt: null, ids: [...ids], storedStates: [], everyState: [] };
      sent.push(entry);
      log.push('send');
      [entry.storedStates, entry.everyState] = await Promise.all([Promise.all(ids.map(stateOf)), everyState()]);
      const answer = await real.updateStatus(level, advertiserId, ids, status);
      await sleep(answerDelayMs);
      entry.answeredAt = Date.now();
      return answer;
    },
    async report(opts) {
      log.push('report');
      const meanwhile = duringReport;
      duringReport = null;
      meanwhile?.();
      await sleep(reportDelayMs);
      return real.report(opts);
    },
  };
  return client;
}

beforeAll(async () => {
  sb = await emulator(1400);
  adv = sb.advertiserIds[0] as string;
  campaigns = (await states(sb, 'campaign', adv)).filter((c) => !c.deleted && c.operation_status === 'ENABLE');
});

afterAll(async () => {
  await sb?.close();
});

beforeEach(async () => {
  await freshDatabase();
  sb.state.faults.clear();
});

afterEach(async () => {
  await r.engine.idle();
  expect(r.errors).toEqual([]);
});

async function pauseMany(
  count: number,
  options: {
    answerDelayMs: number;
    perSecond: number;
    maxInFlight?: number;
    commitAheadBatches?: number;
    /**
     * Whether each request notes the stored state of every job of the pause (default true). Those reads run in the
     * test's own thread, beside the emulator: for hundreds of jobs they hold its answers back.
     */
    recordStates?: boolean;
  },
): Promise<{ ids: string[]; sent: Sent[] }> {
  const ids = take(count);
  const sent: Sent[] = [];
  const jobsByObject = new Map<string, string>();
  let engineRef: Rig['engine'] | undefined;
  const stateOf = async (objectId: string): Promise<string> => {
    const jobId = jobsByObject.get(objectId);
    const job = jobId && engineRef ? await engineRef.outbox.getJob(jobId) : null;
    return job?.state ?? 'none';
  };
  const recording = options.recordStates ?? true;
  const client = recordingClient(
    options.answerDelayMs,
    sent,
    async (objectId) => (recording ? stateOf(objectId) : 'not recorded'),
    async () => (recording ? Promise.all(ids.map(stateOf)) : []),
  );
  // At most the emulator's limits, with the worker's margin for when a request arrives, so the emulator never
  // refuses and the spacing seen is the engine's own.
  const limiter = createRateLimiter({
    app: withArrivalMargin([{ limit: options.perSecond, windowMs: 1_000 }]),
    advertiserPerPath: withArrivalMargin([{ limit: options.perSecond, windowMs: 1_000 }]),
  });
  r = rig(sb, {
    client,
    deps: {
      limiter,
      openDb: notingDatabase,
      policy: {
        deliveryDeadlineMs: 20_000,
        ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
        ...(options.commitAheadBatches ? { commitAheadBatches: options.commitAheadBatches } : {}),
      },
    },
  });
  engineRef = r.engine;
  const objects = await objectsFor(
    createApiClient({ baseUrl: sb.url, getToken: async () => sb.token }),
    adv,
    'campaign',
    ids,
  );
  // The emulator counts every request against the app's 10 per second, this read and the previous pause's last
  // reads included, while the engine's limiter knows only its own: let them leave the window before the sends.
  await sleep(1_100);
  log.push('enqueue');
  const { jobIds } = await r.engine.enqueue({
    level: 'campaign',
    advertiserId: adv,
    action: 'DISABLE',
    actor: { kind: 'emergency' },
    objects,
  });
  for (const [i, jobId] of jobIds.entries()) jobsByObject.set(ids[i] as string, jobId);
  await driveUntil(r.engine, jobIds, ['confirmed', 'settled'], { timeoutMs: 20_000 });
  return { ids, sent };
}

describe('bulk sends', () => {
  test('each batch leaves at its slot without waiting for the previous answer, after its attempt is stored', async () => {
    const { ids, sent } = await pauseMany(100, { answerDelayMs: 400, perSecond: 10 });

    expect(sent).toHaveLength(5);
    expect(new Set(sent.flatMap((s) => s.ids))).toEqual(new Set(ids));
    // Every job was on record as sending before its request left.
    expect(sent.flatMap((s) => s.storedStates).every((s) => s === 'sending')).toBe(true);
    // The slow answers did not hold the next batches back: all five left before the first answer came.
    const firstAnswer = Math.min(...sent.map((s) => s.answeredAt ?? Number.POSITIVE_INFINITY));
    expect(sent.every((s) => s.at < firstAnswer)).toBe(true);
    // And TikTok (the emulator) received exactly five updates, one per batch.
    const updates = (await statusUpdates(sb, 'campaign')).filter((u) => u.ids.some((x) => ids.includes(x)));
    expect(updates.map((u) => u.ids.length)).toEqual([20, 20, 20, 20, 20]);
  });

  test('requests never come closer together than the limiter allows', async () => {
    const { sent } = await pauseMany(120, { answerDelayMs: 0, perSecond: 2 });

    expect(sent).toHaveLength(6);
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    // Any two requests two apart span a full window (a few ms of timer slack allowed).
    for (let k = 0; k + 2 < times.length; k++) {
      expect((times[k + 2] as number) - (times[k] as number)).toBeGreaterThanOrEqual(995);
    }
  });

  test('the first group of attempts is committed with the jobs; later groups ahead of their requests, never further', async () => {
    const notQueued = (x: Sent | undefined) => x?.everyState.filter((st) => st !== 'queued').length ?? -1;

    // Five batches, five a group: every attempt is on record with the jobs' creation, in the one write before the
    // first request (no second commit for the attempts).
    log.length = 0;
    const one = await pauseMany(100, { answerDelayMs: 0, perSecond: 10, commitAheadBatches: 5 });
    expect(one.sent).toHaveLength(5);
    expect(notQueued(one.sent[0])).toBe(100);
    const enqueued = log.lastIndexOf('enqueue');
    expect(log.slice(enqueued, log.indexOf('send', enqueued)).filter((e) => e === 'write')).toHaveLength(1);
    await r.engine.idle();

    // Two batches a group (2 with the creation, then 2, 2, 2 for eight): every request finds its own group on record,
    // and never more than the next group besides.
    const two = await pauseMany(160, { answerDelayMs: 0, perSecond: 10, commitAheadBatches: 2 });
    expect(two.sent).toHaveLength(8);
    expect(notQueued(two.sent[0])).toBeGreaterThanOrEqual(40);
    expect(notQueued(two.sent[0])).toBeLessThanOrEqual(80);
    expect(notQueued(two.sent[2])).toBeGreaterThanOrEqual(80);
    expect(notQueued(two.sent[2])).toBeLessThanOrEqual(120);
    expect(notQueued(two.sent[4])).toBeGreaterThanOrEqual(120);
    expect(notQueued(two.sent[4])).toBeLessThanOrEqual(160);
    expect(notQueued(two.sent[7])).toBe(160);
    for (const s of two.sent) expect(s.storedStates.every((x) => x === 'sending')).toBe(true);
  });

  test("a new pause's first request leaves before any read of every open job; later rounds read them all", async () => {
    log.length = 0;
    const { sent } = await pauseMany(60, { answerDelayMs: 0, perSecond: 10 });

    expect(sent).toHaveLength(3);
    const enqueued = log.lastIndexOf('enqueue');
    const firstSend = log.indexOf('send', enqueued);
    expect(firstSend).toBeGreaterThan(enqueued);
    expect(log.slice(enqueued, firstSend)).not.toContain('open-read');
    expect(log.slice(firstSend)).toContain('open-read');
  });

  test('runs close together keep to the view of the open jobs instead of reading them all each time', async () => {
    await pauseMany(20, { answerDelayMs: 0, perSecond: 10 });
    log.length = 0;
    for (let k = 0; k < 6; k++) {
      log.push('run');
      await r.engine.runDue();
      await sleep(40);
    }
    // Six runs within a second or two: at most one reread of every open job (the view's 5-second refresh), where
    // each run used to read them all at its start and again to schedule the next.
    expect(log.filter((e) => e === 'run')).toHaveLength(6);
    expect(log.filter((e) => e === 'open-read').length).toBeLessThanOrEqual(1);
  });

  test('a newly confirmed change does not wait behind the spend snapshots of pauses already done', async () => {
    reportDelayMs = 400;
    try {
      // The new pause's objects are read first: that read must not be what holds the enqueue back.
      const ids = take(20);
      const objects = await objectsFor(
        createApiClient({ baseUrl: sb.url, getToken: async () => sb.token }),
        adv,
        'campaign',
        ids,
      );
      log.length = 0;
      // 300 pauses go out and are confirmed; then a run takes their spend snapshots (3 slow report reads), and a
      // person confirms a new pause during the first of them: its request goes before the snapshots still to take.
      let created: Promise<{ jobIds: string[] }> | null = null;
      duringReport = () => {
        log.push('enqueue');
        created = r.engine.enqueue({
          level: 'campaign',
          advertiserId: adv,
          action: 'DISABLE',
          actor: { kind: 'user' },
          objects,
        });
      };
      await pauseMany(300, { answerDelayMs: 0, perSecond: 10, recordStates: false });
      const deadline = Date.now() + 20_000;
      while (created === null && Date.now() < deadline) {
        await r.engine.runDue();
        await sleep(10);
      }
      expect(created).not.toBeNull();
      const { jobIds } = await (created as unknown as Promise<{ jobIds: string[] }>);
      await driveUntil(r.engine, jobIds, ['confirmed', 'settled'], { timeoutMs: 20_000 });
      const enqueued = log.lastIndexOf('enqueue');
      const firstSend = log.indexOf('send', enqueued);
      expect(firstSend).toBeGreaterThan(enqueued);
      expect(log.slice(enqueued, firstSend).filter((e) => e === 'report').length).toBeLessThanOrEqual(1);
      // The snapshots left are taken after it, not dropped.
      expect(log.slice(firstSend)).toContain('report');
    } finally {
      reportDelayMs = 0;
      duringReport = null;
    }
  });

  test('jobs created while the engine reads every open job are in its view and go out in that run', async () => {
    const ids = take(40);
    const client = createApiClient({ baseUrl: sb.url, getToken: async () => sb.token });
    const objects = await objectsFor(client, adv, 'campaign', ids);
    r = rig(sb, { deps: { openDb: notingDatabase } });
    let jobIds: string[] = [];
    // The first run reads every open job (none yet); the pause is created and stored before that read answers.
    duringOpenRead = async () => {
      ({ jobIds } = await r.engine.enqueue({
        level: 'campaign',
        advertiserId: adv,
        action: 'DISABLE',
        actor: { kind: 'user' },
        objects,
      }));
    };
    await sleep(1_100);
    await r.engine.runDue();
    expect(duringOpenRead).toBeNull();
    expect(jobIds).toHaveLength(40);
    const sentInThatRun = (await statusUpdates(sb, 'campaign')).filter((u) => u.ids.some((x) => ids.includes(x)));
    expect(new Set(sentInThatRun.flatMap((u) => u.ids))).toEqual(new Set(ids));
    await driveUntil(r.engine, jobIds, ['confirmed', 'settled'], { timeoutMs: 20_000 });
  });

  test('no more unanswered requests than maxInFlight', async () => {
    const { sent } = await pauseMany(100, { answerDelayMs: 500, perSecond: 10, maxInFlight: 2 });

    expect(sent).toHaveLength(5);
    for (const s of sent) {
      const unanswered = sent.filter((o) => o.at <= s.at && (o.answeredAt === null || o.answeredAt > s.at));
      expect(unanswered.length).toBeLessThanOrEqual(2);
    }
  });
});
