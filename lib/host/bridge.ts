// The page bridge: runs in the page's MAIN world (entrypoints/page-bridge.content.ts), because only that
// world can see the framework's own properties (`__reactProps$…`, `__reactFiber$…`) on the table's
// elements. It answers probes from the isolated world with the digit strings it finds there.
//
// Rules for this file:
// - It never throws into the page: every handler is wrapped, every read is guarded.
// - It reads no page globals (DOM clobbering: `<form name="addEventListener">` shadows document methods),
//   only the element it was asked about. The built-ins it uses are captured once at install time, which
//   runs at document_start, before page scripts.
// - It never invokes page code while reading: only data properties are read (getters are skipped).
// - It is bounded: a fiber graph is cyclic and reaches the whole app, so the walk caps depth and nodes.
// - It stays tiny (bundle target < 3 KB gzipped): no zod, no imports beyond the event constants.
// What it sends back is page-controlled input either way; the isolated side validates it and treats every
// id as a candidate only.

import {
  BRIDGE_PROTOCOL_VERSION,
  CANDIDATES_EVENT,
  type Candidate,
  MAX_CANDIDATES,
  PROBE_EVENT,
} from './bridge-events';

const PROPS_PREFIX = '__reactProps$';
const FIBER_PREFIX = '__reactFiber$';
/** link → cell wrapper → (one spare level): the record sits in the name cell, never higher. */
const MAX_ANCESTORS = 3;
/**
 * Props → children → props → record → campaign_id is depth 4, and so is fiber → return → memoizedProps →
 * record → campaign_id: one spare level. Deeper walks reach other rows' records (a parent's data source).
 */
const MAX_DEPTH = 5;
/** `return` steps up the fiber tree per path: the name cell's own components, not the table's. */
const MAX_RETURNS = 2;
/** Values visited per probe, all roots together. A fiber's `return` chain reaches the whole app. */
const MAX_NODES = 1500;
/** Own property names read per object: an API record has up to ~100 fields; `window` has many hundreds. */
const MAX_KEYS = 256;
/** Only the first items of an array are read: a long list of records is a data source of other rows. */
const MAX_ITEMS = 8;
/** Fiber links that lead sideways or down to other rows, or back to DOM nodes, are not followed. */
const SKIP_KEYS = new Set(['child', 'sibling', 'alternate', 'stateNode', '_owner', '_debugOwner', '_store', 'ref']);
const ID_STRING = /^\d{15,19}$/;
const FIELD = /^[a-z_]{1,32}$/;
/** The smallest 15-digit number; numbers above Number.MAX_SAFE_INTEGER (16 digits) are already lossy. */
const MIN_ID_NUMBER = 1e14;
/** The element that holds every row: its props list all rows, so the ancestor walk stops there. */
const TABLE_TAG_PREFIX = 'ks-virtual-table';

/** Installs the probe listener on `doc` (capture phase). Returns a function that removes it. */
export function installBridge(doc: Document): () => void {
  const { getOwnPropertyNames, getOwnPropertyDescriptor } = Object;
  const { isArray } = Array;
  const { isSafeInteger } = Number;
  const stringify = JSON.stringify;
  const CustomEventCtor = CustomEvent;
  const ElementCtor = Element;
  const NodeCtor = Node;
  const { addEventListener, removeEventListener, dispatchEvent } = EventTarget.prototype;
  const composedPath = Event.prototype.composedPath;
  const parentOf = getOwnPropertyDescriptor(Node.prototype, 'parentElement')?.get;
  const localNameOf = getOwnPropertyDescriptor(Element.prototype, 'localName')?.get;

  const ownValue = (obj: object, key: string): unknown => {
    const desc = getOwnPropertyDescriptor(obj, key);
    return desc && 'value' in desc ? desc.value : undefined;
  };

  const snake = (key: string): string => {
    const field = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    return FIELD.test(field) ? field : 'other';
  };

  const collect = (target: Element): Candidate[] => {
    const propsRoots: unknown[] = [];
    const fiberRoots: unknown[] = [];
    let el: Element | null = target;
    for (let level = 0; el && level <= MAX_ANCESTORS; level++) {
      if (level > 0 && localNameOf?.call(el).startsWith(TABLE_TAG_PREFIX)) break;
      for (const key of getOwnPropertyNames(el)) {
        if (key.startsWith(PROPS_PREFIX)) propsRoots.push(ownValue(el, key));
        else if (key.startsWith(FIBER_PREFIX)) fiberRoots.push(ownValue(el, key));
      }
      const parent: unknown = parentOf?.call(el);
      el = parent instanceof ElementCtor ? parent : null;
    }

    const found: Candidate[] = [];
    const seenPairs = new Set<string>();
    const seenObjects = new Set<object>();
    // Breadth first, props before fibers, so the nearest ids are kept when the cap is reached.
    // Entries: value, depth, field name, `return` steps taken.
    const queue: [unknown, number, string, number][] = [...propsRoots, ...fiberRoots].map((root) => [
      root,
      0,
      'other',
      0,
    ]);
    for (let i = 0; i < queue.length && i < MAX_NODES && found.length < MAX_CANDIDATES; i++) {
      const [value, depth, field, returns] = queue[i] as [unknown, number, string, number];
      let id: string | undefined;
      if (typeof value === 'string') id = value;
      else if (typeof value === 'number' && isSafeInteger(value) && value >= MIN_ID_NUMBER) id = `${value}`;
      else if (typeof value === 'bigint') id = `${value}`;
      if (id !== undefined) {
        if (ID_STRING.test(id) && !seenPairs.has(`${id} ${field}`)) {
          seenPairs.add(`${id} ${field}`);
          found.push({ id, field });
        }
        continue;
      }
      if (typeof value !== 'object' || value === null || seenObjects.has(value)) continue;
      seenObjects.add(value);
      if (depth >= MAX_DEPTH) continue;
      try {
        if (value instanceof NodeCtor) continue;
        const list = isArray(value);
        const keys = getOwnPropertyNames(value);
        const limit = list ? MAX_ITEMS : MAX_KEYS;
        for (let k = 0, taken = 0; k < keys.length && taken < limit; k++) {
          const key = keys[k] as string;
          const up = key === 'return' ? returns + 1 : returns;
          if (SKIP_KEYS.has(key) || (list && key === 'length') || up > MAX_RETURNS) continue;
          taken++;
          queue.push([ownValue(value, key), depth + 1, list ? field : snake(key), up]);
        }
      } catch {
        // A proxy whose traps throw: skip that object, keep what was found elsewhere.
      }
    }
    return found;
  };

  const onProbe = (event: Event): void => {
    try {
      const target = composedPath.call(event)[0];
      if (!(target instanceof ElementCtor)) return;
      const detail = stringify({ v: BRIDGE_PROTOCOL_VERSION, candidates: collect(target) });
      dispatchEvent.call(target, new CustomEventCtor(CANDIDATES_EVENT, { detail }));
    } catch {
      // A hostile or odd object (a proxy that throws, a frozen prototype) must not break the page.
    }
  };

  addEventListener.call(doc, PROBE_EVENT, onProbe, true);
  return () => removeEventListener.call(doc, PROBE_EVENT, onProbe, true);
}
