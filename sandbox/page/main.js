// @ts-check
// The Ads Manager page of the sandbox: a single-page app over /i18n/manage/<level>. It renders in
// stages (chrome, then an empty table, then rows, then metrics), re-fetches its data periodically
// and after a status change, and follows route changes made with the History API.

import { buildColumns, COLUMN_CHOICES, formatCount, formatMoney, SORT_VALUE, toPageRow } from './columns.js';
import { openCustomColumns, scheduleAnnouncement, toast } from './dialogs.js';
import { h, icon } from './ks-components.js';
import { fetchRows, toggleStatus } from './page-api.js';
import { childHref, dayOffset, FAST, readRoute, routeForLevel, routeUrl, stageDelay } from './route.js';
import { buildShell } from './shell.js';
import { createVirtualTable } from './virtual-table.js';

/** @typedef {import('./route.js').Route} Route */
/** @typedef {import('./route.js').Level} Level */
/** @typedef {import('./columns.js').PageRow} PageRow */

const REFRESH_MS = 20_000;
const COLUMNS_STORAGE_KEY = 'ks-table-columns';

/** @type {Record<Level, [string, string]>} */
const NOUNS = { campaign: ['campaign', 'campaigns'], adgroup: ['ad group', 'ad groups'], ad: ['ad', 'ads'] };

const state = {
  /** @type {Route | null} */
  route: null,
  /** @type {import('./page-api.js').RowsResponse | null} */
  data: null,
  /** @type {PageRow[]} */
  rows: [],
  /** @type {import('./virtual-table.js').TableController | null} */
  table: null,
  loadToken: 0,
  /** @type {ReturnType<typeof setInterval> | undefined} */
  refreshTimer: undefined,
  announced: false,
  visibleColumns: readVisibleColumns(),
};

/** @type {import('./columns.js').CellContext} */
const cellContext = {
  level: 'campaign',
  currency: 'USD',
  metricsReady: false,
  childHref: '',
  onOpen: openRow,
  onToggle: toggleRow,
};

function readVisibleColumns() {
  const defaults = COLUMN_CHOICES.filter((choice) => choice.visible).map((choice) => choice.key);
  try {
    const saved = JSON.parse(localStorage.getItem(COLUMNS_STORAGE_KEY) ?? 'null');
    if (Array.isArray(saved)) return new Set(saved.filter((key) => typeof key === 'string'));
  } catch {
    // Unreadable saved layout: use the default one.
  }
  return new Set(defaults);
}

const shell = buildShell({
  onTab: (level) => {
    if (state.route && level !== state.route.level) navigate(routeForLevel(state.route, level));
  },
  onHome: (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    if (state.route) navigate(routeForLevel(state.route, 'campaign'));
  },
  onDates: (days) => {
    if (state.route) navigate({ ...state.route, st: dayOffset(days), et: dayOffset(0) });
  },
  onSearch: (keyword) => {
    if (state.route && keyword !== state.route.keyword) navigate({ ...state.route, keyword }, true);
  },
  onColumns: () =>
    openCustomColumns(COLUMN_CHOICES, state.visibleColumns, (visible) => {
      state.visibleColumns = visible;
      localStorage.setItem(COLUMNS_STORAGE_KEY, JSON.stringify([...visible]));
      state.table?.setColumns(buildColumns(cellContext, visible));
    }),
  onRefresh: () => refresh(),
});

/** @param {Route} route @param {boolean} [replace] */
function navigate(route, replace = false) {
  const url = routeUrl(route);
  if (replace) history.replaceState(history.state, '', url);
  else history.pushState(null, '', url);
  onRoute();
}

/** @param {Route} a @param {Route} b */
function sameData(a, b) {
  return (
    a.level === b.level &&
    a.aadvid === b.aadvid &&
    a.st === b.st &&
    a.et === b.et &&
    a.campaignId === b.campaignId &&
    a.adgroupId === b.adgroupId
  );
}

function onRoute() {
  const route = readRoute();
  const previous = state.route;
  state.route = route;
  shell.setLevel(route.level);
  shell.setHomeHref(routeUrl(routeForLevel(route, 'campaign')));
  shell.setDates(route.st, route.et, state.data?.advertiser.timezone ?? '');
  shell.setAccount(state.data?.advertiser ?? null, route.aadvid);
  if (shell.searchInput.value.trim() !== route.keyword) shell.searchInput.value = route.keyword;
  document.title = `${{ campaign: 'Campaigns', adgroup: 'Ad groups', ad: 'Ads' }[route.level]} - Ads Manager`;
  if (previous && sameData(previous, route)) {
    applyView();
    return;
  }
  void loadLevel(route);
}

