// Test support: loads a host fixture into the test document, gives its cells the rectangles their inline
// styles describe (happy-dom has no layout), and attaches framework properties the way Ads Manager's
// framework does (`__reactProps$<suffix>` / `__reactFiber$<suffix>` own properties), since static HTML
// cannot hold them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureName } from '../../../lib/host/selectors';

/** Vitest runs from the repository root. */
const FIXTURE_DIR = join(process.cwd(), 'test/fixtures/host');

/** Where the table's top-left corner sits in the viewport. */
export const TABLE_ORIGIN = { x: 24, y: 120 };

export function fixtureHtml(name: FixtureName): string {
  return readFileSync(join(FIXTURE_DIR, `${name}.html`), 'utf8');
}

/** Replaces the test document's content with the fixture's and lays out its cells. */
export function loadFixture(name: FixtureName): Document {
  const parsed = new DOMParser().parseFromString(fixtureHtml(name), 'text/html');
  const imported = (from: Node): Node[] => [...from.childNodes].map((node) => document.importNode(node, true));
  document.head.replaceChildren(...imported(parsed.head));
  document.body.replaceChildren(...imported(parsed.body));
  layOut(document);
  return document;
}

function rect(x: number, y: number, width: number, height: number): DOMRect {
  return {
    x,
    y,
    left: x,
    top: y,
    width,
    height,
    right: x + width,
    bottom: y + height,
    toJSON: () => ({}),
  } as DOMRect;
}

function stubRect(el: Element, r: DOMRect): void {
  Object.defineProperty(el, 'getBoundingClientRect', { value: () => r, configurable: true });
}

function px(style: string, prop: string): number {
  const match = new RegExp(`(?:^|;)\\s*${prop}:\\s*(-?[\\d.]+)px`).exec(style);
  return match ? Number(match[1]) : 0;
}

/** Gives every absolutely positioned cell (and the link inside it) a rectangle from its inline style. */
export function layOut(doc: Document): void {
  for (const cell of doc.querySelectorAll('.ks-virtual-table__cell')) {
    const style = cell.getAttribute('style') ?? '';
    const y = Number(/translateY\((-?[\d.]+)px\)/.exec(style)?.[1] ?? 0);
    const r = rect(TABLE_ORIGIN.x + px(style, 'left'), TABLE_ORIGIN.y + y, px(style, 'width'), px(style, 'height'));
    stubRect(cell, r);
    const link = cell.querySelector('a');
    if (link) stubRect(link, rect(r.left + 12, r.top + 14, Math.min(180, r.width - 24), 20));
  }
}

/** Moves every body cell by `dy` pixels, the way the virtual table scrolls (translateY), and lays out again. */
export function scrollCells(doc: Document, dy: number): void {
  for (const cell of doc.querySelectorAll<HTMLElement>('.ks-virtual-table__cell')) {
    const style = cell.getAttribute('style') ?? '';
    cell.setAttribute(
      'style',
      style.replace(/translateY\((-?[\d.]+)px\)/, (_, y: string) => `translateY(${Number(y) + dy}px)`),
    );
  }
  layOut(doc);
}

export type RowRecord = Record<string, string | number>;

/** How the record is attached: in the cell wrapper's props, in fibers only, or both (the usual case). */
export type PropShape = 'wrapper-props' | 'fiber' | 'both';

export interface Decoration {
  /** The random-looking suffix of the property names. */
  suffix: string;
  shape: PropShape;
}

interface FakeFiber {
  tag: number;
  type: string;
  memoizedProps: unknown;
  pendingProps: unknown;
  return: FakeFiber | null;
  child: FakeFiber | null;
  sibling: FakeFiber | null;
  stateNode: unknown;
}

function fiber(type: string, props: unknown, parent: FakeFiber | null, stateNode: unknown = null): FakeFiber {
  const f: FakeFiber = {
    tag: 5,
    type,
    memoizedProps: props,
    pendingProps: props,
    return: parent,
    child: null,
    sibling: null,
    stateNode,
  };
  if (parent) parent.child = f;
  return f;
}

/**
 * Attaches framework properties to the name links of the table (DOM order) and their cell wrappers:
 * - link: `__reactProps$` {className, href, children: name, onClick}; `__reactFiber$` whose `return` chain
 *   goes cell → cell renderer {record} → table body {dataSource: every record} → …; fibers point back at
 *   each other (cycles) and at the DOM node;
 * - wrapper: `__reactProps$` {className, style, children: {props: {record, column}}}; `__reactFiber$`.
 * Other rows' fibers are linked as `sibling`, as in a real fiber tree.
 */
export function decorateNameLinks(
  links: readonly Element[],
  records: readonly RowRecord[],
  { suffix, shape }: Decoration = { suffix: 'x7k2m9qa', shape: 'both' },
): void {
  const tableFiber = fiber('ks-virtual-table', { dataSource: records, rowKey: 'id' }, null);
  const bodyFiber = fiber('TableBody', { dataSource: records, columns: [{ key: 'name' }] }, tableFiber);
  let previousCell: FakeFiber | null = null;
  links.forEach((link, index) => {
    const record = records[index];
    const wrapper = link.parentElement;
    if (!record || !wrapper) return;
    const rendererFiber = fiber('NameCell', { record, rowIndex: index, column: { key: 'name' } }, bodyFiber);
    const cellFiber = fiber('div', { className: wrapper.className, children: null }, rendererFiber, wrapper);
    const linkFiber = fiber('a', { className: link.className, children: link.textContent }, cellFiber, link);
    if (previousCell) previousCell.sibling = cellFiber;
    previousCell = cellFiber;
    const linkProps = { className: link.className, href: 'javascript:;', children: link.textContent, onClick() {} };
    const wrapperProps = {
      className: wrapper.className,
      style: { transform: 'translateY(0px)' },
      children: { type: 'NameCell', key: null, props: { record, column: { key: 'name', width: 280 } } },
    };
    if (shape !== 'fiber') {
      Object.assign(wrapper, { [`__reactProps$${suffix}`]: wrapperProps });
      Object.assign(link, { [`__reactProps$${suffix}`]: linkProps });
    }
    if (shape !== 'wrapper-props') {
      Object.assign(wrapper, { [`__reactFiber$${suffix}`]: cellFiber });
      Object.assign(link, { [`__reactFiber$${suffix}`]: linkFiber });
    }
  });
}

/** The table's name link elements in DOM order, by the fixture's own markup (independent of lib/host). */
export function fixtureNameLinks(doc: Document): HTMLElement[] {
  return [...doc.querySelectorAll<HTMLElement>('ks-virtual-table > .ks-virtual-table__cell > a')];
}

/**
 * Recycles a name link the way the virtual table does: the element stays, its framework properties are
 * replaced with another record's (keeping the old ones too if `keepStale`, as mid-update), and its text
 * changes only if `text` is given.
 */
export function recycleNameLink(
  link: HTMLElement,
  record: RowRecord,
  { text, keepStale = false }: { text?: string; keepStale?: boolean } = {},
): void {
  if (!keepStale) {
    for (const el of [link, link.parentElement]) {
      if (!el) continue;
      for (const key of Object.keys(el)) {
        if (key.startsWith('__react')) delete (el as unknown as Record<string, unknown>)[key];
      }
    }
  }
  if (text !== undefined) link.textContent = text;
  decorateNameLinks([link], [record], { suffix: `r${Math.random().toString(36).slice(2, 8)}`, shape: 'both' });
}
