// @ts-check
// The page's URLs: /i18n/manage/<campaign|adgroup|ad|creative>?aadvid=..&st=..&et=..[&campaign_id=..]
// [&adgroup_id=..][&search_keyword=..][&sort_field=..&sort_order=..]. Route changes use the History API.
//
// `sp_fast=1` is a sandbox-only switch that skips the staged rendering delays (for benchmarks); it is
// carried along on every URL the page builds. The default is the slow, staged rendering.

/** @typedef {'campaign' | 'adgroup' | 'ad'} Level */
/**
 * @typedef {object} Route
 * @property {Level} level
 * @property {string} pathLevel the path segment as written (`creative` is an alias of `ad`)
 * @property {string} aadvid
 * @property {string} st
 * @property {string} et
 * @property {string} campaignId
 * @property {string} adgroupId
 * @property {string} keyword
 * @property {string} sortField
 * @property {'asc' | 'desc' | ''} sortOrder
 */

export const LEVELS = /** @type {const} */ (['campaign', 'adgroup', 'ad']);

/** @param {Date} date */
function isoDay(date) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** @param {number} daysBack */
export function dayOffset(daysBack) {
  const date = new Date();
  date.setDate(date.getDate() - daysBack);
  return isoDay(date);
}

/** @returns {Route} */
export function readRoute(location = window.location) {
  const url = new URL(location.href);
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? 'campaign';
  const level = segment === 'adgroup' ? 'adgroup' : segment === 'ad' || segment === 'creative' ? 'ad' : 'campaign';
  const params = url.searchParams;
  const order = params.get('sort_order');
  return {
    level,
    pathLevel: segment,
    aadvid: params.get('aadvid') ?? '',
    st: params.get('st') || dayOffset(6),
    et: params.get('et') || dayOffset(0),
    campaignId: params.get('campaign_id') ?? '',
    adgroupId: params.get('adgroup_id') ?? '',
    keyword: params.get('search_keyword') ?? '',
    sortField: params.get('sort_field') ?? '',
    sortOrder: order === 'asc' || order === 'desc' ? order : '',
  };
}

export const FAST = new URL(window.location.href).searchParams.get('sp_fast') === '1';

/** @param {Route} route */
export function routeUrl(route) {
  const params = new URLSearchParams();
  params.set('aadvid', route.aadvid);
  params.set('st', route.st);
  params.set('et', route.et);
  if (route.campaignId) params.set('campaign_id', route.campaignId);
  if (route.adgroupId) params.set('adgroup_id', route.adgroupId);
  if (route.keyword) params.set('search_keyword', route.keyword);
  if (route.sortField && route.sortOrder) {
    params.set('sort_field', route.sortField);
    params.set('sort_order', route.sortOrder);
  }
  if (FAST) params.set('sp_fast', '1');
  const segment = route.level === 'ad' && route.pathLevel === 'creative' ? 'creative' : route.level;
  return `/i18n/manage/${segment}?${params}`;
}

/**
 * The route for a level tab: going up drops the narrower filters, going down keeps them.
 * @param {Route} route
 * @param {Level} level
 * @returns {Route}
 */
export function routeForLevel(route, level) {
  return {
    ...route,
    level,
    pathLevel: level,
    campaignId: level === 'campaign' ? '' : route.campaignId,
    adgroupId: level === 'ad' ? route.adgroupId : '',
    keyword: '',
    sortField: '',
    sortOrder: '',
  };
}

/**
 * Where a row's name link points: the next level for the same account and dates. The row's own ID is
 * not written into the link; the click handler adds it to the route.
 * @param {Route} route
 * @param {Level} level
 */
export function childHref(route, level) {
  const next = level === 'campaign' ? 'adgroup' : 'ad';
  return routeUrl(routeForLevel(route, next));
}

/** Sleeps only in the default (slow) mode. @param {number} min @param {number} max */
export function stageDelay(min, max) {
  if (FAST) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
}
