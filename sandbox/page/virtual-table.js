// @ts-check
// <ks-virtual-table>: the virtualised table of the real page, as far as its markup is known.
//
// - Every cell is its own absolutely positioned div and a DIRECT child of the table element; there is
//   no row container. Cells of one row share only their vertical position (transform: translateY).
// - Only a fixed pool of rows exists: ceil(visible rows) + 1 + 2 * overscan. Pool slot `i` shows row
//   `r` where `r % poolSize === i`, so after a scroll the same element shows another row; its text and
//   its `__reactProps$…` / `__reactFiber$…` properties are replaced.
// - Scrolling is the table's own: wheel, the custom scrollbars, and keys while focused. Nothing
//   scrolls natively, so `window` never fires scroll events.
// The controller lives in a module WeakMap: the element exposes no extra API to the page world.

import { describeElement, PROPS_KEY, setFiber, setProps } from './react-props.js';

export const ROW_HEIGHT = 48;
export const HEADER_HEIGHT = 44;
const FOOTER_HEIGHT = 44;
const OVERSCAN = 3;
const SCROLLBAR_SIZE = 10;
const MIN_THUMB = 28;
export const CELL_CLASS = 'ks-virtual-table__cell cl-w-full cl-overflow-hidden';
const HEADER_CLASS = 'ks-virtual-table__header-cell cl-w-full cl-overflow-hidden';

/**
 * @typedef {object} TableRow
 * @property {string} id
 * @property {Record<string, unknown>} record
 */
/**
 * @typedef {object} Column
 * @property {string} key
 * @property {string} title
 * @property {number} width
 * @property {boolean} [flex]
 * @property {'left' | 'right'} [align]
 * @property {boolean} [sortable]
 * @property {string} cellType component name recorded in the cell's props
 * @property {(cell: HTMLElement) => void} create builds the cell's inner elements once
 * @property {(cell: HTMLElement, row: any, rowIndex: number) => void} bind shows a row in the cell
 */
/** @typedef {Column & {left: number, actualWidth: number}} PlacedColumn */
/** @typedef {{cells: HTMLElement[], rowIndex: number, version: number, attached: boolean}} Slot */

const SHADOW_CSS = `
:host {
  display: block; position: relative; outline: none; background: #fff; overflow: hidden;
  border: 1px solid #e3e4e6; border-radius: 8px; contain: strict; user-select: none;
}
:host(:focus-visible) { box-shadow: 0 0 0 2px rgba(42, 110, 245, .35); }
.viewport { position: absolute; left: 0; right: 0; top: 0; bottom: ${FOOTER_HEIGHT}px; overflow: hidden; }
.header-bg {
  position: absolute; left: 0; right: 0; top: 0; height: ${HEADER_HEIGHT}px; z-index: 2;
  background: #f7f8fa; border-bottom: 1px solid #e3e4e6; box-sizing: border-box;
}
.hover-band {
  position: absolute; left: 0; right: 0; top: 0; height: ${ROW_HEIGHT}px; background: #f6f8fc;
  display: none; pointer-events: none;
}
.loading, .empty {
  position: absolute; left: 0; right: 0; top: ${HEADER_HEIGHT}px; bottom: 0; z-index: 1; background: #fff;
}
.loading[hidden], .empty[hidden], .hscroll[hidden], .vscroll[hidden] { display: none; }
.skeleton-row { display: flex; gap: 24px; align-items: center; height: ${ROW_HEIGHT}px; padding: 0 16px; border-bottom: 1px solid #f0f1f2; }
.bar { height: 12px; border-radius: 6px; background: linear-gradient(90deg, #eef0f3 25%, #f7f8fa 50%, #eef0f3 75%);
  background-size: 400% 100%; animation: shimmer 1.4s ease infinite; }
@keyframes shimmer { from { background-position: 100% 0; } to { background-position: 0 0; } }
.empty { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 8px;
  color: #8a8b91; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.vscroll { position: absolute; right: 0; top: ${HEADER_HEIGHT}px; bottom: 0; width: ${SCROLLBAR_SIZE}px; z-index: 4; }
.hscroll { position: absolute; left: 0; right: ${SCROLLBAR_SIZE}px; bottom: 0; height: ${SCROLLBAR_SIZE}px; z-index: 4; }
.thumb { position: absolute; border-radius: 5px; background: rgba(22, 24, 35, .22); }
.thumb:hover, .thumb.dragging { background: rgba(22, 24, 35, .4); }
.vscroll .thumb { left: 2px; right: 2px; top: 0; }
.hscroll .thumb { top: 2px; bottom: 2px; left: 0; }
.footer {
  position: absolute; left: 0; right: 0; bottom: 0; height: ${FOOTER_HEIGHT}px; overflow: hidden;
  background: #fafbfc; border-top: 1px solid #e3e4e6; box-sizing: border-box;
  font: 600 13px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #161823;
}
.footer-cell {
  position: absolute; top: 0; height: 100%; display: flex; align-items: center; padding: 0 16px;
  box-sizing: border-box; overflow: hidden; white-space: nowrap;
}
.footer-cell.right { justify-content: flex-end; }
`;

