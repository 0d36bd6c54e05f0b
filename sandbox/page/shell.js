// @ts-check
// The page chrome around the table: top bar with the account, breadcrumb, date range, level tabs
// and the toolbar. It renders first, before any data arrives.

import { toast } from './dialogs.js';
import { h, icon, ksButton, ksIconButton } from './ks-components.js';

/** @typedef {import('./route.js').Level} Level */

/** @type {ReadonlyArray<{level: Level, label: string}>} */
export const TABS = [
  { level: 'campaign', label: 'Campaigns' },
  { level: 'adgroup', label: 'Ad groups' },
  { level: 'ad', label: 'Ads' },
];

/** @param {string} text @param {string} href */
function navLink(text, href) {
  const link = h('a', text, { class: 'KsLink topnav__link', href });
  link.addEventListener('click', (event) => {
    event.preventDefault();
    toast(`${text} is not part of the sandbox.`);
  });
  return link;
}

/**
 * @param {{
 *   onTab: (level: Level) => void,
 *   onHome: (event: MouseEvent) => void,
 *   onDates: (days: number) => void,
 *   onSearch: (keyword: string) => void,
 *   onColumns: () => void,
 *   onRefresh: () => void,
 * }} handlers
 */
export function buildShell(handlers) {
  const app = h('div', '', { class: 'app' });

  const topbar = h('header', '', { class: 'topbar' });
  const brand = h('div', '', { class: 'brand' });
  brand.append(
    h('span', '', { class: 'brand__mark', 'aria-hidden': 'true' }),
    h('span', 'Ads Manager', { class: 'brand__name' }),
  );
  brand.append(h('span', 'Sandbox', { class: 'brand__tag' }));
  const topnav = h('nav', '', { class: 'topnav', 'aria-label': 'Main' });
  topnav.append(navLink('Dashboard', '/i18n/dashboard'));
  const manage = h('a', 'Campaign', { class: 'KsLink topnav__link is-active', href: '/i18n/manage/campaign' });
  manage.addEventListener('click', (event) => handlers.onHome(event));
  topnav.append(manage, navLink('Tools', '/i18n/tools'), navLink('Analytics', '/i18n/analytics'));
  const account = h('div', '', { class: 'account' });
  const accountText = h('div', '', { class: 'account__text' });
  const accountName = h('div', 'Loading account…', { class: 'account__name' });
  const accountId = h('div', '', { class: 'account__id' });
  accountText.append(accountName, accountId);
  const avatar = h('div', '', { class: 'account__avatar', 'aria-hidden': 'true' });
  account.append(accountText, avatar);
  const help = h('a', 'Help', { class: 'KsLink topnav__help', href: '/help' });
  help.addEventListener('click', (event) => {
    event.preventDefault();
    toast('Help is not part of the sandbox.');
  });
  const right = h('div', '', { class: 'topbar__right' });
  right.append(help, account);
  topbar.append(brand, topnav, right);

  const workspace = h('main', '', { class: 'workspace' });

  const pageHead = h('div', '', { class: 'page-head' });
  const breadcrumb = h('nav', '', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' });
  const home = h('a', 'Manage', { class: 'KsLink KsLink--inherit', href: '/i18n/manage/campaign' });
  home.addEventListener('click', (event) => handlers.onHome(event));
  const current = h('span', 'Campaigns', { class: 'breadcrumb__current' });
  breadcrumb.append(home, h('span', '/', { class: 'breadcrumb__sep', 'aria-hidden': 'true' }), current);

  const dates = h('div', '', { class: 'date-range' });
  const dateButton = h('button', '', { type: 'button', class: 'date-range__button', 'aria-haspopup': 'menu' });
  const dateText = h('span', '');
  const timezone = h('span', '', { class: 'date-range__tz' });
  dateButton.append(icon('calendar'), dateText, timezone, icon('chevron'));
  const dateMenu = h('div', '', { class: 'date-range__menu', role: 'menu', hidden: '' });
  for (const [label, days] of /** @type {const} */ ([
    ['Today', 0],
    ['Last 7 days', 6],
    ['Last 14 days', 13],
    ['Last 30 days', 29],
  ])) {
    const item = h('button', label, { type: 'button', role: 'menuitem' });
    item.addEventListener('click', () => {
      dateMenu.hidden = true;
      handlers.onDates(days);
    });
    dateMenu.append(item);
  }
  dateButton.addEventListener('click', () => {
    dateMenu.hidden = !dateMenu.hidden;
  });
  document.addEventListener('pointerdown', (event) => {
    if (!dates.contains(/** @type {Node} */ (event.target))) dateMenu.hidden = true;
  });
  dates.append(dateButton, dateMenu);
  pageHead.append(breadcrumb, dates);

  const tabs = h('div', '', { class: 'level-tabs', role: 'tablist', 'aria-label': 'Level' });
  /** @type {Map<Level, HTMLElement>} */
  const tabButtons = new Map();
  for (const tab of TABS) {
    const button = h('button', tab.label, { type: 'button', role: 'tab', class: 'level-tab' });
    button.addEventListener('click', () => handlers.onTab(tab.level));
    tabButtons.set(tab.level, button);
    tabs.append(button);
  }

  const toolbar = h('div', '', { class: 'toolbar' });
  const create = ksButton('Create', { variant: 'primary', icon: 'plus' });
  create.addEventListener('click', () => toast('Creating is not part of the sandbox.'));
  const search = h('label', '', { class: 'search' });
  const searchInput = /** @type {HTMLInputElement} */ (
    h('input', '', { type: 'search', placeholder: 'Search by name or ID', 'aria-label': 'Search' })
  );
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let searchTimer;
  searchInput.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => handlers.onSearch(searchInput.value.trim()), 300);
  });
  search.append(icon('search'), searchInput);
  const filters = h('div', '', { class: 'filters' });
  const spacer = h('div', '', { class: 'toolbar__spacer' });
  const columns = ksButton('Custom columns', { icon: 'columns' });
  columns.addEventListener('click', handlers.onColumns);
  const refresh = ksIconButton('refresh', 'Refresh');
  refresh.addEventListener('click', handlers.onRefresh);
  const exportButton = ksIconButton('download', 'Export');
  exportButton.addEventListener('click', () => toast('Export is not part of the sandbox.'));
  toolbar.append(create, search, filters, spacer, columns, refresh, exportButton);

  const tableHost = h('section', '', { class: 'table-host', 'aria-label': 'Data table' });
  workspace.append(pageHead, tabs, toolbar, tableHost);
  app.append(topbar, workspace);
  document.body.append(app);

  return {
    tableHost,
    filters,
    searchInput,
    /** @param {{name: string, id: string} | null} advertiser @param {string} aadvid */
    setAccount(advertiser, aadvid) {
      accountName.textContent = advertiser ? advertiser.name : 'Loading account…';
      accountId.textContent = `ID: ${advertiser ? advertiser.id : aadvid}`;
      avatar.textContent = advertiser ? Array.from(advertiser.name.trim())[0]?.toUpperCase() || 'A' : '';
    },
    /** @param {string} st @param {string} et @param {string} tz */
    setDates(st, et, tz) {
      dateText.textContent = `${st} ~ ${et}`;
      timezone.textContent = tz;
    },
    /** @param {Level} level */
    setLevel(level) {
      for (const [tabLevel, button] of tabButtons) {
        const selected = tabLevel === level;
        button.setAttribute('aria-selected', String(selected));
        button.tabIndex = selected ? 0 : -1;
      }
      current.textContent = TABS.find((tab) => tab.level === level)?.label ?? '';
    },
    /** @param {string} href */
    setHomeHref(href) {
      home.setAttribute('href', href);
      manage.setAttribute('href', href);
    },
  };
}
