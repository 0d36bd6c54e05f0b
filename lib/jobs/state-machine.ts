/**
 * The job lifecycle as a pure function: `transition(job, event, now)` returns the next job and the
 * audit row that records the step, or an explicit rejection when the event is illegal in the job's
 * state. No I/O, no clock, no randomness except `policy.random` (inject it to be deterministic).
 *
 *   queued → sending → sent → verifying → confirmed → settled | still-spending
 *   sending → retrying → sending            (transient error, after `nextAt`)
 *   sending → unknown → (read) → confirmed | superseded | sending   (reconcile before resend)
 *   sending → failed                        (non-retryable error)
 *   verifying → stuck                       (deadline)
 *   queued | retrying | unknown | sent | verifying | confirmed → blocked → (token) → back
 *   confirmed | settled | still-spending → undone
 */
import type { ApiFailure } from '../api/errors';
import { nextVerifyDelay, retryDelay, VERIFY_MIN_GAP_MS } from './backoff';
import {
  type AuditEntry,
  DEFAULT_JOB_POLICY,
  type Job,
  type JobError,
  type JobEvent,
  type JobPolicy,
  type JobState,
  type NewJobInput,
  type ResumableState,
  type StatusSnapshot,
} from './types';

export interface TransitionRejection {
  jobId: string;
  state: JobState;
  event: JobEvent['type'];
  reason: string;
}

export type TransitionResult =
  | { ok: true; job: Job; audit: AuditEntry }
  | { ok: false; rejection: TransitionRejection };

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(readonly rejection: TransitionRejection) {
    super(`Job ${rejection.jobId}: ${rejection.event} is not allowed in ${rejection.state} (${rejection.reason})`);
  }
}

/** Which events each state accepts (guards may still reject them). */
export const ACCEPTED_EVENTS: Readonly<Record<JobState, readonly JobEvent['type'][]>> = {
  queued: ['send-started', 'token-missing', 'deadline-passed'],
  sending: ['send-ok', 'send-error', 'send-interrupted'],
  retrying: ['send-started', 'status-read', 'read-error', 'token-missing', 'deadline-passed'],
  unknown: ['status-read', 'send-started', 'read-error', 'token-missing', 'deadline-passed'],
  sent: ['verify-started', 'token-missing', 'deadline-passed'],
  verifying: ['status-read', 'read-error', 'token-missing', 'deadline-passed'],
  confirmed: ['spend-read', 'read-error', 'token-missing', 'undo'],
  settled: ['undo'],
  'still-spending': ['undo'],
  stuck: [],
  superseded: [],
  failed: [],
  undone: [],
  blocked: ['token-available'],
};

/** How a fresh status read compares with what the job expects. */
export type ReconcileVerdict = 'target' | 'unchanged' | 'changed';

/**
 * - `target`: the object already has the status the job wants;
 * - `changed`: someone else changed it since the job began (status differs from both baseline and
 *   target, the object is gone, or modify_time moved while the status is not the target);
 * - `unchanged`: still as the job found it, so sending (again) is safe.
 */
export function reconcile(job: Pick<Job, 'action' | 'baseline'>, read: StatusSnapshot): ReconcileVerdict {
  if (read.operationStatus === job.action) return 'target';
  if (read.operationStatus === null) return 'changed';
  if (read.operationStatus !== job.baseline.operationStatus) return 'changed';
  if (job.baseline.modifyTime !== null && read.modifyTime !== null && read.modifyTime !== job.baseline.modifyTime) {
    return 'changed';
  }
  return 'unchanged';
}

