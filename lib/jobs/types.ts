/**
 * The job record kept in the outbox, the events that move it, and its audit rows. Plain data only:
 * everything here is stored in IndexedDB as is.
 */
import type { ApiErrorKind, ApiFailure } from '../api/errors';
import type { Level, StatusAction } from '../api/ids';

export const JOB_STATES = [
  'queued',
  'sending',
  'retrying',
  'unknown',
  'sent',
  'verifying',
  'confirmed',
  'settled',
  'still-spending',
  'stuck',
  'superseded',
  'failed',
  'undone',
  'blocked',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Finished for good: nothing but `undo` (on settled) moves them. */
export const TERMINAL_STATES: readonly JobState[] = ['settled', 'superseded', 'failed', 'undone'];
/** Finished, but a person should look: the popup lists them under "needs attention". */
export const ATTENTION_STATES: readonly JobState[] = ['still-spending', 'stuck'];
/** Unfinished: every start of the worker resumes these. */
export const ACTIVE_STATES: readonly JobState[] = [
  'queued',
  'sending',
  'retrying',
  'unknown',
  'sent',
  'verifying',
  'confirmed',
  'blocked',
];

export function isActiveState(state: JobState): boolean {
  return ACTIVE_STATES.includes(state);
}

/** A pause sends DISABLE; an undo or a resume sends ENABLE. Never DELETE. */
export type JobAction = StatusAction;

export interface JobActor {
  kind: 'user' | 'rule' | 'emergency';
  /** Rule ID for `rule`; free-form otherwise. */
  id?: string;
}

/** The object's status as read from the API. `operationStatus: null` means the object was not returned. */
export interface StatusSnapshot {
  operationStatus: string | null;
  modifyTime: string | null;
}

export interface SpendSnapshot {
  /** Reported spend, in the advertiser's currency. */
  value: number;
  at: number;
}

export type JobErrorKind = ApiErrorKind | 'deadline' | 'changed-elsewhere' | 'interrupted' | 'not-found';

export interface JobError {
  kind: JobErrorKind;
  /** Plain words: what happened and what to do next. */
  message: string;
  code?: number;
  httpStatus?: number;
  requestId?: string;
  unknownCode?: boolean;
  at: number;
}

/** States a blocked job goes back to when the token is available again. */
export type ResumableState = 'queued' | 'retrying' | 'unknown' | 'sent' | 'verifying' | 'confirmed';

/**
 * What the ledger needs besides the spend snapshots, read when the person decided (the confirm prompt's reads):
 * in the advertiser's currency and time zone, amounts as TikTok's decimal strings or its JSON numbers.
 */
export interface JobLedger {
  currency: string;
  timeZone: string;
  /** The advertiser-local day of the decision, YYYY-MM-DD. */
  day: string;
  budget: number | string | null;
  budgetMode: string | null;
  todaySpendAtClick: string | null;
  lifetimeSpendAtClick: string | null;
  /** Spend per hour of that day up to the decision, when it was read: [hour 0-23, decimal string]. */
  hourly?: [number, string][];
}

export interface Job {
  id: string;
  level: Level;
  advertiserId: string;
  objectId: string;
  /** The API name when the job was made (for display; identity is the ID). */
  objectName: string;
  action: JobAction;
  actor: JobActor;
  state: JobState;
  /** Send attempts started so far. */
  attempt: number;
  createdAt: number;
  updatedAt: number;
  /** The object's status when the job began: the reference for "changed by someone else". */
  baseline: { operationStatus: string; modifyTime: string | null };
  /** When the next step is due (ms epoch); null when nothing is scheduled. */
  nextAt: number | null;
  /** When the current phase gives up (sending: delivery window; verifying: verify window). */
  deadline: number | null;
  lastError: JobError | null;
  /** request_id of every answer TikTok gave this job, oldest first. */
  requestIds: string[];
  /** Status reads made since the change was sent (drives the adaptive schedule). */
  verifyReads: number;
  /** Consecutive failed reads (drives read backoff). */
  readFailures: number;
  lastRead: (StatusSnapshot & { at: number }) | null;
  /** In `unknown`/`retrying`: when a read last showed the object unchanged (resending is then safe). */
  reconciledAt: number | null;
  /** The state the current attempt was started from. */
  sendOrigin: 'queued' | 'retrying' | 'unknown' | null;
  /** While blocked: where to continue. */
  resumeState: ResumableState | null;
  sentAt: number | null;
  confirmedAt: number | null;
  /** End of the report-latency window after confirmation. */
  settleAt: number | null;
  spend: {
    /** Reported spend when the person (or rule) decided to act, when the caller knew it. */
    atClick?: SpendSnapshot | null;
    reads: number;
    atConfirm: SpendSnapshot | null;
    last: SpendSnapshot | null;
    /** First read at or after `settleAt`: the reference for "still spending". */
    atWindow: SpendSnapshot | null;
  };
  finishedAt: number | null;
  /** The ENABLE job an undo created. */
  undoJobId: string | null;
  /** For an ENABLE job made by undo: the job it undoes. */
  undoOf: string | null;
  /** Budget and spend context for leaked spend and budget kept (absent on jobs made without it). */
  ledger?: JobLedger | null;
}

export type JobEvent =
  /** Attempt N is about to be sent (committed before fetch). */
  | { type: 'send-started' }
  /** TikTok answered code 0. */
  | { type: 'send-ok'; requestId: string }
  | { type: 'send-error'; failure: ApiFailure }
  /** Recovery found the job in `sending`: the worker stopped mid-request. */
  | { type: 'send-interrupted' }
  /** `firstReadAt`: when the change is expected to show (learned from recent jobs); else the fixed schedule. */
  | { type: 'verify-started'; firstReadAt?: number }
  /** `nextReadAt`: while verifying, when the change is expected to show; the next read is not later than the schedule. */
  | {
      type: 'status-read';
      operationStatus: string | null;
      modifyTime: string | null;
      requestId?: string;
      nextReadAt?: number;
    }
  /** A status or spend read failed. */
  | { type: 'read-error'; failure: ApiFailure }
  | { type: 'deadline-passed' }
  /** Reported spend of the object over the job's period (0 when the report has no row). */
  | { type: 'spend-read'; spend: number; requestId?: string }
  | { type: 'undo'; undoJobId: string }
  | { type: 'token-missing' }
  | { type: 'token-available' };

export type JobEventType = JobEvent['type'];

export interface AuditEntry {
  jobId: string;
  at: number;
  /** null for the row that records the job's creation. */
  from: JobState | null;
  to: JobState;
  event: JobEventType | 'created';
  attempt: number;
  /** Plain words. Never holds the token. */
  detail: string;
  requestId?: string;
  code?: number;
}

export interface NewJobInput {
  id: string;
  level: Level;
  advertiserId: string;
  objectId: string;
  objectName: string;
  action: JobAction;
  actor: JobActor;
  baseline: { operationStatus: string; modifyTime: string | null };
  undoOf?: string;
}

export interface JobPolicy {
  /** How long a job may take to get its change accepted before it fails. */
  deliveryWindowMs: number;
  /** How long after `code: 0` the status may take to show before the job is stuck. */
  verifyWindowMs: number;
  /** How long reports may lag behind delivery; spend is judged only after it. */
  reportLatencyWindowMs: number;
  /** Gap between the two post-window spend reads that decide settled / still-spending. */
  settleCheckGapMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** A number in [0, 1) for jitter. Inject for determinism. */
  random: () => number;
}

export const DEFAULT_JOB_POLICY: JobPolicy = {
  deliveryWindowMs: 15 * 60_000,
  verifyWindowMs: 10 * 60_000,
  reportLatencyWindowMs: 60 * 60_000,
  settleCheckGapMs: 10 * 60_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 60_000,
  random: Math.random,
};
