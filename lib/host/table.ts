// Pure DOM reads of Ads Manager's virtual table: where it is, its name links, and where a row is on screen.
// No writes, no listeners. Rows have no container element (spec), so a "row" here is the set of body cells
// at the same vertical position, and a name link is keyed by what it shows now: elements are recycled.

import { deepQuery, isVersionedTag } from './deep-query';
import { normaliseName } from './names';
import { BODY_CELL, NAME_LINK_VARIANTS, VIRTUAL_TABLE, VIRTUAL_TABLE_TAG } from './selectors';

export interface Rect {
  top: number;
  left: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

export interface NameLink {
  link: HTMLElement;
  /** The link's own rectangle, viewport coordinates, at the time of the read. */
  rect: Rect;
  /** textContent after normaliseName. */
  visibleName: string;
}

/** Cells of one row share their top edge; translateY values can be fractional. */
const SAME_ROW_TOLERANCE_PX = 1;

/** The virtual table: a plain query first, then a bounded deep query for a versioned tag in shadow roots. */
export function findTable(root: ParentNode): Element | null {
  return root.querySelector(VIRTUAL_TABLE) ?? deepQuery(root, isVersionedTag(VIRTUAL_TABLE_TAG));
}

/** The table's light DOM, plus its open shadow root if the cells were ever moved there. */
function scopesOf(table: Element): ParentNode[] {
  return table.shadowRoot ? [table, table.shadowRoot] : [table];
}

function toRect(r: DOMRectReadOnly): Rect {
  return { top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
}

/** The name links in body cells of `table` (first selector variant that matches anything), in DOM order. */
export function nameLinkElements(table: Element): HTMLElement[] {
  for (const variant of NAME_LINK_VARIANTS) {
    const links = scopesOf(table).flatMap((scope) => [...scope.querySelectorAll<HTMLElement>(variant)]);
    if (links.length > 0) return links;
  }
  return [];
}

export function readNameLink(link: HTMLElement): NameLink {
  return { link, rect: toRect(link.getBoundingClientRect()), visibleName: normaliseName(link.textContent ?? '') };
}

export function readNameLinks(table: Element): NameLink[] {
  return nameLinkElements(table).map(readNameLink);
}

/** How many body cells the table holds now (0 while it is still loading). */
export function countBodyCells(table: Element): number {
  return scopesOf(table).reduce((n, scope) => n + scope.querySelectorAll(BODY_CELL).length, 0);
}

/**
 * The union of the body cells at the same vertical position as `link`'s cell: the row, for placing a
 * control over it. Null if the link is not in a body cell. Reads one rect per sibling cell.
 */
export function rowRectFor(link: Element): Rect | null {
  const cell = link.closest(BODY_CELL);
  const parent = cell?.parentNode;
  if (!cell || !parent) return null;
  const own = cell.getBoundingClientRect();
  let { top, left, right, bottom } = own;
  for (const sibling of parent.children) {
    if (sibling === cell || !sibling.matches(BODY_CELL)) continue;
    const r = sibling.getBoundingClientRect();
    if (Math.abs(r.top - own.top) > SAME_ROW_TOLERANCE_PX) continue;
    top = Math.min(top, r.top);
    left = Math.min(left, r.left);
    right = Math.max(right, r.right);
    bottom = Math.max(bottom, r.bottom);
  }
  return { top, left, right, bottom, width: right - left, height: bottom - top };
}

/**
 * The vertical band of the table where body rows are visible: below the header cells (which sit at the
 * top of the table) and above the table's bottom edge. Controls outside it would float over the header.
 */
export function visibleBodyBand(table: Element): { top: number; bottom: number } {
  const rect = table.getBoundingClientRect();
  let top = rect.top;
  for (const header of table.querySelectorAll(':scope > .ks-virtual-table__header-cell')) {
    top = Math.max(top, header.getBoundingClientRect().bottom);
  }
  let bottom = rect.bottom;
  // Footer totals sit in slots such as div[slot="footer-stat_cost"] along the bottom edge.
  for (const footer of table.querySelectorAll(':scope > [slot^="footer-"]')) {
    // The slotted text sits inside a footer bar in the table's (open) shadow root: walk up from its slot and
    // take the highest top edge below the header (a container that starts at the table's top is not the bar).
    let footerTop = footer.getBoundingClientRect().top;
    for (let el: Element | null = (footer as HTMLElement).assignedSlot ?? null; el; el = el.parentElement) {
      const edge = el.getBoundingClientRect().top;
      if (edge > top) footerTop = Math.min(footerTop, edge);
    }
    if (footerTop > top) bottom = Math.min(bottom, footerTop);
  }
  return { top, bottom };
}
