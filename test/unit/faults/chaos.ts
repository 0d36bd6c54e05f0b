/**
 * One seeded chaos run of the real job engine: the real sandbox server over HTTP as TikTok, fake-indexeddb as the
 * worker's storage, an injected clock. The seed decides which API calls fail and how (retryable codes, refusals,
 * hangs, answers lost after TikTok applied the change, 5xx, malformed and odd bodies), when the worker dies
 * (before or in the middle of a database step, before or after a request left, while waiting for the rate
 * limiter), how long it stays down, and whether the session token survives the restart. A dead worker's every
 * later await never resolves, as when Chrome stops it; a fresh engine over the same database then calls
 * `recover()`, as a restarted service worker does.
 *
 * After the run, the invariants of the design are checked against what the sandbox received and what the
 * database holds (see `verify`).
 */
import { IDBFactory } from 'fake-indexeddb';
import { createApiClient } from '../../../lib/api/client';
import { TIKTOK_CODES } from '../../../lib/api/errors';
import { parseJsonLossless } from '../../../lib/api/json';
import { createJobEngine, DEFAULT_ENGINE_POLICY, type JobEngine } from '../../../lib/jobs/engine';
import { createRateLimiter } from '../../../lib/jobs/limiter';
import { jobPhase } from '../../../lib/jobs/outbox';
import type { Job, JobAction, JobState } from '../../../lib/jobs/types';
import {
  type AuditRecord,
  closeDatabase,
  openDatabase,
  type SafePauseDatabase,
  type StoredJob,
} from '../../../lib/store/db';
import type { FaultPlanInput } from '../../../sandbox/api/faults';
import type { LoggedRequest } from '../../../sandbox/api/request-log';
import type { RunningSandbox } from '../../../sandbox/server';
import { control, type ObjectState, states } from '../sandbox/harness';
import { createRng, type Rng } from './prng';

/** The client's per-request timeout (real milliseconds): hangs are made a little shorter or longer than it. */
export const TIMEOUT_MS = 150;
const MAX_STEPS = 700;
/** How late after a deadline (virtual time) a job may still be open: a backstop alarm plus the longest outage. */
const GRACE_MS = 3 * 60_000;
const RESTART_GAPS_MS = [0, 0, 500, 3_000, 30_000, 90_000] as const;
const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);
const DEADLINE_STATES: readonly JobState[] = ['queued', 'retrying', 'unknown', 'sent', 'verifying'];
const APPLIED_FAULTS = new Set(['apply-then-hang', 'apply-then-code']);
const RETRYABLE_CODES = Object.entries(TIKTOK_CODES)
  .filter(([, info]) => info.retry === 'retryable')
  .map(([code]) => Number(code));
const REFUSAL_CODES = [40001, 40002, 40007];

export type KillPoint = 'db-before' | 'db-mid-transaction' | 'fetch-before-send' | 'fetch-after-send' | 'limiter-wait';

/** The invariants a run checks (each violation belongs to one). */
export const INVARIANTS = {
  'one-send': 'At most one applied status update per object, unless a status read between showed it not applied',
  'recorded-first': 'No status update leaves before its job is committed as sending; none for an object without a job',
  'confirmed-by-read':
    'Every confirmed or settled job was confirmed by a read showing the new status, and TikTok agrees',
  deadline: 'No job left unfinished past its deadline; every job finished by the end of the run',
  audit: 'The audit trail is append-only and ordered: seq increasing, each job a from→to chain ending in its state',
  engine: 'A live worker never throws',
} as const;
export type Invariant = keyof typeof INVARIANTS;

/** Which invariant a violation (as `verify` words it) breaks. */
export function invariantOf(violation: string): Invariant {
  if (/applied status updates/.test(violation)) return 'one-send';
  if (/left before a job|reached TikTok but only|object with no job|operation_status|after every job/.test(violation)) {
    return 'recorded-first';
  }
  if (/confirmed by read|without a status read|but TikTok has/.test(violation)) return 'confirmed-by-read';
  if (/audit/.test(violation)) return 'audit';
  if (/deadline|watching spend|not finished|unfinished/.test(violation)) return 'deadline';
  return 'engine';
}

