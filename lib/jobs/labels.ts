/** What each job state means to a person, in words (chips, popup, README). */
export type JobStateName =
  | 'queued'
  | 'sending'
  | 'retrying'
  | 'unknown'
  | 'sent'
  | 'verifying'
  | 'confirmed'
  | 'settled'
  | 'still-spending'
  | 'stuck'
  | 'superseded'
  | 'failed'
  | 'undone'
  | 'blocked';

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
