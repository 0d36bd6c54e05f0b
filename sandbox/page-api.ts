import type { IncomingMessage, ServerResponse } from 'node:http';
import { logAction } from './control';
import { parseJson, readBody, sendJson } from './http-util';
import type { ServerContext } from './server-context';
import type { Counters } from './world/metrics';
import { formatMinor, formatRatio } from './world/money';
import type { AnyObject, Level } from './world/types';
import { LEVELS } from './world/types';
import type { World } from './world/world';

/**
 * JSON for the sandbox Ads Manager page: what TikTok's own UI would show (applied statuses, today's
 * reported metrics, deleted rows left out), and the page's own On/Off switch.
 */

export const PAGE_API_PREFIX = '/__sandbox/page-api/';

export async function handlePageApi(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${url.pathname.slice(PAGE_API_PREFIX.length).replace(/\/$/, '')}`;
  ctx.state.world.applyDue();
  if (route === 'GET rows') return rows(ctx, url.searchParams, res);
  if (route === 'POST toggle') {
    const parsed = parseJson(await readBody(req));
    return toggle(ctx, parsed.ok ? parsed.value : undefined, res);
  }
  sendJson(res, 404, { ok: false, message: `no page-api route ${route}` });
}

function rows(ctx: ServerContext, query: URLSearchParams, res: ServerResponse): void {
  const world = ctx.state.world;
  const level = query.get('level') ?? 'campaign';
  if (!(LEVELS as readonly string[]).includes(level)) {
    sendJson(res, 400, { ok: false, message: `unknown level ${level}` });
    return;
  }
  const advertiser = world.advertiser(query.get('aadvid') ?? '');
  if (!advertiser) {
    sendJson(res, 404, { ok: false, message: `unknown advertiser ${query.get('aadvid') ?? ''}` });
    return;
  }
  const campaignFilter = query.get('campaign_id');
  const adgroupFilter = query.get('adgroup_id');
  const latency = ctx.state.config.reportLatencyMinutes;
  const cutoff = Math.floor((world.clock.nowMs() - latency * 60_000) / 60_000);
  const dayStart = world.dayStart(world.campaignOf(firstObject(world, advertiser.id)), world.nowMinute());
  let totalCost = 0;
  const out: Record<string, unknown>[] = [];
  for (const id of world.ids(level as Level, advertiser.id)) {
    const o = world.get(level as Level, id);
    if (!o || world.isDeleted(o)) continue;
    if (campaignFilter && (o.level === 'campaign' ? o.id : o.campaignId) !== campaignFilter) continue;
    if (adgroupFilter && (o.level === 'ad' ? o.adgroupId : o.level === 'adgroup' ? o.id : '') !== adgroupFilter)
      continue;
    const c = todayCounters(world, o, dayStart, cutoff);
    totalCost += c.spend;
    out.push(rowOf(world, o, c));
  }
  sendJson(res, 200, {
    advertiser: {
      id: advertiser.id,
      name: advertiser.name,
      currency: advertiser.currency,
      timezone: advertiser.timezone,
    },
    rows: out,
    totals: { cost: formatMinor(totalCost) },
  });
}

function firstObject(world: World, advertiserId: string): AnyObject {
  const id = world.ids('campaign', advertiserId)[0];
  const o = id ? world.get('campaign', id) : undefined;
  if (!o) throw new Error(`advertiser ${advertiserId} has no campaigns`);
  return o;
}

function todayCounters(world: World, o: AnyObject, dayStart: number, cutoff: number): Counters {
  const a = world.countersAt(o, dayStart);
  if (cutoff <= dayStart) return { spend: 0, impressions: 0, clicks: 0, conversions: 0 };
  const b = world.countersAt(o, cutoff);
  return {
    spend: b.spend - a.spend,
    impressions: b.impressions - a.impressions,
    clicks: b.clicks - a.clicks,
    conversions: b.conversions - a.conversions,
  };
}

export function statusLabel(world: World, o: AnyObject): string {
  if (world.isDeleted(o)) return 'Deleted';
  if (o.operationStatus === 'FROZEN') return 'Frozen';
  if (o.operationStatus !== 'ENABLE') return 'Inactive';
  const secondary = world.secondaryStatus(o);
  if (secondary.endsWith('BUDGET_EXCEED') || secondary.endsWith('CAMPAIGN_EXCEED')) return 'Out of budget';
  if (secondary.endsWith('_ENABLE') || secondary.endsWith('_DELIVERY_OK')) return 'Active';
  return 'Not delivering';
}

function rowOf(world: World, o: AnyObject, c: Counters): Record<string, unknown> {
  const campaign = world.campaignOf(o);
  const budget =
    o.level === 'ad' ? '-' : o.budgetMode === 'BUDGET_MODE_INFINITE' ? 'No limit' : formatMinor(o.budgetMinor);
  const row: Record<string, unknown> = {
    id: o.id,
    name: o.name,
    level: o.level,
    on: o.operationStatus === 'ENABLE',
    status_label: statusLabel(world, o),
    budget,
    budget_mode: o.level === 'ad' ? '' : o.budgetMode,
    cost: formatMinor(c.spend),
    impressions: String(c.impressions),
    clicks: String(c.clicks),
    conversions: String(c.conversions),
    cpa: formatRatio(c.spend, c.conversions * 100),
    campaign_id: campaign.id,
    campaign_name: campaign.name,
    advertiser_id: o.advertiserId,
  };
  if (o.level !== 'campaign') {
    const group = o.level === 'adgroup' ? o : world.adgroupOf(o);
    row.adgroup_id = group.id;
    row.adgroup_name = group.name;
  }
  return row;
}

function toggle(ctx: ServerContext, body: unknown, res: ServerResponse): void {
  const world = ctx.state.world;
  const b = (body ?? {}) as Record<string, unknown>;
  const level = b.level;
  const id = b.id;
  if (typeof level !== 'string' || !(LEVELS as readonly string[]).includes(level) || typeof id !== 'string') {
    sendJson(res, 400, { ok: false, message: 'level and id are required' });
    return;
  }
  if (typeof b.on !== 'boolean') {
    sendJson(res, 400, { ok: false, message: 'on must be true or false' });
    return;
  }
  const o = world.get(level as Level, id);
  const refuse = (message: string): void => sendJson(res, 200, { ok: false, message });
  const problem = !o
    ? `This ${level} no longer exists.`
    : world.isDeleted(o)
      ? `This ${level} has been deleted.`
      : o.operationStatus === 'FROZEN'
        ? `This ${level} is frozen and cannot be changed.`
        : null;
  if (problem) {
    refuse(problem);
    return;
  }
  world.apply({ level: level as Level, id, status: b.on ? 'ENABLE' : 'DISABLE', keepSpending: false });
  logAction(ctx, '/__sandbox/page-api/toggle', { level, id, on: b.on }, 'page');
  sendJson(res, 200, { ok: true });
}
