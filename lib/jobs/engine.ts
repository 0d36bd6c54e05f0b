/**
 * The job engine of the background worker: takes pauses and resumes into the outbox, then moves
 * every open job forward (send, reconcile, verify, watch spend) one persisted step at a time.
 *
 * - Every step is stored (job + audit row, one transaction) before the next one starts; a request
 *   is sent only after its `send-started` step is committed strictly.
 * - An unknown outcome (timeout, 5xx on a write, worker stopped mid-request) and every retry are
 *   preceded by a status read: an object someone else changed is never overridden (`superseded`).
 * - Runs are serialised (Web Lock `safepause:engine`, else an in-memory mutex): an alarm and a
 *   message never drive the same jobs at once. Nothing lives only in memory: after a restart,
 *   `recover()` resumes from the outbox.
 */
import type { ApiClient } from '../api/client';
import { type ApiFailure, toApiFailure } from '../api/errors';
import { isObjectId, isStatusAction, LEVEL_META, type Level } from '../api/ids';
import { readMetric } from '../api/schemas';
import type { SafePauseDatabase } from '../store/db';
import { QPM_FLOOR_MS } from './backoff';
import { planBatchFailure, planReadBatches, planSendBatches, type ReadBatch, type SendBatch } from './batching';
import type { RateLimiter } from './limiter';
import { type ApplyResult, createOutbox, type EventInput, jobPhase, type Outbox, type SnapshotFilter } from './outbox';
import { createJob } from './state-machine';
import type { AuditEntry, Job, JobAction, JobActor, JobLedger, JobPolicy, JobState } from './types';

export const ENGINE_LOCK_NAME = 'safepause:engine';
const REPORT_PATH = 'report/integrated/get/';

export interface EnginePolicy {
  /** How long a job may take to get its change accepted (queued/retrying) before it fails. */
  deliveryDeadlineMs: number;
  /** How long after `code: 0` the new status may take to show before the job is stuck. */
  verifyDeadlineMs: number;
  /** How long reports lag behind delivery; spend is judged only after this window. */
  reportLatencyMs: number;
  /** Gap between the two spend reads after the window that decide settled / still-spending. */
  settleCheckGapMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** The longest a run waits for the rate limiter; a longer wait is left to a later run. */
  maxLimiterWaitMs: number;
  /** A status read older than this no longer allows a (re)send: the object is read again. */
  reconcileFreshMs: number;
  /**
   * After an unknown outcome, how long to wait before the reconciling read: TikTok takes a moment to
   * show an accepted change, and a read that comes too early would see the old status and resend.
   */
  unknownReadDelayMs: number;
  /** Bound on the steps one run takes (each round handles every job that is due). */
  maxRounds: number;
  /**
   * Before a run's requests, the next run is scheduled this far ahead: if the worker is stopped while a
   * request is out, that alarm wakes it to resume the job. The schedule set at the end of the run replaces it.
   */
  backstopMs: number;
  /** Status updates sent and not yet answered, at most (a TikTok that stops answering is not sent everything). */
  maxInFlight: number;
  /**
   * How many batches' attempts are committed in one transaction ahead of their requests: about a second of
   * requests at the Basic tier. More saves disk flushes; a worker stopped in between leaves more to read again.
   */
  commitAheadBatches: number;
}

export const DEFAULT_ENGINE_POLICY: EnginePolicy = {
  deliveryDeadlineMs: 15 * 60_000,
  verifyDeadlineMs: 10 * 60_000,
  reportLatencyMs: 60 * 60_000,
  settleCheckGapMs: 10 * 60_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 60_000,
  maxLimiterWaitMs: 3_000,
  reconcileFreshMs: 10_000,
  unknownReadDelayMs: 2_000,
  maxRounds: 25,
  backstopMs: 30_000,
  maxInFlight: 10,
  commitAheadBatches: 10,
};

/** The part of the Web Locks API the engine uses. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface JobEngineDeps {
  /** The API client, or null when no token is available (open jobs then go `blocked`). */
  getClient(): Promise<ApiClient | null>;
  limiter: Pick<RateLimiter, 'reserve' | 'peek' | 'penalize' | 'settle'>;
  now(): number;
  /** A number in [0, 1) for retry jitter. */
  random(): number;
  /**
   * When the next run is due (ms epoch), or null when no open job needs one. Called after every run, and
   * before a run's requests (a backstop in case the worker stops during them).
   */
  schedule(atMs: number | null): void;
  /** Jobs that changed (latest versions), after every run step and every enqueue. */
  onChange(jobs: Job[]): void;
  policy?: Partial<EnginePolicy>;
  /** Opens the database (default: the shared connection of `lib/store/db`). */
  openDb?: () => Promise<SafePauseDatabase>;
  /** Default: `navigator.locks` when it exists; null forces the in-memory mutex. */
  locks?: LockManagerLike | null;
  sleep?: (ms: number) => Promise<void>;
  newId?: () => string;
  /** Errors of runs started by the engine itself (after an enqueue), which no caller awaits. */
  onError?: (error: unknown) => void;
}

export interface EnqueueObject {
  id: string;
  /** The API name (for display; identity is the ID). */
  name: string;
  /** The object's status as read when the person decided (the confirm prompt's read). */
  baseline: { operationStatus: string; modifyTime: string | null };
  /** Reported lifetime spend at click, in the advertiser's currency (number or decimal string), when known. */
  spendAtClick?: number | string | null;
  /** Budget and spend context for the ledger. */
  ledger?: JobLedger | null;
}

export interface EnqueueInput {
  level: Level;
  advertiserId: string;
  action: JobAction;
  actor: JobActor;
  objects: readonly EnqueueObject[];
}

export interface EnqueueResult {
  /** One job ID per distinct object, in input order: new jobs and joined ones. */
  jobIds: string[];
  /** The IDs of open jobs that were joined instead of duplicated. */
  joined: string[];
}

export interface RetryResult {
  /** The new job, or null when the object already has the status the job wanted. */
  jobId: string | null;
  alreadyInTarget: boolean;
  joined: boolean;
}

export interface UndoResult {
  jobId: string;
  joined: boolean;
}

