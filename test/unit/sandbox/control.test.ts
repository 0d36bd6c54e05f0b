import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { apiGet, apiPost, control, openSandbox, pick } from './harness';

let sb: RunningSandbox;
beforeEach(async () => {
  sb = await openSandbox();
});
afterEach(() => sb.close());

describe('control API', () => {
  test('config reads back what was set', async () => {
    const cfg = await control(sb, 'POST', 'config', { processingDelayMs: 250, rateLimits: { appQps: 3 } });
    expect(cfg).toMatchObject({
      processingDelayMs: 250,
      reportLatencyMinutes: 30,
      rateLimits: { appQps: 3, appQpm: 600 },
      announcements: true,
    });
    expect(await control(sb, 'GET', 'config')).toEqual(cfg);
  });

  test('the clock advances and changes speed', async () => {
    const before = await control(sb, 'GET', 'clock');
    expect(before).toMatchObject({ now: '2026-11-28T15:00:00.000Z', speed: 0 });
    const after = await control(sb, 'POST', 'clock', { advanceMinutes: 90, speed: 60 });
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(90 * 60_000);
    expect(after.speed).toBe(60);
  });

  test('reset rebuilds the world from a seed', async () => {
    const first = sb.advertiserIds;
    const r = await control(sb, 'POST', 'reset', {
      seed: 99,
      campaigns: 15,
      secondAdvertiserCampaigns: 3,
      clockSpeed: 0,
    });
    expect(r.ok).toBe(true);
    expect(r.advertisers[0].campaigns).toBe(15);
    expect(sb.advertiserIds).not.toEqual(first);
    await control(sb, 'POST', 'reset', { seed: 7, campaigns: 60, secondAdvertiserCampaigns: 12, clockSpeed: 0 });
    expect(sb.advertiserIds).toEqual(first);
  });

  test('the request log keeps every API call in order with its outcome', async () => {
    const adv = sb.advertiserIds[0] ?? '';
    await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: 2 });
    await apiPost(sb, 'campaign/status/update', {
      advertiser_id: adv,
      campaign_ids: ['1'],
      operation_status: 'DISABLE',
    });
    const { requests } = await control(sb, 'GET', 'requests');
    expect(requests.map((r: { path: string }) => r.path)).toEqual([
      '/open_api/v1.3/campaign/get/',
      '/open_api/v1.3/campaign/status/update/',
    ]);
    expect(requests[0]).toMatchObject({ seq: 1, method: 'GET', code: 0, query: { advertiser_id: adv } });
    expect(requests[0].requestId).toMatch(/^\d{30,}$/);
    expect(requests[0].simTime).toBe('2026-11-28T15:00:00.000Z');
    expect(requests[1]).toMatchObject({ seq: 2, method: 'POST', code: 40002, body: { campaign_ids: ['1'] } });
    const filtered = await control(sb, 'GET', 'requests?path=status/update');
    expect(filtered.requests).toHaveLength(1);
    await control(sb, 'DELETE', 'requests');
    expect((await control(sb, 'GET', 'requests')).requests).toEqual([]);
  });

  test('objects/status acts as a person: immediate, logged with the actor', async () => {
    const c = await pick(sb, 'campaign', (o) => !o.deleted && o.operation_status === 'ENABLE');
    await control(sb, 'POST', 'config', { processingDelayMs: 10_000 });
    const r = await control(sb, 'POST', 'objects/status', {
      level: 'campaign',
      id: c.id,
      operation_status: 'DISABLE',
      actor: 'alice',
    });
    expect(r.object).toMatchObject({ operation_status: 'DISABLE', pending: [] });
    const { requests } = await control(sb, 'GET', 'requests?path=objects/status');
    expect(requests[0]).toMatchObject({ actor: 'alice' });
  });

  test('state shows pending changes with their apply time', async () => {
    await control(sb, 'POST', 'config', { processingDelayMs: 10_000 });
    const c = await pick(sb, 'campaign', (o) => !o.deleted && o.operation_status === 'ENABLE');
    const before = Date.now();
    await apiPost(sb, 'campaign/status/update', {
      advertiser_id: c.advertiser_id,
      campaign_ids: [c.id],
      operation_status: 'DISABLE',
    });
    const { objects } = await control(sb, 'GET', `state?level=campaign&ids=${c.id}`);
    expect(objects[0].operation_status).toBe('ENABLE');
    expect(objects[0].pending).toHaveLength(1);
    expect(Date.parse(objects[0].pending[0].apply_at)).toBeGreaterThanOrEqual(before + 10_000);
  });

  test('unknown routes and bad bodies are 4xx', async () => {
    expect((await fetch(`${sb.url}/__sandbox/nothing`)).status).toBe(404);
    const bad = await fetch(`${sb.url}/__sandbox/clock`, { method: 'POST', body: '{"speed":-1}' });
    expect(bad.status).toBe(400);
  });
});
