/**
 * The API client over real HTTP against the local emulator in sandbox/.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type ApiClient, createApiClient } from '../../../lib/api/client';
import {
  type ApiError,
  BadResponseError,
  HttpError,
  MissingTokenError,
  TikTokApiError,
  TimeoutError,
} from '../../../lib/api/errors';
import { ID_PATTERN } from '../../../lib/api/ids';
import { type RunningSandbox, SANDBOX_TOKEN, startSandbox } from '../../../sandbox/server';

let sandbox: RunningSandbox;
let api: ApiClient;
let advertiserId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, campaigns: 30, processingDelayMs: 0, rateLimits: { enabled: false } });
  api = createApiClient({ baseUrl: sandbox.url, getToken: async () => SANDBOX_TOKEN, timeoutMs: 5_000 });
  advertiserId = sandbox.advertiserIds[0] as string;
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(() => {
  sandbox.state.faults.clear();
});

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('reads', () => {
  test('user/info identifies the token owner', async () => {
    const { data, requestId } = await api.userInfo();
    expect(data.displayName).toBe('Sandbox Media Buyer');
    expect(data.coreUserId).toMatch(ID_PATTERN);
    expect(requestId.length).toBeGreaterThan(0);
  });

  test('advertiser/info gives currency and time zone for every advertiser', async () => {
    const { data } = await api.advertiserInfo(sandbox.advertiserIds);
    expect(data.map((a) => a.advertiserId)).toEqual(sandbox.advertiserIds);
    for (const a of data) {
      expect(a.currency).toMatch(/^[A-Z]{3}$/);
      expect(a.timezone.length).toBeGreaterThan(0);
    }
  });

  test('getAllObjects pages to the same set as one big page, with exact string IDs', async () => {
    const small = await api.getAllObjects('campaign', advertiserId, { pageSize: 7, includeDeleted: true });
    const big = await api.getAllObjects('campaign', advertiserId, { includeDeleted: true });
    expect(small.requestIds.length).toBeGreaterThan(1);
    expect(small.data.map((o) => o.id)).toEqual(big.data.map((o) => o.id));
    expect(big.data.map((o) => o.id).sort()).toEqual([...sandbox.world.ids('campaign', advertiserId)].sort());
    for (const o of big.data) {
      expect(o.id).toMatch(ID_PATTERN);
      expect(sandbox.world.get('campaign', o.id)?.name).toBe(o.name);
    }
    expect(big.data.some((o) => BigInt(o.id) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
  });

  test('bare numeric 64-bit IDs on the wire come back as the exact strings', async () => {
    const plain = await api.getObjects('ad', advertiserId, { pageSize: 5 });
    sandbox.state.faults.add([{ path: 'ad/get', kind: 'numeric-ids' }]);
    const numeric = await api.getObjects('ad', advertiserId, { pageSize: 5 });
    const requests = await sandbox.requests('ad/get');
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(numeric.data.list.map((o) => [o.id, o.adgroupId, o.campaignId, o.advertiserId])).toEqual(
      plain.data.list.map((o) => [o.id, o.adgroupId, o.campaignId, o.advertiserId]),
    );
  });

  test('a lifetime report returns string metrics per campaign', async () => {
    const ids = sandbox.world.ids('campaign', advertiserId).slice(0, 3);
    const { data } = await api.report({
      advertiserId,
      level: 'campaign',
      dimensions: ['campaign_id'],
      metrics: ['spend', 'impressions'],
      lifetime: true,
      ids,
    });
    for (const row of data.list) {
      expect(ids).toContain(row.dimensions.campaign_id);
      expect(typeof row.metrics.spend).toBe('string');
    }
  });
});

describe('status updates', () => {
  test('DISABLE is applied and reads back', async () => {
    const [id] = sandbox.world.ids('campaign', advertiserId).filter((cid) => {
      const c = sandbox.world.get('campaign', cid);
      return c?.operationStatus === 'ENABLE' && !sandbox.world.isDeleted(c);
    });
    if (!id) throw new Error('no enabled campaign in the sandbox world');
    const result = await api.updateStatus('campaign', advertiserId, [id], 'DISABLE');
    expect(result.data.ids).toEqual([id]);
    const { data } = await api.getObjects('campaign', advertiserId, { ids: [id] });
    expect(data.list[0]?.operationStatus).toBe('DISABLE');
    const [request] = (await sandbox.requests('campaign/status/update')).slice(-1);
    expect(JSON.stringify(request)).not.toContain('DELETE');
  });
});

describe('failures over HTTP', () => {
  test('code 40100 → TikTokApiError retryable, app rate limit', async () => {
    sandbox.state.faults.add([{ path: 'campaign/get', kind: 'code', code: 40100 }]);
    const error = await caught(api.getObjects('campaign', advertiserId));
    expect(error).toBeInstanceOf(TikTokApiError);
    expect(error).toMatchObject({ code: 40100, retry: 'retryable', rateLimit: 'app' });
    expect((error as TikTokApiError).requestId).toBeTruthy();
  });

  test('the emulator per-advertiser limit answers 40133, which the client classifies', async () => {
    const setLimits = (rateLimits: Record<string, unknown>) =>
      fetch(`${sandbox.url}/__sandbox/config`, { method: 'POST', body: JSON.stringify({ rateLimits }) });
    await setLimits({ enabled: true, appQps: 1000, appQpm: 100000, advertiserQps: 1 });
    try {
      const results = await Promise.allSettled(
        [1, 2, 3].map(() => api.getObjects('campaign', advertiserId, { pageSize: 1 })),
      );
      const limited = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
      expect(limited.length).toBeGreaterThan(0);
      for (const error of limited)
        expect(error).toMatchObject({ code: 40133, retry: 'retryable', rateLimit: 'advertiser' });
    } finally {
      await setLimits({ enabled: false });
    }
  });

  test('code 40133 → advertiser rate limit', async () => {
    sandbox.state.faults.add([{ path: 'campaign/get', kind: 'code', code: 40133 }]);
    expect(await caught(api.getObjects('campaign', advertiserId))).toMatchObject({ rateLimit: 'advertiser' });
  });

  test('a truncated body → BadResponseError', async () => {
    sandbox.state.faults.add([{ path: 'campaign/get', kind: 'malformed' }]);
    expect(await caught(api.getObjects('campaign', advertiserId))).toBeInstanceOf(BadResponseError);
  });

  test('missing operation_status → BadResponseError naming the field', async () => {
    sandbox.state.faults.add([{ path: 'campaign/get', kind: 'missing-fields', fields: ['operation_status'] }]);
    const error = await caught(api.getObjects('campaign', advertiserId, { pageSize: 2 }));
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as BadResponseError).field).toBe('data.list[0].operation_status');
  });

  test('HTTP 502 on a write → HttpError with outcome unknown', async () => {
    sandbox.state.faults.add([{ path: 'campaign/status/update', kind: 'http', status: 502 }]);
    const id = sandbox.world.ids('campaign', advertiserId)[0] as string;
    const error = await caught(api.updateStatus('campaign', advertiserId, [id], 'ENABLE'));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 502, outcome: 'unknown', retry: 'retryable' });
  });

  test('a hanging write → TimeoutError with outcome unknown', async () => {
    sandbox.state.faults.add([{ path: 'campaign/status/update', kind: 'apply-then-hang' }]);
    const quick = createApiClient({ baseUrl: sandbox.url, getToken: async () => SANDBOX_TOKEN, timeoutMs: 300 });
    const id = sandbox.world.ids('campaign', advertiserId)[0] as string;
    const error = await caught(quick.updateStatus('campaign', advertiserId, [id], 'DISABLE'));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).outcome).toBe('unknown');
  });

  test('an unknown token → 40105, and the token is in no part of the error', async () => {
    const wrong = 'not-a-real-token-0123456789';
    const bad = createApiClient({ baseUrl: sandbox.url, getToken: async () => wrong });
    const error = await caught(bad.userInfo());
    expect(error).toBeInstanceOf(TikTokApiError);
    expect(error).toMatchObject({ code: 40105, retry: 'never' });
    expect(JSON.stringify(error)).not.toContain(wrong);
    expect((error as ApiError).message).not.toContain(wrong);
    expect((error as ApiError).userMessage).not.toContain(wrong);
  });

  test('no token → MissingTokenError and nothing reaches the emulator', async () => {
    const before = (await sandbox.requests('user/info')).length;
    const none = createApiClient({ baseUrl: sandbox.url, getToken: async () => null });
    expect(await caught(none.userInfo())).toBeInstanceOf(MissingTokenError);
    expect((await sandbox.requests('user/info')).length).toBe(before);
  });
});

describe("the emulator's clock", () => {
  test("answers carry the simulated world's time in Date, and the client's serverNow follows it", async () => {
    // The default world starts on 2026-11-28 15:00 UTC, whatever day this machine says it is.
    const sim = sandbox.state.world.clock.nowMs();
    await api.getObjects('campaign', advertiserId, { pageSize: 1 });
    expect(Math.abs((api.serverNow?.() ?? 0) - sim)).toBeLessThan(1_500);
    expect(Math.abs((api.serverNow?.() ?? 0) - Date.now())).toBeGreaterThan(60_000);
  });
});

describe('pacing', () => {
  test('every request, each page of a paged read included, awaits the pace before it leaves', async () => {
    const paced: string[] = [];
    let held: (() => void) | null = null;
    const slow = api.withPace?.(async (endpoint, adv) => {
      paced.push(`${endpoint} ${adv ?? 'app'}`);
      // The first request is held: nothing reaches the emulator until the pace lets it go.
      if (paced.length === 1) await new Promise<void>((resolve) => (held = resolve));
    });
    if (!slow) throw new Error('the client offers no pacing');
    const before = (await sandbox.requests()).length;
    const reading = slow.getAllObjects('campaign', advertiserId, { pageSize: 10 });
    await new Promise((r) => setTimeout(r, 50));
    expect((await sandbox.requests()).length).toBe(before);
    (held as unknown as () => void)();
    const { data, requestIds } = await reading;
    expect(data.length).toBeGreaterThan(10);
    expect(paced).toEqual(requestIds.map(() => `campaign/get/ ${advertiserId}`));
    await slow.advertiserInfo([advertiserId]);
    expect(paced.at(-1)).toBe('advertiser/info/ app');
    // The client it came from is not paced.
    await api.getObjects('campaign', advertiserId, { pageSize: 10 });
    expect(paced).toHaveLength(requestIds.length + 1);
  });
});