export interface JobEngine {
  enqueue(input: EnqueueInput): Promise<EnqueueResult>;
  runDue(): Promise<void>;
  recover(): Promise<void>;
  tokenAvailable(): Promise<void>;
  retry(jobId: string): Promise<RetryResult>;
  undo(jobId: string): Promise<UndoResult>;
  /** Undoes many confirmed pauses of one advertiser and level at once (one commit, full batches). */
  undoMany(jobIds: readonly string[], actor: JobActor): Promise<EnqueueResult>;
  snapshot(filter?: SnapshotFilter): Promise<Job[]>;
  /** Resolves when no run started by the engine is in progress. */
  idle(): Promise<void>;
  readonly outbox: Outbox;
}

/** A request the engine refuses, with plain words for the person. */
export class JobRequestError extends Error {
  override readonly name = 'JobRequestError';
  constructor(readonly userMessage: string) {
    super(userMessage);
  }
}

/** An open job for the same object wants the opposite change. */
export class JobConflictError extends JobRequestError {
  constructor(readonly conflicts: { objectId: string; objectName: string; jobId: string; action: JobAction }[]) {
    super(
      conflicts
        .map((c) => {
          const other = c.action === 'DISABLE' ? 'pause' : 'resume';
          return `A ${other} of "${c.objectName}" (${c.objectId}) is still in progress, so SafePause will not send the opposite change at the same time. Wait until it finishes, then try again.`;
        })
        .join(' '),
    );
  }
}

const DEADLINE_STATES: readonly JobState[] = ['queued', 'retrying', 'unknown', 'sent', 'verifying'];
const RETRYABLE_STATES: readonly JobState[] = ['failed', 'stuck', 'superseded'];
const UNDOABLE_STATES: readonly JobState[] = ['confirmed', 'settled', 'still-spending'];
/** TikTok showed the change: the job only watches spend (or is done). */
const APPLIED_STATES: readonly JobState[] = ['confirmed', 'settled', 'still-spending'];

/** Acceptance-to-showing delays remembered per level. */
const SHOWN_SAMPLES = 20;
/** Reads aim this long after the learned delay (measured from the request's departure to the read's). */
const SHOWN_MARGIN_MS = 50;
/** Status reads of a level that miss this many times in a row (each after raising the estimate) forget it. */
const SHOWN_MISSES_MAX = 2;
/** A read that missed raises the estimate past its own delay by this share of it, at least SHOWN_RAISE_MIN_MS. */
const SHOWN_RAISE_SHARE = 0.1;
const SHOWN_RAISE_MIN_MS = 100;
/** The learned delay is capped here: a slow spell does not postpone reads further than this. */
const SHOWN_ESTIMATE_CAP_MS = 5_000;
/** States whose change is still on its way: spend snapshots wait for them. */
const IN_FLIGHT_STATES: readonly JobState[] = ['queued', 'sending', 'retrying', 'unknown', 'sent', 'verifying'];
/** While changes are in flight, spend snapshots are looked at again this often... */
const SPEND_HOLD_STEP_MS = 1_000;
/** ...but never held longer than this in a row, so a long bulk run cannot starve the spend watch. */
const SPEND_HOLD_MAX_MS = 30_000;
/** How old the last run's view of the open jobs may be for the next run to start from it. */
const OPEN_VIEW_MAX_AGE_MS = 5_000;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}

function parseSpend(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const metric = readMetric(value);
  return metric.kind === 'number' && metric.value >= 0 ? metric.value : null;
}

