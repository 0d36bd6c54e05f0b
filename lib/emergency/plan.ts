/**
 * Emergency stop, pure parts: which campaigns a stop covers, what the person must type to confirm it, how far it
 * got, and which campaigns its restore point may turn back on.
 */

import { namesMatch } from '../host/names';
import { isApplied } from '../jobs/labels';
import type { Job } from '../jobs/types';
import { parseMoney } from '../ledger';

/** A campaign as the emergency stop lists it (read from the API, never from the page). */
export interface StopCandidate {
  id: string;
  name: string;
  operationStatus: string;
  secondaryStatus: string | null;
  budget: number | null;
  budgetMode: string | null;
  modifyTime: string | null;
  /** Report strings as TikTok sent them ("12.30", "-"); null when the report had no row. */
  todaySpend: string | null;
  lifetimeSpend: string | null;
}

/** The restore point: exactly what one emergency stop set out to pause. Stored; never holds the token. */
export interface StopRecord {
  id: string;
  advertiserId: string;
  advertiserName: string;
  currency: string;
  timeZone: string;
  createdAt: number;
  /** The campaigns it pauses, with the status read just before (the jobs' baselines). */
  campaigns: { id: string; name: string; modifyTime: string | null; lifetimeSpend: string | null }[];
  /** Campaigns that were already off: counted for the record, never sent, never resumed by the restore. */
  alreadyOff: number;
  /** The job that stands for each campaign (null until the jobs are written; a joined open pause counts). */
  jobIds: Record<string, string> | null;
  /** Campaigns left out because a resume of them was in flight at that moment. */
  skipped: string[];
  restore: { at: number; campaignIds: string[] } | null;
}

/**
 * "Delivering or scheduled" means switched on: TikTok delivers it now or will (later today, tomorrow when a daily
 * budget resets, at its schedule start). Off, frozen by TikTok and deleted campaigns are not stopped (they cannot
 * spend, and a frozen one cannot be changed).
 */
export function isStoppable(c: Pick<StopCandidate, 'operationStatus' | 'secondaryStatus'>): boolean {
  return c.operationStatus === 'ENABLE' && c.secondaryStatus !== 'CAMPAIGN_STATUS_DELETE';
}

/**
 * The typed confirmation: the advertiser's name (Unicode-normalised, case and surrounding spaces ignored) or the
 * exact count of campaigns that will stop.
 */
export function confirmationMatches(typed: string, advertiserName: string, count: number): boolean {
  const text = typed.trim();
  if (text.length === 0) return false;
  if (/^\d+$/.test(text)) return Number(text) === count;
  return namesMatch(text.toLocaleLowerCase(), advertiserName.trim().toLocaleLowerCase());
}

export interface StopSummary {
  total: number;
  /** TikTok shows them off (confirmed, spend stopped, or still being watched for spend). */
  stopped: number;
  /** Not yet confirmed: waiting to send, sent, being read back. */
  inFlight: number;
  failed: { id: string; name: string; code: number | null; message: string }[];
  /** Jobs a person undid or that were changed elsewhere since. */
  changedSince: number;
  /**
   * Spend reported since the click, in minor units of the advertiser's currency, over the campaigns with both
   * readings (lifetime spend, so a day boundary does not matter).
   */
  leakedSinceClick: number | null;
  done: boolean;
}