/** @type {WeakMap<HTMLElement, TableController>} */
const controllers = new WeakMap();

class KsVirtualTable extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = SHADOW_CSS;
    const viewport = part('div', 'viewport');
    viewport.append(part('div', 'hover-band'), document.createElement('slot'), part('div', 'header-bg'));
    const loading = part('div', 'loading');
    const empty = part('div', 'empty');
    empty.hidden = true;
    viewport.append(loading, empty);
    const vscroll = part('div', 'vscroll');
    vscroll.append(part('div', 'thumb'));
    const hscroll = part('div', 'hscroll');
    hscroll.append(part('div', 'thumb'));
    viewport.append(vscroll, hscroll);
    root.append(style, viewport, part('div', 'footer'));
  }
  connectedCallback() {
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    controllers.get(this)?.connected();
  }
  disconnectedCallback() {
    controllers.get(this)?.disconnected();
  }
}
if (!customElements.get('ks-virtual-table')) customElements.define('ks-virtual-table', KsVirtualTable);

/** @param {string} tag @param {string} className */
function part(tag, className) {
  const element = document.createElement(tag);
  element.className = className;
  element.setAttribute('part', className);
  return element;
}

/**
 * @param {{onSort?: (key: string) => void}} options
 * @returns {{element: HTMLElement, table: TableController}}
 */
export function createVirtualTable(options) {
  const element = document.createElement('ks-virtual-table');
  const table = new TableController(element, options);
  controllers.set(element, table);
  return { element, table };
}

