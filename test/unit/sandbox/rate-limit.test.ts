import { afterEach, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { SANDBOX_APP_ID } from '../../../sandbox/server';
import { apiGet, openSandbox } from './harness';

let sb: RunningSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function burst(
  s: RunningSandbox,
  n: number,
  advertiserId?: string,
  endpoint = 'campaign/get',
): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    const params: Record<string, string | number> = advertiserId ? { advertiser_id: advertiserId, page_size: 1 } : {};
    codes.push((await apiGet(s, advertiserId ? endpoint : 'user/info', params)).body.code);
  }
  return codes;
}

describe('rate limits', () => {
  test('the app QPS limit answers 40100 on the 11th call within a second', async () => {
    sb = await openSandbox({ rateLimits: { enabled: true, appQps: 10, appQpm: 600, advertiserQps: 100 } });
    const codes = await burst(sb, 11);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(codes[10]).toBe(40100);
    const r = await apiGet(sb, 'user/info');
    expect(r.body.message).toBe(
      `Due to too many requests, requests from App [${SANDBOX_APP_ID}] are temporarily restricted.`,
    );
  });

  test('the app QPM limit answers 40100 past its count', async () => {
    sb = await openSandbox({ rateLimits: { enabled: true, appQps: 1000, appQpm: 25, advertiserQps: 1000 } });
    const codes = await burst(sb, 26);
    expect(codes.slice(0, 25).every((c) => c === 0)).toBe(true);
    expect(codes[25]).toBe(40100);
  });

  test('the advertiser limit answers 40133 per advertiser and path', async () => {
    sb = await openSandbox({ rateLimits: { enabled: true, appQps: 1000, appQpm: 10_000, advertiserQps: 5 } });
    const [a, b] = sb.advertiserIds;
    const codes = await burst(sb, 6, a);
    expect(codes.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(codes[5]).toBe(40133);
    const r = await apiGet(sb, 'campaign/get', { advertiser_id: a ?? '' });
    expect(r.body.message).toContain(`Advertiser (${a})`);
    expect(r.body.message).toContain('request is temporarily restricted');
    expect((await burst(sb, 1, a, 'adgroup/get'))[0]).toBe(0);
    expect((await burst(sb, 1, b))[0]).toBe(0);
  });

  test('limits can be switched off', async () => {
    sb = await openSandbox({ rateLimits: { enabled: false, appQps: 2, appQpm: 2, advertiserQps: 1 } });
    expect((await burst(sb, 15, sb.advertiserIds[0])).every((c) => c === 0)).toBe(true);
  });
});