export function summarizeStop(stop: StopRecord, jobs: readonly Job[]): StopSummary {
  const mine = new Set(Object.values(stop.jobIds ?? {}));
  const own = jobs.filter(
    (j) => j.action === 'DISABLE' && (mine.has(j.id) || (j.actor.kind === 'emergency' && j.actor.id === stop.id)),
  );
  let stopped = 0;
  let inFlight = 0;
  let changedSince = 0;
  const failed: StopSummary['failed'] = [];
  let leakMinor = 0;
  let leakKnown = false;
  for (const job of own) {
    if (job.state === 'failed' || job.state === 'stuck') {
      failed.push({
        id: job.objectId,
        name: job.objectName,
        code: job.lastError?.code ?? null,
        message: job.lastError?.message ?? 'Failed.',
      });
    } else if (job.state === 'superseded' || job.state === 'undone') changedSince += 1;
    else if (isApplied(job.state)) stopped += 1;
    else inFlight += 1;
    const atClick = job.spend.atClick?.value;
    const last = job.spend.atWindow?.value ?? job.spend.last?.value ?? job.spend.atConfirm?.value;
    const from = atClick === undefined ? null : parseMoney(atClick, stop.currency);
    const to = last === undefined ? null : parseMoney(last, stop.currency);
    if (from !== null && to !== null) {
      leakKnown = true;
      leakMinor += Math.max(0, to - from);
    }
  }
  // Campaigns whose job was never written (the worker stopped between the record and the jobs) count as in flight:
  // the next worker start creates them.
  const missing = Math.max(0, stop.campaigns.length - stop.skipped.length - own.length);
  inFlight += missing;
  for (const id of stop.skipped) {
    const name = stop.campaigns.find((c) => c.id === id)?.name ?? id;
    failed.push({
      id,
      name,
      code: null,
      message: 'A resume of it was in progress, so it was not paused. Pause it by hand.',
    });
  }
  return {
    total: stop.campaigns.length,
    stopped,
    inFlight,
    failed,
    changedSince,
    leakedSinceClick: leakKnown ? leakMinor : null,
    done: inFlight === 0,
  };
}

export type RestoreSkip = 'not-paused-by-stop' | 'on-again' | 'changed-since' | 'gone' | 'already-restored';

export interface RestorePlan {
  resume: { id: string; name: string; modifyTime: string | null }[];
  skipped: { id: string; name: string; reason: RestoreSkip; text: string }[];
}

/**
 * Which campaigns the restore point turns back on: only those this stop paused (its job reached TikTok and was
 * confirmed), that are still off, and that nobody touched since (TikTok's modify_time is still the one read when
 * the pause was confirmed). Everything else is listed with the reason it is left alone.
 */
export function restorePlan(
  stop: StopRecord,
  jobs: readonly Job[],
  now: Map<string, { operationStatus: string | null; modifyTime: string | null; name: string } | undefined>,
): RestorePlan {
  const plan: RestorePlan = { resume: [], skipped: [] };
  const mine = new Set(Object.values(stop.jobIds ?? {}));
  const byObject = new Map<string, Job>();
  for (const job of jobs) {
    if (job.action !== 'DISABLE') continue;
    if (mine.has(job.id) || (job.actor.kind === 'emergency' && job.actor.id === stop.id))
      byObject.set(job.objectId, job);
  }
  const restored = new Set(stop.restore?.campaignIds ?? []);
  for (const c of stop.campaigns) {
    const job = byObject.get(c.id);
    const current = now.get(c.id);
    const skip = (reason: RestoreSkip, text: string) => plan.skipped.push({ id: c.id, name: c.name, reason, text });
    if (restored.has(c.id)) skip('already-restored', 'Already resumed by this restore point.');
    else if (job?.state === 'undone') skip('on-again', 'It was resumed since (Undo).');
    else if (!job || !(isApplied(job.state) || job.state === 'still-spending')) {
      skip('not-paused-by-stop', 'The emergency stop did not pause it (its pause failed or never completed).');
    } else if (!current || current.operationStatus === null) skip('gone', 'TikTok no longer returns it.');
    else if (current.operationStatus !== 'DISABLE') skip('on-again', 'It is on again (someone resumed it since).');
    else if (job.lastRead?.modifyTime && current.modifyTime !== job.lastRead.modifyTime) {
      skip('changed-since', 'It was changed since the stop (by a person or another tool); left as it is.');
    } else plan.resume.push({ id: c.id, name: current.name || c.name, modifyTime: current.modifyTime });
  }
  return plan;
}
