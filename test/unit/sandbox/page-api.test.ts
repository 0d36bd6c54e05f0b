import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { SANDBOX_TOKEN } from '../../../sandbox/server';
import { control, openSandbox, pick, stateOf } from './harness';

let sb: RunningSandbox;
let adv: string;
beforeAll(async () => {
  sb = await openSandbox({ campaigns: 100 });
  adv = sb.advertiserIds[0] ?? '';
});
afterAll(() => sb.close());

async function rows(params: string) {
  const r = await fetch(`${sb.url}/__sandbox/page-api/rows?${params}`);
  return { status: r.status, body: await r.json() };
}

const toggle = async (body: unknown) =>
  (await fetch(`${sb.url}/__sandbox/page-api/toggle`, { method: 'POST', body: JSON.stringify(body) })).json();

describe('page-api', () => {
  test('campaign rows have the agreed shape and exclude deleted rows', async () => {
    const { body } = await rows(`level=campaign&aadvid=${adv}`);
    expect(body.advertiser).toEqual({
      id: adv,
      name: expect.any(String),
      currency: 'USD',
      timezone: 'America/Los_Angeles',
    });
    const deleted = (await control(sb, 'GET', `state?level=campaign&advertiser_id=${adv}`)).objects.filter(
      (o: { deleted: boolean }) => o.deleted,
    );
    expect(body.rows).toHaveLength(100 - deleted.length);
    const row = body.rows[0];
    expect(row).toMatchObject({
      id: expect.stringMatching(/^\d{19}$/),
      level: 'campaign',
      on: expect.any(Boolean),
      cost: expect.stringMatching(/^\d+\.\d{2}$/),
      impressions: expect.stringMatching(/^\d+$/),
      clicks: expect.stringMatching(/^\d+$/),
      conversions: expect.stringMatching(/^\d+$/),
      campaign_id: row.id,
      advertiser_id: adv,
    });
    expect(['Active', 'Inactive', 'Not delivering', 'Out of budget', 'Frozen']).toContain(row.status_label);
    const labels = new Set(body.rows.map((r: { status_label: string }) => r.status_label));
    expect(labels.has('Active')).toBe(true);
    expect(labels.has('Inactive')).toBe(true);
    expect(body.rows.some((r: { budget: string }) => r.budget === 'No limit')).toBe(true);
    const total = body.rows.reduce((s: number, r: { cost: string }) => s + Math.round(Number(r.cost) * 100), 0);
    expect(Math.round(Number(body.totals.cost) * 100)).toBe(total);
  });

  test('ad rows carry their ad group and filter by campaign', async () => {
    const c = await pick(sb, 'campaign', (o) => !o.deleted);
    const { body } = await rows(`level=ad&aadvid=${adv}&campaign_id=${c.id}`);
    expect(body.rows.length).toBeGreaterThan(0);
    for (const r of body.rows) {
      expect(r.campaign_id).toBe(c.id);
      expect(r.adgroup_id).toMatch(/^\d{19}$/);
      expect(typeof r.adgroup_name).toBe('string');
    }
  });

  test('an unknown advertiser is a 404', async () => {
    expect((await rows('level=campaign&aadvid=123')).status).toBe(404);
  });

  test('the toggle applies at once, bumps modify_time and is logged as the page', async () => {
    const c = await pick(sb, 'campaign', (o) => !o.deleted && o.operation_status === 'ENABLE');
    await control(sb, 'POST', 'config', { processingDelayMs: 5_000 });
    expect(await toggle({ level: 'campaign', id: c.id, on: false })).toEqual({ ok: true });
    const s = await stateOf(sb, 'campaign', c.id);
    expect(s.operation_status).toBe('DISABLE');
    expect(s.modify_time).not.toBe(c.modify_time);
    const { body } = await rows(`level=campaign&aadvid=${adv}`);
    const row = body.rows.find((r: { id: string }) => r.id === c.id);
    expect(row).toMatchObject({ on: false, status_label: 'Inactive' });
    const { requests } = await control(sb, 'GET', 'requests?path=page-api/toggle');
    expect(requests.at(-1)).toMatchObject({ actor: 'page', body: { level: 'campaign', id: c.id, on: false } });
    await control(sb, 'POST', 'config', { processingDelayMs: 0 });
  });

  test('the toggle refuses deleted and unknown objects', async () => {
    const victim = await pick(sb, 'campaign', (o) => !o.deleted);
    await control(sb, 'POST', 'objects/status', { level: 'campaign', id: victim.id, operation_status: 'DELETE' });
    expect(await toggle({ level: 'campaign', id: victim.id, on: true })).toMatchObject({ ok: false });
    const { body } = await rows(`level=campaign&aadvid=${adv}`);
    expect(body.rows.some((r: { id: string }) => r.id === victim.id)).toBe(false);
    expect(await toggle({ level: 'campaign', id: '1', on: true })).toMatchObject({
      ok: false,
      message: expect.any(String),
    });
  });
});

describe('page routes', () => {
  test.each(['campaign', 'adgroup', 'ad', 'creative'])('/i18n/manage/%s serves the page shell', async (level) => {
    const r = await fetch(`${sb.url}/i18n/manage/${level}?aadvid=${adv}&st=2026-11-28&et=2026-11-28`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(await r.text()).toMatch(/<html/i);
  });

  test('page files are served with their content type', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = await readdir(new URL('../../../sandbox/page/', import.meta.url)).catch(() => [] as string[]);
    const js = files.find((f) => f.endsWith('.js'));
    if (js) {
      const r = await fetch(`${sb.url}/__sandbox/page/${js}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/javascript');
    }
    expect((await fetch(`${sb.url}/__sandbox/page/missing.js`)).status).toBe(404);
  });

  test.each(['..%2Fserver.ts', '%2e%2e/%2e%2e/package.json', '..%2F..%2Fpackage.json'])(
    'no traversal: %s',
    async (p) => {
      const r = await fetch(`${sb.url}/__sandbox/page/${p}`);
      expect(r.status).toBe(404);
    },
  );

  test('the index links the three levels and shows the demo token', async () => {
    const html = await (await fetch(`${sb.url}/`)).text();
    for (const level of ['campaign', 'adgroup', 'ad']) expect(html).toContain(`/i18n/manage/${level}?aadvid=${adv}`);
    expect(html).toContain(SANDBOX_TOKEN);
  });
});
