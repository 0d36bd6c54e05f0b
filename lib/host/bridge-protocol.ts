// The isolated-world side of the page bridge (see bridge-events.ts for the event protocol).
//
// The answer comes from the page's MAIN world, which the page itself controls: a page script can listen
// for the probe and answer first, answer instead of the bridge, or dispatch a forged answer at any time.
// So the answer is validated like any untrusted input (string, bounded length, guarded JSON parse,
// schema), and whatever passes is only a list of CANDIDATES: an id becomes a row's identity only after
// identity.ts corroborates it with the API's own list and the row's visible name.

import {
  BRIDGE_PROTOCOL_VERSION,
  CANDIDATES_EVENT,
  type Candidate,
  MAX_CANDIDATES,
  MAX_DETAIL_LENGTH,
  PROBE_EVENT,
} from './bridge-events';

export type { Candidate } from './bridge-events';

const ID = /^\d{15,20}$/;
const FIELD = /^[a-z_]{1,32}$/;

/** Own enumerable keys are exactly `keys` (a strict shape: no extra field slips through). */
function hasExactKeys(value: object, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
}

/**
 * The answer's shape, checked by hand (this runs in the content script, which stays small): a plain object with
 * exactly `v` (this protocol's version) and `candidates`, at most MAX_CANDIDATES objects with exactly a 15-20 digit
 * `id` and a lower-case `field`.
 */
function readAnswer(json: unknown): Candidate[] | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  if (!hasExactKeys(json, ['v', 'candidates'])) return null;
  const { v, candidates } = json as { v: unknown; candidates: unknown };
  if (v !== BRIDGE_PROTOCOL_VERSION || !Array.isArray(candidates) || candidates.length > MAX_CANDIDATES) return null;
  const out: Candidate[] = [];
  for (const c of candidates as unknown[]) {
    if (typeof c !== 'object' || c === null || Array.isArray(c) || !hasExactKeys(c, ['id', 'field'])) return null;
    const { id, field } = c as { id: unknown; field: unknown };
    if (typeof id !== 'string' || typeof field !== 'string' || !ID.test(id) || !FIELD.test(field)) return null;
    out.push({ id, field });
  }
  return out;
}

/** Reads one answer's `detail`. Anything but a valid, bounded JSON string of the right shape gives []. */
export function parseCandidatesDetail(detail: unknown): Candidate[] {
  if (typeof detail !== 'string' || detail.length > MAX_DETAIL_LENGTH) return [];
  let json: unknown;
  try {
    json = JSON.parse(detail);
  } catch {
    return [];
  }
  return readAnswer(json) ?? [];
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
