import { describe, expect, test } from 'vitest';
import type { ApiFailure } from '../../../lib/api/errors';
import {
  ACCEPTED_EVENTS,
  createJob,
  IllegalTransitionError,
  reconcile,
  transition,
  transitionOrThrow,
} from '../../../lib/jobs/state-machine';
import {
  ACTIVE_STATES,
  ATTENTION_STATES,
  JOB_STATES,
  type Job,
  type JobEvent,
  type JobPolicy,
  type JobState,
  type NewJobInput,
  TERMINAL_STATES,
} from '../../../lib/jobs/types';

const T0 = 1_700_000_000_000;
const POLICY: Partial<JobPolicy> = {
  random: () => 0,
  backoffBaseMs: 1000,
  backoffCapMs: 60_000,
  deliveryWindowMs: 900_000,
  verifyWindowMs: 600_000,
  reportLatencyWindowMs: 3_600_000,
  settleCheckGapMs: 600_000,
};

const INPUT: NewJobInput = {
  id: 'job-1',
  level: 'campaign',
  advertiserId: '7000000000000000001',
  objectId: '7664548737817054485',
  objectName: 'Summer sale',
  action: 'DISABLE',
  actor: { kind: 'user' },
  baseline: { operationStatus: 'ENABLE', modifyTime: '2025-01-01 10:00:00' },
};

function base(): Job {
  return createJob(INPUT, T0, POLICY).job;
}

/** A job in `state` with fields as the machine would have left them, then `patch`. */
function jobIn(state: JobState, patch: Partial<Job> = {}): Job {
  const j = base();
  const extra: Partial<Job> = {
    queued: {},
    sending: { attempt: 1, nextAt: null, sendOrigin: 'queued' as const },
    retrying: { attempt: 1, nextAt: T0 + 1000 },
    unknown: { attempt: 1, nextAt: T0, reconciledAt: null },
    sent: { attempt: 1, sentAt: T0, nextAt: T0, deadline: T0 + 600_000 },
    verifying: { attempt: 1, sentAt: T0, nextAt: T0 + 500, deadline: T0 + 600_000, verifyReads: 0 },
    confirmed: { attempt: 1, confirmedAt: T0, settleAt: T0 + 3_600_000, deadline: null, nextAt: T0 },
    settled: { attempt: 1, confirmedAt: T0, finishedAt: T0, nextAt: null },
    'still-spending': { attempt: 1, confirmedAt: T0, finishedAt: T0, nextAt: null },
    stuck: { attempt: 1, finishedAt: T0, nextAt: null },
    superseded: { attempt: 1, finishedAt: T0, nextAt: null },
    failed: { attempt: 1, finishedAt: T0, nextAt: null },
    undone: { attempt: 1, finishedAt: T0, nextAt: null },
    blocked: { resumeState: 'queued' as const, nextAt: null },
  }[state];
  return { ...j, ...extra, ...patch, state };
}

const failure = (patch: Partial<ApiFailure>): ApiFailure => ({
  kind: 'tiktok',
  retry: 'never',
  outcome: 'not-applied',
  message: 'm',
  ...patch,
});
const RATE_LIMIT = failure({ code: 40100, retry: 'retryable', rateLimit: 'app', requestId: 'rq-rl' });
const SYSTEM_ERROR_WRITE = failure({ code: 50000, retry: 'retryable', outcome: 'unknown' });
const TIMEOUT = failure({ kind: 'timeout', retry: 'retryable', outcome: 'unknown' });
const NETWORK_NOT_SENT = failure({ kind: 'network', retry: 'retryable', outcome: 'not-sent' });
const HTTP_503 = failure({ kind: 'http', httpStatus: 503, retry: 'retryable', outcome: 'not-applied' });
const BAD_TOKEN = failure({ code: 40105, requestId: 'rq-bad' });
const UNRECOGNISED = failure({ code: 47777, unknownCode: true });
const NO_TOKEN = failure({ kind: 'missing-token', outcome: 'not-sent' });
const BAD_RESPONSE_WRITE = failure({ kind: 'bad-response', outcome: 'unknown' });