export function createJobEngine(deps: JobEngineDeps): JobEngine {
  const policy: EnginePolicy = { ...DEFAULT_ENGINE_POLICY, ...deps.policy };
  const jobPolicy: Partial<JobPolicy> = {
    deliveryWindowMs: policy.deliveryDeadlineMs,
    verifyWindowMs: policy.verifyDeadlineMs,
    reportLatencyWindowMs: policy.reportLatencyMs,
    settleCheckGapMs: policy.settleCheckGapMs,
    backoffBaseMs: policy.backoffBaseMs,
    backoffCapMs: policy.backoffCapMs,
    random: deps.random,
  };
  const outbox = createOutbox({ ...(deps.openDb ? { open: deps.openDb } : {}), policy: jobPolicy });
  const sleep = deps.sleep ?? defaultSleep;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const locks = deps.locks === undefined ? defaultLocks() : deps.locks;

  // ---- serialisation -------------------------------------------------------------------------

  let tail: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (locks) return locks.request(ENGINE_LOCK_NAME, fn);
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  }

  let creationTail: Promise<unknown> = Promise.resolve();
  function serialCreation<T>(fn: () => Promise<T>): Promise<T> {
    const run = creationTail.then(fn, fn);
    creationTail = run.catch(() => undefined);
    return run;
  }

  const inFlight = new Set<Promise<unknown>>();
  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    const done = (): void => {
      inFlight.delete(p);
    };
    p.then(done, done);
    return p;
  }

  // ---- in-memory hints (safe to lose) --------------------------------------------------------

  /** Halves of a batch refused as a whole: jobs of different halves are not batched together. */
  const splitGroups = new Map<string, string>();
  let splitSeq = 0;
  /** Limiter keys (advertiser + path) whose next slot is later than a run may wait. */
  const deferredUntil = new Map<string, number>();
  /**
   * Jobs just created, as stored, for the next run's first round: a bulk pause's first request need not wait for
   * a read of every open job. Every later round reads them all from disk, and every step is still checked against
   * the stored job in its own transaction, so a job another run moved on meanwhile is only refused there.
   */
  const fresh = new Map<string, Job>();
  /**
   * Every open job as stored, kept in step with every step and creation this engine stores (all job writes go
   * through it), so a round need not read them all from disk before its requests leave. Reread when older than
   * OPEN_VIEW_MAX_AGE_MS. It only chooses what to try: each step is still checked against the stored job in its own
   * transaction, so a stale entry can delay a job or have a step refused, never send twice. In memory.
   */
  let mirror: { jobs: Map<string, Job>; readAt: number } | null = null;
  /**
   * Batches whose attempt was committed in the same transaction as the jobs' creation (`sending`, no request yet),
   * for the next round to send first: a new pause's first requests wait for one commit, not two. `headIds` holds the
   * jobs still to send from here; any other step stored for one (recover() marking it interrupted, say) takes it out,
   * and a job taken out is never sent from here: it is read before any send, like every interrupted attempt.
   */
  let headStarts: SendBatch[] = [];
  const headIds = new Set<string>();
  /** Jobs stored while a full read runs, laid over its result (the read may not have seen them). */
  let storedDuringRead: Job[] | null = null;
  function mirrorStored(job: Job): void {
    storedDuringRead?.push(job);
    if (!mirror) return;
    if (jobPhase(job) === 'open') mirror.jobs.set(job.id, job);
    else mirror.jobs.delete(job.id);
  }
  function mirrorFresh(): boolean {
    return mirror !== null && deps.now() - mirror.readAt <= OPEN_VIEW_MAX_AGE_MS;
  }
  async function openView(): Promise<Job[]> {
    if (!mirrorFresh()) {
      const collected: Job[] = [];
      storedDuringRead = collected;
      let open: Job[];
      try {
        open = await outbox.openJobs();
      } finally {
        if (storedDuringRead === collected) storedDuringRead = null;
      }
      mirror = { jobs: new Map(open.map((j) => [j.id, j])), readAt: deps.now() };
      for (const j of collected) mirrorStored(j);
    }
    return [...(mirror as { jobs: Map<string, Job> }).jobs.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  /**
   * How long TikTok took to show accepted changes, per level: the delay from the request to the earliest read that
   * showed the new status, for the last few jobs (in memory; a fresh worker starts from the fixed schedule). Reads
   * are aimed just after it, so a bulk pause does not spend a pass of reads (and their rate-limit slots) too early
   * and then wait out a doubling backoff. A read that still sees the old status later than that raises the estimate
   * past it (the job is read again that much later, not a whole backoff step later); a level whose reads miss
   * SHOWN_MISSES_MAX times in a row forgets it and is read on the fixed schedule (TikTok became slower).
   */
  const shownAfter = new Map<Level, number[]>();
  const shownMisses = new Map<Level, number>();
  /**
   * When each accepted job's request left (in memory). Delays are measured from here, not from the answer: TikTok
   * starts its processing delay when it takes the request, and the answer can reach a busy worker late, so a delay
   * measured from the answer comes out short by that lag and aims the next job's read too early.
   */
  const requestedAt = new Map<string, number>();
  function sentFrom(job: Job): number | undefined {
    return requestedAt.get(job.id) ?? job.sentAt ?? undefined;
  }
  /**
   * The client's "request handed to the network" time, if it is on the engine's clock: between the moment the
   * engine asked (`from`) and now. A client on another clock (an injected one) is not mixed in.
   */
  function onOurClock(sentAt: number | undefined, from: number): number | undefined {
    return sentAt !== undefined && sentAt >= from && sentAt <= deps.now() ? sentAt : undefined;
  }
  /** Learns from one status read that left at `askedAt`: what it showed first, then what it did not. */
  function learnShown(level: Level, looked: readonly { job: Job; shown: boolean }[], askedAt: number): void {
    const delays = looked.flatMap(({ job, shown }) => {
      const from = sentFrom(job);
      return job.state === 'verifying' && from !== undefined ? [{ delay: askedAt - from, shown }] : [];
    });
    const seen = shownAfter.get(level) ?? [];
    for (const { delay } of delays.filter((d) => d.shown)) {
      seen.push(delay);
      if (seen.length > SHOWN_SAMPLES) seen.shift();
      shownMisses.delete(level);
    }
    if (seen.length > 0) shownAfter.set(level, seen);
    const missed = delays.filter((d) => !d.shown && seen.length > 0 && d.delay > Math.min(...seen));
    if (missed.length === 0) return;
    const misses = (shownMisses.get(level) ?? 0) + 1;
    if (misses >= SHOWN_MISSES_MAX) {
      shownAfter.delete(level);
      shownMisses.delete(level);
      return;
    }
    shownMisses.set(level, misses);
    const longest = Math.max(...missed.map((d) => d.delay));
    const raised = longest + Math.max(SHOWN_RAISE_MIN_MS, Math.round(longest * SHOWN_RAISE_SHARE));
    shownAfter.set(
      level,
      seen.map((d) => Math.max(d, raised)),
    );
  }
  function expectedShownAfter(level: Level): number | undefined {
    const seen = shownAfter.get(level);
    if (!seen || seen.length === 0) return undefined;
    return Math.min(Math.min(...seen), SHOWN_ESTIMATE_CAP_MS) + SHOWN_MARGIN_MS;
  }
  function expectedShownAt(job: Job): number | undefined {
    const after = expectedShownAfter(job.level);
    const from = sentFrom(job);
    if (after === undefined || from === undefined) return undefined;
    return from + after;
  }

  /**
   * Spend snapshots of confirmed pauses are not urgent, the rate-limit slots of changes in flight are: while any
   * change of the run is on its way the snapshots wait (up to SPEND_HOLD_MAX_MS in a row). In memory; a fresh
   * worker reads spend on its first round.
   */
  let spendHeldSince: number | null = null;
  let spendHeldUntil = 0;
  function holdSpend(open: readonly Job[], now: number): void {
    const inFlight = open.some((j) => IN_FLIGHT_STATES.includes(j.state));
    if (inFlight && (spendHeldSince === null || now - spendHeldSince < SPEND_HOLD_MAX_MS)) {
      spendHeldSince ??= now;
      spendHeldUntil = now + SPEND_HOLD_STEP_MS;
    } else {
      spendHeldSince = null;
      spendHeldUntil = 0;
    }
  }

  // ---- change notification -------------------------------------------------------------------

  const changed = new Map<string, Job>();
  /** Counts every stored step, to tell a round that did something from one that did not. */
  let stepCount = 0;
  function note(results: readonly ApplyResult[]): boolean {
    let any = false;
    for (const r of results) {
      if (r.ok) {
        changed.set(r.job.id, r.job);
        mirrorStored(r.job);
        headIds.delete(r.job.id);
        stepCount += 1;
        any = true;
        if (jobPhase(r.job) === 'done') splitGroups.delete(r.job.id);
        if (r.job.state !== 'sent' && r.job.state !== 'verifying') requestedAt.delete(r.job.id);
      }
    }
    return any;
  }
  function flush(): void {
    if (changed.size === 0) return;
    const jobs = [...changed.values()];
    changed.clear();
    deps.onChange(jobs);
  }

  async function apply(events: EventInput[]): Promise<ApplyResult[]> {
    if (events.length === 0) return [];
    const results = await outbox.applyEvents(events, deps.now());
    note(results);
    return results;
  }

  function okJobs(results: readonly ApplyResult[]): Job[] {
    return results.flatMap((r) => (r.ok ? [r.job] : []));
  }

  // ---- rate limiting -------------------------------------------------------------------------

  /** Books a limiter slot and waits for it, or returns false when the wait is too long for this run. */
  async function takeSlot(advertiserId: string, path: string): Promise<boolean> {
    const key = `${advertiserId}\u0000${path}`;
    const now = deps.now();
    const wait = deps.limiter.peek(advertiserId, path, now);
    if (wait > policy.maxLimiterWaitMs) {
      deferredUntil.set(key, now + wait);
      return false;
    }
    deferredUntil.delete(key);
    const booked = deps.limiter.reserve(advertiserId, path, deps.now());
    if (booked > 0) await sleep(booked);
    return true;
  }

  function penalize(failure: ApiFailure, advertiserId: string, path: string): void {
    if (failure.rateLimit === 'app') {
      const opts = failure.rateLimitWindow === 'minute' ? { ms: QPM_FLOOR_MS } : {};
      deps.limiter.penalize('app', advertiserId, deps.now(), opts);
    } else if (failure.rateLimit === 'advertiser') {
      deps.limiter.penalize('advertiser', advertiserId, deps.now(), { path });
    }
  }

  // ---- one run -------------------------------------------------------------------------------

  function deadlinePassed(job: Job, now: number): boolean {
    return job.deadline !== null && now >= job.deadline && DEADLINE_STATES.includes(job.state);
  }

  /** When the job's next step may run (null: nothing scheduled). */
  function readyAt(job: Job): number | null {
    if (job.nextAt === null || job.state === 'blocked' || job.state === 'sending') return null;
    if (job.state === 'confirmed' && job.action === 'DISABLE' && job.nextAt < spendHeldUntil) return spendHeldUntil;
    if (job.state === 'unknown' && job.reconciledAt === null) {
      return Math.max(job.nextAt, job.updatedAt + policy.unknownReadDelayMs);
    }
    return job.nextAt;
  }

  function isDue(job: Job, now: number): boolean {
    if (job.state === 'blocked' || job.state === 'sending') return false;
    const at = readyAt(job);
    return (at !== null && at <= now) || deadlinePassed(job, now);
  }

  function freshlyReconciled(job: Job, now: number): boolean {
    return job.reconciledAt !== null && now - job.reconciledAt <= policy.reconcileFreshMs;
  }

  function needsRead(job: Job, now: number): boolean {
    if (job.state === 'verifying') return true;
    return (job.state === 'unknown' || job.state === 'retrying') && !freshlyReconciled(job, now);
  }

  function canSend(job: Job, now: number): boolean {
    if (job.nextAt !== null && job.nextAt > now) return false;
    if (job.state === 'queued') return true;
    return (job.state === 'unknown' || job.state === 'retrying') && freshlyReconciled(job, now);
  }

  async function readStatuses(client: ApiClient, batch: ReadBatch): Promise<void> {
    const meta = LEVEL_META[batch.level];
    if (!(await takeSlot(batch.advertiserId, meta.getPath))) return;
    const ids = [...new Set(batch.jobs.map((j) => j.objectId))];
    let events: EventInput[];
    const askedAt = deps.now();
    try {
      const { data, requestId, sentAt } = await client.getObjects(batch.level, batch.advertiserId, {
        ids,
        pageSize: Math.max(ids.length, 10),
      });
      const byId = new Map(data.list.map((o) => [o.id, o]));
      learnShown(
        batch.level,
        batch.jobs.flatMap((job) => {
          const o = byId.get(job.objectId);
          return o ? [{ job, shown: o.operationStatus === job.action }] : [];
        }),
        onOurClock(sentAt, askedAt) ?? askedAt,
      );
      events = batch.jobs.map((j) => {
        const o = byId.get(j.objectId);
        const nextReadAt = j.state === 'verifying' ? expectedShownAt(j) : undefined;
        return {
          jobId: j.id,
          event: {
            type: 'status-read',
            operationStatus: o ? o.operationStatus : null,
            modifyTime: o ? o.modifyTime : null,
            requestId,
            ...(nextReadAt === undefined ? {} : { nextReadAt }),
          },
        };
      });
    } catch (error) {
      const failure = toApiFailure(error);
      penalize(failure, batch.advertiserId, meta.getPath);
      events = batch.jobs.map((j) => ({ jobId: j.id, event: { type: 'read-error', failure } }));
    }
    await apply(events);
  }

  async function readSpend(client: ApiClient, batch: ReadBatch): Promise<void> {
    if (!(await takeSlot(batch.advertiserId, REPORT_PATH))) return;
    const meta = LEVEL_META[batch.level];
    const ids = [...new Set(batch.jobs.map((j) => j.objectId))];
    let events: EventInput[];
    try {
      const { data, requestId } = await client.report({
        advertiserId: batch.advertiserId,
        level: batch.level,
        dimensions: [meta.idField],
        metrics: ['spend'],
        lifetime: true,
        ids,
        pageSize: 1000,
      });
      const spendById = new Map<string, string>();
      for (const row of data.list) {
        const id = row.dimensions[meta.idField];
        const spend = row.metrics.spend;
        if (id !== undefined && spend !== undefined) spendById.set(id, spend);
      }
      events = batch.jobs.map((j) => {
        const metric = readMetric(spendById.get(j.objectId));
        let spend: number | null;
        if (metric.kind === 'number') spend = metric.value;
        else if (metric.kind === 'not-applicable') spend = 0;
        else if (metric.kind === 'below') spend = metric.bound;
        else spend = null;
        if (spend === null || spend < 0) {
          const failure: ApiFailure = {
            kind: 'bad-response',
            retry: 'never',
            outcome: 'not-applied',
            message: `TikTok reported a spend SafePause cannot read ("${spendById.get(j.objectId) ?? ''}"); spend is no longer checked for this job.`,
            endpoint: REPORT_PATH,
            requestId,
          };
          return { jobId: j.id, event: { type: 'read-error', failure } };
        }
        return { jobId: j.id, event: { type: 'spend-read', spend, requestId } };
      });
    } catch (error) {
      const failure = toApiFailure(error);
      penalize(failure, batch.advertiserId, REPORT_PATH);
      events = batch.jobs.map((j) => ({ jobId: j.id, event: { type: 'read-error', failure } }));
    }
    await apply(events);
  }

  /** A refusal of the whole batch caused by other IDs in it: this job was not at fault. */
  function innocentFailure(failure: ApiFailure, size: number, level: Level): ApiFailure {
    const said = failure.tiktokMessage ? ` TikTok said: "${failure.tiktokMessage}"` : '';
    return {
      ...failure,
      retry: 'retryable',
      message: `TikTok refused a batch of ${size} because of another ${LEVEL_META[level].label} in it (${failure.code ?? failure.kind}); nothing was changed. SafePause sends this one again without it.${said}`,
    };
  }

  /** Stores the attempt of every job of `batch` (strictly) before its request may leave; returns the jobs started. */
  /**
   * Commits the attempts of several batches in one transaction (one disk flush instead of one per batch) and
   * returns, per batch, the jobs that are now `sending`. Each request still leaves only after this commit.
   */
  async function startAttempts(batches: readonly SendBatch[]): Promise<{ batch: SendBatch; started: Job[] }[]> {
    if (batches.length === 0) return [];
    const events = batches.flatMap((b) =>
      b.jobs.map((j) => ({ jobId: j.id, event: { type: 'send-started' as const } })),
    );
    const byId = new Map(okJobs(await apply(events)).map((j) => [j.id, j]));
    flush();
    return batches.map((batch) => ({
      batch,
      started: batch.jobs.flatMap((j) => {
        const job = byId.get(j.id);
        return job ? [job] : [];
      }),
    }));
  }

  /** Sends one batch whose attempt is on record and whose limiter slot has come, and stores the outcome. */
  async function transmit(
    client: ApiClient,
    batch: SendBatch,
    started: readonly Job[],
    bookedAt: number | null = null,
  ): Promise<void> {
    const path = LEVEL_META[batch.level].statusUpdatePath;
    const ids = started.map((j) => j.objectId);
    const leftAt = deps.now();
    try {
      const { requestId, sentAt } = await client.updateStatus(batch.level, batch.advertiserId, ids, batch.action);
      const from = onOurClock(sentAt, leftAt) ?? leftAt;
      if (bookedAt !== null) deps.limiter.settle(batch.advertiserId, path, bookedAt, deps.now());
      // TikTok's acceptance and the start of its read-back in one transaction: the reads of a bulk pause's first
      // batches are due while its last ones are still going out, instead of all waiting for one more pass.
      const shownAfter = expectedShownAfter(batch.level);
      const firstReadAt = shownAfter === undefined ? undefined : from + shownAfter;
      for (const j of started) requestedAt.set(j.id, from);
      await apply(
        started.flatMap((j) => [
          { jobId: j.id, event: { type: 'send-ok' as const, requestId } },
          {
            jobId: j.id,
            event: { type: 'verify-started' as const, ...(firstReadAt === undefined ? {} : { firstReadAt }) },
          },
        ]),
      );
      for (const j of started) splitGroups.delete(j.id);
      return;
    } catch (error) {
      const failure = toApiFailure(error);
      penalize(failure, batch.advertiserId, path);
      const refusal = failure.retry === 'never' && failure.outcome === 'not-applied';
      const plan = refusal ? planBatchFailure(ids, failure.code, failure.tiktokMessage) : { kind: 'all' as const };
      const byObject = new Map(started.map((j) => [j.objectId, j]));
      const events: EventInput[] = [];
      const fail = (objectIds: readonly string[], f: ApiFailure): void => {
        for (const id of objectIds) {
          const job = byObject.get(id);
          if (job) events.push({ jobId: job.id, event: { type: 'send-error', failure: f } });
        }
      };
      if (plan.kind === 'all') fail(ids, failure);
      else if (plan.kind === 'blame') {
        fail(plan.blamed, failure);
        fail(plan.innocent, innocentFailure(failure, ids.length, batch.level));
        const group = `s${++splitSeq}`;
        for (const id of plan.innocent) {
          const job = byObject.get(id);
          if (job) splitGroups.set(job.id, group);
        }
      } else {
        const innocent = innocentFailure(failure, ids.length, batch.level);
        innocent.message = `TikTok refused a batch of ${ids.length} because of one of its ${LEVEL_META[batch.level].label}s (${failure.code}) without saying which; nothing was changed. SafePause sends smaller batches to find it.${failure.tiktokMessage ? ` TikTok said: "${failure.tiktokMessage}"` : ''}`;
        fail(ids, innocent);
        for (const half of plan.halves) {
          const group = `s${++splitSeq}`;
          for (const id of half) {
            const job = byObject.get(id);
            if (job) splitGroups.set(job.id, group);
          }
        }
      }
      await apply(events);
    } finally {
      flush();
    }
  }

  /**
   * Sends batches as fast as the limiter allows, one request per booked slot, without waiting for the previous
   * answer. The attempts are committed a group of batches at a time (1, 2, 4… up to `commitAheadBatches`, about a
   * second of requests), and the next group's commit overlaps the current group's requests; every request still
   * leaves only after its own attempt is on disk. A slot is booked after the commit, so a slow commit can only delay
   * a request, never bunch it with the next one. At most `maxInFlight` requests are unanswered at once: a TikTok
   * that stops answering is not sent everything. A worker stopped between a commit and its request leaves jobs
   * `sending` with nothing sent; they are read before any send, like every interrupted attempt.
   */
  async function sendAll(
    client: ApiClient,
    batches: readonly SendBatch[],
    head: readonly { batch: SendBatch; started: Job[] }[] = [],
  ): Promise<void> {
    const inFlightSends = new Set<Promise<void>>();
    const failures: unknown[] = [];
    let next = 0;
    // Groups grow 1, 2, 4… up to `commitAheadBatches`: the first request waits for one batch's commit, not a
    // second's worth, and each larger group is committed while the smaller one before it goes out.
    let groupSize = policy.commitAheadBatches;
    /** The next batches of this run; a limiter key whose next slot is too far off is left to a later run. */
    const takeGroup = (): SendBatch[] => {
      const group: SendBatch[] = [];
      const size = Math.min(groupSize, policy.commitAheadBatches);
      groupSize *= 2;
      while (next < batches.length && group.length < size) {
        const batch = batches[next++] as SendBatch;
        const path = LEVEL_META[batch.level].statusUpdatePath;
        const key = `${batch.advertiserId}\u0000${path}`;
        const wait = deps.limiter.peek(batch.advertiserId, path, deps.now());
        if (wait > policy.maxLimiterWaitMs) {
          // Nothing is stored for this batch.
          deferredUntil.set(key, deps.now() + wait);
          continue;
        }
        deferredUntil.delete(key);
        group.push(batch);
      }
      return group;
    };
    // Batches started with their jobs' creation go first, with no commit of their own.
    let pending: Promise<{ batch: SendBatch; started: Job[] }[]> | null =
      head.length > 0 ? Promise.resolve([...head]) : startAttempts(takeGroup());
    try {
      while (pending !== null && failures.length === 0) {
        const group = await pending;
        pending = null;
        for (const [k, { batch, started }] of group.entries()) {
          while (inFlightSends.size >= policy.maxInFlight) await Promise.race(inFlightSends);
          if (failures.length > 0) break;
          if (started.length > 0) {
            const path = LEVEL_META[batch.level].statusUpdatePath;
            const bookedFrom = deps.now();
            const booked = deps.limiter.reserve(batch.advertiserId, path, bookedFrom);
            if (booked > 0) await sleep(booked);
            const sending: Promise<void> = transmit(client, batch, started, bookedFrom + booked).catch(
              (error: unknown) => {
                failures.push(error);
              },
            );
            inFlightSends.add(sending);
            void sending.then(() => inFlightSends.delete(sending));
          }
          if (k === 0 && next < batches.length) pending = startAttempts(takeGroup());
        }
      }
    } catch (error) {
      failures.push(error);
    } finally {
      // A commit still running when a send failed: let it finish (its jobs stay `sending`, read before any send).
      if (pending !== null) await (pending as Promise<unknown>).catch((error: unknown) => failures.push(error));
      await Promise.all(inFlightSends);
    }
    // A failure to store an outcome leaves its jobs `sending`; the next start reads them before any resend.
    if (failures.length > 0) throw failures[0];
  }

  /** The batches started with their creation whose jobs nothing else has touched since; each is taken once. */
  function takeHeadStarts(): { batch: SendBatch; started: Job[] }[] {
    const out: { batch: SendBatch; started: Job[] }[] = [];
    for (const batch of headStarts) {
      const started = batch.jobs.filter((j) => headIds.has(j.id));
      for (const j of started) headIds.delete(j.id);
      if (started.length > 0) out.push({ batch: { ...batch, jobs: started }, started });
    }
    headStarts = [];
    return out;
  }

  /**
   * The first batches of new jobs whose attempt can be committed with their creation: as many as a send group
   * (`commitAheadBatches`), when the limiter has a slot within a run's wait, no earlier batch of this worker is still
   * waiting to go, and a token is there to send them with. Otherwise none: the jobs are created `queued`.
   */
  async function planHeadStart(jobs: readonly Job[]): Promise<SendBatch[]> {
    const first = jobs[0];
    if (first === undefined || policy.commitAheadBatches < 1 || headStarts.length > 0) return [];
    const path = LEVEL_META[first.level].statusUpdatePath;
    if (deps.limiter.peek(first.advertiserId, path, deps.now()) > policy.maxLimiterWaitMs) return [];
    if ((deferredUntil.get(`${first.advertiserId}\u0000${path}`) ?? 0) > deps.now()) return [];
    if ((await deps.getClient()) === null) return [];
    return planSendBatches(jobs).slice(0, policy.commitAheadBatches);
  }

  /** One round over the jobs due now. Returns whether any step was stored. */
  async function round(due: Job[], clientOnce: () => Promise<ApiClient | null>): Promise<boolean> {
    let progressed = false;
    const now = deps.now();
    const current = new Map(due.map((j) => [j.id, j]));
    const update = (results: readonly ApplyResult[]): void => {
      for (const j of okJobs(results)) {
        current.set(j.id, j);
        progressed = true;
      }
    };

    // Deadlines first: a job past its window stops here.
    const late = due.filter((j) => deadlinePassed(j, now));
    update(await apply(late.map((j) => ({ jobId: j.id, event: { type: 'deadline-passed' } }))));
    for (const j of late) current.delete(j.id);

    // Accepted changes start their read-back (no request needed).
    const sent = [...current.values()].filter((j) => j.state === 'sent');
    update(
      await apply(
        sent.map((j) => {
          const firstReadAt = expectedShownAt(j);
          return {
            jobId: j.id,
            event: { type: 'verify-started', ...(firstReadAt === undefined ? {} : { firstReadAt }) },
          };
        }),
      ),
    );
    for (const j of sent) current.delete(j.id);

    const rest = [...current.values()].filter((j) => {
      const at = readyAt(j);
      return at !== null && at <= now;
    });
    if (rest.length === 0 && headStarts.length === 0) return progressed;
    const client = await clientOnce();
    if (client === null) {
      // The token went away since those attempts were committed: they were not sent, and are read before any send.
      const stranded = takeHeadStarts().flatMap((g) => g.started);
      update(
        await apply([
          ...rest.map((j) => ({ jobId: j.id, event: { type: 'token-missing' } as const })),
          ...stranded.map((j) => ({ jobId: j.id, event: { type: 'send-interrupted' } as const })),
        ]),
      );
      flush();
      return progressed;
    }
    // A worker stopped mid-request loses its timers and its alarm has already fired: keep one armed.
    deps.schedule(deps.now() + policy.backstopMs);

    // Reads: verification, and reconciliation before any resend.
    // The batches go out side by side (each waits for its own limiter slot, booked in order), so a bulk pause's
    // read-backs take one slot each, not one round trip each.
    const toRead = rest.filter((j) => needsRead(j, now));
    await Promise.all(planReadBatches(toRead).map((batch) => readStatuses(client, batch)));
    flush();
    for (const j of await outbox.getJobs(toRead.map((r) => r.id))) {
      if (j && current.has(j.id)) current.set(j.id, j);
    }

    // Sends: new jobs, and reconciled ones that are safe to send again.
    const sendNow = deps.now();
    const sendable = [...current.values()].filter((j) => canSend(j, sendNow));
    const head = takeHeadStarts();
    if (head.length > 0) progressed = true;
    await sendAll(
      client,
      planSendBatches(sendable, (j) => splitGroups.get(j.id)),
      head,
    );

    // Spend snapshots of confirmed pauses.
    // A change confirmed meanwhile (new jobs) goes first: the snapshots left wait for a later round, instead of
    // holding the run (and the new change's first request) for as many report reads as there are watched pauses.
    const watching = rest.filter((j) => j.state === 'confirmed' && j.action === 'DISABLE');
    for (const batch of planReadBatches(watching)) {
      if (fresh.size > 0) break;
      await readSpend(client, batch);
    }
    flush();
    return progressed;
  }

  let lastRoundProgressed = true;

  async function runRounds(): Promise<void> {
    let client: ApiClient | null | undefined;
    const clientOnce = async (): Promise<ApiClient | null> => {
      if (client === undefined) client = await deps.getClient();
      return client;
    };
    // Jobs created since the last run: with no fresh view of every open job, the first round takes just these, so
    // a bulk pause's first request does not wait for a read of them all; the next round reads the rest.
    const created = [...fresh.values()];
    fresh.clear();
    try {
      for (let i = 0; i < policy.maxRounds; i++) {
        const partial = i === 0 && created.length > 0 && !mirrorFresh();
        const open = partial ? created : await openView();
        const now = deps.now();
        holdSpend(open, now);
        const due = open.filter((j) => isDue(j, now));
        if (due.length === 0 && !partial && headStarts.length === 0) {
          lastRoundProgressed = true;
          break;
        }
        const before = stepCount;
        const progressed = (due.length > 0 || headStarts.length > 0) && (await round(due, clientOnce));
        lastRoundProgressed = progressed || stepCount > before;
        if (!lastRoundProgressed && !partial) break;
      }
    } finally {
      flush();
      await reschedule();
    }
  }

  async function reschedule(): Promise<void> {
    const now = deps.now();
    const open = await openView();
    let wake: number | null = null;
    const consider = (t: number | null): void => {
      if (t !== null && (wake === null || t < wake)) wake = t;
    };
    for (const job of open) {
      consider(readyAt(job));
      if (DEADLINE_STATES.includes(job.state)) consider(job.deadline);
    }
    if (headStarts.length > 0) consider(now);
    if (wake !== null && wake <= now) {
      let earliestDeferral: number | null = null;
      for (const t of deferredUntil.values()) {
        if (t > now && (earliestDeferral === null || t < earliestDeferral)) earliestDeferral = t;
      }
      const floor = lastRoundProgressed ? now : now + 1_000;
      wake = Math.max(earliestDeferral ?? floor, floor);
    }
    deps.schedule(wake);
  }

  let queuedRun: Promise<void> | null = null;
  function runDue(): Promise<void> {
    if (queuedRun) return queuedRun;
    const run: Promise<void> = exclusive(async () => {
      if (queuedRun === run) queuedRun = null;
      await runRounds();
    });
    queuedRun = run;
    const clear = (): void => {
      if (queuedRun === run) queuedRun = null;
    };
    run.then(clear, clear);
    return track(run);
  }

  function kick(): void {
    runDue().catch((error: unknown) => deps.onError?.(error));
  }

  // ---- creating jobs -------------------------------------------------------------------------

  interface CreateOptions {
    /** The job an undo resumes: excluded from de-duplication, marked `undone` in the same transaction. */
    undoOf?: readonly Job[];
    /** Appended to the creation row (e.g. the status read that preceded a retry). */
    note?: { detail: string; requestId?: string };
  }

  function validate(input: EnqueueInput): void {
    if (!LEVEL_META[input.level]) throw new JobRequestError(`Unknown level ${String(input.level)}.`);
    if (!isStatusAction(input.action)) throw new JobRequestError('Only ENABLE and DISABLE can be sent.');
    if (!isObjectId(input.advertiserId)) throw new JobRequestError('The advertiser ID must be a digit string.');
    if (input.objects.length === 0) throw new JobRequestError('Nothing to pause or resume was given.');
    for (const o of input.objects) {
      if (!isObjectId(o.id)) throw new JobRequestError(`The ${input.level} ID "${o.id}" is not a digit string.`);
    }
  }

  async function create(input: EnqueueInput, options: CreateOptions = {}): Promise<EnqueueResult> {
    validate(input);
    const undoing = new Map((options.undoOf ?? []).map((j) => [j.objectId, j]));
    const result = await serialCreation(async () => {
      const now = deps.now();
      const existing = await outbox.jobsForObjects(
        input.advertiserId,
        input.level,
        input.objects.map((o) => o.id),
      );
      const jobIds: string[] = [];
      const joined: string[] = [];
      const entries: { job: Job; audit: AuditEntry }[] = [];
      const byObject = new Map<string, string>();
      const conflicts: ConstructorParameters<typeof JobConflictError>[0] = [];
      for (const o of input.objects) {
        if (byObject.has(o.id)) continue;
        const open = existing
          .get(o.id)
          ?.find((j) => jobPhase(j) === 'open' && j.id !== undoing.get(o.id)?.id && j.state !== 'undone');
        // An open job that has not reached TikTok yet is joined (one change, one send). One whose change TikTok
        // already showed (it only watches spend now) is not: the object was read in its old state again since
        // (someone changed it back), so the new request gets its own job and is sent.
        if (open && !(open.action === input.action && APPLIED_STATES.includes(open.state))) {
          if (open.action === input.action) {
            byObject.set(o.id, open.id);
            jobIds.push(open.id);
            joined.push(open.id);
          } else {
            conflicts.push({ objectId: o.id, objectName: open.objectName, jobId: open.id, action: open.action });
          }
          continue;
        }
        const made = createJob(
          {
            id: newId(),
            level: input.level,
            advertiserId: input.advertiserId,
            objectId: o.id,
            objectName: o.name,
            action: input.action,
            actor: input.actor,
            baseline: { operationStatus: o.baseline.operationStatus, modifyTime: o.baseline.modifyTime },
            ...(undoing.has(o.id) ? { undoOf: undoing.get(o.id)?.id } : {}),
          },
          now,
          jobPolicy,
        );
        const spend = parseSpend(o.spendAtClick);
        if (spend !== null) made.job.spend.atClick = { value: spend, at: now };
        if (o.ledger) made.job.ledger = o.ledger;
        if (options.note) {
          made.audit.detail = `${made.audit.detail} ${options.note.detail}`;
          if (options.note.requestId) made.audit.requestId = options.note.requestId;
        }
        entries.push(made);
        byObject.set(o.id, made.job.id);
        jobIds.push(made.job.id);
      }
      if (conflicts.length > 0) throw new JobConflictError(conflicts);
      const events: EventInput[] = [];
      for (const [objectId, undone] of undoing) {
        const undoJobId = byObject.get(objectId);
        if (undoJobId === undefined) throw new JobRequestError('Nothing to resume.');
        events.push({ jobId: undone.id, event: { type: 'undo', undoJobId } });
      }
      if (entries.length > 0 || events.length > 0) {
        // The first send group's attempts are committed with the jobs (all or nothing, like the rest).
        const head = await planHeadStart(entries.map((e) => e.job));
        for (const batch of head) {
          for (const j of batch.jobs) events.push({ jobId: j.id, event: { type: 'send-started' } });
        }
        const results = await outbox.commitNewJobs(entries, { now, events });
        const refused = results.find((r) => !r.ok);
        if (refused && !refused.ok) {
          throw new JobRequestError(`SafePause could not record this change (${refused.reason}). Nothing was sent.`);
        }
        note(results);
        const latest = new Map(okJobs(results).map((j) => [j.id, j]));
        for (const e of entries) {
          const job = latest.get(e.job.id) ?? e.job;
          changed.set(job.id, job);
          fresh.set(job.id, job);
          mirrorStored(job);
        }
        for (const batch of head) {
          const started = batch.jobs.flatMap((j) => {
            const job = latest.get(j.id);
            return job?.state === 'sending' ? [job] : [];
          });
          if (started.length === 0) continue;
          headStarts.push({ ...batch, jobs: started });
          for (const j of started) headIds.add(j.id);
        }
      }
      return { jobIds, joined };
    });
    flush();
    kick();
    return result;
  }

  async function readOne(
    client: ApiClient,
    job: Job,
  ): Promise<{ operationStatus: string | null; modifyTime: string | null; name: string | null; requestId: string }> {
    const path = LEVEL_META[job.level].getPath;
    const wait = deps.limiter.reserve(job.advertiserId, path, deps.now());
    if (wait > 0) await sleep(Math.min(wait, policy.maxLimiterWaitMs));
    try {
      const { data, requestId } = await client.getObjects(job.level, job.advertiserId, { ids: [job.objectId] });
      const o = data.list.find((x) => x.id === job.objectId);
      return {
        operationStatus: o?.operationStatus ?? null,
        modifyTime: o?.modifyTime ?? null,
        name: o?.name ?? null,
        requestId,
      };
    } catch (error) {
      throw new JobRequestError(
        `SafePause could not read the ${LEVEL_META[job.level].label} first: ${toApiFailure(error).message}`,
      );
    }
  }

  /**
   * Resumes what confirmed pauses paused, in one commit (so the resumes go out in full batches): each pause job is
   * closed as `undone` in the same transaction that creates its ENABLE job.
   */
  async function undoMany(jobIds: readonly string[], actor: JobActor): Promise<EnqueueResult> {
    const jobs: Job[] = [];
    for (const id of jobIds) {
      const job = await outbox.getJob(id);
      if (!job) throw new JobRequestError('This job no longer exists.');
      if (job.action !== 'DISABLE' || !UNDOABLE_STATES.includes(job.state)) {
        throw new JobRequestError('Only a confirmed pause can be undone.');
      }
      jobs.push(job);
    }
    const first = jobs[0];
    if (!first) throw new JobRequestError('Nothing to resume.');
    if (jobs.some((j) => j.level !== first.level || j.advertiserId !== first.advertiserId)) {
      throw new JobRequestError('Pauses of different advertisers or levels are undone separately.');
    }
    return create(
      {
        level: first.level,
        advertiserId: first.advertiserId,
        action: 'ENABLE',
        actor,
        objects: jobs.map((job) => ({
          id: job.objectId,
          name: job.objectName,
          baseline: {
            operationStatus: job.lastRead?.operationStatus ?? 'DISABLE',
            modifyTime: job.lastRead?.modifyTime ?? null,
          },
        })),
      },
      { undoOf: jobs },
    );
  }

  // ---- public API ----------------------------------------------------------------------------

  return {
    outbox,

    enqueue: (input) => create(input),

    runDue,

    recover() {
      return track(
        exclusive(async () => {
          const open = await outbox.openJobs();
          await apply(
            open
              .filter((j) => j.state === 'sending')
              .map((j) => ({ jobId: j.id, event: { type: 'send-interrupted' } })),
          );
          // The token may have come back while no worker ran (or one died unblocking the jobs): a start resumes them.
          const blocked = open.filter((j) => j.state === 'blocked');
          if (blocked.length > 0 && (await deps.getClient()) !== null) {
            await apply(blocked.map((j) => ({ jobId: j.id, event: { type: 'token-available' } })));
          }
          await runRounds();
        }),
      );
    },

    tokenAvailable() {
      return track(
        exclusive(async () => {
          const open = await outbox.openJobs();
          await apply(
            open.filter((j) => j.state === 'blocked').map((j) => ({ jobId: j.id, event: { type: 'token-available' } })),
          );
          await runRounds();
        }),
      );
    },

    async retry(jobId) {
      const job = await outbox.getJob(jobId);
      if (!job) throw new JobRequestError('This job no longer exists.');
      if (!RETRYABLE_STATES.includes(job.state)) {
        throw new JobRequestError('Only a failed, stuck or changed-elsewhere job can be tried again.');
      }
      const client = await deps.getClient();
      if (!client) {
        throw new JobRequestError(
          'No TikTok access token is available. Enter it in SafePause options, then try again.',
        );
      }
      const read = await readOne(client, job);
      if (read.operationStatus === null) {
        throw new JobRequestError(
          `TikTok no longer returns this ${LEVEL_META[job.level].label} (deleted?). Check it in Ads Manager.`,
        );
      }
      if (read.operationStatus === job.action) return { jobId: null, alreadyInTarget: true, joined: false };
      const result = await create(
        {
          level: job.level,
          advertiserId: job.advertiserId,
          action: job.action,
          actor: { kind: 'user' },
          objects: [
            {
              id: job.objectId,
              name: read.name ?? job.objectName,
              baseline: { operationStatus: read.operationStatus, modifyTime: read.modifyTime },
            },
          ],
        },
        { note: { detail: `Retry of job ${job.id}; status read first.`, requestId: read.requestId } },
      );
      const id = result.jobIds[0] ?? null;
      return { jobId: id, alreadyInTarget: false, joined: id !== null && result.joined.includes(id) };
    },

    async undo(jobId) {
      const result = await undoMany([jobId], { kind: 'user' });
      const id = result.jobIds[0];
      if (id === undefined) throw new JobRequestError('Nothing to resume.');
      return { jobId: id, joined: result.joined.includes(id) };
    },

    undoMany,

    snapshot: (filter) => outbox.snapshot(filter),

    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