/** @param {Route} route */
async function loadLevel(route) {
  const token = ++state.loadToken;
  clearInterval(state.refreshTimer);
  state.table = null;
  state.rows = [];
  shell.tableHost.replaceChildren();
  renderFilters();
  if (!route.aadvid) {
    shell.tableHost.append(
      h('div', 'This page needs an advertiser account (aadvid) in its address.', { class: 'notice' }),
    );
    return;
  }
  const data = fetchRows(route);
  data.catch(() => {});
  await stageDelay(150, 350);
  if (token !== state.loadToken) return;

  cellContext.level = route.level;
  cellContext.metricsReady = FAST;
  cellContext.childHref = childHref(route, route.level);
  const { element, table } = createVirtualTable({ onSort: sortBy });
  state.table = table;
  table.setColumns(buildColumns(cellContext, state.visibleColumns));
  table.setLoading(true);
  table.setSort(route.sortField, route.sortOrder);
  shell.tableHost.append(element);

  try {
    const [response] = await Promise.all([data, stageDelay(500, 1500)]);
    if (token !== state.loadToken) return;
    acceptData(response);
  } catch (error) {
    if (token !== state.loadToken) return;
    showLoadError(table, error);
    return;
  }
  table.setLoading(false);
  applyView();
  if (!state.announced) {
    state.announced = true;
    scheduleAnnouncement(1200);
  }
  state.refreshTimer = setInterval(() => void refresh(), REFRESH_MS);

  await stageDelay(300, 800);
  if (token !== state.loadToken) return;
  cellContext.metricsReady = true;
  table.rebind();
  renderFooter();
}

/** @param {import('./virtual-table.js').TableController} table @param {unknown} error */
function showLoadError(table, error) {
  table.setLoading(false);
  const retry = h('button', 'Retry', { type: 'button', class: 'link-button' });
  retry.addEventListener('click', () => state.route && void loadLevel(state.route));
  table.setEmpty(error instanceof Error ? error.message : 'The data could not be loaded.', retry);
}

/** @param {import('./page-api.js').RowsResponse} response */
function acceptData(response) {
  const pending = new Set(state.rows.filter((row) => row.pending).map((row) => row.id));
  state.data = response;
  state.rows = response.rows.map((row) => {
    const pageRow = toPageRow(row);
    pageRow.pending = pending.has(pageRow.id);
    return pageRow;
  });
  cellContext.currency = response.advertiser.currency || 'USD';
  shell.setAccount(response.advertiser, state.route?.aadvid ?? '');
  if (state.route) shell.setDates(state.route.st, state.route.et, response.advertiser.timezone ?? '');
}

/** The rows of the current route after search and sort, into the table. */
function applyView() {
  const route = state.route;
  const table = state.table;
  if (!route || !table || !state.data) return;
  let rows = state.rows;
  const keyword = route.keyword.toLocaleLowerCase();
  if (keyword) rows = rows.filter((row) => row.name.toLocaleLowerCase().includes(keyword) || row.id === route.keyword);
  const value = SORT_VALUE[route.sortField];
  if (value && route.sortOrder) {
    const direction = route.sortOrder === 'asc' ? 1 : -1;
    rows = [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      return x < y ? -direction : x > y ? direction : 0;
    });
  }
  table.setSort(route.sortField, route.sortOrder);
  table.setRows(rows);
  table.setEmpty(rows.length ? null : keyword ? 'No results match your search.' : 'No data');
  renderFilters();
  renderFooter(rows);
}

/** @param {PageRow[]} [rows] */
function renderFooter(rows = currentRows()) {
  const table = state.table;
  const route = state.route;
  if (!table || !route || !state.data) return;
  const [one, many] = NOUNS[route.level];
  const stats = { name: `Total of ${formatCount(String(rows.length))} ${rows.length === 1 ? one : many}` };
  if (!cellContext.metricsReady) {
    Object.assign(stats, {
      stat_cost: '--',
      show_cnt: '--',
      click_cnt: '--',
      convert_cnt: '--',
      cost_per_conversion: '--',
    });
    table.setFooter(stats);
    return;
  }
  const sum = (/** @type {(row: PageRow) => string} */ pick) =>
    rows.reduce((total, row) => total + (Number(pick(row)) || 0), 0);
  const filtered = rows.length !== state.rows.length;
  const cost = filtered ? sum((row) => row.cost) : Number(state.data.totals?.cost ?? sum((row) => row.cost));
  const conversions = sum((row) => row.conversions);
  const currency = cellContext.currency;
  Object.assign(stats, {
    stat_cost: filtered
      ? formatMoney(cost.toFixed(2), currency)
      : formatMoney(String(state.data.totals?.cost ?? cost), currency),
    show_cnt: formatCount(String(sum((row) => row.impressions))),
    click_cnt: formatCount(String(sum((row) => row.clicks))),
    convert_cnt: formatCount(String(conversions)),
    cost_per_conversion: conversions ? formatMoney((cost / conversions).toFixed(2), currency) : '-',
  });
  table.setFooter(stats);
}