const read = (operationStatus: string | null, modifyTime: string | null = '2025-01-01 10:00:00'): JobEvent => ({
  type: 'status-read',
  operationStatus,
  modifyTime,
  requestId: 'rq-read',
});

interface Row {
  name: string;
  job: Job;
  event: JobEvent;
  now: number;
  to: JobState;
  check?: (job: Job) => void;
}

const LEGAL: Row[] = [
  // queued
  {
    name: 'queued → sending on send-started',
    job: jobIn('queued'),
    event: { type: 'send-started' },
    now: T0,
    to: 'sending',
    check: (j) => expect(j).toMatchObject({ attempt: 1, sendOrigin: 'queued', nextAt: null }),
  },
  {
    name: 'queued → blocked on token-missing',
    job: jobIn('queued'),
    event: { type: 'token-missing' },
    now: T0,
    to: 'blocked',
    check: (j) => expect(j).toMatchObject({ resumeState: 'queued', nextAt: null }),
  },
  {
    name: 'queued → failed when the delivery deadline passes',
    job: jobIn('queued'),
    event: { type: 'deadline-passed' },
    now: T0 + 900_000,
    to: 'failed',
    check: (j) => expect(j.lastError?.kind).toBe('deadline'),
  },
  // sending
  {
    name: 'sending → sent on code 0',
    job: jobIn('sending'),
    event: { type: 'send-ok', requestId: 'rq-ok' },
    now: T0 + 300,
    to: 'sent',
    check: (j) =>
      expect(j).toMatchObject({
        requestIds: ['rq-ok'],
        sentAt: T0 + 300,
        nextAt: T0 + 300,
        deadline: T0 + 300 + 600_000,
      }),
  },
  {
    name: 'sending → retrying on 40100 with a rate-limit floor',
    job: jobIn('sending'),
    event: { type: 'send-error', failure: RATE_LIMIT },
    now: T0,
    to: 'retrying',
    check: (j) => expect(j).toMatchObject({ nextAt: T0 + 1000, requestIds: ['rq-rl'], lastError: { code: 40100 } }),
  },
  {
    name: 'sending → retrying on HTTP 503 for a read-only failure',
    job: jobIn('sending', { attempt: 3 }),
    event: { type: 'send-error', failure: HTTP_503 },
    now: T0,
    to: 'retrying',
    check: (j) => expect(j).toMatchObject({ nextAt: T0 + 2000, lastError: { httpStatus: 503 } }),
  },
  {
    name: 'sending → retrying when the network failed before sending',
    job: jobIn('sending'),
    event: { type: 'send-error', failure: NETWORK_NOT_SENT },
    now: T0,
    to: 'retrying',
  },
  {
    name: 'sending → unknown on a timeout',
    job: jobIn('sending'),
    event: { type: 'send-error', failure: TIMEOUT },
    now: T0,
    to: 'unknown',
    check: (j) => expect(j).toMatchObject({ nextAt: T0, reconciledAt: null, lastError: { kind: 'timeout' } }),
  },
  {
    name: 'sending → unknown on a 50000 for a write',
    job: jobIn('sending'),
    event: { type: 'send-error', failure: SYSTEM_ERROR_WRITE },
    now: T0,
    to: 'unknown',
  },
  {
    name: 'sending → unknown on an unreadable answer to a write',
    job: jobIn('sending'),
    event: { type: 'send-error', failure: BAD_RESPONSE_WRITE },
    now: T0,
    to: 'unknown',
  },
  {
    name: 'sending → failed on 40105',
    job: jobIn('sending'),
    event: { type: 'send-error', failure: BAD_TOKEN },
    now: T0,
    to: 'failed',
    check: (j) =>
      expect(j).toMatchObject({ finishedAt: T0, nextAt: null, requestIds: ['rq-bad'], lastError: { code: 40105 } }),
  },
  {
    name: 'sending → failed on an unrecognised code, flagged',
    job: jobIn('sending'),
    event: { type: 'send-error', failure: UNRECOGNISED },
    now: T0,
    to: 'failed',
    check: (j) => expect(j.lastError).toMatchObject({ code: 47777, unknownCode: true }),
  },
  {
    name: 'sending → blocked when the token is missing; the attempt does not count',
    job: jobIn('sending', { attempt: 2, sendOrigin: 'retrying' }),
    event: { type: 'send-error', failure: NO_TOKEN },
    now: T0,
    to: 'blocked',
    check: (j) => expect(j).toMatchObject({ attempt: 1, resumeState: 'retrying' }),
  },
  {
    name: 'sending → unknown when the worker stopped mid-request',
    job: jobIn('sending'),
    event: { type: 'send-interrupted' },
    now: T0,
    to: 'unknown',
    check: (j) => expect(j.lastError?.kind).toBe('interrupted'),
  },
  // retrying
  {
    name: 'retrying → sending once nextAt has come',
    job: jobIn('retrying'),
    event: { type: 'send-started' },
    now: T0 + 1000,
    to: 'sending',
    check: (j) => expect(j).toMatchObject({ attempt: 2, sendOrigin: 'retrying' }),
  },
  {
    name: 'retrying stays retrying after a read showing the object unchanged',
    job: jobIn('retrying'),
    event: read('ENABLE'),
    now: T0 + 900,
    to: 'retrying',
    check: (j) => expect(j).toMatchObject({ reconciledAt: T0 + 900, nextAt: T0 + 1000 }),
  },
  {
    name: 'retrying → superseded when a read shows someone else changed it',
    job: jobIn('retrying'),
    event: read('ENABLE', '2025-01-01 11:00:00'),
    now: T0 + 900,
    to: 'superseded',
  },
  {
    name: 'retrying → confirmed when a read shows the target already',
    job: jobIn('retrying'),
    event: read('DISABLE'),
    now: T0 + 900,
    to: 'confirmed',
  },
  {
    name: 'retrying stays retrying on a transient read error',
    job: jobIn('retrying'),
    event: { type: 'read-error', failure: RATE_LIMIT },
    now: T0 + 900,
    to: 'retrying',
    check: (j) => expect(j.nextAt).toBe(T0 + 1900),
  },
  {
    name: 'retrying → failed on a refused read',
    job: jobIn('retrying'),
    event: { type: 'read-error', failure: BAD_TOKEN },
    now: T0,
    to: 'failed',
  },
  {
    name: 'retrying → blocked on token-missing',
    job: jobIn('retrying'),
    event: { type: 'token-missing' },
    now: T0,
    to: 'blocked',
  },
  {
    name: 'retrying → failed when the delivery deadline passes',
    job: jobIn('retrying', { lastError: { kind: 'tiktok', code: 40100, message: 'limited', at: T0 } }),
    event: { type: 'deadline-passed' },
    now: T0 + 900_000,
    to: 'failed',
    check: (j) => expect(j.lastError?.message).toContain('limited'),
  },
  // unknown: reconcile before resend
  {
    name: 'unknown → confirmed when the read shows the target status',
    job: jobIn('unknown'),
    event: read('DISABLE', '2025-01-01 10:05:00'),
    now: T0 + 10,
    to: 'confirmed',
    check: (j) =>
      expect(j).toMatchObject({ confirmedAt: T0 + 10, settleAt: T0 + 10 + 3_600_000, nextAt: T0 + 10, deadline: null }),
  },
  {
    name: 'unknown stays unknown but reconciled when status and modify_time match the baseline',
    job: jobIn('unknown'),
    event: read('ENABLE'),
    now: T0 + 10,
    to: 'unknown',
    check: (j) =>
      expect(j).toMatchObject({ reconciledAt: T0 + 10, nextAt: T0 + 10, lastRead: { operationStatus: 'ENABLE' } }),
  },
  {
    name: 'unknown → superseded when modify_time moved and the status is not the target',
    job: jobIn('unknown'),
    event: read('ENABLE', '2025-01-01 10:30:00'),
    now: T0 + 10,
    to: 'superseded',
    check: (j) => expect(j.lastError?.kind).toBe('changed-elsewhere'),
  },
  {
    name: 'unknown → superseded when the status differs from both baseline and target',
    job: jobIn('unknown'),
    event: read('FROZEN'),
    now: T0 + 10,
    to: 'superseded',
  },
  {
    name: 'unknown → superseded when the object is gone',
    job: jobIn('unknown'),
    event: read(null, null),
    now: T0 + 10,
    to: 'superseded',
    check: (j) => expect(j.lastError?.kind).toBe('not-found'),
  },
  {
    name: 'unknown → sending after a reconciling read',
    job: jobIn('unknown', { reconciledAt: T0 + 10, nextAt: T0 + 10 }),
    event: { type: 'send-started' },
    now: T0 + 20,
    to: 'sending',
    check: (j) => expect(j).toMatchObject({ attempt: 2, sendOrigin: 'unknown', reconciledAt: null }),
  },
  {
    name: 'unknown stays unknown on a transient read error, backing off',
    job: jobIn('unknown'),
    event: { type: 'read-error', failure: TIMEOUT },
    now: T0,
    to: 'unknown',
    check: (j) => expect(j).toMatchObject({ readFailures: 1, nextAt: T0 + 1000 }),
  },
  {
    name: 'unknown → stuck on a refused read (the change may have applied)',
    job: jobIn('unknown'),
    event: { type: 'read-error', failure: BAD_TOKEN },
    now: T0,
    to: 'stuck',
  },
  {
    name: 'unknown → blocked on a missing token while reading',
    job: jobIn('unknown'),
    event: { type: 'read-error', failure: NO_TOKEN },
    now: T0,
    to: 'blocked',
    check: (j) => expect(j.resumeState).toBe('unknown'),
  },
  {
    name: 'unknown → blocked on token-missing',
    job: jobIn('unknown'),
    event: { type: 'token-missing' },
    now: T0,
    to: 'blocked',
  },
  {
    name: 'unknown → stuck when the deadline passes',
    job: jobIn('unknown', { deadline: T0 + 100 }),
    event: { type: 'deadline-passed' },
    now: T0 + 100,
    to: 'stuck',
  },
  // sent / verifying
  {
    name: 'sent → verifying, first read 0.5 s after TikTok answered',
    job: jobIn('sent', { sentAt: T0 }),
    event: { type: 'verify-started' },
    now: T0 + 1,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 500),
  },
  {
    name: 'sent → verifying, answered long before this step (a long bulk send): read at once',
    job: jobIn('sent', { sentAt: T0 - 4_000 }),
    event: { type: 'verify-started' },
    now: T0 + 1,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 1),
  },
  {
    name: 'sent → verifying without a recorded answer time: first read 0.5 s from now',
    job: jobIn('sent', { sentAt: null }),
    event: { type: 'verify-started' },
    now: T0 + 1,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 501),
  },
  {
    name: 'sent → verifying, first read at the expected showing time when one is known',
    job: jobIn('sent', { sentAt: T0 }),
    event: { type: 'verify-started', firstReadAt: T0 + 1_650 },
    now: T0 + 1,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 1_650),
  },
  {
    name: 'sent → verifying, an expected showing time already past: read at once',
    job: jobIn('sent', { sentAt: T0 - 4_000 }),
    event: { type: 'verify-started', firstReadAt: T0 - 2_000 },
    now: T0 + 1,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 1),
  },
  {
    name: 'sent → blocked on token-missing',
    job: jobIn('sent'),
    event: { type: 'token-missing' },
    now: T0,
    to: 'blocked',
  },
  {
    name: 'sent → stuck when the verify deadline passes',
    job: jobIn('sent'),
    event: { type: 'deadline-passed' },
    now: T0 + 600_000,
    to: 'stuck',
  },
  {
    name: 'verifying → verifying while the status is unchanged, on the adaptive schedule',
    job: jobIn('verifying', { verifyReads: 2 }),
    event: read('ENABLE'),
    now: T0 + 5000,
    to: 'verifying',
    check: (j) => expect(j).toMatchObject({ verifyReads: 3, nextAt: T0 + 5000 + 2000 }),
  },
  {
    name: 'verifying → confirmed once the target status shows',
    job: jobIn('verifying', { verifyReads: 1 }),
    event: read('DISABLE', '2025-01-01 10:00:05'),
    now: T0 + 2000,
    to: 'confirmed',
    check: (j) => expect(j).toMatchObject({ verifyReads: 2, confirmedAt: T0 + 2000, requestIds: ['rq-read'] }),
  },
  {
    name: 'verifying → stuck if the object disappears',
    job: jobIn('verifying'),
    event: read(null, null),
    now: T0 + 2000,
    to: 'stuck',
  },
  {
    name: 'verifying, still old: an expected showing time earlier than the schedule moves the next read up',
    job: jobIn('verifying', { verifyReads: 2 }),
    event: { ...read('ENABLE'), nextReadAt: T0 + 5_600 } as JobEvent,
    now: T0 + 5000,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 5_600),
  },
  {
    name: 'verifying, still old: an expected showing time a moment away keeps the minimum gap between reads',
    job: jobIn('verifying', { verifyReads: 2 }),
    event: { ...read('ENABLE'), nextReadAt: T0 + 5_010 } as JobEvent,
    now: T0 + 5000,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 5_250),
  },
  {
    name: 'verifying, still old: an expected showing time later than the schedule changes nothing',
    job: jobIn('verifying', { verifyReads: 2 }),
    event: { ...read('ENABLE'), nextReadAt: T0 + 60_000 } as JobEvent,
    now: T0 + 5000,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 7_000),
  },
  {
    name: 'verifying, still old: an expected showing time already past is ignored',
    job: jobIn('verifying', { verifyReads: 2 }),
    event: { ...read('ENABLE'), nextReadAt: T0 + 4_000 } as JobEvent,
    now: T0 + 5000,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 7_000),
  },
  {
    name: 'verifying → verifying on a transient read error',
    job: jobIn('verifying', { verifyReads: 6 }),
    event: { type: 'read-error', failure: RATE_LIMIT },
    now: T0,
    to: 'verifying',
    check: (j) => expect(j.nextAt).toBe(T0 + 16_000),
  },
  {
    name: 'verifying → stuck on a refused read',
    job: jobIn('verifying'),
    event: { type: 'read-error', failure: BAD_TOKEN },
    now: T0,
    to: 'stuck',
  },
  {
    name: 'verifying → stuck at the deadline',
    job: jobIn('verifying'),
    event: { type: 'deadline-passed' },
    now: T0 + 600_000,
    to: 'stuck',
    check: (j) => expect(j.lastError?.kind).toBe('deadline'),
  },
  {
    name: 'verifying → blocked on token-missing',
    job: jobIn('verifying'),
    event: { type: 'token-missing' },
    now: T0,
    to: 'blocked',
    check: (j) => expect(j.resumeState).toBe('verifying'),
  },
  // confirmed: spend over the report-latency window
  {
    name: 'confirmed: the spend at confirmation is recorded, next read at the window end',
    job: jobIn('confirmed'),
    event: { type: 'spend-read', spend: 12.5 },
    now: T0 + 1000,
    to: 'confirmed',
    check: (j) =>
      expect(j).toMatchObject({
        nextAt: T0 + 3_600_000,
        spend: { reads: 1, atConfirm: { value: 12.5, at: T0 + 1000 }, atWindow: null },
      }),
  },
  {
    name: 'confirmed: the first read after the window is the reference',
    job: jobIn('confirmed', {
      spend: { reads: 1, atConfirm: { value: 12.5, at: T0 }, last: { value: 12.5, at: T0 }, atWindow: null },
    }),
    event: { type: 'spend-read', spend: 14 },
    now: T0 + 3_600_000,
    to: 'confirmed',
    check: (j) =>
      expect(j).toMatchObject({ nextAt: T0 + 4_200_000, spend: { atWindow: { value: 14, at: T0 + 3_600_000 } } }),
  },
  {
    name: 'confirmed → settled when spend did not grow over the check gap',
    job: jobIn('confirmed', {
      spend: { reads: 2, atConfirm: { value: 12.5, at: T0 }, last: null, atWindow: { value: 14, at: T0 + 3_600_000 } },
    }),
    event: { type: 'spend-read', spend: 14 },
    now: T0 + 4_200_000,
    to: 'settled',
    check: (j) => expect(j).toMatchObject({ finishedAt: T0 + 4_200_000, nextAt: null }),
  },
  {
    name: 'confirmed → still-spending when spend grows after the window',
    job: jobIn('confirmed', {
      spend: { reads: 2, atConfirm: { value: 12.5, at: T0 }, last: null, atWindow: { value: 14, at: T0 + 3_600_000 } },
    }),
    event: { type: 'spend-read', spend: 14.01 },
    now: T0 + 3_700_000,
    to: 'still-spending',
  },
  {
    name: 'confirmed stays confirmed when an unchanged read comes before the gap',
    job: jobIn('confirmed', {
      spend: { reads: 2, atConfirm: { value: 12.5, at: T0 }, last: null, atWindow: { value: 14, at: T0 + 3_600_000 } },
    }),
    event: { type: 'spend-read', spend: 14 },
    now: T0 + 3_700_000,
    to: 'confirmed',
    check: (j) => expect(j.nextAt).toBe(T0 + 4_200_000),
  },
  {
    name: 'confirmed stays confirmed on a transient spend read error',
    job: jobIn('confirmed'),
    event: { type: 'read-error', failure: HTTP_503 },
    now: T0,
    to: 'confirmed',
    check: (j) => expect(j.nextAt).toBe(T0 + 1000),
  },
  {
    name: 'confirmed stops reading spend on a refused read',
    job: jobIn('confirmed'),
    event: { type: 'read-error', failure: failure({ code: 40001 }) },
    now: T0,
    to: 'confirmed',
    check: (j) => expect(j).toMatchObject({ nextAt: null, lastError: { code: 40001 } }),
  },
  {
    name: 'confirmed → blocked on token-missing',
    job: jobIn('confirmed'),
    event: { type: 'token-missing' },
    now: T0,
    to: 'blocked',
    check: (j) => expect(j.resumeState).toBe('confirmed'),
  },
  {
    name: 'confirmed → undone',
    job: jobIn('confirmed'),
    event: { type: 'undo', undoJobId: 'job-2' },
    now: T0,
    to: 'undone',
    check: (j) => expect(j.undoJobId).toBe('job-2'),
  },
  {
    name: 'settled → undone',
    job: jobIn('settled'),
    event: { type: 'undo', undoJobId: 'job-2' },
    now: T0,
    to: 'undone',
  },
  {
    name: 'still-spending → undone',
    job: jobIn('still-spending'),
    event: { type: 'undo', undoJobId: 'job-2' },
    now: T0,
    to: 'undone',
  },
  // blocked
  {
    name: 'blocked → queued when the token is back',
    job: jobIn('blocked', { resumeState: 'queued', deadline: T0 + 10 }),
    event: { type: 'token-available' },
    now: T0 + 7_200_000,
    to: 'queued',
    check: (j) =>
      expect(j).toMatchObject({ resumeState: null, nextAt: T0 + 7_200_000, deadline: T0 + 7_200_000 + 900_000 }),
  },
  {
    name: 'blocked → unknown must read again before resending',
    job: jobIn('blocked', { resumeState: 'unknown', reconciledAt: T0, deadline: T0 }),
    event: { type: 'token-available' },
    now: T0 + 50,
    to: 'unknown',
    check: (j) => expect(j).toMatchObject({ reconciledAt: null, deadline: T0 + 50 + 600_000 }),
  },
  {
    name: 'blocked → verifying',
    job: jobIn('blocked', { resumeState: 'verifying' }),
    event: { type: 'token-available' },
    now: T0 + 50,
    to: 'verifying',
  },
  {
    name: 'blocked → confirmed keeps no deadline',
    job: jobIn('blocked', { resumeState: 'confirmed', deadline: null }),
    event: { type: 'token-available' },
    now: T0 + 50,
    to: 'confirmed',
    check: (j) => expect(j.deadline).toBeNull(),
  },
];