export interface ChaosResult {
  seed: number;
  ok: boolean;
  violations: string[];
  /** The invariants this run broke. */
  broken: Invariant[];
  jobs: number;
  objects: number;
  faultsPlanned: number;
  faultsFired: number;
  /** API faults that fired, by kind. */
  faultKinds: string[];
  kills: KillPoint[];
  restarts: number;
  tokenLosses: number;
  statusUpdates: number;
  appliedUpdates: number;
  outcomes: Partial<Record<JobState, number>>;
  steps: number;
  virtualMinutes: number;
  /** What happened, step by step, for a failing seed. */
  trace: string[];
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type IoKind = 'db' | 'fetch' | 'sleep';

/** Where a life ends: at the n-th await of that kind on the outside world. */
interface KillPlan {
  kind: IoKind;
  n: number;
  /** db: die before the step (else inside its transaction); fetch: die before the request leaves (else after). */
  before: boolean;
}

/** One life of the worker: it dies at the await its kill plan names (or lives on). */
class Life {
  dead = false;
  killedAt: KillPoint | null = null;
  readonly died: Promise<void>;
  private markDead: () => void = () => undefined;
  private readonly ops: Record<IoKind, number> = { db: 0, fetch: 0, sleep: 0 };
  /** Write transactions of this life not yet committed: a dying worker loses them. */
  readonly openWrites = new Set<{ abort(): void }>();

  constructor(readonly plan: KillPlan | null) {
    this.died = new Promise<void>((resolve) => {
      this.markDead = resolve;
    });
  }

  /** Counts an await on the outside world; true when the worker dies at this one. */
  tick(kind: IoKind): boolean {
    if (this.dead) return false;
    this.ops[kind] += 1;
    return this.plan?.kind === kind && this.ops[kind] === this.plan.n;
  }

  /** Dies now; with `announce: false` the driver learns of it only from `announce()` (the request still leaving). */
  die(at: KillPoint, options: { announce?: boolean } = {}): void {
    if (this.dead) return;
    this.dead = true;
    this.killedAt = at;
    for (const tx of this.openWrites) {
      try {
        tx.abort();
      } catch {
        // It committed meanwhile.
      }
    }
    this.openWrites.clear();
    if (options.announce !== false) this.markDead();
  }