export function createJob(
  input: NewJobInput,
  now: number,
  policy: Partial<JobPolicy> = {},
): { job: Job; audit: AuditEntry } {
  const p = { ...DEFAULT_JOB_POLICY, ...policy };
  const job: Job = {
    id: input.id,
    level: input.level,
    advertiserId: input.advertiserId,
    objectId: input.objectId,
    objectName: input.objectName,
    action: input.action,
    actor: { ...input.actor },
    state: 'queued',
    attempt: 0,
    createdAt: now,
    updatedAt: now,
    baseline: { ...input.baseline },
    nextAt: now,
    deadline: now + p.deliveryWindowMs,
    lastError: null,
    requestIds: [],
    verifyReads: 0,
    readFailures: 0,
    lastRead: null,
    reconciledAt: null,
    sendOrigin: null,
    resumeState: null,
    sentAt: null,
    confirmedAt: null,
    settleAt: null,
    spend: { reads: 0, atConfirm: null, last: null, atWindow: null },
    finishedAt: null,
    undoJobId: null,
    undoOf: input.undoOf ?? null,
  };
  const verb = input.action === 'DISABLE' ? 'pause' : 'resume';
  const audit: AuditEntry = {
    jobId: job.id,
    at: now,
    from: null,
    to: 'queued',
    event: 'created',
    attempt: 0,
    detail: `Job to ${verb} ${input.level} ${input.objectId} ("${input.objectName}") created by ${input.actor.kind}; status was ${input.baseline.operationStatus}.`,
  };
  return { job, audit };
}

function errorFromFailure(failure: ApiFailure, now: number): JobError {
  const error: JobError = { kind: failure.kind, message: failure.message, at: now };
  if (failure.code !== undefined) error.code = failure.code;
  if (failure.httpStatus !== undefined) error.httpStatus = failure.httpStatus;
  if (failure.requestId !== undefined) error.requestId = failure.requestId;
  if (failure.unknownCode) error.unknownCode = true;
  return error;
}

const FINISHED: readonly JobState[] = ['settled', 'still-spending', 'stuck', 'superseded', 'failed', 'undone'];