describe('legal transitions', () => {
  test.each(LEGAL)('$name', ({ job, event, now, to, check }) => {
    const before = structuredClone(job);
    const result = transition(job, event, now, POLICY);
    if (!result.ok) throw new Error(`rejected: ${result.rejection.reason}`);
    expect(result.job.state).toBe(to);
    expect(result.job.updatedAt).toBe(now);
    expect(result.audit).toMatchObject({ jobId: job.id, at: now, from: job.state, to, event: event.type });
    expect(result.audit.detail.length).toBeGreaterThan(0);
    expect(job).toEqual(before); // pure: the input is untouched
    check?.(result.job);
  });

  test('every accepted (state, event) pair has at least one legal row', () => {
    const covered = new Set(LEGAL.map((r) => `${r.job.state}:${r.event.type}`));
    for (const state of JOB_STATES) {
      for (const type of ACCEPTED_EVENTS[state]) expect(covered.has(`${state}:${type}`), `${state}:${type}`).toBe(true);
    }
  });
});

const SAMPLE_EVENTS: JobEvent[] = [
  { type: 'send-started' },
  { type: 'send-ok', requestId: 'r' },
  { type: 'send-error', failure: TIMEOUT },
  { type: 'send-interrupted' },
  { type: 'verify-started' },
  read('DISABLE'),
  { type: 'read-error', failure: TIMEOUT },
  { type: 'deadline-passed' },
  { type: 'spend-read', spend: 1 },
  { type: 'undo', undoJobId: 'j' },
  { type: 'token-missing' },
  { type: 'token-available' },
];

