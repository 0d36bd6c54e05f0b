// The isolated-world side of the page bridge (see bridge-events.ts for the event protocol).
//
// The answer comes from the page's MAIN world, which the page itself controls: a page script can listen
// for the probe and answer first, answer instead of the bridge, or dispatch a forged answer at any time.
// So the answer is validated like any untrusted input (string, bounded length, guarded JSON parse,
// schema), and whatever passes is only a list of CANDIDATES: an id becomes a row's identity only after
// identity.ts corroborates it with the API's own list and the row's visible name.

import { z } from '../zod';
import {
  BRIDGE_PROTOCOL_VERSION,
  CANDIDATES_EVENT,
  type Candidate,
  MAX_CANDIDATES,
  MAX_DETAIL_LENGTH,
  PROBE_EVENT,
} from './bridge-events';

export type { Candidate } from './bridge-events';

const CandidateSchema = z.strictObject({
  id: z.string().regex(/^\d{15,20}$/),
  field: z.string().regex(/^[a-z_]{1,32}$/),
});

const AnswerSchema = z.strictObject({
  v: z.literal(BRIDGE_PROTOCOL_VERSION),
  candidates: z.array(CandidateSchema).max(MAX_CANDIDATES),
});

/** Reads one answer's `detail`. Anything but a valid, bounded JSON string of the right shape gives []. */
export function parseCandidatesDetail(detail: unknown): Candidate[] {
  if (typeof detail !== 'string' || detail.length > MAX_DETAIL_LENGTH) return [];
  let json: unknown;
  try {
    json = JSON.parse(detail);
  } catch {
    return [];
  }
  const answer = AnswerSchema.safeParse(json);
  return answer.success ? answer.data.candidates : [];
}

/**
 * Asks the page bridge which ids sit behind `el` (a name link) and returns them, synchronously.
 * Invalid answers are ignored; if several valid answers arrive during the probe (the bridge and a page
 * script), their candidates are merged: more candidates can only make identification fail, never pick
 * an id the API and the visible name do not both confirm. No bridge, no props, or no valid answer: [].
 */
export function probeElement(el: Element): Candidate[] {
  const found: Candidate[] = [];
  const seen = new Set<string>();
  const onAnswer = (event: Event): void => {
    if (event.target !== el || !('detail' in event)) return;
    for (const candidate of parseCandidatesDetail(event.detail)) {
      const key = `${candidate.id} ${candidate.field}`;
      if (found.length < MAX_CANDIDATES && !seen.has(key)) {
        seen.add(key);
        found.push(candidate);
      }
    }
  };
  el.addEventListener(CANDIDATES_EVENT, onAnswer);
  try {
    el.dispatchEvent(new CustomEvent(PROBE_EVENT, { bubbles: false, composed: true }));
  } finally {
    el.removeEventListener(CANDIDATES_EVENT, onAnswer);
  }
  return found;
}
