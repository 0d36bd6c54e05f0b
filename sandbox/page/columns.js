// @ts-check
// The table's columns and their cells. A cell's inner elements are built once per pooled element
// and re-bound to whichever row the element shows now. Text is always set with textContent.

import { ksIconButton } from './ks-components.js';
import { setProps } from './react-props.js';

/** @typedef {import('./route.js').Level} Level */
/**
 * @typedef {object} PageRow one row of the current level as the page holds it
 * @property {string} id
 * @property {string} name
 * @property {Level} level
 * @property {boolean} on
 * @property {string} statusLabel
 * @property {string} budget
 * @property {string} budgetMode
 * @property {string} cost
 * @property {string} impressions
 * @property {string} clicks
 * @property {string} conversions
 * @property {string} cpa
 * @property {boolean} pending a status change is in flight
 * @property {Record<string, unknown>} record the record handed to the cell components
 */
/**
 * @typedef {object} CellContext
 * @property {Level} level
 * @property {string} currency
 * @property {boolean} metricsReady metrics show "--" until the second render stage
 * @property {string} childHref
 * @property {(row: PageRow, event: MouseEvent) => void} onOpen
 * @property {(row: PageRow, on: boolean) => void} onToggle
 */

/** The row each pooled cell element shows right now (read at event time, never captured). */
/** @type {WeakMap<HTMLElement, PageRow>} */
const boundRows = new WeakMap();

/** @type {Record<Level, string>} */
const LEVEL_NOUN = { campaign: 'Campaign', adgroup: 'Ad group', ad: 'Ad' };

/** @type {Record<string, string>} */
const STATUS_TONE = {
  Active: 'success',
  Inactive: 'muted',
  'Not delivering': 'warning',
  'Out of budget': 'warning',
  Deleted: 'muted',
  Frozen: 'danger',
};

/** @type {Record<string, string>} */
const BUDGET_MODE = {
  BUDGET_MODE_DAY: 'Daily',
  BUDGET_MODE_DYNAMIC_DAILY_BUDGET: 'Daily',
  BUDGET_MODE_TOTAL: 'Lifetime',
};

/** @type {Map<string, Intl.NumberFormat | null>} */
const moneyFormats = new Map();
const countFormat = new Intl.NumberFormat('en-US');

/** @param {string} value @param {string} currency */
export function formatMoney(value, currency) {
  const amount = Number(value);
  if (value === '' || !Number.isFinite(amount)) return value || '-';
  if (!moneyFormats.has(currency)) {
    try {
      moneyFormats.set(currency, new Intl.NumberFormat('en-US', { style: 'currency', currency }));
    } catch {
      moneyFormats.set(currency, null);
    }
  }
  const format = moneyFormats.get(currency);
  return format ? format.format(amount) : `${amount.toFixed(2)} ${currency}`;
}

/** @param {string} value */
export function formatCount(value) {
  const amount = Number(value);
  return value === '' || !Number.isFinite(amount) ? value || '-' : countFormat.format(amount);
}

/** @param {string} className @param {string} [text] */
function div(className, text = '') {
  const element = document.createElement('div');
  element.className = className;
  if (text) element.textContent = text;
  return element;
}

/** @param {HTMLElement} cell @param {number} index */
function child(cell, index) {
  return /** @type {HTMLElement} */ (cell.children[index]);
}

/**
 * @param {CellContext} ctx
 * @returns {import('./virtual-table.js').Column}
 */
