/** What each job state means to a person, in words (chips, popup, README). */
import type { JobState } from './types';

export type JobStateName = JobState;

/** Where a job belongs in lists and counts: still moving, needing a person, or finished. */
export type StateGroup = 'progress' | 'attention' | 'done';

const ATTENTION_GROUP: ReadonlySet<JobState> = new Set(['stuck', 'still-spending', 'failed', 'superseded', 'blocked']);
const DONE_GROUP: ReadonlySet<JobState> = new Set(['confirmed', 'settled', 'undone']);

export function stateGroup(state: JobState): StateGroup {
  if (ATTENTION_GROUP.has(state)) return 'attention';
  if (DONE_GROUP.has(state)) return 'done';
  return 'progress';
}

/** Whether the object is (or will be, once the token is back) in the target state per TikTok's last answer. */
export function isApplied(state: JobState): boolean {
  return state === 'confirmed' || state === 'settled' || state === 'still-spending';
}

export type Tone = 'progress' | 'done' | 'attention' | 'neutral';

export interface StateLabel {
  label: string;
  tone: Tone;
  explanation: string;
}

export function describeState(state: JobStateName, action: 'DISABLE' | 'ENABLE'): StateLabel {
  const pausing = action === 'DISABLE';
  switch (state) {
    case 'queued':
      return {
        label: 'Queued',
        tone: 'progress',
        explanation: 'Saved; waiting for its turn within TikTok’s rate limits.',
      };
    case 'sending':
      return { label: 'Sending', tone: 'progress', explanation: 'The request is on its way to TikTok.' };
    case 'retrying':
      return {
        label: 'Retrying',
        tone: 'progress',
        explanation: 'TikTok was busy or unreachable; SafePause retries shortly.',
      };
    case 'unknown':
      return {
        label: 'Checking',
        tone: 'progress',
        explanation: 'The last answer was lost; SafePause reads the status before sending again.',
      };
    case 'sent':
    case 'verifying':
      return {
        label: 'Waiting for TikTok',
        tone: 'progress',
        explanation: 'TikTok accepted the change; SafePause reads it back until it shows.',
      };
    case 'confirmed':
      return pausing
        ? {
            label: 'Paused',
            tone: 'done',
            explanation: 'TikTok reports it paused; SafePause watches spend until reports catch up.',
          }
        : { label: 'Resumed', tone: 'done', explanation: 'TikTok reports it delivering again.' };
    case 'settled':
      return pausing
        ? {
            label: 'Spend stopped',
            tone: 'done',
            explanation: 'Paused, and reported spend stopped growing after the report delay.',
          }
        : { label: 'Resumed', tone: 'done', explanation: 'TikTok reports it delivering again.' };
    case 'still-spending':
      return {
        label: 'Still spending',
        tone: 'attention',
        explanation: 'TikTok says it is paused, but reported spend keeps rising. Copy the support report.',
      };
    case 'stuck':
      return {
        label: 'Needs attention',
        tone: 'attention',
        explanation: 'TikTok accepted the change but the status did not change before the deadline.',
      };
    case 'superseded':
      return {
        label: 'Changed elsewhere',
        tone: 'attention',
        explanation:
          'Someone changed it in Ads Manager or another tool meanwhile; SafePause stopped and did not override them.',
      };
    case 'failed':
      return {
        label: 'Failed',
        tone: 'attention',
        explanation: 'TikTok refused the change; see the code and message.',
      };
    case 'undone':
      return { label: 'Undone', tone: 'neutral', explanation: 'You resumed it from SafePause.' };
    case 'blocked':
      return {
        label: 'Needs token',
        tone: 'attention',
        explanation:
          'The access token was kept only for the last browser session. Enter it again in options; the job then continues.',
      };
  }
}