/** Applies one event. Pure: the input job is not modified. */
export function transition(job: Job, event: JobEvent, now: number, policy: Partial<JobPolicy> = {}): TransitionResult {
  const p: JobPolicy = { ...DEFAULT_JOB_POLICY, ...policy };
  const from = job.state;
  const reject = (reason: string): TransitionResult => ({
    ok: false,
    rejection: { jobId: job.id, state: from, event: event.type, reason },
  });
  if (!ACCEPTED_EVENTS[from].includes(event.type)) {
    return reject(`${from} does not accept ${event.type}`);
  }

  const next: Job = {
    ...job,
    actor: { ...job.actor },
    baseline: { ...job.baseline },
    requestIds: [...job.requestIds],
    spend: { ...job.spend },
    updatedAt: now,
  };
  let detail = '';
  let requestId: string | undefined;
  let code: number | undefined;

  const go = (to: JobState, text: string): TransitionResult => {
    next.state = to;
    if (FINISHED.includes(to)) {
      next.nextAt = null;
      next.finishedAt = now;
    }
    detail = text;
    const audit: AuditEntry = { jobId: job.id, at: now, from, to, event: event.type, attempt: next.attempt, detail };
    if (requestId !== undefined) audit.requestId = requestId;
    if (code !== undefined) audit.code = code;
    return { ok: true, job: next, audit };
  };
  const noteRequestId = (id: string | undefined): void => {
    if (id) {
      requestId = id;
      if (!next.requestIds.includes(id)) next.requestIds.push(id);
    }
  };
  const block = (resume: ResumableState, why: string): TransitionResult => {
    next.resumeState = resume;
    next.nextAt = null;
    return go('blocked', why);
  };
  const confirm = (text: string): TransitionResult => {
    next.confirmedAt = now;
    next.settleAt = now + p.reportLatencyWindowMs;
    next.deadline = null;
    next.nextAt = now; // the spend snapshot at confirmation is due now
    next.lastError = null;
    next.reconciledAt = null;
    return go('confirmed', text);
  };
  const supersede = (read: StatusSnapshot): TransitionResult => {
    const gone = read.operationStatus === null;
    next.lastError = {
      kind: gone ? 'not-found' : 'changed-elsewhere',
      message: gone
        ? 'TikTok no longer returns this object (deleted?). SafePause stopped and sent nothing more; check it in Ads Manager.'
        : `Someone changed this ${job.level} since the job began (status ${read.operationStatus}, was ${job.baseline.operationStatus}). SafePause stopped so as not to override them; check it in Ads Manager and act again if needed.`,
      at: now,
    };
    return go('superseded', gone ? 'Object no longer returned; stopped.' : 'Object changed by someone else; stopped.');
  };
  const recordRead = (e: Extract<JobEvent, { type: 'status-read' }>): StatusSnapshot => {
    const read = { operationStatus: e.operationStatus, modifyTime: e.modifyTime };
    next.lastRead = { ...read, at: now };
    next.readFailures = 0;
    noteRequestId(e.requestId);
    return read;
  };
  const readBackoff = (failure: ApiFailure): number => {
    next.readFailures = job.readFailures + 1;
    return retryDelay(next.readFailures, failure, now, {
      base: p.backoffBaseMs,
      cap: p.backoffCapMs,
      random: p.random,
    });
  };
  const dueCheck = (): TransitionResult | null => {
    if (job.deadline === null) return reject('no deadline is set in this state');
    if (now < job.deadline) return reject(`deadline not reached (due at ${job.deadline})`);
    return null;
  };

  switch (event.type) {
    case 'send-started': {
      if (from === 'unknown' && job.reconciledAt === null) {
        return reject('the outcome of the last attempt is unknown: read the status before sending again');
      }
      if (job.nextAt !== null && now < job.nextAt) return reject(`not due until ${job.nextAt}`);
      next.attempt = job.attempt + 1;
      next.sendOrigin = from as 'queued' | 'retrying' | 'unknown';
      next.reconciledAt = null;
      next.nextAt = null;
      return go('sending', `Attempt ${next.attempt} started.`);
    }

    case 'send-ok': {
      noteRequestId(event.requestId);
      next.sentAt = now;
      next.lastError = null;
      next.verifyReads = 0;
      next.readFailures = 0;
      next.nextAt = now;
      next.deadline = now + p.verifyWindowMs;
      return go('sent', `TikTok accepted attempt ${job.attempt} (code 0).`);
    }

    case 'send-error': {
      const f = event.failure;
      noteRequestId(f.requestId);
      code = f.code;
      next.lastError = errorFromFailure(f, now);
      if (f.kind === 'missing-token') {
        // Nothing left this machine: the attempt does not count.
        next.attempt = Math.max(0, job.attempt - 1);
        return block(job.sendOrigin ?? 'queued', 'No access token: nothing was sent; waiting for the token.');
      }
      if (f.outcome === 'unknown') {
        // The read comes first (the engine waits a moment for it); after repeated unknown outcomes (a 5xx outage)
        // it waits like a retry, so an outage is not met with a resend every few seconds.
        next.nextAt =
          job.attempt > 1
            ? now + retryDelay(job.attempt, f, now, { base: p.backoffBaseMs, cap: p.backoffCapMs, random: p.random })
            : now;
        next.reconciledAt = null;
        return go(
          'unknown',
          `Attempt ${job.attempt}: outcome unknown (${f.kind}); the status is read before any resend.`,
        );
      }
      if (f.retry === 'retryable') {
        const delay = retryDelay(job.attempt, f, now, { base: p.backoffBaseMs, cap: p.backoffCapMs, random: p.random });
        next.nextAt = now + delay;
        return go(
          'retrying',
          `Attempt ${job.attempt} failed (${f.code ?? f.httpStatus ?? f.kind}); retry in ${delay} ms.`,
        );
      }
      return go('failed', `Attempt ${job.attempt} refused (${f.code ?? f.httpStatus ?? f.kind}); not retried.`);
    }

    case 'send-interrupted': {
      next.lastError = {
        kind: 'interrupted',
        message:
          'SafePause stopped while the request was on its way, so its outcome is unknown. It reads the status before sending again.',
        at: now,
      };
      next.nextAt = now;
      next.reconciledAt = null;
      return go('unknown', `Attempt ${job.attempt} interrupted; outcome unknown.`);
    }

    case 'verify-started': {
      next.verifyReads = 0;
      // Counted from TikTok's answer, not from this step: a job answered while a long bulk send was still going
      // out is read as soon as the sends leave room, instead of half a second after them.
      next.nextAt = Math.max(now, event.firstReadAt ?? (job.sentAt ?? now) + nextVerifyDelay(0));
      return go('verifying', 'Reading the status back.');
    }

    case 'status-read': {
      const read = recordRead(event);
      if (from === 'verifying') {
        next.verifyReads = job.verifyReads + 1;
        if (read.operationStatus === job.action)
          return confirm(`TikTok reports ${job.action} after ${next.verifyReads} read(s).`);
        if (read.operationStatus === null) {
          next.lastError = {
            kind: 'not-found',
            message:
              'TikTok accepted the change but no longer returns this object (deleted?). Check it in Ads Manager and send a support report.',
            at: now,
          };
          return go('stuck', 'Object no longer returned while verifying.');
        }
        next.nextAt = now + nextVerifyDelay(next.verifyReads);
        // An expected showing time earlier than the schedule moves the read up, never closer than the minimum gap.
        if (event.nextReadAt !== undefined && event.nextReadAt > now && event.nextReadAt < next.nextAt)
          next.nextAt = Math.max(now + VERIFY_MIN_GAP_MS, event.nextReadAt);
        return go('verifying', `Status still ${read.operationStatus}; next read in ${next.nextAt - now} ms.`);
      }
      // unknown or retrying: reconcile before (re)sending.
      const verdict = reconcile(job, read);
      if (verdict === 'target') return confirm(`Status already ${job.action}; nothing to resend.`);
      if (verdict === 'changed') return supersede(read);
      next.reconciledAt = now;
      if (from === 'unknown') next.nextAt = now;
      return go(from, `Status unchanged (${read.operationStatus}); sending again is safe.`);
    }

    case 'read-error': {
      const f = event.failure;
      noteRequestId(f.requestId);
      code = f.code;
      next.lastError = errorFromFailure(f, now);
      if (f.kind === 'missing-token') {
        return block(from as ResumableState, 'No access token: waiting for it before reading.');
      }
      if (f.retry === 'retryable' && from === 'confirmed' && job.settleAt !== null) {
        // Paused for sure; reports keep failing long after the window that decides: stop watching spend.
        if (now >= job.settleAt + 3 * p.settleCheckGapMs) {
          next.readFailures = job.readFailures + 1;
          next.nextAt = null;
          return go(
            'confirmed',
            `Spend read failed (${f.code ?? f.httpStatus ?? f.kind}) long after the report delay; spend is no longer checked.`,
          );
        }
      }
      if (f.retry === 'retryable') {
        const delay = readBackoff(f);
        const scheduled = from === 'verifying' ? Math.max(delay, nextVerifyDelay(job.verifyReads)) : delay;
        next.nextAt = Math.max(job.nextAt ?? now, now + scheduled);
        return go(from, `Read failed (${f.code ?? f.httpStatus ?? f.kind}); next try in ${next.nextAt - now} ms.`);
      }
      next.readFailures = job.readFailures + 1;
      if (from === 'confirmed') {
        // Paused for sure; spend cannot be read (e.g. no reporting scope). Stop reading, keep the state.
        next.nextAt = null;
        return go('confirmed', `Spend read refused (${f.code ?? f.httpStatus ?? f.kind}); spend is no longer checked.`);
      }
      if (from === 'retrying') return go('failed', `Read refused (${f.code ?? f.httpStatus ?? f.kind}); not retried.`);
      return go('stuck', `Read refused (${f.code ?? f.httpStatus ?? f.kind}); the status cannot be confirmed.`);
    }

    case 'deadline-passed': {
      const early = dueCheck();
      if (early) return early;
      const minutes = Math.round((now - job.createdAt) / 60_000);
      if (from === 'queued' || from === 'retrying') {
        const last = job.lastError ? ` Last error: ${job.lastError.message}` : '';
        next.lastError = {
          kind: 'deadline',
          message: `SafePause could not get TikTok to accept the change within ${minutes} min, so it stopped trying. Nothing was changed; try again.${last}`,
          at: now,
        };
        return go('failed', 'Delivery deadline passed.');
      }
      next.lastError = {
        kind: 'deadline',
        message:
          from === 'unknown'
            ? 'SafePause could not find out whether the change was applied before its deadline. Check the object in Ads Manager and send a support report.'
            : `TikTok did not show the new status within ${minutes} min. Check the object in Ads Manager and send a support report.`,
        at: now,
      };
      return go('stuck', 'Verification deadline passed.');
    }

    case 'spend-read': {
      if (!Number.isFinite(event.spend) || event.spend < 0) return reject('spend must be a finite number ≥ 0');
      noteRequestId(event.requestId);
      next.readFailures = 0;
      const snap = { value: event.spend, at: now };
      next.spend.reads = job.spend.reads + 1;
      next.spend.last = snap;
      if (next.spend.atConfirm === null) next.spend.atConfirm = snap;
      const settleAt = job.settleAt ?? now;
      if (now < settleAt) {
        next.nextAt = settleAt;
        return go('confirmed', `Spend ${event.spend} recorded; judged after the report delay.`);
      }
      const ref = job.spend.atWindow;
      if (ref === null) {
        next.spend.atWindow = snap;
        next.nextAt = now + p.settleCheckGapMs;
        return go('confirmed', `Spend ${event.spend} after the report delay; checking again later.`);
      }
      if (event.spend > ref.value + 1e-9) {
        next.lastError = {
          kind: 'deadline',
          message: `TikTok reports this ${job.level} paused, but reported spend rose from ${ref.value} to ${event.spend} after the report delay. Check it in Ads Manager and send a support report.`,
          at: now,
        };
        return go('still-spending', `Spend rose from ${ref.value} to ${event.spend} after the report delay.`);
      }
      if (now - ref.at >= p.settleCheckGapMs) return go('settled', `Spend stayed at ${event.spend}; settled.`);
      next.nextAt = ref.at + p.settleCheckGapMs;
      return go('confirmed', `Spend ${event.spend} unchanged; checking again later.`);
    }

    case 'undo': {
      if (job.action !== 'DISABLE') return reject('only a pause can be undone');
      next.undoJobId = event.undoJobId;
      return go('undone', `Resumed from SafePause (job ${event.undoJobId}).`);
    }

    case 'token-missing': {
      return block(from as ResumableState, 'No access token after a browser restart; waiting for it.');
    }

    case 'token-available': {
      const resume = job.resumeState ?? 'queued';
      next.resumeState = null;
      next.nextAt = now;
      if (resume === 'unknown') next.reconciledAt = null;
      if (resume === 'queued' || resume === 'retrying') {
        next.deadline = Math.max(job.deadline ?? 0, now + p.deliveryWindowMs);
      } else if (resume !== 'confirmed') {
        next.deadline = Math.max(job.deadline ?? 0, now + p.verifyWindowMs);
      }
      return go(resume, `Token available again; continuing as ${resume}.`);
    }
  }
}

/** Like `transition`, but throws IllegalTransitionError on a rejection. */
export function transitionOrThrow(
  job: Job,
  event: JobEvent,
  now: number,
  policy: Partial<JobPolicy> = {},
): { job: Job; audit: AuditEntry } {
  const result = transition(job, event, now, policy);
  if (!result.ok) throw new IllegalTransitionError(result.rejection);
  return { job: result.job, audit: result.audit };
}
