import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { apiGet, apiPost, openSandbox } from './harness';

let sb: RunningSandbox;
let adv: string;
beforeAll(async () => {
  sb = await openSandbox({ campaigns: 200 });
  adv = sb.advertiserIds[0] ?? '';
});
afterAll(() => sb.close());

const UNQUOTED_BIG_NUMBER = /[:[,]\s*\d{15,}/;

describe('64-bit ids', () => {
  test('advertiser ids are 19-digit strings above 2^53', () => {
    for (const id of sb.advertiserIds) {
      expect(id).toMatch(/^\d{19}$/);
      expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    }
  });

  test('ids in get responses are quoted strings in the raw text', async () => {
    const r = await apiGet(sb, 'ad/get', { advertiser_id: adv, page_size: 50 });
    expect(r.text).not.toMatch(UNQUOTED_BIG_NUMBER);
    const first = r.body.data.list[0];
    for (const key of ['advertiser_id', 'campaign_id', 'adgroup_id', 'ad_id']) {
      expect(first[key]).toMatch(/^\d{19}$/);
      expect(r.text).toContain(`"${key}":"${first[key]}"`);
    }
  });

  test('some ids lose precision as JSON numbers, and some pairs collide', async () => {
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: 1000 });
    const ids: string[] = r.body.data.list.map((c: { campaign_id: string }) => c.campaign_id);
    const lossy = ids.filter((id) => String(BigInt(Math.round(Number(id)))) !== id);
    expect(lossy.length).toBeGreaterThan(ids.length / 2);
    const asNumbers = new Set(ids.map(Number));
    expect(asNumbers.size).toBeLessThan(ids.length);
  });

  test('a status update round-trips ids as strings', async () => {
    const r0 = await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: 2 });
    const id = r0.body.data.list[0].campaign_id as string;
    const r = await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: [id],
      operation_status: 'DISABLE',
    });
    expect(r.text).toContain(`"campaign_ids":["${id}"]`);
    expect(r.text).toContain(`"campaign_id":"${id}"`);
    expect(r.text).not.toMatch(UNQUOTED_BIG_NUMBER);
  });

  test('ids sent as JSON numbers are refused', async () => {
    const r0 = await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: 1 });
    const id = r0.body.data.list[0].campaign_id as string;
    const r = await apiPost(
      sb,
      'campaign/status/update',
      `{"advertiser_id":"${adv}","campaign_ids":[${id}],"operation_status":"DISABLE"}`,
    );
    expect(r.body.code).toBe(40002);
  });

  test('report dimensions carry string ids', async () => {
    const r = await apiGet(sb, 'report/integrated/get', {
      advertiser_id: adv,
      report_type: 'BASIC',
      data_level: 'AUCTION_AD',
      dimensions: ['ad_id'],
      metrics: ['spend', 'campaign_id', 'adgroup_id'],
      query_lifetime: true,
      page_size: 20,
    });
    expect(r.body.code).toBe(0);
    expect(r.text).not.toMatch(UNQUOTED_BIG_NUMBER);
    expect(r.body.data.list[0].dimensions.ad_id).toMatch(/^\d{19}$/);
  });
});
