// The contract between the page bridge (MAIN world, bridge.ts) and the content script (isolated world,
// bridge-protocol.ts). No imports: bridge.ts must stay tiny, so nothing here may pull in zod or the DOM
// helpers of the isolated side.
//
// 1. The isolated world dispatches `safepause:probe` (a CustomEvent, no detail, not bubbling, composed)
//    on a name link element.
// 2. The bridge hears it in the capture phase on the document, reads the framework properties of that
//    element and a few of its ancestors, and synchronously dispatches `safepause:candidates` on the same
//    element (not bubbling), with `detail` a JSON string:
//      {"v":1,"candidates":[{"id":"7301234567890123456","field":"campaign_id"}]}
//    DOM dispatch is synchronous across worlds, so the answer arrives before the probe's dispatchEvent
//    returns. The detail is a string because objects do not cross worlds reliably.

export const PROBE_EVENT = 'safepause:probe';
export const CANDIDATES_EVENT = 'safepause:candidates';
export const BRIDGE_PROTOCOL_VERSION = 1;

/** At most this many candidates per answer (the bridge stops collecting there, the reader rejects more). */
export const MAX_CANDIDATES = 32;
/** The longest answer the reader accepts: 32 candidates of ~70 characters plus the envelope fit easily. */
export const MAX_DETAIL_LENGTH = 4096;

/** A digit string found behind a row, and the property name it was found under. Never an identity by itself. */
export interface Candidate {
  /** 15-20 decimal digits, as a string (IDs exceed 2^53). */
  id: string;
  /** The property name it sat under, in snake_case (`campaign_id`, `id`), or `other`. A hint for diagnostics only. */
  field: string;
}
