import type { AuditRecord, StoredJob } from '../../../lib/store/db';
import type { LoggedRequest } from '../../../sandbox/api/request-log';

/**
 * The checks the seeded kill schedule makes after each run, on what the extension stored (its jobs and audit trail,
 * read from its own IndexedDB) and what the sandbox received (its request log, with what each answer listed).
 * Each returns the broken rules in plain words; an empty list means the run kept every invariant.
 */

const UPDATE = '/campaign/status/update/';
const READ = '/campaign/get/';

function namesObject(request: LoggedRequest, id: string): boolean {
  return (
    ((request.body as { campaign_ids?: unknown } | null)?.campaign_ids as unknown[] | undefined)?.includes(id) ?? false
  );
}

/** A status update TikTok applied: answered code 0, or applied with its answer lost on purpose. */
export function appliedUpdate(request: LoggedRequest): boolean {
  return request.code === 0 || request.fault?.kind === 'apply-then-hang' || request.fault?.kind === 'apply-then-code';
}

/**
 * At most one applied update per job unless a read between two showed the object not in the target status; never
 * more updates reaching TikTok than sends the job recorded first; no update naming an object without a job.
 * `log` is the run's window of the sandbox log; `jobs` the jobs made in that run.
 */
export function checkSends(jobs: readonly StoredJob[], audit: readonly AuditRecord[], log: readonly LoggedRequest[]) {
  const broken: string[] = [];
  const updates = log.filter((r) => r.path.includes(UPDATE));
  const reads = log.filter((r) => r.path.includes(READ) && r.listed !== null);
  for (const job of jobs) {
    const mine = updates.filter((u) => namesObject(u, job.objectId));
    const starts = audit.filter((a) => a.jobId === job.id && a.event === 'send-started').length;
    if (mine.length > starts)
      broken.push(`job ${job.id} (${job.objectId}): ${mine.length} updates reached TikTok, ${starts} sends recorded`);
    const done = mine.filter(appliedUpdate);
    for (let i = 1; i < done.length; i++) {
      const a = (done[i - 1] as LoggedRequest).seq;
      const b = (done[i] as LoggedRequest).seq;
      const proof = reads.some((r) => {
        const status = r.listed?.[job.objectId];
        return r.seq > a && r.seq < b && status !== undefined && status !== job.action;
      });
      if (!proof)
        broken.push(
          `job ${job.id} (${job.objectId}): applied updates #${a} and #${b} with no read between showing it not ${job.action}`,
        );
    }
  }
  for (const update of updates) {
    const ids = ((update.body as { campaign_ids?: unknown } | null)?.campaign_ids ?? []) as unknown[];
    for (const id of ids)
      if (!jobs.some((j) => j.objectId === id))
        broken.push(`update #${update.seq} names ${String(id)}, which has no job`);
  }
  return broken;
}

/**
 * Every job that reached `confirmed` (and those past it: settled, still spending) was confirmed by a status read
 * whose answer, as the sandbox sent it, listed the object in the new status; and TikTok's truth agrees now.
 */
export function checkConfirmations(
  jobs: readonly StoredJob[],
  audit: readonly AuditRecord[],
  log: readonly LoggedRequest[],
  truth: ReadonlyMap<string, string>,
) {
  const broken: string[] = [];
  for (const job of jobs) {
    const confirming = audit.find((a) => a.jobId === job.id && a.to === 'confirmed' && a.from !== 'confirmed');
    const wasConfirmed = ['confirmed', 'settled', 'still-spending'].includes(job.state) || confirming !== undefined;
    if (!wasConfirmed) continue;
    if (confirming?.event !== 'status-read' || !confirming.requestId) {
      broken.push(`job ${job.id} is ${job.state} without a status read on record`);
      continue;
    }
    const read = log.find((r) => r.requestId === confirming.requestId);
    const status = read?.listed?.[job.objectId];
    if (status !== job.action)
      broken.push(
        `job ${job.id} was confirmed by read ${confirming.requestId}, whose answer listed ${status ?? 'nothing'}`,
      );
    if (job.state !== 'undone' && truth.get(job.objectId) !== job.action)
      broken.push(
        `job ${job.id} is ${job.state} but TikTok has ${job.objectId} ${truth.get(job.objectId) ?? 'missing'}`,
      );
  }
  return broken;
}

/** No job is still open past its deadline (plus `graceMs` for a worker restart), and none finished after it. */
export function checkDeadlines(jobs: readonly StoredJob[], now: number, graceMs: number) {
  const broken: string[] = [];
  for (const job of jobs) {
    if (job.deadline === null) continue;
    if (job.phase === 'open' && now > job.deadline + graceMs)
      broken.push(`job ${job.id} is still ${job.state} ${Math.round((now - job.deadline) / 1000)} s past its deadline`);
    if (job.finishedAt !== null && job.finishedAt > job.deadline + graceMs)
      broken.push(`job ${job.id} finished ${Math.round((job.finishedAt - job.deadline) / 1000)} s past its deadline`);
  }
  return broken;
}

/**
 * The audit trail is append-only (the earlier snapshot is an unchanged prefix of the later one) and ordered (seq
 * strictly increasing; per job: starts with its creation, each row leaves the state the last one entered, times
 * never go back, and the last row names the job's state).
 */
export function checkAudit(jobs: readonly StoredJob[], before: readonly AuditRecord[], after: readonly AuditRecord[]) {
  const broken: string[] = [];
  if (after.length < before.length || JSON.stringify(after.slice(0, before.length)) !== JSON.stringify(before))
    broken.push('the audit trail changed or lost rows since the last run (not append-only)');
  for (let i = 1; i < after.length; i++)
    if ((after[i]?.seq ?? 0) <= (after[i - 1]?.seq ?? 0)) broken.push(`audit seq not increasing at row ${i}`);
  for (const job of jobs) {
    const trail = after.filter((a) => a.jobId === job.id);
    const first = trail[0];
    if (first?.event !== 'created' || first.from !== null || first.to !== 'queued') {
      broken.push(`job ${job.id}: the audit trail does not start with its creation`);
      continue;
    }
    for (let i = 1; i < trail.length; i++) {
      const prev = trail[i - 1] as AuditRecord;
      const row = trail[i] as AuditRecord;
      if (row.from !== prev.to)
        broken.push(`job ${job.id}: row ${row.seq} leaves ${row.from}, the last row entered ${prev.to}`);
      if (row.at < prev.at) broken.push(`job ${job.id}: row ${row.seq} is dated before the row before it`);
    }
    if (trail.at(-1)?.to !== job.state)
      broken.push(`job ${job.id}: the last audit row says ${trail.at(-1)?.to}, the job is ${job.state}`);
  }
  return broken;
}
