import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { advance, apiGet, control, type ObjectState, openSandbox, states } from './harness';

let sb: RunningSandbox;
let adv: string;
beforeEach(async () => {
  sb = await openSandbox({ reportLatencyMinutes: 0 });
  adv = sb.advertiserIds[0] ?? '';
});
afterEach(() => sb.close());

interface Totals {
  spend: number;
  conversions: number;
}

/** Lifetime spend (cents) and conversions of campaigns, from the report API. */
async function lifetime(ids: string[]): Promise<Map<string, Totals>> {
  const r = await apiGet(sb, 'report/integrated/get', {
    advertiser_id: adv,
    report_type: 'BASIC',
    data_level: 'AUCTION_CAMPAIGN',
    dimensions: ['campaign_id'],
    metrics: ['spend', 'conversion'],
    query_lifetime: true,
    filtering: [{ field_name: 'campaign_ids', filter_type: 'IN', filter_value: JSON.stringify(ids) }],
    page_size: 1000,
  } as never);
  expect(r.body.code).toBe(0);
  const out = new Map<string, Totals>();
  for (const row of r.body.data.list as { dimensions: { campaign_id: string }; metrics: Record<string, string> }[]) {
    out.set(row.dimensions.campaign_id, {
      spend: Math.round(Number(row.metrics.spend) * 100),
      conversions: Number(row.metrics.conversion),
    });
  }
  return out;
}

async function delivering(n: number): Promise<ObjectState[]> {
  const all = await states(sb, 'campaign', adv);
  const found = all.filter((o) => o.spending && !o.deleted && o.budget_mode === 'BUDGET_MODE_INFINITE').slice(0, n);
  expect(found).toHaveLength(n);
  return found;
}

describe('POST /__sandbox/objects/cpa', () => {
  test('later spend converts at the set cost per conversion; what was reported before stays as it was', async () => {
    const [high, low] = await delivering(2);
    const ids = [high?.id ?? '', low?.id ?? ''];
    const before = await lifetime(ids);

    const answer = await control(sb, 'POST', 'objects/cpa', { level: 'campaign', ids: [ids[0]], cpa_minor: 50_000 });
    expect(answer.ok).toBe(true);
    expect(answer.objects.map((o: ObjectState) => o.id)).toEqual([ids[0]]);
    await control(sb, 'POST', 'objects/cpa', { level: 'campaign', ids: [ids[1]], cpa_minor: 2_000 });
    // Setting the rate does not rewrite the past.
    expect(await lifetime(ids)).toEqual(before);

    await advance(sb, 12 * 60);
    const after = await lifetime(ids);
    const delta = (id: string) => {
      const a = after.get(id);
      const b = before.get(id);
      return { spend: (a?.spend ?? 0) - (b?.spend ?? 0), conversions: (a?.conversions ?? 0) - (b?.conversions ?? 0) };
    };
    const h = delta(ids[0] ?? '');
    const l = delta(ids[1] ?? '');
    expect(h.spend).toBeGreaterThan(0);
    expect(l.spend).toBeGreaterThan(0);
    // At most one conversion per 500.00 spent on each ad (an ad may be part-way to its next one).
    expect(h.conversions).toBeLessThanOrEqual(Math.floor(h.spend / 50_000) + 4);
    // About one per 20.00, never more.
    expect(l.conversions).toBeLessThanOrEqual(Math.ceil(l.spend / 2_000) + 4);
    expect(l.conversions).toBeGreaterThan(0);
    expect(l.spend / l.conversions).toBeLessThan(100 * 100);
    // Conversions never go backwards at any later moment.
    await advance(sb, 60);
    const later = await lifetime(ids);
    for (const id of ids)
      expect(later.get(id)?.conversions ?? 0).toBeGreaterThanOrEqual(after.get(id)?.conversions ?? 0);
  });

  test('is deterministic: the same seed and the same steps give the same report', async () => {
    const run = async () => {
      await control(sb, 'POST', 'reset', { seed: 7, campaigns: 60, secondAdvertiserCampaigns: 12, clockSpeed: 0 });
      adv = sb.advertiserIds[0] ?? '';
      const chosen = (await delivering(3)).map((o) => o.id);
      await control(sb, 'POST', 'objects/cpa', { level: 'campaign', ids: chosen, cpa_minor: 30_000 });
      await advance(sb, 300);
      await control(sb, 'POST', 'objects/cpa', { level: 'campaign', ids: chosen.slice(0, 1), cpa_minor: 1_500 });
      await advance(sb, 300);
      return [...(await lifetime(chosen)).entries()];
    };
    expect(await run()).toEqual(await run());
  });

  test('refuses unknown objects and bad rates', async () => {
    await expect(control(sb, 'POST', 'objects/cpa', { level: 'campaign', ids: ['1'], cpa_minor: 100 })).rejects.toThrow(
      /404/,
    );
    const [one] = await delivering(1);
    await expect(
      control(sb, 'POST', 'objects/cpa', { level: 'campaign', ids: [one?.id], cpa_minor: 0 }),
    ).rejects.toThrow(/400/);
  });
});