const ILLEGAL = JOB_STATES.flatMap((state) =>
  SAMPLE_EVENTS.filter((e) => !ACCEPTED_EVENTS[state].includes(e.type)).map((event) => ({ state, event })),
);

describe('illegal transitions', () => {
  test.each(ILLEGAL)('$state rejects $event.type', ({ state, event }) => {
    const job = jobIn(state);
    const result = transition(job, event, T0 + 10_000_000, POLICY);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rejection).toMatchObject({ jobId: job.id, state, event: event.type });
  });

  test('terminal states accept nothing but undo on settled', () => {
    for (const state of TERMINAL_STATES) {
      expect(ACCEPTED_EVENTS[state]).toEqual(state === 'settled' ? ['undo'] : []);
    }
  });

  test.each([
    ['retrying before nextAt', jobIn('retrying'), { type: 'send-started' } as JobEvent, T0 + 999, /not due/],
    [
      'unknown without a reconciling read (reconcile before resend)',
      jobIn('unknown'),
      { type: 'send-started' } as JobEvent,
      T0 + 10_000,
      /read the status before sending again/,
    ],
    [
      'a deadline not yet reached',
      jobIn('verifying'),
      { type: 'deadline-passed' } as JobEvent,
      T0 + 599_999,
      /not reached/,
    ],
    [
      'undo of a resume job',
      { ...jobIn('confirmed'), action: 'ENABLE' as const },
      { type: 'undo', undoJobId: 'x' } as JobEvent,
      T0,
      /only a pause/,
    ],
    ['negative spend', jobIn('confirmed'), { type: 'spend-read', spend: -1 } as JobEvent, T0, /spend must be/],
    ['NaN spend', jobIn('confirmed'), { type: 'spend-read', spend: Number.NaN } as JobEvent, T0, /spend must be/],
  ])('guard: %s', (_name, job, event, now, reason) => {
    const result = transition(job, event, now, POLICY);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rejection.reason).toMatch(reason);
  });

  test('transitionOrThrow throws IllegalTransitionError', () => {
    expect(() => transitionOrThrow(jobIn('failed'), { type: 'send-started' }, T0)).toThrow(IllegalTransitionError);
  });
});

