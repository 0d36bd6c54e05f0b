import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { apiGet, apiPost, control, type ObjectState, openSandbox, pick, sleep, stateOf, states } from './harness';

let sb: RunningSandbox;
let adv: string;
beforeAll(async () => {
  sb = await openSandbox({ campaigns: 150 });
  adv = sb.advertiserIds[0] ?? '';
});
afterAll(() => sb.close());

const DELAY = 400;

async function liveCampaign(): Promise<ObjectState> {
  const used = new Set<string>();
  return pick(sb, 'campaign', (c) => {
    const ok = !c.deleted && c.operation_status === 'ENABLE' && c.spending && !used.has(c.id);
    used.add(c.id);
    return ok;
  });
}

async function getCampaign(id: string): Promise<Record<string, string>> {
  const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv, filtering: { campaign_ids: [id] } });
  return r.body.data.list[0];
}

describe('status updates', () => {
  test('a change is invisible until the processing delay passes, then visible with the cascade', async () => {
    await control(sb, 'POST', 'config', { processingDelayMs: DELAY });
    try {
      const c = await liveCampaign();
      const before = await getCampaign(c.id);
      const r = await apiPost(sb, 'campaign/status/update', {
        advertiser_id: adv,
        campaign_ids: [c.id],
        operation_status: 'DISABLE',
      });
      expect(r.body.data).toEqual({
        campaign_ids: [c.id],
        status: 'DISABLE',
        campaign_list: [{ campaign_id: c.id, status: 'DISABLE' }],
      });
      const during = await getCampaign(c.id);
      expect(during.operation_status).toBe('ENABLE');
      const truth = await stateOf(sb, 'campaign', c.id);
      expect(truth.pending).toHaveLength(1);
      expect(truth.pending[0]?.operation_status).toBe('DISABLE');
      expect(truth.spending).toBe(true);

      await sleep(DELAY + 150);
      const after = await getCampaign(c.id);
      expect(after).toMatchObject({ operation_status: 'DISABLE', secondary_status: 'CAMPAIGN_STATUS_DISABLE' });
      expect(after.modify_time).not.toBe(before.modify_time);

      const groups = await apiGet(sb, 'adgroup/get', { advertiser_id: adv, filtering: { campaign_ids: [c.id] } });
      for (const g of groups.body.data.list) {
        expect(g.secondary_status).toBe('ADGROUP_STATUS_CAMPAIGN_DISABLE');
        expect(['ENABLE', 'DISABLE', 'FROZEN']).toContain(g.operation_status);
      }
      const enabledGroup = groups.body.data.list.find(
        (g: { operation_status: string }) => g.operation_status === 'ENABLE',
      );
      expect(enabledGroup).toBeDefined();
      const ads = await apiGet(sb, 'ad/get', { advertiser_id: adv, filtering: { campaign_ids: [c.id] } });
      for (const ad of ads.body.data.list) expect(ad.secondary_status).toBe('AD_STATUS_CAMPAIGN_DISABLE');
      expect((await stateOf(sb, 'campaign', c.id)).pending).toEqual([]);
    } finally {
      await control(sb, 'POST', 'config', { processingDelayMs: 0 });
    }
  });

  test('disabling an ad group cascades to its ads', async () => {
    const g = await pick(sb, 'adgroup', (o) => !o.deleted && o.operation_status === 'ENABLE' && o.spending);
    const r = await apiPost(sb, 'adgroup/status/update', {
      advertiser_id: adv,
      adgroup_ids: [g.id],
      operation_status: 'DISABLE',
    });
    expect(r.body.code).toBe(0);
    const ads = await apiGet(sb, 'ad/get', { advertiser_id: adv, filtering: { adgroup_ids: [g.id] } });
    expect(ads.body.data.list.length).toBeGreaterThan(0);
    for (const ad of ads.body.data.list) expect(ad.secondary_status).toBe('AD_STATUS_ADGROUP_DISABLE');
    expect((await stateOf(sb, 'adgroup', g.id)).secondary_status).toBe('ADGROUP_STATUS_DISABLE');
  });

  test('DISABLE on an already disabled campaign succeeds', async () => {
    const c = await pick(sb, 'campaign', (o) => !o.deleted && o.operation_status === 'DISABLE');
    const r = await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: [c.id],
      operation_status: 'DISABLE',
    });
    expect(r.body.code).toBe(0);
    expect((await stateOf(sb, 'campaign', c.id)).operation_status).toBe('DISABLE');
  });

  test.each([0, 21])('%i ids are a 40002', async (n) => {
    const ids = (await states(sb, 'campaign', adv)).slice(0, n).map((c) => c.id);
    const r = await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: ids,
      operation_status: 'DISABLE',
    });
    expect(r.body.code).toBe(40002);
  });

  test('an unknown operation_status is a 40002', async () => {
    const c = await liveCampaign();
    const r = await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: [c.id],
      operation_status: 'PAUSE',
    });
    expect(r.body.code).toBe(40002);
  });

  test('one unknown id fails the whole call, names the id, and changes nothing', async () => {
    const c = await liveCampaign();
    const missing = '1899999999999999999';
    const r = await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: [c.id, missing],
      operation_status: 'DISABLE',
    });
    expect(r.body.code).toBe(40002);
    expect(r.body.message).toContain(missing);
    expect(r.body.data).toEqual({});
    expect((await stateOf(sb, 'campaign', c.id)).operation_status).toBe('ENABLE');
  });

  test('a deleted id fails the whole call', async () => {
    const c = await liveCampaign();
    const deleted = await pick(sb, 'campaign', (o) => o.deleted);
    const r = await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: [c.id, deleted.id],
      operation_status: 'DISABLE',
    });
    expect(r.body.code).toBe(40002);
    expect(r.body.message).toContain(deleted.id);
    expect((await stateOf(sb, 'campaign', c.id)).operation_status).toBe('ENABLE');
  });

  test("another advertiser's id fails with 40001", async () => {
    const foreign = await pick(sb, 'campaign', (o) => !o.deleted, sb.advertiserIds[1]);
    const r = await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: [foreign.id],
      operation_status: 'DISABLE',
    });
    expect(r.body.code).toBe(40001);
    expect(r.body.message).toContain(foreign.id);
  });

  test('ad groups support allow_partial_success with an error_list', async () => {
    const g = await pick(sb, 'adgroup', (o) => !o.deleted && o.operation_status === 'ENABLE');
    const missing = '1810000000000000001';
    const r = await apiPost(sb, 'adgroup/status/update', {
      advertiser_id: adv,
      adgroup_ids: [g.id, missing],
      operation_status: 'DISABLE',
      allow_partial_success: true,
    });
    expect(r.body.code).toBe(0);
    expect(r.body.data.adgroup_ids).toEqual([g.id]);
    expect(r.body.data.error_list).toHaveLength(1);
    expect(r.body.data.error_list[0].adgroup_id).toBe(missing);
    expect((await stateOf(sb, 'adgroup', g.id)).operation_status).toBe('DISABLE');
  });

  test('ENABLE on a frozen ad is refused', async () => {
    const big = await openSandbox({ campaigns: 1000 });
    try {
      const bigAdv = big.advertiserIds[0] ?? '';
      const ads = await states(big, 'ad', bigAdv);
      const frozen = ads.find((a) => a.operation_status === 'FROZEN' && !a.deleted);
      expect(frozen).toBeDefined();
      const r = await apiPost(big, 'ad/status/update', {
        advertiser_id: bigAdv,
        ad_ids: [frozen?.id],
        operation_status: 'ENABLE',
      });
      expect(r.body.code).toBe(40002);
      expect(r.body.message).toContain('frozen');
    } finally {
      await big.close();
    }
  });

  test('DELETE hides the campaign and its children from default reads', async () => {
    const c = await liveCampaign();
    await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: [c.id],
      operation_status: 'DELETE',
    });
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv, filtering: { campaign_ids: [c.id] } });
    expect(r.body.data.list).toEqual([]);
    const groups = await apiGet(sb, 'adgroup/get', { advertiser_id: adv, filtering: { campaign_ids: [c.id] } });
    expect(groups.body.data.list).toEqual([]);
    const again = await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: [c.id],
      operation_status: 'ENABLE',
    });
    expect(again.body.code).toBe(40002);
  });
});
