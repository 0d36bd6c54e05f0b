/**
 * The outbox: jobs and their audit rows in IndexedDB. Every write is one readwrite transaction over
 * `jobs` + `audit`: a job and the row that records its step are stored together or not at all.
 * Nothing but IndexedDB requests is awaited inside a transaction (it would auto-commit).
 */
import type { Level } from '../api/ids';
import {
  type AuditRecord,
  type JobPhase,
  openDatabase,
  type SafePauseDatabase,
  StorageUnavailableError,
  type StoredJob,
} from '../store/db';
import { type TransitionRejection, transition } from './state-machine';
import { type AuditEntry, isActiveState, type Job, type JobEvent, type JobPolicy } from './types';

/** A write to the outbox failed (quota, backing store, abort): nothing of that write was stored. */
export class OutboxWriteError extends Error {
  override readonly name = 'OutboxWriteError';
  readonly userMessage: string;
  constructor(what: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`Could not save ${what} (${detail}).`, { cause });
    const quota = cause instanceof Error && cause.name === 'QuotaExceededError';
    this.userMessage = quota
      ? `SafePause could not save ${what}: the browser's storage is full. Nothing was sent. Free some disk space and try again.`
      : `SafePause could not save ${what} in its database, so nothing was sent for it. Restart the browser and try again. Detail: ${detail}`;
  }
}

/** Which phase a job is in: `open` jobs are resumed by the worker; `done` ones only shown. */
export function jobPhase(job: Job): JobPhase {
  if (!isActiveState(job.state)) return 'done';
  // A resume has nothing to watch once confirmed; a pause whose spend cannot be read neither.
  if (job.state === 'confirmed' && (job.action === 'ENABLE' || job.nextAt === null)) return 'done';
  return 'open';
}

function toStored(job: Job): StoredJob {
  return { ...job, phase: jobPhase(job) };
}

function fromStored(record: StoredJob): Job {
  const { phase: _phase, ...job } = record;
  return job;
}

function toAuditRecord(job: Job, entry: AuditEntry): AuditRecord {
  return {
    ...entry,
    advertiserId: job.advertiserId,
    level: job.level,
    objectId: job.objectId,
    actor: job.actor.kind,
  };
}

export interface EventInput {
  jobId: string;
  event: JobEvent;
}

export type ApplyResult =
  | { ok: true; job: Job; audit: AuditEntry }
  | { ok: false; jobId: string; rejection: TransitionRejection | null; reason: string };

export interface CommitOptions {
  /** Events applied in the same transaction as the new jobs (e.g. `undo` on the job being undone). */
  events?: EventInput[];
  now?: number;
}

export interface SnapshotFilter {
  advertiserId?: string;
  level?: Level;
  objectIds?: readonly string[];
  /** Only `open` or only `done` jobs. */
  phase?: JobPhase;
  /** Jobs updated at or after this time (ms epoch). */
  since?: number;
  /** At most this many, most recently updated first. */
  limit?: number;
}

export interface Outbox {
  /** Stores new jobs and their creation rows, strictly, in one transaction; with `events`, those too (all or nothing). */
  commitNewJobs(entries: readonly { job: Job; audit: AuditEntry }[], options?: CommitOptions): Promise<ApplyResult[]>;
  /** Reads the job, applies the pure transition and stores job + audit row in one transaction. */
  applyEvent(jobId: string, event: JobEvent, now: number): Promise<ApplyResult>;
  /** Several events in one transaction; rejected events are skipped, the others stored. */
  applyEvents(events: readonly EventInput[], now: number): Promise<ApplyResult[]>;
  getJob(id: string): Promise<Job | null>;
  /** Several jobs by ID in one transaction, in the order asked (null where none is stored). */
  getJobs(ids: readonly string[]): Promise<(Job | null)[]>;
  openJobs(): Promise<Job[]>;
  /**
   * Every job stored with an update time at or after `since`, in one request (a page's refresh of what changed,
   * rather than a read of every job it shows by key).
   */
  updatedSince(since: number): Promise<Job[]>;
  /** The newest open job for the object, if any. */
  openJobForObject(advertiserId: string, level: Level, objectId: string): Promise<Job | null>;
  /** Every job (open or done) per object ID, newest first. */
  jobsForObjects(advertiserId: string, level: Level, objectIds: readonly string[]): Promise<Map<string, Job[]>>;
  auditForJob(jobId: string): Promise<AuditRecord[]>;
  snapshot(filter?: SnapshotFilter): Promise<Job[]>;
}

export interface OutboxOptions {
  open?: () => Promise<SafePauseDatabase>;
  policy?: Partial<JobPolicy>;
}