describe('reconcile', () => {
  const job = { action: 'DISABLE' as const, baseline: { operationStatus: 'ENABLE', modifyTime: 't1' } };
  test.each([
    [{ operationStatus: 'DISABLE', modifyTime: 't2' }, 'target'],
    [{ operationStatus: 'DISABLE', modifyTime: 't1' }, 'target'],
    [{ operationStatus: 'ENABLE', modifyTime: 't1' }, 'unchanged'],
    [{ operationStatus: 'ENABLE', modifyTime: null }, 'unchanged'],
    [{ operationStatus: 'ENABLE', modifyTime: 't2' }, 'changed'],
    [{ operationStatus: 'FROZEN', modifyTime: 't1' }, 'changed'],
    [{ operationStatus: null, modifyTime: null }, 'changed'],
  ] as const)('%j → %s', (snapshot, verdict) => {
    expect(reconcile(job, snapshot)).toBe(verdict);
  });

  test('without a baseline modify_time only the status decides', () => {
    expect(
      reconcile(
        { action: 'ENABLE', baseline: { operationStatus: 'DISABLE', modifyTime: null } },
        {
          operationStatus: 'DISABLE',
          modifyTime: 'x',
        },
      ),
    ).toBe('unchanged');
  });
});

describe('lifecycles', () => {
  function run(job: Job, steps: [JobEvent, number][]): { job: Job; path: JobState[] } {
    const path: JobState[] = [job.state];
    let current = job;
    for (const [event, now] of steps) {
      current = transitionOrThrow(current, event, now, POLICY).job;
      path.push(current.state);
    }
    return { job: current, path };
  }

  test('createJob starts queued with a delivery deadline and an audit row', () => {
    const { job, audit } = createJob(INPUT, T0, POLICY);
    expect(job).toMatchObject({ state: 'queued', attempt: 0, nextAt: T0, deadline: T0 + 900_000, requestIds: [] });
    expect(audit).toMatchObject({ from: null, to: 'queued', event: 'created', at: T0 });
    expect(audit.detail).toContain('7664548737817054485');
  });

  test('happy path: a pause is sent, verified, confirmed and settles', () => {
    const { job, path } = run(base(), [
      [{ type: 'send-started' }, T0],
      [{ type: 'send-ok', requestId: 'r1' }, T0 + 400],
      [{ type: 'verify-started' }, T0 + 400],
      [read('ENABLE'), T0 + 900],
      [read('DISABLE', 't9'), T0 + 1900],
      [{ type: 'spend-read', spend: 10 }, T0 + 1900],
      [{ type: 'spend-read', spend: 11 }, T0 + 1900 + 3_600_000],
      [{ type: 'spend-read', spend: 11 }, T0 + 1900 + 4_200_000],
    ]);
    expect(path).toEqual([
      'queued',
      'sending',
      'sent',
      'verifying',
      'verifying',
      'confirmed',
      'confirmed',
      'confirmed',
      'settled',
    ]);
    expect(job.requestIds).toEqual(['r1', 'rq-read']);
    expect(job.spend).toMatchObject({ reads: 3, atConfirm: { value: 10 }, atWindow: { value: 11 } });
  });

  test('timeout, reconcile, resend, confirm', () => {
    const { path, job } = run(base(), [
      [{ type: 'send-started' }, T0],
      [{ type: 'send-error', failure: TIMEOUT }, T0 + 15_000],
      [read('ENABLE'), T0 + 15_100],
      [{ type: 'send-started' }, T0 + 15_200],
      [{ type: 'send-ok', requestId: 'r2' }, T0 + 15_500],
    ]);
    expect(path).toEqual(['queued', 'sending', 'unknown', 'unknown', 'sending', 'sent']);
    expect(job.attempt).toBe(2);
  });

  test('a browser restart mid-send: interrupted, blocked for the token, then reads before resending', () => {
    const start = run(base(), [
      [{ type: 'send-started' }, T0],
      [{ type: 'send-interrupted' }, T0 + 60_000],
      [{ type: 'token-missing' }, T0 + 60_000],
      [{ type: 'token-available' }, T0 + 120_000],
    ]);
    expect(start.path).toEqual(['queued', 'sending', 'unknown', 'blocked', 'unknown']);
    expect(transition(start.job, { type: 'send-started' }, T0 + 120_001, POLICY).ok).toBe(false);
  });

  test('a person re-enabled the campaign during a rate-limit backoff: the job stops', () => {
    const { path } = run(base(), [
      [{ type: 'send-started' }, T0],
      [{ type: 'send-error', failure: RATE_LIMIT }, T0 + 100],
      [read('ENABLE', '2025-01-01 10:00:30'), T0 + 1100],
    ]);
    expect(path).toEqual(['queued', 'sending', 'retrying', 'superseded']);
  });

  test('state groups partition the states', () => {
    const all = [...TERMINAL_STATES, ...ATTENTION_STATES, ...ACTIVE_STATES].sort();
    expect(all).toEqual([...JOB_STATES].sort());
  });
});