function nameColumn(ctx) {
  return {
    key: 'name',
    title: `${LEVEL_NOUN[ctx.level]} name`,
    width: 320,
    flex: true,
    sortable: true,
    cellType: 'NameCell',
    create(cell) {
      const link = document.createElement('a');
      link.className = 'KsLink KsLink--inherit';
      link.addEventListener('click', (event) => {
        const row = boundRows.get(cell);
        if (!row || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        ctx.onOpen(row, event);
      });
      const edit = ksIconButton('edit', 'Edit', true);
      edit.classList.add('name-cell__action');
      cell.append(link, edit);
    },
    bind(cell, row) {
      boundRows.set(cell, row);
      const link = /** @type {HTMLAnchorElement} */ (child(cell, 0));
      link.textContent = row.name;
      link.setAttribute('href', ctx.childHref);
      setProps(link, {
        className: 'KsLink KsLink--inherit',
        href: ctx.childHref,
        onClick: (/** @type {MouseEvent} */ event) => ctx.onOpen(row, event),
        children: row.name,
      });
    },
  };
}

/** @param {CellContext} ctx @returns {import('./virtual-table.js').Column} */
function idColumn(ctx) {
  return {
    key: 'id',
    title: `${LEVEL_NOUN[ctx.level]} ID`,
    width: 200,
    cellType: 'TextCell',
    create(cell) {
      cell.append(div('cell-text cell-text--mono'));
    },
    bind(cell, row) {
      boundRows.set(cell, row);
      child(cell, 0).textContent = row.id;
    },
  };
}

/** @param {CellContext} ctx @returns {import('./virtual-table.js').Column} */
function statusColumn(ctx) {
  return {
    key: 'status',
    title: 'Status',
    width: 190,
    cellType: 'StatusCell',
    create(cell) {
      const toggle = document.createElement('ks-switch-1-2-3');
      toggle.addEventListener('ks-change', (event) => {
        const row = boundRows.get(cell);
        const detail = /** @type {CustomEvent<{checked: boolean}>} */ (event).detail;
        if (row) ctx.onToggle(row, detail.checked);
      });
      const label = document.createElement('ks-text-2-0-3');
      label.setAttribute('dot', '');
      label.className = 'status-label';
      cell.append(toggle, label);
    },
    bind(cell, row) {
      boundRows.set(cell, row);
      const toggle = /** @type {HTMLElement & {checked: boolean}} */ (child(cell, 0));
      toggle.checked = row.on;
      toggle.toggleAttribute('disabled', row.statusLabel === 'Deleted');
      toggle.toggleAttribute('loading', row.pending);
      setProps(toggle, { checked: row.on, disabled: row.statusLabel === 'Deleted', loading: row.pending });
      const label = child(cell, 1);
      label.textContent = row.statusLabel;
      label.setAttribute('tone', STATUS_TONE[row.statusLabel] ?? 'muted');
    },
  };
}

/** @param {CellContext} ctx @returns {import('./virtual-table.js').Column} */
function budgetColumn(ctx) {
  return {
    key: 'budget',
    title: 'Budget',
    width: 140,
    align: 'right',
    sortable: true,
    cellType: 'BudgetCell',
    create(cell) {
      const stack = div('cell-stack cell-stack--right');
      stack.append(div('cell-text'), div('cell-sub'));
      cell.append(stack);
    },
    bind(cell, row) {
      boundRows.set(cell, row);
      const stack = child(cell, 0);
      const unlimited = row.budget === 'No limit' || !Number.isFinite(Number(row.budget));
      child(stack, 0).textContent = unlimited ? row.budget || 'No limit' : formatMoney(row.budget, ctx.currency);
      child(stack, 1).textContent = unlimited ? '' : (BUDGET_MODE[row.budgetMode] ?? '');
    },
  };
}

/**
 * @param {CellContext} ctx
 * @param {string} key
 * @param {string} title
 * @param {number} width
 * @param {(row: PageRow) => string} show
 * @returns {import('./virtual-table.js').Column}
 */
function metricColumn(ctx, key, title, width, show) {
  return {
    key,
    title,
    width,
    align: 'right',
    sortable: true,
    cellType: 'MetricCell',
    create(cell) {
      cell.append(div('cell-text cell-text--right'));
    },
    bind(cell, row) {
      boundRows.set(cell, row);
      child(cell, 0).textContent = ctx.metricsReady ? show(row) : '--';
    },
  };
}

/** Column keys in display order, with whether they show by default. */
export const COLUMN_CHOICES = /** @type {const} */ ([
  { key: 'name', label: 'Name', fixed: true, visible: true },
  { key: 'id', label: 'ID', fixed: false, visible: false },
  { key: 'status', label: 'Status', fixed: false, visible: true },
  { key: 'budget', label: 'Budget', fixed: false, visible: true },
  { key: 'stat_cost', label: 'Cost', fixed: false, visible: true },
  { key: 'show_cnt', label: 'Impressions', fixed: false, visible: true },
  { key: 'click_cnt', label: 'Clicks', fixed: false, visible: true },
  { key: 'convert_cnt', label: 'Conversions', fixed: false, visible: true },
  { key: 'cost_per_conversion', label: 'CPA', fixed: false, visible: true },
]);

/**
 * @param {CellContext} ctx
 * @param {Set<string>} visible
 * @returns {import('./virtual-table.js').Column[]}
 */
export function buildColumns(ctx, visible) {
  const money = (/** @type {string} */ value) => formatMoney(value, ctx.currency);
  /** @type {Record<string, () => import('./virtual-table.js').Column>} */
  const factories = {
    name: () => nameColumn(ctx),
    id: () => idColumn(ctx),
    status: () => statusColumn(ctx),
    budget: () => budgetColumn(ctx),
    stat_cost: () => metricColumn(ctx, 'stat_cost', 'Cost', 140, (row) => money(row.cost)),
    show_cnt: () => metricColumn(ctx, 'show_cnt', 'Impressions', 130, (row) => formatCount(row.impressions)),
    click_cnt: () => metricColumn(ctx, 'click_cnt', 'Clicks', 110, (row) => formatCount(row.clicks)),
    convert_cnt: () => metricColumn(ctx, 'convert_cnt', 'Conversions', 130, (row) => formatCount(row.conversions)),
    cost_per_conversion: () => metricColumn(ctx, 'cost_per_conversion', 'CPA', 110, (row) => money(row.cpa)),
  };
  return COLUMN_CHOICES.filter((choice) => choice.fixed || visible.has(choice.key)).map((choice) => {
    const make = /** @type {() => import('./virtual-table.js').Column} */ (factories[choice.key]);
    return make();
  });
}

/**
 * The record the cell components receive: the platform's field names, IDs as strings.
 * @param {import('./page-api.js').ApiRow} row
 */
export function toRecord(row) {
  /** @type {Record<string, unknown>} */
  const record = {
    advertiser_id: row.advertiser_id,
    campaign_id: row.campaign_id,
    campaign_name: row.campaign_name,
  };
  if (row.level === 'adgroup' || row.level === 'ad') {
    record.adgroup_id = row.level === 'adgroup' ? row.id : row.adgroup_id;
    record.adgroup_name = row.level === 'adgroup' ? row.name : row.adgroup_name;
  }
  if (row.level === 'ad') {
    record.ad_id = row.id;
    record.ad_name = row.name;
  }
  Object.assign(record, {
    opt_status: row.on ? 'ENABLE' : 'DISABLE',
    secondary_status_label: row.status_label,
    budget: row.budget,
    budget_mode: row.budget_mode,
    stat_cost: row.cost,
    show_cnt: row.impressions,
    click_cnt: row.clicks,
    convert_cnt: row.conversions,
    cost_per_conversion: row.cpa,
  });
  return record;
}

/** @param {import('./page-api.js').ApiRow} row @returns {PageRow} */
export function toPageRow(row) {
  return {
    id: String(row.id),
    name: String(row.name),
    level: row.level,
    on: row.on === true,
    statusLabel: String(row.status_label ?? ''),
    budget: String(row.budget ?? ''),
    budgetMode: String(row.budget_mode ?? ''),
    cost: String(row.cost ?? ''),
    impressions: String(row.impressions ?? ''),
    clicks: String(row.clicks ?? ''),
    conversions: String(row.conversions ?? ''),
    cpa: String(row.cpa ?? ''),
    pending: false,
    record: toRecord(row),
  };
}

/** Sort keys of the columns -> the row field they sort by. */
/** @type {Record<string, (row: PageRow) => string | number>} */
export const SORT_VALUE = {
  name: (row) => row.name.toLocaleLowerCase(),
  budget: (row) => Number(row.budget) || 0,
  stat_cost: (row) => Number(row.cost) || 0,
  show_cnt: (row) => Number(row.impressions) || 0,
  click_cnt: (row) => Number(row.clicks) || 0,
  convert_cnt: (row) => Number(row.conversions) || 0,
  cost_per_conversion: (row) => Number(row.cpa) || 0,
};