/**
 * Steps written with relaxed durability: losing one to a power cut loses nothing. Plain read bookkeeping, and
 * `send-ok`: a job whose acceptance was lost is back to `sending`, whose outcome is unknown, and is read before
 * anything is sent again. Every step that lets a request leave (`send-started`, creations) stays strict.
 */
const BOOKKEEPING: readonly JobEvent['type'][] = [
  'status-read',
  'read-error',
  'spend-read',
  'verify-started',
  'send-ok',
];

export function createOutbox(options: OutboxOptions = {}): Outbox {
  const open = options.open ?? openDatabase;
  const policy = options.policy ?? {};

  async function db(): Promise<SafePauseDatabase> {
    try {
      return await open();
    } catch (error) {
      if (error instanceof StorageUnavailableError) throw error;
      throw new StorageUnavailableError(error);
    }
  }

  /**
   * One transaction: puts `creates`, then applies `events` in order (a job may receive several).
   * `atomic`: any rejected event aborts the whole transaction.
   */
  async function write(
    what: string,
    creates: readonly { job: Job; audit: AuditEntry }[],
    events: readonly EventInput[],
    now: number,
    atomic: boolean,
  ): Promise<ApplyResult[]> {
    const database = await db();
    const results: ApplyResult[] = [];
    const strict = creates.length > 0 || events.some((e) => !BOOKKEEPING.includes(e.event.type));
    let aborted: string | null = null;
    try {
      const tx = database.transaction(['jobs', 'audit'], 'readwrite', { durability: strict ? 'strict' : 'relaxed' });
      const jobs = tx.objectStore('jobs');
      const audit = tx.objectStore('audit');
      // Requests of one transaction run in the order they are made: they are all made first and awaited together
      // (one round trip instead of one per record; a failing one still aborts the whole transaction).
      const writes: Promise<unknown>[] = [];
      const work = (async () => {
        try {
          await steps();
        } catch (error) {
          // Requests made before the failure reject once the transaction aborts: they are accounted for here.
          for (const w of writes) w.catch(() => undefined);
          // A request that throws synchronously (e.g. DataCloneError) does not abort by itself.
          try {
            tx.abort();
          } catch {
            // Already finished or aborted.
          }
          throw error;
        }
      })();
      async function steps(): Promise<void> {
        // Each job is written once, in its last state of this transaction (a job created with its first attempt, or
        // accepted and read back, is one put, not two); every step still gets its audit row, in order.
        const current = new Map<string, Job>();
        const created = new Set<string>();
        const changed = new Set<string>();
        for (const { job, audit: row } of creates) {
          writes.push(audit.add(toAuditRecord(job, row)));
          current.set(job.id, job);
          created.add(job.id);
        }
        const toRead = [...new Set(events.map((e) => e.jobId))].filter((id) => !current.has(id));
        const stored = new Map(await settleAll(toRead.map(async (id) => [id, await jobs.get(id)] as const)));
        for (const { jobId, event } of events) {
          let job = current.get(jobId) ?? null;
          if (job === null) {
            const record = stored.get(jobId);
            job = record ? fromStored(record) : null;
          }
          if (job === null) {
            results.push({ ok: false, jobId, rejection: null, reason: `no job ${jobId}` });
            if (atomic) {
              aborted = `no job ${jobId}`;
              tx.abort();
              return;
            }
            continue;
          }
          const result = transition(job, event, now, policy);
          if (!result.ok) {
            results.push({ ok: false, jobId, rejection: result.rejection, reason: result.rejection.reason });
            if (atomic) {
              aborted = result.rejection.reason;
              tx.abort();
              return;
            }
            continue;
          }
          writes.push(audit.add(toAuditRecord(result.job, result.audit)));
          current.set(jobId, result.job);
          if (!created.has(jobId)) changed.add(jobId);
          results.push({ ok: true, job: result.job, audit: result.audit });
        }
        for (const id of created) writes.push(jobs.add(toStored(current.get(id) as Job)));
        for (const id of changed) writes.push(jobs.put(toStored(current.get(id) as Job)));
        await settleAll(writes);
      }
      await Promise.all([work, tx.done]);
    } catch (error) {
      if (aborted !== null)
        return results.map((r) =>
          r.ok ? { ok: false, jobId: r.job.id, rejection: null, reason: `not stored: ${aborted}` } : r,
        );
      throw new OutboxWriteError(what, error);
    }
    return results;
  }

  async function jobsByObject(
    database: SafePauseDatabase,
    advertiserId: string,
    level: Level,
    objectId: string,
  ): Promise<Job[]> {
    const rows = await database.getAllFromIndex('jobs', 'by-object', [advertiserId, level, objectId]);
    return rows.map(fromStored).sort(newestFirst);
  }

  return {
    async commitNewJobs(entries, commitOptions = {}) {
      const now = commitOptions.now ?? Date.now();
      return write(
        entries.length === 1 ? 'the job' : `${entries.length} jobs`,
        entries,
        commitOptions.events ?? [],
        now,
        true,
      );
    },

    async applyEvent(jobId, event, now) {
      const [result] = await write(`a step of job ${jobId}`, [], [{ jobId, event }], now, false);
      return result ?? { ok: false, jobId, rejection: null, reason: 'nothing applied' };
    },

    async applyEvents(events, now) {
      if (events.length === 0) return [];
      return write(`${events.length} job step(s)`, [], events, now, false);
    },

    async getJob(id) {
      const stored = await (await db()).get('jobs', id);
      return stored ? fromStored(stored) : null;
    },

    async getJobs(ids) {
      if (ids.length === 0) return [];
      const store = (await db()).transaction('jobs').store;
      const rows = await Promise.all(ids.map((id) => store.get(id)));
      return rows.map((r) => (r ? fromStored(r) : null));
    },

    async updatedSince(since) {
      const rows = await (await db()).getAllFromIndex('jobs', 'by-updated', IDBKeyRange.lowerBound(since));
      return rows.map(fromStored);
    },

    async openJobs() {
      const rows = await (await db()).getAllFromIndex('jobs', 'by-open', 'open');
      return rows.map(fromStored).sort((a, b) => a.createdAt - b.createdAt);
    },

    async openJobForObject(advertiserId, level, objectId) {
      const all = await jobsByObject(await db(), advertiserId, level, objectId);
      return all.find((j) => jobPhase(j) === 'open') ?? null;
    },

    async jobsForObjects(advertiserId, level, objectIds) {
      const database = await db();
      const index = database.transaction('jobs').store.index('by-object');
      const ids = [...new Set(objectIds)];
      const lists = await Promise.all(ids.map((id) => index.getAll([advertiserId, level, id])));
      const out = new Map<string, Job[]>();
      ids.forEach((id, i) => {
        out.set(id, (lists[i] ?? []).map(fromStored).sort(newestFirst));
      });
      return out;
    },

    async auditForJob(jobId) {
      const rows = await (await db()).getAllFromIndex('audit', 'by-job', jobId);
      return rows.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    },

    async snapshot(filter = {}) {
      const database = await db();
      const ids = filter.objectIds ? new Set(filter.objectIds) : null;
      const out: Job[] = [];
      let cursor = await database.transaction('jobs').store.index('by-updated').openCursor(null, 'prev');
      while (cursor) {
        const record = cursor.value;
        if (filter.since !== undefined && record.updatedAt < filter.since) break;
        const keep =
          (filter.advertiserId === undefined || record.advertiserId === filter.advertiserId) &&
          (filter.level === undefined || record.level === filter.level) &&
          (ids === null || ids.has(record.objectId)) &&
          (filter.phase === undefined || record.phase === filter.phase);
        if (keep) {
          out.push(fromStored(record));
          if (filter.limit !== undefined && out.length >= filter.limit) break;
        }
        cursor = await cursor.continue();
      }
      return out;
    },
  };
}

function newestFirst(a: Job, b: Job): number {
  return b.createdAt - a.createdAt || b.updatedAt - a.updatedAt;
}

/**
 * Reads jobs by ID in short transactions of at most `slice` records each, one after the other, instead of one long
 * one. For pages that reread hundreds of jobs while the worker is sending (the popup's Emergency stop summary):
 * IndexedDB starts a write only after every read transaction begun before it, so a single read of a thousand jobs
 * holds the worker's next strict commit (a batch's attempt, which that batch's request waits for) for its whole
 * length; between slices the worker's commit goes first. The result is not one snapshot: each slice is as of its own
 * read, which a progress display can take, since it rereads on the next change anyway.
 */
export async function getJobsInSlices(
  outbox: Pick<Outbox, 'getJobs'>,
  ids: readonly string[],
  slice = 100,
): Promise<(Job | null)[]> {
  const out: (Job | null)[] = [];
  for (let i = 0; i < ids.length; i += slice) out.push(...(await outbox.getJobs(ids.slice(i, i + slice))));
  return out;
}

/**
 * Like Promise.all, but waits for every request to settle before failing with the first error: when one request of
 * a transaction fails, the others are aborted and reject too, and none of those may go unhandled.
 */
async function settleAll<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}
