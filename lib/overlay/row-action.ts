/**
 * Which action a row offers (its own button, and the selection bar's count it falls in): the latest job wins over
 * the catalog's cached status once TikTok showed its change, and a job still in flight stands for the state it
 * leaves. Pure: shared by the row controls and the selection bar so both always agree.
 */
import { isApplied } from '../jobs/labels';
import { isJobInFlight } from '../jobs/skip-reasons';
import type { JobView } from './types';

export type RowAction = 'DISABLE' | 'ENABLE';

type JobFacts = Pick<JobView, 'action' | 'state'>;

export function isInFlight(job: JobFacts): boolean {
  return isJobInFlight(job.state);
}

/** The status to offer an action for: the latest confirmed job wins over the cached API read. */
export function effectiveStatus(apiStatus: string, job: JobFacts | undefined): string {
  if (job && isApplied(job.state)) return job.action;
  if (job && isInFlight(job)) return job.action === 'DISABLE' ? 'ENABLE' : 'DISABLE';
  return apiStatus;
}

/** Pause for what is on; Resume for everything else (off, frozen, unknown: the prompt says why it cannot be sent). */
export function offeredAction(apiStatus: string, job: JobFacts | undefined): RowAction {
  return effectiveStatus(apiStatus, job) === 'ENABLE' ? 'DISABLE' : 'ENABLE';
}
