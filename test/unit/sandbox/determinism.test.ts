import { describe, expect, test } from 'vitest';
import { HOSTILE_CAMPAIGN_NAMES } from '../../../sandbox/world/names';
import { World } from '../../../sandbox/world/world';

const build = (seed: number) =>
  new World({
    seed,
    campaigns: 80,
    secondAdvertiserCampaigns: 10,
    startMs: Date.parse('2026-11-28T15:00:00Z'),
    clockSpeed: 0,
    processingDelayMs: 0,
  });

const snapshot = (w: World) =>
  [...w.data.campaigns.values()].map((c) => ({
    id: c.id,
    name: c.name,
    status: c.operationStatus,
    deleted: c.deleted,
    budget: c.budgetMinor,
    spend: w.spendAt(c, w.nowMinute()),
  }));

describe('determinism', () => {
  test('the same seed builds the same world', () => {
    const a = build(42);
    const b = build(42);
    expect(a.data.advertisers).toEqual(b.data.advertisers);
    expect(snapshot(a)).toEqual(snapshot(b));
    expect([...a.data.ads.keys()]).toEqual([...b.data.ads.keys()]);
  });

  test('another seed builds another world', () => {
    expect(snapshot(build(1)).map((c) => c.id)).not.toEqual(snapshot(build(2)).map((c) => c.id));
  });

  test('the world holds hostile and duplicate names', () => {
    const names = [...build(3).data.campaigns.values()].map((c) => c.name);
    for (const hostile of HOSTILE_CAMPAIGN_NAMES) expect(names).toContain(hostile);
    expect(names.filter((n) => n === 'US | Spring Sale | Broad – CBO').length).toBeGreaterThanOrEqual(3);
    expect(names.some((n) => n.includes('<img'))).toBe(true);
    expect(names.some((n) => n.includes('\u200b') || n.includes('\u200d'))).toBe(true);
    expect(names.some((n) => n.length > 200)).toBe(true);
  });

  test('campaign counts follow the options, with 1-3 ad groups of 1-2 ads each', () => {
    const w = build(5);
    const [first, second] = w.data.advertisers;
    expect(w.ids('campaign', first?.id ?? '')).toHaveLength(80);
    expect(w.ids('campaign', second?.id ?? '')).toHaveLength(10);
    for (const c of w.data.campaigns.values()) {
      expect(c.adgroupIds.length).toBeGreaterThanOrEqual(1);
      expect(c.adgroupIds.length).toBeLessThanOrEqual(3);
      for (const gid of c.adgroupIds) {
        const n = w.data.adgroups.get(gid)?.adIds.length ?? 0;
        expect(n >= 1 && n <= 2).toBe(true);
      }
    }
  });
});
