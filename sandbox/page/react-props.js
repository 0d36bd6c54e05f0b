// @ts-check
// Framework bookkeeping as the real page's renderer leaves it: every rendered element carries own
// properties named `__reactProps$<suffix>` (and wrappers `__reactFiber$<suffix>`), with a suffix that
// is random per page load. Row IDs live only here, never in visible text or attributes.

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomSuffix(length = 10) {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let suffix = '';
  for (const byte of bytes) suffix += BASE36[byte % 36];
  return suffix;
}

const SUFFIX = randomSuffix();
export const PROPS_KEY = `__reactProps$${SUFFIX}`;
export const FIBER_KEY = `__reactFiber$${SUFFIX}`;

const ELEMENT_TYPE = Symbol.for('react.element');

/**
 * A value shaped like a rendered element description: `{ $$typeof, type, key, props }`.
 * @param {string} type
 * @param {Record<string, unknown>} props
 * @param {string | null} [key]
 */
export function describeElement(type, props, key = null) {
  return { $$typeof: ELEMENT_TYPE, type, key, ref: null, props };
}

/**
 * Replaces the props bookkeeping of an element (own, enumerable, writable, as the renderer does).
 * @param {Element} element
 * @param {Record<string, unknown>} props
 */
export function setProps(element, props) {
  /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (element))[PROPS_KEY] = props;
}

/**
 * Replaces the fiber bookkeeping of an element: a host fiber whose memoizedProps is the cell's
 * props holder and whose parent (`return`) is the cell component's fiber.
 * @param {Element} element
 * @param {Record<string, unknown>} holder the `{record, rowIndex, ...}` the cell component received
 * @param {string} componentName
 * @param {Record<string, unknown>} parentProps
 */
export function setFiber(element, holder, componentName, parentProps) {
  const parent = {
    tag: 0,
    key: null,
    elementType: componentName,
    type: componentName,
    memoizedProps: parentProps,
    pendingProps: parentProps,
    return: null,
    stateNode: null,
  };
  const fiber = {
    tag: 5,
    key: null,
    elementType: element.localName,
    type: element.localName,
    stateNode: element,
    memoizedProps: holder,
    pendingProps: holder,
    return: parent,
    child: null,
    sibling: null,
  };
  /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (element))[FIBER_KEY] = fiber;
}
