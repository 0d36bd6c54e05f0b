// @ts-check
// Calls to the sandbox server's page data endpoints.

/**
 * @typedef {object} ApiRow
 * @property {string} id
 * @property {string} name
 * @property {'campaign' | 'adgroup' | 'ad'} level
 * @property {boolean} on
 * @property {string} status_label
 * @property {string} budget
 * @property {string} budget_mode
 * @property {string} cost
 * @property {string} impressions
 * @property {string} clicks
 * @property {string} conversions
 * @property {string} cpa
 * @property {string} campaign_id
 * @property {string} campaign_name
 * @property {string} [adgroup_id]
 * @property {string} [adgroup_name]
 * @property {string} advertiser_id
 */
/**
 * @typedef {object} RowsResponse
 * @property {{id: string, name: string, currency: string, timezone: string}} advertiser
 * @property {ApiRow[]} rows
 * @property {{cost: string}} totals
 */

/**
 * @param {import('./route.js').Route} route
 * @returns {Promise<RowsResponse>}
 */
export async function fetchRows(route) {
  const params = new URLSearchParams({ level: route.level, aadvid: route.aadvid });
  if (route.campaignId) params.set('campaign_id', route.campaignId);
  if (route.adgroupId) params.set('adgroup_id', route.adgroupId);
  const response = await fetch(`/__sandbox/page-api/rows?${params}`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The data request failed (HTTP ${response.status}).`);
  const body = await response.json();
  if (!body || !Array.isArray(body.rows) || !body.advertiser) throw new Error('The data response was malformed.');
  return body;
}

/**
 * @param {{level: string, id: string, on: boolean}} change
 * @returns {Promise<{ok: true} | {ok: false, message: string}>}
 */
export async function toggleStatus(change) {
  try {
    const response = await fetch('/__sandbox/page-api/toggle', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    const body = await response.json().catch(() => null);
    if (body && body.ok === true) return { ok: true };
    return { ok: false, message: body?.message ? String(body.message) : `Request failed (HTTP ${response.status}).` };
  } catch {
    return { ok: false, message: 'Network error. Check your connection and try again.' };
  }
}
