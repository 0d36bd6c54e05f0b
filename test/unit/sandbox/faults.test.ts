import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { SANDBOX_TOKEN } from '../../../sandbox/server';
import { advance, apiGet, apiPost, control, openSandbox, pick, stateOf } from './harness';

let sb: RunningSandbox;
let adv: string;
beforeEach(async () => {
  sb = await openSandbox();
  adv = sb.advertiserIds[0] ?? '';
});
afterEach(() => sb.close());

const live = () => pick(sb, 'campaign', (o) => !o.deleted && o.operation_status === 'ENABLE' && o.spending);
const pause = (id: string) =>
  apiPost(sb, 'campaign/status/update', { advertiser_id: adv, campaign_ids: [id], operation_status: 'DISABLE' });
const faults = (plans: unknown[]) => control(sb, 'POST', 'faults', plans);

async function lastLogged() {
  const { requests } = await control(sb, 'GET', 'requests?path=/open_api/');
  return requests[requests.length - 1];
}

describe('fault injection', () => {
  test.each([50000, 50002, 40202, 40001, 40105, 40002])('code %i fires once, then calls pass', async (code) => {
    const c = await live();
    await faults([{ path: 'campaign/status/update', kind: 'code', code }]);
    const first = await pause(c.id);
    expect(first.status).toBe(200);
    expect(first.body.code).toBe(code);
    expect(first.body.data).toEqual({});
    expect((await stateOf(sb, 'campaign', c.id)).operation_status).toBe('ENABLE');
    expect((await lastLogged()).fault).toMatchObject({ kind: 'code' });
    expect((await pause(c.id)).body.code).toBe(0);
  });

  test('after and times choose which matching calls fire', async () => {
    await faults([{ path: '/open_api/v1.3/user/info/', kind: 'code', code: 50000, after: 1, times: 2 }]);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await apiGet(sb, 'user/info')).body.code);
    expect(codes).toEqual([0, 50000, 50000, 0]);
  });

  test('ids and advertiser narrow a plan', async () => {
    const c = await live();
    const other = await pick(sb, 'campaign', (o) => !o.deleted && o.id !== c.id && o.operation_status === 'ENABLE');
    await faults([{ path: 'campaign/status/update', kind: 'code', code: 50002, ids: [c.id], advertiserId: adv }]);
    expect((await pause(other.id)).body.code).toBe(0);
    expect((await pause(c.id)).body.code).toBe(50002);
  });

  test('hang never answers, and the call is logged', async () => {
    await faults([{ path: 'user/info', kind: 'hang' }]);
    const controller = new AbortController();
    const pending = fetch(`${sb.url}/open_api/v1.3/user/info/`, {
      headers: { 'Access-Token': SANDBOX_TOKEN },
      signal: controller.signal,
    });
    const outcome = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('waiting'), 300)),
    ]);
    expect(outcome).toBe('waiting');
    controller.abort();
    await pending.catch(() => undefined);
    const logged = await lastLogged();
    expect(logged.fault).toMatchObject({ kind: 'hang' });
    expect(logged.httpStatus).toBeNull();
  });

  test('hang with delayMs answers late', async () => {
    await faults([{ path: 'user/info', kind: 'hang', delayMs: 150 }]);
    const started = Date.now();
    const r = await apiGet(sb, 'user/info');
    expect(r.body.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('malformed sends a body that is not JSON', async () => {
    await faults([{ path: 'campaign/get', kind: 'malformed' }]);
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv });
    expect(r.status).toBe(200);
    expect(r.body).toBeNull();
    expect(() => JSON.parse(r.text)).toThrow();
  });

  test.each([500, 502, 404])('http %i sends that status', async (status) => {
    await faults([{ path: 'campaign/get', kind: 'http', status }]);
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv });
    expect(r.status).toBe(status);
  });

  test('apply-then-hang applies the change but never answers', async () => {
    const c = await live();
    await faults([{ path: 'campaign/status/update', kind: 'apply-then-hang' }]);
    const controller = new AbortController();
    const pending = fetch(`${sb.url}/open_api/v1.3/campaign/status/update/`, {
      method: 'POST',
      headers: { 'Access-Token': SANDBOX_TOKEN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ advertiser_id: adv, campaign_ids: [c.id], operation_status: 'DISABLE' }),
      signal: controller.signal,
    });
    const outcome = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('waiting'), 300)),
    ]);
    expect(outcome).toBe('waiting');
    controller.abort();
    await pending.catch(() => undefined);
    expect((await stateOf(sb, 'campaign', c.id)).operation_status).toBe('DISABLE');
  });

  test('apply-then-code applies the change and answers an error', async () => {
    const c = await live();
    await faults([{ path: 'campaign/status/update', kind: 'apply-then-code', code: 50000 }]);
    expect((await pause(c.id)).body.code).toBe(50000);
    expect((await stateOf(sb, 'campaign', c.id)).operation_status).toBe('DISABLE');
  });

  test('keep-spending: confirmed off but spend still grows', async () => {
    const c = await live();
    await faults([{ path: 'campaign/status/update', kind: 'keep-spending' }]);
    expect((await pause(c.id)).body.code).toBe(0);
    const s1 = await stateOf(sb, 'campaign', c.id);
    expect(s1.operation_status).toBe('DISABLE');
    await advance(sb, 30);
    const s2 = await stateOf(sb, 'campaign', c.id);
    expect(s2.secondary_status).toBe('CAMPAIGN_STATUS_DISABLE');
    expect(s2.spend_lifetime_minor).toBeGreaterThan(s1.spend_lifetime_minor);
  });

  test('numeric-ids writes ids as bare numbers without losing digits', async () => {
    await faults([{ path: 'campaign/get', kind: 'numeric-ids' }]);
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: 3 });
    const ids = sb.world.ids('campaign', adv);
    expect(r.text).toMatch(/"campaign_id":\d{19}[,}]/);
    expect(r.text).toContain(`"advertiser_id":${adv}`);
    const firstId = r.text.match(/"campaign_id":(\d{19})/)?.[1];
    expect(ids).toContain(firstId);
  });

  test('missing-fields drops the named fields', async () => {
    await faults([{ path: 'campaign/get', kind: 'missing-fields', fields: ['operation_status'] }]);
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: 3 });
    expect(r.body.code).toBe(0);
    for (const c of r.body.data.list) expect(c).not.toHaveProperty('operation_status');
    const next = await apiGet(sb, 'campaign/get', { advertiser_id: adv, page_size: 3 });
    expect(next.body.data.list[0]).toHaveProperty('operation_status');
  });

  test('DELETE faults clears every plan', async () => {
    await faults([{ path: 'user/info', kind: 'code', code: 50000, times: 5 }]);
    await control(sb, 'DELETE', 'faults');
    expect((await apiGet(sb, 'user/info')).body.code).toBe(0);
    expect((await control(sb, 'GET', 'faults')).plans).toEqual([]);
  });

  test('an invalid plan is refused', async () => {
    await expect(faults([{ path: 'user/info', kind: 'explode' }])).rejects.toThrow(/400/);
  });
});
