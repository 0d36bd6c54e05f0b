import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { apiGet, openSandbox, states } from './harness';

let sb: RunningSandbox;
let adv: string;
beforeAll(async () => {
  sb = await openSandbox({ campaigns: 120 });
  adv = sb.advertiserIds[0] ?? '';
});
afterAll(() => sb.close());

const desc = (ids: string[]): boolean => ids.every((id, i) => i === 0 || BigInt(ids[i - 1] ?? '0') > BigInt(id));

describe('campaign/get, adgroup/get, ad/get', () => {
  test('pages are sorted by id descending with page_info', async () => {
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: 50, page: 2 });
    const ids = r.body.data.list.map((c: { campaign_id: string }) => c.campaign_id);
    expect(ids).toHaveLength(50);
    expect(desc(ids)).toBe(true);
    const visible = (await states(sb, 'campaign', adv)).filter((c) => !c.deleted).length;
    expect(r.body.data.page_info).toEqual({
      page: 2,
      page_size: 50,
      total_number: visible,
      total_page: Math.ceil(visible / 50),
    });
  });

  test('page_size defaults to 10', async () => {
    const r = await apiGet(sb, 'adgroup/get', { advertiser_id: adv });
    expect(r.body.data.list).toHaveLength(10);
    expect(r.body.data.page_info.page_size).toBe(10);
  });

  test.each([0, 1001, 'x'])('page_size %s is a 40002', async (size) => {
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: size });
    expect(r.body.code).toBe(40002);
    expect(r.body.data).toEqual({});
  });

  test('page_size 1000 is allowed', async () => {
    const r = await apiGet(sb, 'ad/get', { advertiser_id: adv, page_size: 1000 });
    expect(r.body.code).toBe(0);
  });

  test.each([
    ['campaign/get', 'campaign_ids'],
    ['adgroup/get', 'adgroup_ids'],
    ['ad/get', 'ad_ids'],
  ])('%s refuses more than 100 %s', async (endpoint, key) => {
    const ids = Array.from({ length: 101 }, (_, i) => String(1_800_000_000_000_000_000n + BigInt(i)));
    const over = await apiGet(sb, endpoint, { advertiser_id: adv, filtering: { [key]: ids } });
    expect(over.body.code).toBe(40002);
    const atLimit = await apiGet(sb, endpoint, { advertiser_id: adv, filtering: { [key]: ids.slice(0, 100) } });
    expect(atLimit.body.code).toBe(0);
  });

  test('filtering by campaign_ids returns those campaigns', async () => {
    const all = await states(sb, 'campaign', adv);
    const wanted = all
      .filter((c) => !c.deleted)
      .slice(3, 6)
      .map((c) => c.id);
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv, filtering: { campaign_ids: wanted } });
    expect(r.body.data.list.map((c: { campaign_id: string }) => c.campaign_id).sort()).toEqual([...wanted].sort());
  });

  test('deleted campaigns are hidden unless STATUS_DELETE is asked for', async () => {
    const deleted = (await states(sb, 'campaign', adv)).filter((c) => c.deleted).map((c) => c.id);
    expect(deleted.length).toBeGreaterThan(0);
    const normal = await apiGet(sb, 'campaign/get', { advertiser_id: adv, filtering: { campaign_ids: deleted } });
    expect(normal.body.data.list).toEqual([]);
    const withDeleted = await apiGet(sb, 'campaign/get', {
      advertiser_id: adv,
      filtering: { campaign_ids: deleted, primary_status: 'STATUS_DELETE' },
    });
    expect(withDeleted.body.data.list).toHaveLength(deleted.length);
    expect(withDeleted.body.data.list[0].secondary_status).toBe('CAMPAIGN_STATUS_DELETE');
  });

  test('fields limits what comes back', async () => {
    const r = await apiGet(sb, 'campaign/get', {
      advertiser_id: adv,
      fields: ['campaign_id', 'operation_status'],
      page_size: 3,
    });
    for (const c of r.body.data.list) expect(Object.keys(c).sort()).toEqual(['campaign_id', 'operation_status']);
  });

  test('filtering that is not JSON is a 40002', async () => {
    const r = await fetch(`${sb.url}/open_api/v1.3/campaign/get/?advertiser_id=${adv}&filtering={oops`, {
      headers: { 'Access-Token': (await import('../../../sandbox/server')).SANDBOX_TOKEN },
    });
    expect((await r.json()).code).toBe(40002);
  });

  test('ad groups carry budget and schedule fields and their campaign', async () => {
    const r = await apiGet(sb, 'adgroup/get', { advertiser_id: adv, page_size: 1000 });
    const modes = new Set(r.body.data.list.map((g: { budget_mode: string }) => g.budget_mode));
    expect(modes.has('BUDGET_MODE_DAY')).toBe(true);
    expect(modes.has('BUDGET_MODE_INFINITE')).toBe(true);
    const g = r.body.data.list[0];
    expect(g).toHaveProperty('schedule_start_time');
    expect(g).toHaveProperty('schedule_end_time');
    expect(g.schedule_start_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(typeof g.campaign_id).toBe('string');
  });

  test('ad/get filters by adgroup_ids', async () => {
    const groups = (await apiGet(sb, 'adgroup/get', { advertiser_id: adv, page_size: 5 })).body.data.list;
    const groupId = groups[0].adgroup_id as string;
    const r = await apiGet(sb, 'ad/get', { advertiser_id: adv, filtering: { adgroup_ids: [groupId] } });
    expect(r.body.data.list.length).toBeGreaterThan(0);
    for (const ad of r.body.data.list) expect(ad.adgroup_id).toBe(groupId);
  });

  test('budgets come in all three modes and as numbers', async () => {
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: 1000 });
    const list = r.body.data.list as { budget_mode: string; budget: number }[];
    const modes = new Set(list.map((c) => c.budget_mode));
    expect(modes).toEqual(new Set(['BUDGET_MODE_DAY', 'BUDGET_MODE_TOTAL', 'BUDGET_MODE_INFINITE']));
    for (const c of list) {
      expect(typeof c.budget).toBe('number');
      if (c.budget_mode === 'BUDGET_MODE_INFINITE') expect(c.budget).toBe(0);
    }
  });

  test('some ad groups or ads are FROZEN', async () => {
    const big = await openSandbox({ campaigns: 1000 });
    try {
      const groups = await states(big, 'adgroup', big.advertiserIds[0]);
      const ads = await states(big, 'ad', big.advertiserIds[0]);
      expect([...groups, ...ads].some((o) => o.operation_status === 'FROZEN')).toBe(true);
    } finally {
      await big.close();
    }
  });
});