export class TableController {
  /** @param {HTMLElement} host @param {{onSort?: (key: string) => void}} options */
  constructor(host, options) {
    this.host = host;
    this.onSort = options.onSort;
    const root = /** @type {ShadowRoot} */ (host.shadowRoot);
    /** @param {string} selector */
    const q = (selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
    this.parts = {
      loading: q('.loading'),
      empty: q('.empty'),
      footer: q('.footer'),
      hover: q('.hover-band'),
      vscroll: q('.vscroll'),
      vthumb: q('.vscroll .thumb'),
      hscroll: q('.hscroll'),
      hthumb: q('.hscroll .thumb'),
    };
    /** @type {Column[]} */
    this.columnDefs = [];
    /** @type {PlacedColumn[]} */
    this.columns = [];
    /** @type {TableRow[]} */
    this.rows = [];
    /** @type {Slot[]} */
    this.slots = [];
    /** @type {HTMLElement[]} */
    this.headerCells = [];
    /** @type {Map<string, HTMLElement>} */
    this.footerStats = new Map();
    this.poolSize = 0;
    this.version = 0;
    this.scrollTop = 0;
    this.scrollLeft = 0;
    this.width = 0;
    this.height = 0;
    this.contentWidth = 0;
    this.hoverRow = -1;
    this.frame = 0;
    this.sortKey = '';
    this.sortOrder = '';
    this.resizeObserver = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (!box) return;
      this.width = box.width;
      this.height = box.height;
      this.layout();
    });
    this.listen();
  }

  connected() {
    this.resizeObserver.observe(this.host);
  }

  disconnected() {
    this.resizeObserver.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  get bodyHeight() {
    return Math.max(0, this.height - FOOTER_HEIGHT - HEADER_HEIGHT);
  }

  get maxScrollTop() {
    return Math.max(0, this.rows.length * ROW_HEIGHT - this.bodyHeight + SCROLLBAR_SIZE);
  }

  get maxScrollLeft() {
    return Math.max(0, this.contentWidth - (this.width - SCROLLBAR_SIZE));
  }

  /** @param {Column[]} columns */
  setColumns(columns) {
    this.columnDefs = columns;
    this.placeColumns();
    this.buildHeader();
    this.buildFooter();
    this.rebuildPool();
    this.scheduleRender();
  }

  /** @param {TableRow[]} rows */
  setRows(rows) {
    this.rows = rows;
    this.version++;
    this.scrollTop = Math.min(this.scrollTop, this.maxScrollTop);
    this.scheduleRender();
  }

  /** Shows the same rows again (after data that the cells read changed). */
  rebind() {
    this.version++;
    this.scheduleRender();
  }

  /** @param {boolean} loading */
  setLoading(loading) {
    this.parts.loading.hidden = !loading;
    if (loading && !this.parts.loading.firstChild) {
      for (let i = 0; i < 14; i++) {
        const row = part('div', 'skeleton-row');
        for (const width of [28, 10, 9, 8, 8, 7, 8]) {
          const bar = part('div', 'bar');
          bar.style.width = `${width + ((i * 7 + width) % 5)}%`;
          row.append(bar);
        }
        this.parts.loading.append(row);
      }
    }
  }

  /** @param {string | null} message @param {HTMLElement} [action] */
  setEmpty(message, action) {
    this.parts.empty.hidden = message === null;
    this.parts.empty.replaceChildren();
    if (message !== null) {
      const text = document.createElement('div');
      text.textContent = message;
      this.parts.empty.append(text);
      if (action) this.parts.empty.append(action);
    }
  }

  /** @param {Record<string, string>} stats column key -> footer text */
  setFooter(stats) {
    for (const [key, text] of Object.entries(stats)) {
      let stat = this.footerStats.get(key);
      if (!stat) {
        stat = document.createElement('div');
        stat.setAttribute('slot', `footer-${key}`);
        stat.className = 'ks-virtual-table__footer-stat';
        this.footerStats.set(key, stat);
        this.host.append(stat);
      }
      stat.textContent = text;
    }
  }

  /** @param {string} key @param {string} order */
  setSort(key, order) {
    this.sortKey = key;
    this.sortOrder = order;
    for (const [index, cell] of this.headerCells.entries()) {
      const column = this.columns[index];
      const arrow = cell.querySelector('.sort-arrow');
      if (!column || !arrow) continue;
      const active = column.key === key && order !== '';
      arrow.textContent = active ? (order === 'asc' ? '▲' : '▼') : '';
      cell.setAttribute('aria-sort', active ? (order === 'asc' ? 'ascending' : 'descending') : 'none');
    }
  }

  placeColumns() {
    const available = Math.max(0, this.width - SCROLLBAR_SIZE);
    const fixed = this.columnDefs.reduce((sum, column) => sum + (column.flex ? 0 : column.width), 0);
    let left = 0;
    this.columns = this.columnDefs.map((column) => {
      const actualWidth = column.flex ? Math.max(column.width, Math.floor(available - fixed)) : column.width;
      const placed = { ...column, left, actualWidth };
      left += actualWidth;
      return placed;
    });
    this.contentWidth = left;
    this.scrollLeft = Math.min(this.scrollLeft, this.maxScrollLeft);
  }

  layout() {
    const before = this.columns.map((column) => column.actualWidth).join();
    this.placeColumns();
    const changed = before !== this.columns.map((column) => column.actualWidth).join();
    if (changed) {
      for (const [index, cell] of this.headerCells.entries()) {
        cell.style.width = `${this.columns[index]?.actualWidth ?? 0}px`;
      }
      this.buildFooter();
    }
    const pool = Math.ceil(this.bodyHeight / ROW_HEIGHT) + 1 + 2 * OVERSCAN;
    if (pool !== this.poolSize || changed) this.rebuildPool(pool);
    this.scrollTop = Math.min(this.scrollTop, this.maxScrollTop);
    this.scheduleRender();
  }

  buildHeader() {
    for (const cell of this.headerCells) cell.remove();
    this.headerCells = this.columns.map((column) => {
      const cell = document.createElement('div');
      cell.className = HEADER_CLASS;
      cell.style.transform = 'translateY(0px)';
      cell.style.left = `${column.left}px`;
      cell.style.width = `${column.actualWidth}px`;
      cell.style.height = `${HEADER_HEIGHT}px`;
      const inner = document.createElement('div');
      inner.className = `header-inner${column.align === 'right' ? ' is-right' : ''}`;
      const title = document.createElement('span');
      title.textContent = column.title;
      inner.append(title);
      if (column.sortable) {
        cell.classList.add('is-sortable');
        const arrow = document.createElement('span');
        arrow.className = 'sort-arrow';
        arrow.setAttribute('aria-hidden', 'true');
        inner.append(arrow);
        cell.addEventListener('click', () => this.onSort?.(column.key));
      }
      cell.append(inner);
      setProps(cell, {
        className: HEADER_CLASS,
        style: { transform: 'translateY(0px)', left: column.left, width: column.actualWidth },
        children: describeElement('HeaderCell', { column: { key: column.key, title: column.title } }, column.key),
      });
      this.host.append(cell);
      return cell;
    });
    this.setSort(this.sortKey, this.sortOrder);
  }

  buildFooter() {
    const footer = this.parts.footer;
    footer.replaceChildren();
    for (const column of this.columns) {
      const cell = part('div', `footer-cell${column.align === 'right' ? ' right' : ''}`);
      cell.dataset.left = String(column.left);
      cell.style.left = `${column.left - this.scrollLeft}px`;
      cell.style.width = `${column.actualWidth}px`;
      const slot = document.createElement('slot');
      slot.name = `footer-${column.key}`;
      cell.append(slot);
      footer.append(cell);
    }
  }

  /** @param {number} [size] */
  rebuildPool(size = this.poolSize) {
    for (const slot of this.slots) for (const cell of slot.cells) cell.remove();
    this.poolSize = size;
    this.slots = [];
    for (let i = 0; i < size; i++) {
      const cells = this.columns.map((column) => {
        const cell = document.createElement('div');
        cell.className = CELL_CLASS;
        cell.style.transform = 'translateY(0px)';
        cell.style.left = `${column.left}px`;
        cell.style.width = `${column.actualWidth}px`;
        cell.style.height = `${ROW_HEIGHT}px`;
        column.create(cell);
        return cell;
      });
      this.slots.push({ cells, rowIndex: -1, version: -1, attached: false });
    }
  }

  scheduleRender() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render() {
    if (!this.poolSize) return;
    this.scrollTop = Math.max(0, Math.min(Math.round(this.scrollTop), this.maxScrollTop));
    this.scrollLeft = Math.max(0, Math.min(Math.round(this.scrollLeft), this.maxScrollLeft));
    const first = Math.max(0, Math.floor(this.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const end = Math.min(this.rows.length, first + this.poolSize);
    /** @type {Set<Slot>} */
    const used = new Set();
    for (let rowIndex = first; rowIndex < end; rowIndex++) {
      const slot = /** @type {Slot} */ (this.slots[rowIndex % this.poolSize]);
      used.add(slot);
      if (slot.rowIndex !== rowIndex || slot.version !== this.version) this.bindSlot(slot, rowIndex);
      const y = HEADER_HEIGHT + rowIndex * ROW_HEIGHT - this.scrollTop;
      for (const [index, cell] of slot.cells.entries()) {
        const column = /** @type {PlacedColumn} */ (this.columns[index]);
        const transform = `translateY(${y}px)`;
        const left = column.left - this.scrollLeft;
        cell.style.transform = transform;
        cell.style.left = `${left}px`;
        const props = /** @type {{style?: {transform: string, left: number}}} */ (
          /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (cell))[PROPS_KEY] ?? {}
        );
        if (props.style) {
          props.style.transform = transform;
          props.style.left = left;
        }
      }
      if (!slot.attached) {
        this.host.append(...slot.cells);
        slot.attached = true;
      }
    }
    for (const slot of this.slots) {
      if (used.has(slot) || !slot.attached) continue;
      for (const cell of slot.cells) cell.remove();
      slot.attached = false;
      slot.rowIndex = -1;
    }
    for (const [index, cell] of this.headerCells.entries()) {
      cell.style.left = `${(this.columns[index]?.left ?? 0) - this.scrollLeft}px`;
    }
    for (const cell of /** @type {NodeListOf<HTMLElement>} */ (this.parts.footer.querySelectorAll('.footer-cell'))) {
      cell.style.left = `${Number(cell.dataset.left) - this.scrollLeft}px`;
    }
    this.renderScrollbars();
    this.renderHover();
  }

  /** @param {Slot} slot @param {number} rowIndex */
  bindSlot(slot, rowIndex) {
    const row = this.rows[rowIndex];
    if (!row) return;
    slot.rowIndex = rowIndex;
    slot.version = this.version;
    for (const [index, cell] of slot.cells.entries()) {
      const column = /** @type {PlacedColumn} */ (this.columns[index]);
      column.bind(cell, row, rowIndex);
      const holder = { record: row.record, rowIndex, column: column.key };
      setProps(cell, {
        className: CELL_CLASS,
        style: { transform: cell.style.transform, left: column.left - this.scrollLeft, width: column.actualWidth },
        children: describeElement(column.cellType, holder, `${row.id}-${column.key}`),
      });
      setFiber(cell, holder, column.cellType, { record: row.record, rowIndex, rowKey: row.id, columnKey: column.key });
    }
  }

  renderScrollbars() {
    const { vscroll, vthumb, hscroll, hthumb } = this.parts;
    const trackHeight = this.bodyHeight;
    const contentHeight = this.rows.length * ROW_HEIGHT + SCROLLBAR_SIZE;
    vscroll.hidden = contentHeight <= trackHeight;
    if (!vscroll.hidden) {
      const thumb = Math.max(MIN_THUMB, (trackHeight * trackHeight) / contentHeight);
      const offset = this.maxScrollTop ? (this.scrollTop / this.maxScrollTop) * (trackHeight - thumb) : 0;
      vthumb.style.height = `${thumb}px`;
      vthumb.style.transform = `translateY(${offset}px)`;
    }
    const trackWidth = Math.max(0, this.width - SCROLLBAR_SIZE);
    hscroll.hidden = this.contentWidth <= trackWidth;
    if (!hscroll.hidden) {
      const thumb = Math.max(MIN_THUMB, (trackWidth * trackWidth) / this.contentWidth);
      const offset = this.maxScrollLeft ? (this.scrollLeft / this.maxScrollLeft) * (trackWidth - thumb) : 0;
      hthumb.style.width = `${thumb}px`;
      hthumb.style.transform = `translateX(${offset}px)`;
    }
  }

  renderHover() {
    const band = this.parts.hover;
    if (this.hoverRow < 0 || this.hoverRow >= this.rows.length) {
      band.style.display = 'none';
      return;
    }
    band.style.display = 'block';
    band.style.transform = `translateY(${HEADER_HEIGHT + this.hoverRow * ROW_HEIGHT - this.scrollTop}px)`;
  }

  /** @param {number} dy @param {number} [dx] */
  scrollBy(dy, dx = 0) {
    const top = Math.max(0, Math.min(this.scrollTop + dy, this.maxScrollTop));
    const left = Math.max(0, Math.min(this.scrollLeft + dx, this.maxScrollLeft));
    if (top === this.scrollTop && left === this.scrollLeft) return false;
    this.scrollTop = top;
    this.scrollLeft = left;
    this.scheduleRender();
    return true;
  }

  listen() {
    const host = this.host;
    host.addEventListener(
      'wheel',
      (event) => {
        const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? this.bodyHeight : 1;
        let dx = event.deltaX * unit;
        let dy = event.deltaY * unit;
        if (event.shiftKey && !dx) {
          dx = dy;
          dy = 0;
        }
        event.preventDefault();
        this.scrollBy(dy, dx);
        this.updateHover(event.clientY);
      },
      { passive: false },
    );
    host.addEventListener('keydown', (event) => {
      const page = Math.max(ROW_HEIGHT, this.bodyHeight - ROW_HEIGHT);
      const onHost = event.composedPath()[0] === host;
      /** @type {Record<string, [number, number]>} */
      const moves = {
        ArrowDown: [ROW_HEIGHT, 0],
        ArrowUp: [-ROW_HEIGHT, 0],
        PageDown: [page, 0],
        PageUp: [-page, 0],
        ArrowRight: [0, 80],
        ArrowLeft: [0, -80],
        Home: [-this.scrollTop, 0],
        End: [this.maxScrollTop - this.scrollTop, 0],
      };
      if (onHost && event.key === ' ') moves[' '] = [event.shiftKey ? -page : page, 0];
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      this.scrollBy(move[0], move[1]);
    });
    host.addEventListener('pointermove', (event) => this.updateHover(event.clientY));
    host.addEventListener('pointerleave', () => {
      this.hoverRow = -1;
      this.renderHover();
    });
    this.dragScrollbar(this.parts.vscroll, this.parts.vthumb, 'y');
    this.dragScrollbar(this.parts.hscroll, this.parts.hthumb, 'x');
  }

  /** @param {number} clientY */
  updateHover(clientY) {
    const y = clientY - this.host.getBoundingClientRect().top;
    const inBody = y >= HEADER_HEIGHT && y < HEADER_HEIGHT + this.bodyHeight;
    this.hoverRow = inBody ? Math.floor((y - HEADER_HEIGHT + this.scrollTop) / ROW_HEIGHT) : -1;
    this.renderHover();
  }

  /** @param {HTMLElement} track @param {HTMLElement} thumb @param {'x' | 'y'} axis */
  dragScrollbar(track, thumb, axis) {
    /** @type {{pointer: number, start: number, scroll: number} | null} */
    let drag = null;
    const vertical = axis === 'y';
    thumb.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      event.stopPropagation();
      thumb.setPointerCapture(event.pointerId);
      thumb.classList.add('dragging');
      drag = {
        pointer: event.pointerId,
        start: vertical ? event.clientY : event.clientX,
        scroll: vertical ? this.scrollTop : this.scrollLeft,
      };
    });
    thumb.addEventListener('pointermove', (event) => {
      if (!drag || event.pointerId !== drag.pointer) return;
      const trackLength = vertical ? track.clientHeight : track.clientWidth;
      const thumbLength = vertical ? thumb.offsetHeight : thumb.offsetWidth;
      const max = vertical ? this.maxScrollTop : this.maxScrollLeft;
      const ratio = max / Math.max(1, trackLength - thumbLength);
      const delta = ((vertical ? event.clientY : event.clientX) - drag.start) * ratio;
      const target = drag.scroll + delta;
      if (vertical) this.scrollBy(target - this.scrollTop);
      else this.scrollBy(0, target - this.scrollLeft);
    });
    const end = () => {
      drag = null;
      thumb.classList.remove('dragging');
    };
    thumb.addEventListener('pointerup', end);
    thumb.addEventListener('pointercancel', end);
    track.addEventListener('pointerdown', (event) => {
      if (event.target === thumb) return;
      const box = thumb.getBoundingClientRect();
      const before = vertical ? event.clientY < box.top : event.clientX < box.left;
      const page = vertical ? this.bodyHeight - ROW_HEIGHT : this.width / 2;
      if (vertical) this.scrollBy(before ? -page : page);
      else this.scrollBy(0, before ? -page : page);
    });
  }
}
