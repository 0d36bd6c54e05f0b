// A bounded query that also looks inside open shadow roots. Ads Manager is built from web components with
// versioned tags (`ks-button-1-1-14`), many with their own shadow roots, so `querySelector` from the
// document does not see everything and exact tag names break on every library release.
//
// Why bounded: this runs in a page nobody here controls, on route changes and re-renders, on the main
// thread. An unbounded walk of a large or hostile DOM (deeply nested shadow roots, tens of thousands of
// nodes) would stall the page the user is working in. What SafePause looks for sits near the top: the
// table at most a couple of shadow roots deep (form inputs are "two shadow roots deep" in the spec), and a
// virtualised page holds a few thousand elements. So the walk stops at MAX_SHADOW_DEPTH shadow roots and
// MAX_NODES elements, and says when it stopped early, so a caller can report it rather than guess.

export interface DeepQueryLimits {
  /** Shadow roots entered below the start (0 = light DOM only). */
  maxShadowDepth: number;
  /** Elements visited in total. */
  maxNodes: number;
}

export const DEFAULT_LIMITS: DeepQueryLimits = { maxShadowDepth: 4, maxNodes: 20_000 };

export interface DeepQueryResult {
  matches: Element[];
  /** True if a limit stopped the walk: there may be matches it did not see. */
  truncated: boolean;
}

/** Matches `prefix` itself and versioned forms `prefix-1-2-3`; not `prefix-group` or `prefixes`. */
export function isVersionedTag(prefix: string): (el: Element) => boolean {
  const lower = prefix.toLowerCase();
  return (el) => {
    const name = el.localName;
    return name === lower || (name.startsWith(`${lower}-`) && /^(-\d+)+$/.test(name.slice(lower.length)));
  };
}

/** Every element under `root` (light DOM and open shadow roots, document order per tree) matching `predicate`. */
export function deepQueryAll(
  root: ParentNode,
  predicate: (el: Element) => boolean,
  limits: DeepQueryLimits = DEFAULT_LIMITS,
  maxMatches = Number.POSITIVE_INFINITY,
): DeepQueryResult {
  const matches: Element[] = [];
  const stack: [Element, number][] = [];
  const pushChildren = (parent: ParentNode, depth: number): void => {
    for (let child = parent.lastElementChild; child; child = child.previousElementSibling) stack.push([child, depth]);
  };
  pushChildren(root, 0);
  let visited = 0;
  let truncated = false;
  while (stack.length > 0) {
    if (visited >= limits.maxNodes) return { matches, truncated: true };
    const [el, depth] = stack.pop() as [Element, number];
    visited++;
    if (predicate(el)) {
      matches.push(el);
      if (matches.length >= maxMatches) return { matches, truncated };
    }
    const shadow = el.shadowRoot; // null for closed roots: those are not ours to read
    if (shadow) {
      if (depth < limits.maxShadowDepth) pushChildren(shadow, depth + 1);
      else if (shadow.firstElementChild) truncated = true;
    }
    pushChildren(el, depth); // light children are popped first
  }
  return { matches, truncated };
}

/** The first match, or null. */
export function deepQuery(
  root: ParentNode,
  predicate: (el: Element) => boolean,
  limits: DeepQueryLimits = DEFAULT_LIMITS,
): Element | null {
  return deepQueryAll(root, predicate, limits, 1).matches[0] ?? null;
}