function currentRows() {
  const route = state.route;
  if (!route?.keyword) return state.rows;
  const keyword = route.keyword.toLocaleLowerCase();
  return state.rows.filter((row) => row.name.toLocaleLowerCase().includes(keyword) || row.id === route.keyword);
}

/** Filter chips for the campaign / ad group the view is narrowed to. */
function renderFilters() {
  const route = state.route;
  shell.filters.replaceChildren();
  if (!route) return;
  const first = state.rows[0]?.record;
  /** @type {Array<[string, string, () => Route]>} */
  const chips = [];
  if (route.campaignId && route.level !== 'campaign') {
    const name = typeof first?.campaign_name === 'string' ? first.campaign_name : '1 campaign';
    chips.push(['Campaign', name, () => ({ ...route, campaignId: '', adgroupId: '' })]);
  }
  if (route.adgroupId && route.level === 'ad') {
    const name = typeof first?.adgroup_name === 'string' ? first.adgroup_name : '1 ad group';
    chips.push(['Ad group', name, () => ({ ...route, adgroupId: '' })]);
  }
  for (const [label, name, clear] of chips) {
    const chip = h('span', '', { class: 'filter-chip' });
    const remove = h('button', '', {
      type: 'button',
      class: 'filter-chip__remove',
      'aria-label': `Remove ${label} filter`,
    });
    remove.append(icon('close'));
    remove.addEventListener('click', () => navigate(clear()));
    chip.append(
      h('span', `${label}: `, { class: 'filter-chip__label' }),
      h('span', name, { class: 'filter-chip__value' }),
      remove,
    );
    shell.filters.append(chip);
  }
}

/** @param {string} key */
function sortBy(key) {
  const route = state.route;
  if (!route) return;
  const order =
    route.sortField !== key ? 'desc' : route.sortOrder === 'desc' ? 'asc' : route.sortOrder === 'asc' ? '' : 'desc';
  navigate({ ...route, sortField: order ? key : '', sortOrder: order });
}

/** A click on a row's name: into its children (campaign -> ad groups -> ads). */
/** @param {PageRow} row */
function openRow(row) {
  const route = state.route;
  if (!route) return;
  if (row.level === 'campaign') navigate({ ...routeForLevel(route, 'adgroup'), campaignId: row.id });
  else if (row.level === 'adgroup') {
    const campaignId = typeof row.record.campaign_id === 'string' ? row.record.campaign_id : route.campaignId;
    navigate({ ...routeForLevel(route, 'ad'), campaignId, adgroupId: row.id });
  } else toast('Ad previews are not part of the sandbox.');
}

/** The page's own On/Off switch: a person's action, sent at once (the platform does not ask). */
/** @param {PageRow} row @param {boolean} on */
async function toggleRow(row, on) {
  if (row.pending) return;
  row.pending = true;
  state.table?.rebind();
  const result = await toggleStatus({ level: row.level, id: row.id, on });
  row.pending = false;
  if (result.ok) {
    row.on = on;
    row.statusLabel = on ? 'Active' : 'Inactive';
    row.record = { ...row.record, opt_status: on ? 'ENABLE' : 'DISABLE', secondary_status_label: row.statusLabel };
    toast(on ? 'Turned on.' : 'Turned off.', 'success');
    setTimeout(() => void refresh(), FAST ? 0 : 400);
  } else {
    toast(result.message, 'error');
  }
  state.table?.rebind();
}

/** Re-fetches the current level and re-renders the rows in place (no skeleton). */
async function refresh() {
  const route = state.route;
  const token = state.loadToken;
  if (!route || !state.table || !state.data) return;
  try {
    const response = await fetchRows(route);
    if (token !== state.loadToken) return;
    acceptData(response);
    applyView();
  } catch (error) {
    if (token === state.loadToken) toast(error instanceof Error ? error.message : 'Refresh failed.', 'error');
  }
}

window.addEventListener('popstate', onRoute);
onRoute();
