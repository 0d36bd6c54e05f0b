import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { SANDBOX_LIMITED_TOKEN, SANDBOX_TOKEN } from '../../../sandbox/server';
import { apiGet, apiPost, control, openSandbox } from './harness';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await openSandbox();
});
afterAll(() => sb.close());

describe('access token', () => {
  test('a missing token is 40104 with TikTok message', async () => {
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: sb.advertiserIds[0] ?? '' }, null);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      code: 40104,
      message: 'Access token is null, you should set it in http header with key Access-Token.',
      data: {},
    });
  });

  test('a token in an Authorization header does not count', async () => {
    const r = await fetch(`${sb.url}/open_api/v1.3/user/info/`, {
      headers: { Authorization: `Bearer ${SANDBOX_TOKEN}` },
    });
    expect((await r.json()).code).toBe(40104);
  });

  test('an unknown token is 40105', async () => {
    const r = await apiPost(sb, 'campaign/status/update', {}, 'not-a-real-token');
    expect(r.body.code).toBe(40105);
    expect(r.body.data).toEqual({});
  });

  test('the limited token reaches only the second advertiser', async () => {
    const [first, second] = sb.advertiserIds;
    const denied = await apiGet(sb, 'campaign/get', { advertiser_id: first ?? '' }, SANDBOX_LIMITED_TOKEN);
    expect(denied.body.code).toBe(40001);
    expect(denied.body.message).toContain(first);
    const allowed = await apiGet(sb, 'campaign/get', { advertiser_id: second ?? '' }, SANDBOX_LIMITED_TOKEN);
    expect(allowed.body.code).toBe(0);
    const info = await apiGet(sb, 'advertiser/info', { advertiser_ids: [first] }, SANDBOX_LIMITED_TOKEN);
    expect(info.body.code).toBe(40001);
    const list = await apiGet(sb, 'oauth2/advertiser/get', {}, SANDBOX_LIMITED_TOKEN);
    expect(list.body.data.list.map((a: { advertiser_id: string }) => a.advertiser_id)).toEqual([second]);
  });

  test('the demo token lists both advertisers', async () => {
    const list = await apiGet(sb, 'oauth2/advertiser/get', {});
    expect(list.body.data.list.map((a: { advertiser_id: string }) => a.advertiser_id)).toEqual(sb.advertiserIds);
  });

  test('an advertiser that does not exist is 40001', async () => {
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: '7000000000000000001' });
    expect(r.body.code).toBe(40001);
  });

  test('the request log records that a token was present but never the token', async () => {
    await control(sb, 'DELETE', 'requests');
    await apiGet(sb, 'user/info');
    await apiGet(sb, 'user/info', {}, null);
    const { requests } = await control(sb, 'GET', 'requests?path=user/info');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ tokenPresent: true, code: 0 });
    expect(requests[0].tokenHash).toMatch(/^[0-9a-f]{10}$/);
    expect(requests[1]).toMatchObject({ tokenPresent: false, tokenHash: null, code: 40104 });
    expect(JSON.stringify(requests)).not.toContain(SANDBOX_TOKEN);
  });
});
