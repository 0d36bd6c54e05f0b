/**
 * Which action a row offers (its own button, and the selection bar's count it falls in): the latest job wins over
 * the catalog's cached status once TikTok showed its change, and a job still in flight stands for the state it
 * leaves. Pure: shared by the row controls and the selection bar so both always agree.
 */
import { isApplied } from '../jobs/labels';
import { isJobInFlight } from '../jobs/skip-reasons';
import type { JobView } from './types';

export type RowAction = 'DISABLE' | 'ENABLE';

type JobFacts = Pick<JobView, 'action' | 'state'> & Partial<Pick<JobView, 'updatedAt' | 'statusReadAt'>>;

export function isInFlight(job: JobFacts): boolean {
  return isJobInFlight(job.state);
}

/**
 * Whether TikTok's status, read after the job's own last status read (`readAt`, the worker's clock), shows that
 * someone changed the object since SafePause applied its change (a person in Ads Manager, another tool): the read
 * then wins. The job's status read is the reference, not its last move: a spend watch can settle the job well after
 * its status was confirmed, and a person's change read in between must still show.
 */
export function changedSinceJob(apiStatus: string, job: JobFacts | undefined, readAt: number | undefined): boolean {
  const reference = job?.statusReadAt ?? job?.updatedAt;
  if (!job || !isApplied(job.state) || readAt === undefined || reference === undefined) return false;
  if (readAt <= reference) return false;
  return (apiStatus === 'ENABLE' || apiStatus === 'DISABLE') && apiStatus !== job.action;
}

/**
 * The status to offer an action for: the latest confirmed job wins over an older cached API read (which may predate
 * it), and a read taken after the job wins over the job.
 */
export function effectiveStatus(apiStatus: string, job: JobFacts | undefined, readAt?: number): string {
  if (changedSinceJob(apiStatus, job, readAt)) return apiStatus;
  if (job && isApplied(job.state)) return job.action;
  if (job && isInFlight(job)) return job.action === 'DISABLE' ? 'ENABLE' : 'DISABLE';
  return apiStatus;
}

/** Pause for what is on; Resume for everything else (off, frozen, unknown: the prompt says why it cannot be sent). */
export function offeredAction(apiStatus: string, job: JobFacts | undefined, readAt?: number): RowAction {
  return effectiveStatus(apiStatus, job, readAt) === 'ENABLE' ? 'DISABLE' : 'ENABLE';
}
