import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { SANDBOX_TOKEN } from '../../../sandbox/server';
import { apiGet, apiPost, openSandbox, REQUEST_ID } from './harness';

let sb: RunningSandbox;
let adv: string;
beforeAll(async () => {
  sb = await openSandbox();
  adv = sb.advertiserIds[0] ?? '';
});
afterAll(() => sb.close());

describe('envelope', () => {
  const reads: [string, () => Record<string, unknown>][] = [
    ['campaign/get', () => ({ advertiser_id: adv })],
    ['adgroup/get', () => ({ advertiser_id: adv })],
    ['ad/get', () => ({ advertiser_id: adv })],
    [
      'report/integrated/get',
      () => ({
        advertiser_id: adv,
        report_type: 'BASIC',
        data_level: 'AUCTION_CAMPAIGN',
        dimensions: ['campaign_id'],
        query_lifetime: true,
      }),
    ],
    ['advertiser/info', () => ({ advertiser_ids: [adv] })],
    ['user/info', () => ({})],
    ['oauth2/advertiser/get', () => ({ app_id: '1', secret: 'x' })],
  ];

  test.each(reads)('GET %s answers code 0 with a digit request_id and data', async (endpoint, params) => {
    const r = await apiGet(sb, endpoint, params() as never);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 0, message: 'OK' });
    expect(r.body.request_id).toMatch(REQUEST_ID);
    expect(typeof r.body.data).toBe('object');
  });

  test.each(['campaign', 'adgroup', 'ad'])('POST %s/status/update answers code 0', async (level) => {
    const [id] = sb.world.ids(level as 'campaign', adv).filter((i) => {
      const o = sb.world.get(level as 'campaign', i);
      return o && !sb.world.isDeleted(o) && o.operationStatus !== 'FROZEN';
    });
    const r = await apiPost(sb, `${level}/status/update`, {
      advertiser_id: adv,
      [`${level}_ids`]: [id],
      operation_status: 'DISABLE',
    });
    expect(r.body).toMatchObject({ code: 0, message: 'OK', data: { status: 'DISABLE', [`${level}_ids`]: [id] } });
    expect(r.body.request_id).toMatch(REQUEST_ID);
  });

  test('user/info also answers POST', async () => {
    const r = await apiPost(sb, 'user/info', {});
    expect(r.body.code).toBe(0);
    expect(r.body.data.display_name).toBeTruthy();
  });

  test('an application error is HTTP 200 with a non-zero code and empty data', async () => {
    const r = await apiGet(sb, 'campaign/get', {});
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(40002);
    expect(r.body.data).toEqual({});
    expect(r.body.request_id).toMatch(REQUEST_ID);
  });

  test('request ids differ between calls', async () => {
    const a = await apiGet(sb, 'user/info');
    const b = await apiGet(sb, 'user/info');
    expect(a.body.request_id).not.toBe(b.body.request_id);
  });

  test('a path without the trailing slash is HTTP 404', async () => {
    const r = await fetch(`${sb.url}/open_api/v1.3/campaign/get?advertiser_id=${adv}`, {
      headers: { 'Access-Token': SANDBOX_TOKEN },
    });
    expect(r.status).toBe(404);
  });

  test('an unknown endpoint is HTTP 404', async () => {
    const r = await fetch(`${sb.url}/open_api/v1.3/campaign/nothing/`, { headers: { 'Access-Token': SANDBOX_TOKEN } });
    expect(r.status).toBe(404);
  });

  test.each([
    ['POST', 'campaign/get'],
    ['GET', 'campaign/status/update'],
    ['DELETE', 'report/integrated/get'],
  ])('%s on %s is HTTP 405', async (method, endpoint) => {
    const r = await fetch(`${sb.url}/open_api/v1.3/${endpoint}/`, {
      method,
      headers: { 'Access-Token': SANDBOX_TOKEN },
    });
    expect(r.status).toBe(405);
  });

  test('OPTIONS is answered without error', async () => {
    const r = await fetch(`${sb.url}/open_api/v1.3/campaign/get/`, { method: 'OPTIONS' });
    expect(r.status).toBe(204);
  });

  test('a POST body that is not JSON is a 40002', async () => {
    const r = await apiPost(sb, 'campaign/status/update', '{not json');
    expect(r.body.code).toBe(40002);
  });

  test('advertiser/info gives name, currency and time zones', async () => {
    const r = await apiGet(sb, 'advertiser/info', { advertiser_ids: sb.advertiserIds });
    const [first, second] = r.body.data.list;
    expect(first).toMatchObject({
      advertiser_id: sb.advertiserIds[0],
      currency: 'USD',
      timezone: 'America/Los_Angeles',
      display_timezone: 'America/Los_Angeles',
      status: 'STATUS_ENABLE',
    });
    expect(typeof first.name).toBe('string');
    expect(second).toMatchObject({ advertiser_id: sb.advertiserIds[1], timezone: 'Asia/Tokyo' });
  });
});