  announce(): void {
    this.markDead();
  }
}

interface PlannedEnqueue {
  atStep: number;
  action: JobAction;
  ids: string[];
  /** A second identical request at once (double click): it must join the first. */
  twice: boolean;
}

interface ReadView {
  /** operation_status per object ID as the response listed it. */
  statuses: Map<string, string>;
}

function idText(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** The objects and statuses a captured campaign/get answer listed (null when it is not such an answer). */
function readView(body: unknown): ReadView | null {
  const list = (body as { data?: { list?: unknown } } | null)?.data?.list;
  if (!Array.isArray(list)) return null;
  const statuses = new Map<string, string>();
  for (const item of list) {
    const o = item as { campaign_id?: unknown; operation_status?: unknown };
    if (o.campaign_id !== undefined && typeof o.operation_status === 'string') {
      statuses.set(idText(o.campaign_id), o.operation_status);
    }
  }
  return { statuses };
}

function planFault(rng: Rng, targets: readonly string[]): FaultPlanInput {
  const path = rng.pick([
    'campaign/status/update',
    'campaign/status/update',
    'campaign/status/update',
    'campaign/get',
    'campaign/get',
    'report/integrated/get',
  ]);
  const write = path === 'campaign/status/update';
  const base = {
    path,
    ...(rng.chance(0.7) ? { ids: [rng.pick(targets)] } : {}),
    times: rng.int(1, 2),
    after: rng.int(0, 2),
  };
  // Sometimes an outage that outlasts the job's deadline.
  if (rng.chance(0.08)) {
    const outage = { ...base, times: 10_000, after: 0 };
    return rng.chance(0.5)
      ? { ...outage, kind: 'code', code: rng.pick(RETRYABLE_CODES) }
      : { ...outage, kind: 'http', status: 503 };
  }
  const roll = rng.next();
  if (roll < 0.35) return { ...base, kind: 'code', code: rng.pick(RETRYABLE_CODES) };
  if (roll < 0.4) return { ...base, kind: 'code', code: rng.pick(REFUSAL_CODES) };
  if (roll < 0.55) return { ...base, kind: 'hang', delayMs: rng.pick([null, 40, TIMEOUT_MS + 120]) };
  if (roll < 0.65 && write) return { ...base, kind: 'apply-then-hang', delayMs: rng.pick([null, TIMEOUT_MS + 120]) };
  if (roll < 0.75 && write) return { ...base, kind: 'apply-then-code', code: rng.pick([50000, 50002]) };
  if (roll < 0.85) return { ...base, kind: 'http', status: rng.pick([500, 502, 503, 504]) };
  if (roll < 0.94) return { ...base, kind: 'malformed' };
  if (roll < 0.97) return { ...base, kind: 'numeric-ids' };
  return { ...base, kind: 'missing-fields' };
}

async function freshStorage(): Promise<void> {
  await closeDatabase();
  (globalThis as { indexedDB: IDBFactory }).indexedDB = new IDBFactory();
}

async function allJobs(): Promise<Job[]> {
  const db = await openDatabase();
  return (await db.getAll('jobs')).map(({ phase: _phase, ...job }) => job);
}

async function allAudit(): Promise<AuditRecord[]> {
  return (await openDatabase()).getAll('audit');
}

/** Runs one seeded chaos run against `sb` (which it resets) and checks the invariants. */
export async function runChaos(sb: RunningSandbox, seed: number): Promise<ChaosResult> {
  const rng = createRng(seed);
  const jitter = createRng(seed ^ 0x5bd1e995);
  const trace: string[] = [];
  const violations: string[] = [];
  const note = (text: string): void => {
    trace.push(`[t+${Math.round((clock.t - T0) / 1000)}s] ${text}`);
  };
  const violate = (text: string): void => {
    if (!violations.includes(text)) violations.push(text);
  };
  const clock = { t: T0 };

  // ---- the world of this run -------------------------------------------------------------------
  const processingDelayMs = rng.pick([0, 0, 20]);
  /** Extra task turns before each write commits (a disk slower than the network). */
  const slowCommits = rng.pick([0, 0, 2, 6]);
  await control(sb, 'POST', 'reset', {
    seed: 7,
    campaigns: 40,
    secondAdvertiserCampaigns: 5,
    clockSpeed: 0,
    processingDelayMs,
    reportLatencyMinutes: 0,
    rateLimits: { enabled: false },
  });
  await freshStorage();
  const advertiserId = sb.advertiserIds[0] as string;
  const world = (await states(sb, 'campaign', advertiserId)).filter(
    (c) => !c.deleted && (c.operation_status === 'ENABLE' || c.operation_status === 'DISABLE'),
  );
  const plans: PlannedEnqueue[] = [];
  const chosen = new Set<string>();
  const objectCount = rng.int(1, 6);
  while (chosen.size < objectCount) chosen.add(rng.pick(world).id);
  const targets = [...chosen];
  const actionOf = new Map<string, JobAction>();
  for (const id of targets) {
    const status = world.find((c) => c.id === id)?.operation_status;
    actionOf.set(id, status === 'ENABLE' ? 'DISABLE' : 'ENABLE');
  }
  {
    const queue = [...targets];
    while (queue.length > 0) {
      const take = rng.int(1, queue.length);
      const ids = queue.splice(0, take);
      const action = actionOf.get(ids[0] as string) as JobAction;
      // One request names objects that want the same change (as one confirm prompt does).
      const same = ids.filter((id) => actionOf.get(id) === action);
      queue.unshift(...ids.filter((id) => actionOf.get(id) !== action));
      plans.push({ atStep: plans.length === 0 ? 0 : rng.int(0, 8), action, ids: same, twice: rng.chance(0.2) });
    }
  }
  const faults = Array.from({ length: rng.int(1, 6) }, () => planFault(rng, targets));
  sb.state.faults.add(faults);
  note(
    `objects ${targets.map((id) => `${id}:${actionOf.get(id)}`).join(', ')}; processing delay ${processingDelayMs} ms; slow commits ${slowCommits}`,
  );
  note(`faults ${JSON.stringify(faults)}`);

  // ---- what the test observes outside the engine ------------------------------------------------
  /** Every API answer the engine's client received, by request_id. */
  const answers = new Map<string, unknown>();
  const errors: string[] = [];
  const kills: KillPoint[] = [];
  const auditSnapshots: AuditRecord[][] = [];
  let wake: number | null = null;
  const token = { present: true };
  let tokenLosses = 0;
  let restarts = 0;
  let jobSeq = 0;

  /** Every job as last committed (jobs written in transactions that completed), kept outside the database. */
  const committed = new Map<string, { objectId: string; state: JobState }>();

  /** What is wrong with sending this status update now: its jobs must already be committed as sending. */
  function sendProblems(body: string | undefined): string[] {
    const problems: string[] = [];
    const parsed = body ? (JSON.parse(body) as { campaign_ids?: string[]; operation_status?: string }) : {};
    if (parsed.operation_status !== 'ENABLE' && parsed.operation_status !== 'DISABLE') {
      problems.push(`a status update with operation_status ${String(parsed.operation_status)} was sent`);
    }
    for (const id of parsed.campaign_ids ?? []) {
      const jobs = [...committed].filter(([, j]) => j.objectId === id);
      if (!jobs.some(([, j]) => j.state === 'sending')) {
        const seen = jobs.map(([jobId, j]) => `${jobId}=${j.state}`).join(', ');
        problems.push(`a status update for ${id} left before a job of it was committed as sending (${seen})`);
      }
    }
    return problems;
  }

  /** A write transaction whose job records join `committed` when (and only if) it commits. */
  function watchWrites<T extends object>(tx: T & { done: Promise<void>; objectStore(name: string): object }): T {
    const written: StoredJob[] = [];
    tx.done.then(
      () => {
        for (const job of written) committed.set(job.id, { objectId: job.objectId, state: job.state });
      },
      () => undefined,
    );
    return new Proxy(tx, {
      get(target, prop) {
        if (prop === 'objectStore') {
          return (name: string) => {
            const store = target.objectStore(name);
            if (name !== 'jobs') return store;
            return new Proxy(store, {
              get(st, key) {
                const value: unknown = Reflect.get(st, key, st);
                if (key === 'put' || key === 'add') {
                  return (record: StoredJob, ...rest: unknown[]) => {
                    written.push(record);
                    return (value as (...a: unknown[]) => unknown).call(st, record, ...rest);
                  };
                }
                return typeof value === 'function' ? value.bind(st) : value;
              },
            });
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /**
   * The database as this life sees it: write transactions are watched and tracked (a death aborts those not
   * committed yet), and with `dieInside` the life dies inside the first transaction it opens, after its first request.
   */
  function wrapDb(db: SafePauseDatabase, life: Life, dieInside: boolean): SafePauseDatabase {
    if (dieInside) setTimeout(() => life.die('db-mid-transaction'), 0);
    return new Proxy(db, {
      get(target, prop) {
        if (prop === 'transaction') {
          return (...args: Parameters<SafePauseDatabase['transaction']>) => {
            let tx = target.transaction(...args);
            if (args[1] === 'readwrite') {
              // A slow disk: the commit waits a few more task turns (extra reads keep the transaction open).
              const names = Array.isArray(args[0]) ? args[0] : [args[0]];
              const store = tx.objectStore(names[0] as 'jobs');
              let spins = slowCommits;
              const spin = (): void => {
                if (spins-- > 0) store.count().then(spin, () => undefined);
              };
              spin();
              const raw = tx;
              life.openWrites.add(raw);
              const settled = (): void => {
                life.openWrites.delete(raw);
              };
              raw.done.then(settled, settled);
              tx = watchWrites(raw as never) as typeof tx;
            }
            if (dieInside) queueMicrotask(() => life.die('db-mid-transaction'));
            return tx;
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  function newLife(): { life: Life; engine: JobEngine } {
    const life = new Life(killPlans.shift() ?? null);
    const openDb = async (): Promise<SafePauseDatabase> => {
      if (life.dead) return never();
      const killHere = life.tick('db');
      if (killHere && life.plan?.before) {
        life.die('db-before');
        return never();
      }
      const db = await openDatabase();
      return life.dead ? never() : wrapDb(db, life, killHere);
    };
    const lifeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      if (life.dead) return never();
      const url = String(input instanceof Request ? input.url : input);
      const killHere = life.tick('fetch');
      if (killHere && life.plan?.before) {
        life.die('fetch-before-send');
        return never();
      }
      // The request leaves now: it must already be on record. A worker that dies at this moment loses every write
      // it has not committed; the restart waits until TikTok has had the request.
      if (url.includes('/status/update/')) for (const problem of sendProblems(init?.body as string)) violate(problem);
      if (killHere) life.die('fetch-after-send', { announce: false });
      try {
        const response = await fetch(input, init);
        const text = await response.text();
        try {
          const body = parseJsonLossless(text) as { request_id?: unknown };
          if (typeof body?.request_id === 'string') answers.set(body.request_id, body);
        } catch {
          // Malformed on purpose: nothing to keep.
        }
        if (life.dead) return never();
        return new Response(text, { status: response.status, headers: response.headers });
      } catch (error) {
        if (life.dead) return never();
        throw error;
      } finally {
        if (killHere) life.announce();
      }
    };
    const client = createApiClient({
      baseUrl: sb.url,
      getToken: async () => sb.token,
      fetch: lifeFetch as typeof fetch,
      timeoutMs: TIMEOUT_MS,
    });
    const engine = createJobEngine({
      getClient: async () => (token.present ? client : null),
      limiter: createRateLimiter({
        app: [
          { limit: 10, windowMs: 1_000 },
          { limit: 600, windowMs: 60_000 },
        ],
        advertiserPerPath: [{ limit: 10, windowMs: 1_000 }],
      }),
      now: () => clock.t,
      random: jitter.next,
      schedule: (at) => {
        if (!life.dead) wake = at;
      },
      onChange: () => undefined,
      onError: (error) => {
        if (!life.dead) errors.push(errorText(error));
      },
      openDb,
      locks: null,
      sleep: async (ms) => {
        if (life.dead) return never();
        if (life.tick('sleep')) {
          life.die('limiter-wait');
          return never();
        }
        clock.t += ms;
      },
      newId: () => `s${seed}-job${++jobSeq}`,
    });
    return { life, engine };
  }

  /** Awaits `work` unless the worker dies first; errors of a live worker are violations. */
  async function during(life: Life, work: () => Promise<unknown>): Promise<'done' | 'died'> {
    let promise: Promise<unknown>;
    try {
      promise = work();
    } catch (error) {
      if (!life.dead) errors.push(errorText(error));
      return life.dead ? 'died' : 'done';
    }
    return Promise.race([
      promise.then(
        () => 'done' as const,
        (error: unknown) => {
          if (!life.dead) errors.push(errorText(error));
          return 'done' as const;
        },
      ),
      life.died.then(() => 'died' as const),
    ]);
  }

  const killPlans: KillPlan[] = Array.from({ length: rng.int(0, 5) }, () => {
    const roll = rng.next();
    const before = rng.chance(0.5);
    if (roll < 0.5) return { kind: 'db', n: rng.int(1, 20), before };
    if (roll < 0.95) return { kind: 'fetch', n: rng.int(1, 5), before };
    return { kind: 'sleep', n: 1, before };
  });
  // Restart gaps and token decisions come from their own stream, drawn in the order the deaths happen.
  const driver = createRng(seed ^ 0x2545f491);
  let { life, engine } = newLife();

  async function enqueue(plan: PlannedEnqueue): Promise<void> {
    const truth = new Map((await states(sb, 'campaign', advertiserId)).map((c) => [c.id, c] as const));
    const objects = plan.ids.map((id) => {
      const o = truth.get(id) as ObjectState;
      return { id, name: o.name, baseline: { operationStatus: o.operation_status, modifyTime: o.modify_time } };
    });
    const input = {
      level: 'campaign' as const,
      advertiserId,
      action: plan.action,
      actor: { kind: 'user' as const },
      objects,
    };
    note(`enqueue ${plan.action} ${plan.ids.join(',')}${plan.twice ? ' twice' : ''}`);
    const outcome = await during(life, () =>
      plan.twice ? Promise.all([engine.enqueue(input), engine.enqueue(input)]) : engine.enqueue(input),
    );
    if (outcome === 'died') unconfirmed.push(plan);
  }

  /**
   * A request the worker died on may or may not have been recorded. The person saw no answer and clicks again
   * (the confirm prompt reads the status first, so only objects still not in the target status).
   */
  async function retryLostRequests(): Promise<void> {
    const jobs = await allJobs();
    for (const plan of unconfirmed.splice(0)) {
      if (plan.ids.some((id) => jobs.some((j) => j.objectId === id))) continue;
      pending.push({ ...plan, atStep: 0, twice: false });
    }
  }

  async function checkDeadlines(): Promise<void> {
    for (const job of await allJobs()) {
      if (jobPhase(job) !== 'open') continue;
      if (DEADLINE_STATES.includes(job.state) && job.deadline !== null && clock.t > job.deadline + GRACE_MS) {
        violate(
          `job ${job.id} is still ${job.state} ${Math.round((clock.t - job.deadline) / 1000)} s past its deadline`,
        );
      }
      const settleBy = job.settleAt === null ? null : job.settleAt + 3 * DEFAULT_ENGINE_POLICY.settleCheckGapMs;
      if (job.state === 'confirmed' && settleBy !== null && clock.t > settleBy + GRACE_MS) {
        violate(`job ${job.id} is still watching spend ${Math.round((clock.t - settleBy) / 1000)} s after it should`);
      }
    }
  }

  async function snapshotAudit(): Promise<void> {
    auditSnapshots.push(await allAudit());
  }

  // ---- the run --------------------------------------------------------------------------------
  let step = 0;
  let stalled = 0;
  const pending = [...plans];
  const unconfirmed: PlannedEnqueue[] = [];
  for (; ; step++) {
    if (step > MAX_STEPS) {
      const open = (await allJobs()).filter((j) => jobPhase(j) === 'open');
      violate(`not finished after ${MAX_STEPS} steps: ${open.map((j) => `${j.id}=${j.state}`).join(', ')}`);
      break;
    }
    if (life.dead) {
      // A request that was leaving when the worker died reaches TikTok before anything restarts.
      await life.died;
      kills.push(life.killedAt as KillPoint);
      await snapshotAudit();
      const gap = driver.pick(RESTART_GAPS_MS);
      clock.t += gap;
      restarts += 1;
      if (token.present && driver.chance(0.2)) {
        token.present = false;
        tokenLosses += 1;
      }
      note(`worker died (${life.killedAt}); restarted after ${gap} ms${token.present ? '' : ' without the token'}`);
      ({ life, engine } = newLife());
      wake = null;
      await during(life, () => engine.recover());
      await retryLostRequests();
      continue;
    }
    for (const plan of pending.filter((p) => p.atStep <= step)) {
      pending.splice(pending.indexOf(plan), 1);
      await enqueue(plan);
    }
    if (life.dead) continue;
    if (!token.present && driver.chance(0.3)) {
      token.present = true;
      note('token entered again');
      await during(life, () => engine.tokenAvailable());
      continue;
    }
    await checkDeadlines();
    const open = (await allJobs()).filter((j) => jobPhase(j) === 'open');
    if (pending.length === 0 && token.present && open.length === 0) break;
    if (wake !== null && wake > clock.t) {
      clock.t = wake;
      stalled = 0;
    } else if (wake === null || ++stalled >= 3) {
      clock.t += 1_000;
      stalled = 0;
    }
    // Let TikTok's processing delay (real time) pass as the virtual clock moves.
    if (processingDelayMs > 0) await realSleep(3);
    await during(life, () => engine.runDue());
  }

  // Answers the sandbox holds back on purpose are let out (and applied) before anything is judged.
  const held = sb.state.faults.list().filter((f) => f.fired > 0 && (f.delayMs ?? 0) > 0);
  if (held.length > 0) await realSleep(Math.max(...held.map((f) => f.delayMs ?? 0)) + 50);

  // Long after: nothing more is sent, nothing changes.
  const sentBefore = sb.state.log.list('/status/update/').length;
  if (!life.dead) {
    clock.t += 3 * 3600_000;
    await during(life, () => engine.runDue());
    await during(life, () => engine.idle());
  }
  if (sb.state.log.list('/status/update/').length !== sentBefore) {
    violate('a status update was sent after every job had finished');
  }
  await snapshotAudit();

  // ---- the invariants -------------------------------------------------------------------------
  const jobs = await allJobs();
  const audit = auditSnapshots.at(-1) ?? [];
  const log = sb.state.log.list();
  for (const error of errors) violate(`the engine threw while alive: ${error}`);
  verifyAudit(jobs, auditSnapshots, violate);
  verifySends(jobs, audit, log, answers, actionOf, violate);
  await verifyOutcomes(sb, advertiserId, jobs, audit, answers, violate);
  for (const job of jobs) {
    if (jobPhase(job) !== 'done') violate(`job ${job.id} ended the run unfinished (${job.state})`);
  }

  const updates = log.filter((r) => r.path.includes('/status/update/'));
  const outcomes: Partial<Record<JobState, number>> = {};
  for (const job of jobs) outcomes[job.state] = (outcomes[job.state] ?? 0) + 1;
  return {
    seed,
    ok: violations.length === 0,
    violations,
    broken: [...new Set(violations.map(invariantOf))],
    jobs: jobs.length,
    objects: targets.length,
    faultsPlanned: faults.length,
    faultsFired: log.filter((r) => r.fault !== null).length,
    faultKinds: log.flatMap((r) => (r.fault ? [r.fault.kind === 'code' ? `code ${r.code}` : r.fault.kind] : [])),
    kills,
    restarts,
    tokenLosses,
    statusUpdates: updates.length,
    appliedUpdates: updates.filter(applied).length,
    outcomes,
    steps: step,
    virtualMinutes: Math.round((clock.t - T0) / 60_000),
    trace,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Whether TikTok applied this status update (an answer lost after applying counts). */
function applied(r: LoggedRequest): boolean {
  return r.code === 0 || (r.fault !== null && APPLIED_FAULTS.has(r.fault.kind));
}

/** Append-only and ordered: every snapshot extends the one before; per job, each step starts where the last ended. */
export function verifyAudit(
  jobs: readonly Job[],
  snapshots: readonly AuditRecord[][],
  violate: (text: string) => void,
): void {
  for (let i = 1; i < snapshots.length; i++) {
    const before = snapshots[i - 1] ?? [];
    const after = snapshots[i] ?? [];
    const prefix = after.slice(0, before.length);
    if (before.length > after.length || JSON.stringify(prefix) !== JSON.stringify(before)) {
      violate('the audit trail changed or lost rows between two restarts (not append-only)');
    }
  }
  const rows = snapshots.at(-1) ?? [];
  for (let i = 1; i < rows.length; i++) {
    if ((rows[i]?.seq ?? 0) <= (rows[i - 1]?.seq ?? 0)) violate('audit seq is not strictly increasing');
  }
  const byJob = new Map<string, AuditRecord[]>();
  for (const row of rows) byJob.set(row.jobId, [...(byJob.get(row.jobId) ?? []), row]);
  for (const job of jobs) {
    const trail = byJob.get(job.id) ?? [];
    const first = trail[0];
    if (first?.event !== 'created' || first.from !== null || first.to !== 'queued') {
      violate(`job ${job.id}: the audit trail does not start with its creation`);
      continue;
    }
    for (let i = 1; i < trail.length; i++) {
      const prev = trail[i - 1] as AuditRecord;
      const row = trail[i] as AuditRecord;
      if (row.from !== prev.to) {
        violate(`job ${job.id}: audit row ${row.seq} goes from ${row.from} but the previous row ended in ${prev.to}`);
      }
      if (row.at < prev.at) violate(`job ${job.id}: audit row ${row.seq} is dated before the row before it`);
    }
    if (trail.at(-1)?.to !== job.state) {
      violate(`job ${job.id}: the last audit row says ${trail.at(-1)?.to} but the job is ${job.state}`);
    }
  }
  for (const jobId of byJob.keys()) {
    if (!jobs.some((j) => j.id === jobId)) violate(`audit rows of a job that does not exist (${jobId})`);
  }
}

/**
 * At most one applied status update per object, unless a status read between the two showed the object not yet
 * in the target status; no request for an object without a send recorded first.
 */
export function verifySends(
  jobs: readonly Job[],
  audit: readonly AuditRecord[],
  log: readonly LoggedRequest[],
  answers: ReadonlyMap<string, unknown>,
  actionOf: ReadonlyMap<string, JobAction>,
  violate: (text: string) => void,
): void {
  const reads = log
    .filter((r) => r.path.includes('/campaign/get/') && r.requestId !== null)
    .map((r) => ({ seq: r.seq, view: readView(answers.get(r.requestId as string)) }));
  for (const [id, action] of actionOf) {
    const updates = log.filter(
      (r) =>
        r.path.includes('/campaign/status/update/') &&
        (r.body as { campaign_ids?: string[] })?.campaign_ids?.includes(id),
    );
    const starts = audit.filter((a) => a.objectId === id && a.event === 'send-started').length;
    if (updates.length > starts) {
      violate(`${id}: ${updates.length} status updates reached TikTok but only ${starts} sends were recorded`);
    }
    const done = updates.filter(applied);
    for (let i = 1; i < done.length; i++) {
      const a = (done[i - 1] as LoggedRequest).seq;
      const b = (done[i] as LoggedRequest).seq;
      const proof = reads.some((r) => {
        const status = r.view?.statuses.get(id);
        return r.seq > a && r.seq < b && status !== undefined && status !== action;
      });
      if (!proof) {
        violate(`${id}: applied status updates #${a} and #${b} with no status read between showing it not ${action}`);
      }
    }
    if (!jobs.some((j) => j.objectId === id) && updates.length > 0) {
      violate(`${id}: status updates were sent for an object with no job`);
    }
  }
}

/** Every confirmed job was confirmed by a read that showed the new status, and TikTok's truth agrees. */
async function verifyOutcomes(
  sb: RunningSandbox,
  advertiserId: string,
  jobs: readonly Job[],
  audit: readonly AuditRecord[],
  answers: ReadonlyMap<string, unknown>,
  violate: (text: string) => void,
): Promise<void> {
  const truth = new Map((await states(sb, 'campaign', advertiserId)).map((c) => [c.id, c] as const));
  for (const job of jobs) {
    if (job.state !== 'confirmed' && job.state !== 'settled' && job.state !== 'still-spending') continue;
    const confirming = audit.find((a) => a.jobId === job.id && a.to === 'confirmed' && a.from !== 'confirmed');
    if (confirming?.event !== 'status-read' || !confirming.requestId) {
      violate(`job ${job.id} is ${job.state} without a status read on record`);
      continue;
    }
    const view = readView(answers.get(confirming.requestId));
    const status = view?.statuses.get(job.objectId);
    if (status !== job.action) {
      violate(`job ${job.id} was confirmed by read ${confirming.requestId}, which showed ${status ?? 'nothing'}`);
    }
    const now = truth.get(job.objectId)?.operation_status;
    if (now !== job.action) violate(`job ${job.id} is ${job.state} but TikTok has ${job.objectId} as ${now}`);
  }
}
