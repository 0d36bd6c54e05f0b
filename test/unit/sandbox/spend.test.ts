import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { advance, control, openSandbox, pick, stateOf } from './harness';

let sb: RunningSandbox;
beforeEach(async () => {
  sb = await openSandbox();
});
afterEach(() => sb.close());

const spending = (o: { deleted: boolean; spending: boolean; operation_status: string }): boolean =>
  !o.deleted && o.spending && o.operation_status === 'ENABLE';

describe('spend accrual', () => {
  test('spend grows only while the campaign delivers', async () => {
    const c = await pick(sb, 'campaign', spending);
    await advance(sb, 10);
    const s1 = await stateOf(sb, 'campaign', c.id);
    expect(s1.spend_lifetime_minor).toBeGreaterThan(c.spend_lifetime_minor);

    await control(sb, 'POST', 'objects/status', { level: 'campaign', id: c.id, operation_status: 'DISABLE' });
    await advance(sb, 30);
    const s2 = await stateOf(sb, 'campaign', c.id);
    expect(s2.spend_lifetime_minor).toBe(s1.spend_lifetime_minor);
    expect(s2.spending).toBe(false);

    await control(sb, 'POST', 'objects/status', { level: 'campaign', id: c.id, operation_status: 'ENABLE' });
    await advance(sb, 10);
    expect((await stateOf(sb, 'campaign', c.id)).spend_lifetime_minor).toBeGreaterThan(s2.spend_lifetime_minor);
  });

  test('a paused ad stops its own spend while its siblings keep spending', async () => {
    const g = await pick(sb, 'adgroup', (o) => spending(o));
    const ads = (await control(sb, 'GET', `state?level=ad&advertiser_id=${g.advertiser_id}`)).objects.filter(
      (a: { adgroup_id: string; spending: boolean }) => a.adgroup_id === g.id && a.spending,
    );
    const ad = ads[0];
    await control(sb, 'POST', 'objects/status', { level: 'ad', id: ad.id, operation_status: 'DISABLE' });
    const before = await stateOf(sb, 'ad', ad.id);
    await advance(sb, 20);
    expect((await stateOf(sb, 'ad', ad.id)).spend_lifetime_minor).toBe(before.spend_lifetime_minor);
  });

  test('a daily budget caps today exactly and shows BUDGET_EXCEED with operation_status ENABLE', async () => {
    const c = await pick(sb, 'campaign', (o) => spending(o) && o.budget_mode === 'BUDGET_MODE_DAY');
    const budget = c.spend_today_minor + 137;
    await control(sb, 'POST', 'objects/budget', {
      level: 'campaign',
      id: c.id,
      budget_mode: 'BUDGET_MODE_DAY',
      budget_minor: budget,
    });
    await advance(sb, 240);
    const s = await stateOf(sb, 'campaign', c.id);
    expect(s.spend_today_minor).toBe(budget);
    expect(s.operation_status).toBe('ENABLE');
    expect(s.secondary_status).toBe('CAMPAIGN_STATUS_BUDGET_EXCEED');
    expect(s.spending).toBe(false);
    const groupStates = (
      await control(sb, 'GET', `state?level=adgroup&advertiser_id=${c.advertiser_id}`)
    ).objects.filter(
      (g: { campaign_id: string; deleted: boolean; operation_status: string }) =>
        g.campaign_id === c.id && !g.deleted && g.operation_status === 'ENABLE',
    );
    expect(
      groupStates.some((g: { secondary_status: string }) => g.secondary_status === 'ADGROUP_STATUS_CAMPAIGN_EXCEED'),
    ).toBe(true);
  });

  test('the daily budget resets at midnight in the advertiser time zone', async () => {
    // Start 2026-11-28T15:00Z is 07:00 in Los Angeles; the next local midnight is 2026-11-29T08:00Z.
    const c = await pick(sb, 'campaign', (o) => spending(o) && o.budget_mode === 'BUDGET_MODE_DAY');
    const budget = c.spend_today_minor + 100;
    await control(sb, 'POST', 'objects/budget', {
      level: 'campaign',
      id: c.id,
      budget_mode: 'BUDGET_MODE_DAY',
      budget_minor: budget,
    });
    await advance(sb, 20 * 60);
    const q = (at: string) => control(sb, 'GET', `spend?level=campaign&id=${c.id}&at=${at}`);
    const beforeMidnight = await q('2026-11-29T07:59:00Z');
    const atMidnight = await q('2026-11-29T08:00:00Z');
    const laterThatDay = await q('2026-11-29T11:00:00Z');
    expect(beforeMidnight.today_minor).toBe(budget);
    expect(atMidnight.today_minor).toBe(0);
    expect(atMidnight.lifetime_minor).toBe(beforeMidnight.lifetime_minor);
    expect(laterThatDay.today_minor).toBeGreaterThan(0);
    expect(laterThatDay.today_minor).toBeLessThanOrEqual(budget);
  });

  test('a total budget caps lifetime spend for good', async () => {
    const c = await pick(sb, 'campaign', (o) => spending(o) && o.budget_mode !== 'BUDGET_MODE_INFINITE');
    const budget = c.spend_lifetime_minor + 250;
    await control(sb, 'POST', 'objects/budget', {
      level: 'campaign',
      id: c.id,
      budget_mode: 'BUDGET_MODE_TOTAL',
      budget_minor: budget,
    });
    await advance(sb, 3 * 24 * 60);
    const s = await stateOf(sb, 'campaign', c.id);
    expect(s.spend_lifetime_minor).toBe(budget);
    expect(s.secondary_status).toBe('CAMPAIGN_STATUS_BUDGET_EXCEED');
  });

  test('an ad group budget caps the ad group', async () => {
    const g = await pick(sb, 'adgroup', (o) => spending(o) && o.budget_mode === 'BUDGET_MODE_DAY');
    const budget = g.spend_today_minor + 90;
    await control(sb, 'POST', 'objects/budget', {
      level: 'adgroup',
      id: g.id,
      budget_mode: 'BUDGET_MODE_DAY',
      budget_minor: budget,
    });
    await advance(sb, 300);
    const s = await stateOf(sb, 'adgroup', g.id);
    expect(s.spend_today_minor).toBe(budget);
    expect(s.secondary_status).toBe('ADGROUP_STATUS_BUDGET_EXCEED');
  });

  test("'today' follows each advertiser's own time zone", async () => {
    // At the start it is 07:00 in Los Angeles but exactly midnight in Tokyo.
    const west = await pick(sb, 'campaign', spending);
    const east = await pick(sb, 'campaign', spending, sb.advertiserIds[1]);
    expect(west.spend_today_minor).toBeGreaterThan(0);
    expect(east.spend_today_minor).toBe(0);
    expect(east.spend_lifetime_minor).toBeGreaterThan(0);
  });

  test('the true spend at a past time is stable', async () => {
    const c = await pick(sb, 'campaign', spending);
    await advance(sb, 30);
    const then = await control(sb, 'GET', `spend?level=campaign&id=${c.id}&at=2026-11-28T15:10:00Z`);
    await advance(sb, 60);
    const again = await control(sb, 'GET', `spend?level=campaign&id=${c.id}&at=2026-11-28T15:10:00Z`);
    expect(again).toEqual(then);
    expect(then.lifetime_minor).toBeGreaterThan(c.spend_lifetime_minor);
    expect(then.lifetime).toMatch(/^\d+\.\d{2}$/);
  });

  test('some campaigns drift to a higher CPA over time', async () => {
    const big = await openSandbox({ campaigns: 300 });
    try {
      const drifting = (
        await control(big, 'GET', `state?level=campaign&advertiser_id=${big.advertiserIds[0]}`)
      ).objects.filter((o: { cpa_drift: boolean; spending: boolean }) => o.cpa_drift && o.spending);
      expect(drifting.length).toBeGreaterThan(0);
      const c = drifting[0];
      const world = big.world;
      const campaign = world.get('campaign', c.id);
      if (!campaign) throw new Error('missing');
      const start = world.nowMinute();
      const before = world.countersAt(campaign, start);
      await advance(big, 3 * 24 * 60);
      const after = world.countersAt(campaign, world.nowMinute());
      const earlierCpa = before.spend / Math.max(1, before.conversions);
      const laterCpa = (after.spend - before.spend) / Math.max(1, after.conversions - before.conversions);
      expect(laterCpa).toBeGreaterThan(earlierCpa * 1.5);
    } finally {
      await big.close();
    }
  });
});
