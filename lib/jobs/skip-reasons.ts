/**
 * Why one object of a confirm prompt is not sent: the prompt lists it as skipped with this reason, and the job
 * engine never sees it. The same checks hold for one row's Pause or Resume and for a bulk selection, so a
 * selection never sends what the row's own button would refuse. Pure: the caller reads TikTok and the outbox.
 */
import { type CascadeLevel, parentEffect } from './cascade';
import { describeState, stateGroup } from './labels';
import type { JobState } from './types';

export type StatusAction = 'DISABLE' | 'ENABLE';

export interface SkipInput {
  level: CascadeLevel;
  action: StatusAction;
  advertiserId: string;
  /** TikTok's object as read for the prompt, or null when TikTok does not list the ID. */
  object: { operationStatus: string; secondaryStatus: string | null } | null;
  /** Whether the name the row showed equals TikTok's name for the ID (corroborated again at prompt time). */
  nameMatches: boolean;
  visibleName: string;
  /** The name of the paused parent that stops it, when known. */
  parentName: string | null;
  /** SafePause's latest job for the object, if any. */
  latestJob: { action: StatusAction; state: JobState } | null;
}

const NOUNS: Record<StatusAction, string> = { DISABLE: 'pause', ENABLE: 'resume' };

/** A job still on its way to TikTok (or waiting for the token): another request for the object would collide. */
export function isJobInFlight(state: JobState): boolean {
  return stateGroup(state) === 'progress' || state === 'blocked';
}

/** The reason the object is skipped, or null when the action should be sent. */
export function skipReason(input: SkipInput): string | null {
  const { object, action } = input;
  if (object === null) {
    return `TikTok does not list this ID for advertiser ${input.advertiserId} (deleted, or not this advertiser's); nothing will be sent for it.`;
  }
  if (!input.nameMatches) {
    return `The row showed “${input.visibleName}”, but TikTok's name for this ID is different. Reload Ads Manager and try again; nothing will be sent for it.`;
  }
  if (object.secondaryStatus?.endsWith('_DELETE')) {
    return 'Deleted in TikTok: it cannot be paused or resumed; nothing will be sent for it.';
  }
  const job = input.latestJob;
  if (job && isJobInFlight(job.state)) {
    const label = describeState(job.state, job.action).label;
    if (job.action === action) {
      return `A ${NOUNS[action]} of it is already in progress (${label}): nothing more to send.`;
    }
    return `A ${NOUNS[job.action]} of it is still in progress (${label}), so SafePause will not send the opposite change at the same time. Wait until it finishes, then try again.`;
  }
  const byParent = parentEffect(input.level, action, object.secondaryStatus, input.parentName);
  if (byParent?.problem && object.operationStatus === 'ENABLE') return byParent.problem;
  if (object.operationStatus === action) {
    return action === 'DISABLE' ? 'Already paused: nothing to send.' : 'Already on: nothing to send.';
  }
  if (object.operationStatus === 'FROZEN') {
    return 'Frozen by TikTok (it cannot be turned on again): nothing will be sent for it.';
  }
  if (object.operationStatus !== 'ENABLE' && object.operationStatus !== 'DISABLE') {
    return `TikTok reports status ${object.operationStatus}; SafePause only switches objects that are on or off.`;
  }
  return null;
}
