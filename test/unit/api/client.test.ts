import { describe, expect, test } from 'vitest';
import {
  type ApiClientOptions,
  createApiClient,
  encodeQuery,
  normalizeBaseUrl,
  type ReportOptions,
} from '../../../lib/api/client';
import {
  ApiError,
  BadResponseError,
  HttpError,
  InvalidBaseUrlError,
  InvalidRequestError,
  MissingTokenError,
  NetworkError,
  TikTokApiError,
  TimeoutError,
} from '../../../lib/api/errors';

const TOKEN = 'tok_5e3cret_a1b2c3d4e5f6';
const BASE = 'https://business-api.tiktok.com';
const ADV = '7000000000000000001';
const PAGE = { page: 1, page_size: 10, total_number: 1, total_page: 1 };

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  init: RequestInit;
}

type Responder = (call: Call) => Response | Promise<Response>;

function ok(data: unknown, requestId = 'req-1'): Response {
  return new Response(JSON.stringify({ code: 0, message: 'OK', request_id: requestId, data }), { status: 200 });
}

function fakeFetch(...responders: Responder[]) {
  const calls: Call[] = [];
  const impl = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const call: Call = {
      url: String(input),
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? init.body : undefined,
      init,
    };
    calls.push(call);
    const responder = responders[Math.min(calls.length - 1, responders.length - 1)];
    if (!responder) throw new Error('no responder');
    return responder(call);
  }) as typeof fetch;
  return { impl, calls };
}

function client(fetchImpl: typeof fetch, extra: Partial<ApiClientOptions> = {}) {
  return createApiClient({ baseUrl: BASE, getToken: async () => TOKEN, fetch: fetchImpl, ...extra });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function expectNoToken(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error;
  expect(e.message).not.toContain(TOKEN);
  expect(JSON.stringify(e)).not.toContain(TOKEN);
  expect(String(e)).not.toContain(TOKEN);
  expect(e.stack ?? '').not.toContain(TOKEN);
  if (e instanceof ApiError) expect(e.userMessage).not.toContain(TOKEN);
  expect(
    JSON.stringify(Object.getOwnPropertyNames(e).map((k) => String((e as unknown as Record<string, unknown>)[k]))),
  ).not.toContain(TOKEN);
}

describe('base URL', () => {
  test.each([
    ['https://business-api.tiktok.com', 'https://business-api.tiktok.com/open_api/v1.3/'],
    ['https://business-api.tiktok.com/', 'https://business-api.tiktok.com/open_api/v1.3/'],
    ['https://sandbox-ads.tiktok.com/open_api/v1.3/', 'https://sandbox-ads.tiktok.com/open_api/v1.3/'],
    ['https://sandbox-ads.tiktok.com/open_api/v1.3', 'https://sandbox-ads.tiktok.com/open_api/v1.3/'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787/open_api/v1.3/'],
    ['http://localhost:8787/open_api/v1.3/', 'http://localhost:8787/open_api/v1.3/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeBaseUrl(input)).toBe(expected);
  });

  test.each([
    ['not a url'],
    ['ftp://business-api.tiktok.com'],
    ['javascript:alert(1)'],
    ['http://evil.example.com'],
    ['https://user:pw@business-api.tiktok.com'],
    ['https://business-api.tiktok.com/?x=1'],
    ['https://business-api.tiktok.com/#frag'],
    ['https://business-api.tiktok.com/other/path/'],
    ['https://business-api.tiktok.com/open_api/v1.3/campaign/get/'],
    ['https://business-api.tiktok.com/open_api/v1.3/../../x/'],
  ])('refuses %s', (input) => {
    expect(() => normalizeBaseUrl(input)).toThrow(InvalidBaseUrlError);
    expect(() => createApiClient({ baseUrl: input, getToken: async () => TOKEN })).toThrow(InvalidBaseUrlError);
  });
});

describe('encodeQuery', () => {
  test('JSON-encodes arrays and objects, skips undefined', () => {
    const q = encodeQuery({ a: 'x y', b: 2, c: true, d: ['1'], e: { k: ['2'] }, f: undefined });
    expect(q).toBe('a=x%20y&b=2&c=true&d=%5B%221%22%5D&e=%7B%22k%22%3A%5B%222%22%5D%7D');
    const back = new URLSearchParams(q);
    expect(JSON.parse(back.get('e') ?? '')).toEqual({ k: ['2'] });
  });
});

describe('getObjects', () => {
  test('exact URL, query encoding and headers', async () => {
    const { impl, calls } = fakeFetch(() =>
      ok({
        list: [{ campaign_id: '1800000000000000001', campaign_name: 'A', operation_status: 'ENABLE' }],
        page_info: PAGE,
      }),
    );
    const result = await client(impl).getObjects('campaign', ADV, {
      ids: ['1800000000000000001'],
      page: 2,
      pageSize: 50,
    });
    expect(calls).toHaveLength(1);
    const call = calls[0] as Call;
    expect(call.url).toBe(
      'https://business-api.tiktok.com/open_api/v1.3/campaign/get/?advertiser_id=7000000000000000001' +
        '&filtering=%7B%22campaign_ids%22%3A%5B%221800000000000000001%22%5D%7D&page=2&page_size=50',
    );
    expect(call.method).toBe('GET');
    expect(call.headers['access-token']).toBe(TOKEN);
    expect(call.headers.authorization).toBeUndefined();
    expect(call.headers['content-type']).toBeUndefined();
    expect(call.body).toBeUndefined();
    expect(call.init.redirect).toBe('error');
    expect(call.init.credentials).toBe('omit');
    expect(call.init.signal).toBeInstanceOf(AbortSignal);
    expect(result.requestId).toBe('req-1');
    expect(result.data.list[0]).toMatchObject({ id: '1800000000000000001', name: 'A', operationStatus: 'ENABLE' });
    expect(result.data.pageInfo).toEqual(PAGE);
  });

  test('fields always include id, name, status and modify time; includeDeleted asks for all statuses', async () => {
    const { impl, calls } = fakeFetch(() => ok({ list: [], page_info: { ...PAGE, total_number: 0 } }));
    await client(impl).getObjects('ad', ADV, { fields: ['budget'], includeDeleted: true });
    const params = new URL((calls[0] as Call).url).searchParams;
    expect(new URL((calls[0] as Call).url).pathname).toBe('/open_api/v1.3/ad/get/');
    expect(JSON.parse(params.get('fields') ?? '')).toEqual([
      'ad_id',
      'ad_name',
      'operation_status',
      'modify_time',
      'budget',
    ]);
    expect(JSON.parse(params.get('filtering') ?? '')).toEqual({ primary_status: 'STATUS_ALL' });
  });

  test('campaignIds filters ad groups and ads by their campaign', async () => {
    const { impl, calls } = fakeFetch(() => ok({ list: [], page_info: { ...PAGE, total_number: 0 } }));
    await client(impl).getObjects('adgroup', ADV, { campaignIds: ['1800000000000000001'], pageSize: 1 });
    const params = new URL((calls[0] as Call).url).searchParams;
    expect(JSON.parse(params.get('filtering') ?? '')).toEqual({ campaign_ids: ['1800000000000000001'] });
    const error = await caught(client(impl).getObjects('campaign', ADV, { campaignIds: ['1800000000000000001'] }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(1);
  });

  test('a bare 64-bit ID in the body comes back exact', async () => {
    const { impl } = fakeFetch(
      () =>
        new Response(
          '{"code":0,"message":"OK","request_id":"r","data":{"list":[{"adgroup_id":7664548737817054485,"adgroup_name":"g","operation_status":"ENABLE","campaign_id":7664548737817054401}],"page_info":{"page":1,"page_size":10,"total_number":1,"total_page":1}}}',
        ),
    );
    const { data } = await client(impl).getObjects('adgroup', ADV);
    expect(data.list[0]).toMatchObject({ id: '7664548737817054485', campaignId: '7664548737817054401' });
  });

  test.each([
    [{ ids: [] }, 'no IDs'],
    [{ ids: Array.from({ length: 101 }, (_, i) => String(i + 1)) }, '101 IDs given, at most 100'],
    [{ ids: ['12x'] }, 'digit strings'],
    [{ pageSize: 1001 }, 'page size'],
    [{ pageSize: 0 }, 'page size'],
    [{ page: 0 }, 'page must be'],
  ])('refuses %j without a request', async (opts, text) => {
    const { impl, calls } = fakeFetch(() => ok({}));
    const error = await caught(client(impl).getObjects('campaign', ADV, opts));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain(text);
    expect(calls).toHaveLength(0);
  });

  test('refuses a non-digit advertiser ID', async () => {
    const { impl, calls } = fakeFetch(() => ok({}));
    expect(await caught(client(impl).getObjects('campaign', '../x'))).toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(0);
  });
});

describe('getAllObjects', () => {
  const obj = (id: number) => ({ campaign_id: String(id), campaign_name: `c${id}`, operation_status: 'ENABLE' });

  test('pages until total_page and de-duplicates shifted items', async () => {
    const { impl, calls } = fakeFetch(
      () => ok({ list: [obj(5), obj(4)], page_info: { page: 1, page_size: 2, total_number: 5, total_page: 3 } }, 'r1'),
      () => ok({ list: [obj(4), obj(3)], page_info: { page: 2, page_size: 2, total_number: 5, total_page: 3 } }, 'r2'),
      () => ok({ list: [obj(2), obj(1)], page_info: { page: 3, page_size: 2, total_number: 5, total_page: 3 } }, 'r3'),
    );
    const result = await client(impl).getAllObjects('campaign', ADV, { pageSize: 2 });
    expect(result.data.map((o) => o.id)).toEqual(['5', '4', '3', '2', '1']);
    expect(result.requestIds).toEqual(['r1', 'r2', 'r3']);
    expect(result.requestId).toBe('r3');
    expect(calls.map((c) => new URL(c.url).searchParams.get('page'))).toEqual(['1', '2', '3']);
  });

  test('stops on an empty page', async () => {
    const { impl, calls } = fakeFetch(
      () => ok({ list: [obj(1)], page_info: { page: 1, page_size: 1, total_number: 9, total_page: 9 } }),
      () => ok({ list: [], page_info: { page: 2, page_size: 1, total_number: 9, total_page: 9 } }),
    );
    const result = await client(impl).getAllObjects('campaign', ADV, { pageSize: 1 });
    expect(result.data).toHaveLength(1);
    expect(calls).toHaveLength(2);
  });

  test('splits more than 100 IDs into filter batches', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => String(1000 + i));
    const { impl, calls } = fakeFetch(() => ok({ list: [], page_info: { ...PAGE, total_number: 0, total_page: 0 } }));
    await client(impl).getAllObjects('campaign', ADV, { ids });
    expect(calls).toHaveLength(2);
    const batches = calls.map((c) => JSON.parse(new URL(c.url).searchParams.get('filtering') ?? '').campaign_ids);
    expect(batches[0]).toHaveLength(100);
    expect(batches[1]).toHaveLength(50);
    expect(new URL((calls[0] as Call).url).searchParams.get('page_size')).toBe('1000');
  });
});

describe('updateStatus', () => {
  test('POSTs a JSON body with string IDs to the status path', async () => {
    const { impl, calls } = fakeFetch(() =>
      ok({
        campaign_ids: ['1800000000000000001'],
        status: 'DISABLE',
        campaign_list: [{ campaign_id: '1800000000000000001', status: 'DISABLE' }],
      }),
    );
    const result = await client(impl).updateStatus('campaign', ADV, ['1800000000000000001'], 'DISABLE');
    const call = calls[0] as Call;
    expect(call.url).toBe('https://business-api.tiktok.com/open_api/v1.3/campaign/status/update/');
    expect(call.method).toBe('POST');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['access-token']).toBe(TOKEN);
    expect(call.body).toBe(
      '{"advertiser_id":"7000000000000000001","campaign_ids":["1800000000000000001"],"operation_status":"DISABLE"}',
    );
    expect(result.data).toEqual({
      ids: ['1800000000000000001'],
      status: 'DISABLE',
      objects: [{ id: '1800000000000000001', status: 'DISABLE' }],
      errors: [],
    });
  });

  test.each([
    ['adgroup', 'adgroup/status/update/', 'adgroup_ids'],
    ['ad', 'ad/status/update/', 'ad_ids'],
  ] as const)('%s uses %s and %s', async (level, path, field) => {
    const { impl, calls } = fakeFetch(() => ok({ [field]: ['5'], status: 'ENABLE' }));
    await client(impl).updateStatus(level, ADV, ['5', '5'], 'ENABLE');
    expect(new URL((calls[0] as Call).url).pathname).toBe(`/open_api/v1.3/${path}`);
    expect(JSON.parse((calls[0] as Call).body ?? '')).toEqual({
      advertiser_id: ADV,
      [field]: ['5'],
      operation_status: 'ENABLE',
    });
  });

  test('the result says when the request was handed to the network: after the token read, before the answer', async () => {
    let fetchedAt = 0;
    let tokenReadAt = 0;
    const { impl } = fakeFetch(async () => {
      fetchedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 80));
      return ok({ campaign_ids: ['1800000000000000001'], status: 'DISABLE' });
    });
    const slowToken = async () => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      tokenReadAt = Date.now();
      return TOKEN;
    };
    const c = client(impl, { getToken: slowToken });
    const update = await c.updateStatus('campaign', ADV, ['1800000000000000001'], 'DISABLE');
    const answeredAt = Date.now();
    expect(update.sentAt).toBeGreaterThanOrEqual(tokenReadAt);
    expect(update.sentAt).toBeLessThanOrEqual(fetchedAt);
    expect(answeredAt - (update.sentAt ?? 0)).toBeGreaterThanOrEqual(75);
    const read = await client(fakeFetch(() => ok({ list: [], page_info: PAGE })).impl).getObjects('campaign', ADV);
    expect(typeof read.sentAt).toBe('number');
  });

  test('DELETE is refused at runtime without a request', async () => {
    const { impl, calls } = fakeFetch(() => ok({}));
    // @ts-expect-error DELETE is not a StatusAction
    const error = await caught(client(impl).updateStatus('campaign', ADV, ['1'], 'DELETE'));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain('never deletes');
    expect(calls).toHaveLength(0);
  });

  test('more than 20 IDs are refused', async () => {
    const { impl, calls } = fakeFetch(() => ok({}));
    const ids = Array.from({ length: 21 }, (_, i) => String(i + 1));
    expect(await caught(client(impl).updateStatus('campaign', ADV, ids, 'DISABLE'))).toBeInstanceOf(
      InvalidRequestError,
    );
    expect(calls).toHaveLength(0);
  });

  test('HTTP 200 with code 40100 → TikTokApiError, retryable, app rate limit', async () => {
    const { impl } = fakeFetch(
      () =>
        new Response(
          JSON.stringify({
            code: 40100,
            message: 'Due to too many requests, requests from App [1] are temporarily restricted.',
            request_id: 'rq-40100',
            data: {},
          }),
          { status: 200 },
        ),
    );
    const error = await caught(client(impl).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toBeInstanceOf(TikTokApiError);
    expect(error).toMatchObject({
      code: 40100,
      retry: 'retryable',
      rateLimit: 'app',
      requestId: 'rq-40100',
      endpoint: 'campaign/status/update/',
      outcome: 'not-applied',
    });
  });

  test('timeout → TimeoutError with outcome unknown', async () => {
    const { impl } = fakeFetch(
      (call) =>
        new Promise<Response>((_, reject) => {
          const signal = call.init.signal as AbortSignal;
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    );
    const error = await caught(client(impl, { timeoutMs: 20 }).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ outcome: 'unknown', retry: 'retryable', timeoutMs: 20 });
    expectNoToken(error);
  });

  test('a body that stalls past the timeout is a TimeoutError too', async () => {
    const { impl } = fakeFetch((call) => {
      const signal = call.init.signal as AbortSignal;
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"code":0,'));
          signal.addEventListener('abort', () => controller.error(signal.reason));
        },
      });
      return new Response(body, { status: 200 });
    });
    const error = await caught(client(impl, { timeoutMs: 20 }).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).outcome).toBe('unknown');
  });

  test('malformed JSON → BadResponseError, outcome unknown for a write', async () => {
    const { impl } = fakeFetch(() => new Response('<html>oops</html>', { status: 200 }));
    const error = await caught(client(impl).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toBeInstanceOf(BadResponseError);
    expect(error).toMatchObject({ outcome: 'unknown', endpoint: 'campaign/status/update/' });
  });

  test('code 0 without the IDs field → BadResponseError naming data.campaign_ids', async () => {
    const { impl } = fakeFetch(() => ok({ status: 'DISABLE' }));
    const error = await caught(client(impl).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toBeInstanceOf(BadResponseError);
    expect(error).toMatchObject({ field: 'data.campaign_ids', outcome: 'unknown' });
  });

  test('network error after sending → NetworkError outcome unknown', async () => {
    const { impl } = fakeFetch(() => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      });
    });
    const error = await caught(client(impl).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ outcome: 'unknown' });
  });

  test('connection refused → NetworkError outcome not-sent', async () => {
    const { impl } = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    });
    const error = await caught(client(impl).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toMatchObject({ kind: 'network', outcome: 'not-sent' });
  });

  test('offline → NetworkError not-sent without calling fetch', async () => {
    const { impl, calls } = fakeFetch(() => ok({}));
    const error = await caught(client(impl, { isOnline: () => false }).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toMatchObject({ kind: 'network', outcome: 'not-sent' });
    expect(calls).toHaveLength(0);
  });

  test.each([
    [500, 'unknown', 'retryable'],
    [502, 'unknown', 'retryable'],
    [404, 'not-applied', 'never'],
  ])('HTTP %i on a write → HttpError outcome %s, %s', async (status, outcome, retry) => {
    const { impl } = fakeFetch(() => new Response('page not found', { status }));
    const error = await caught(client(impl).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status, outcome, retry });
  });
});

describe('token handling', () => {
  test.each([[null], ['']])('a missing token (%j) → MissingTokenError without any request', async (token) => {
    const { impl, calls } = fakeFetch(() => ok({}));
    const c = client(impl, { getToken: async () => token });
    expect(await caught(c.userInfo())).toBeInstanceOf(MissingTokenError);
    expect(await caught(c.updateStatus('campaign', ADV, ['1'], 'DISABLE'))).toBeInstanceOf(MissingTokenError);
    expect(calls).toHaveLength(0);
  });

  test('a token store that throws → MissingTokenError', async () => {
    const { impl, calls } = fakeFetch(() => ok({}));
    const c = client(impl, {
      getToken: async () => {
        throw new Error('storage unavailable');
      },
    });
    expect(await caught(c.userInfo())).toBeInstanceOf(MissingTokenError);
    expect(calls).toHaveLength(0);
  });

  test('a token with a newline → MissingTokenError malformed, never echoed', async () => {
    const bad = `${TOKEN}\n`;
    const { impl, calls } = fakeFetch(() => ok({}));
    const error = await caught(client(impl, { getToken: async () => bad }).userInfo());
    expect(error).toMatchObject({ kind: 'missing-token', reason: 'malformed' });
    expectNoToken(error);
    expect(calls).toHaveLength(0);
  });

  test.each([
    [
      'TikTok echoes the token in its message',
      () =>
        new Response(
          JSON.stringify({ code: 40105, message: `Access token ${TOKEN} is invalid`, request_id: 'r', data: {} }),
        ),
    ],
    [
      'the runtime echoes the token in a network error',
      () => {
        throw new TypeError(`Headers.append: "${TOKEN}" is an invalid header value.`);
      },
    ],
    [
      'the runtime echoes the token in an error cause',
      () => {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(TOKEN), { code: TOKEN }) });
      },
    ],
    ['malformed JSON', () => new Response(`{"oops": "${TOKEN}"`)],
    ['schema mismatch', () => ok({ campaign_ids: [TOKEN] })],
    ['an HTTP error', () => new Response(TOKEN, { status: 500 })],
  ])('the token never appears in an error: %s', async (_name, responder) => {
    const { impl } = fakeFetch(responder as Responder);
    const error = await caught(client(impl).updateStatus('campaign', ADV, ['1'], 'DISABLE'));
    expect(error).toBeInstanceOf(ApiError);
    expectNoToken(error);
    expect(JSON.stringify((error as ApiError).toFailure())).not.toContain(TOKEN);
  });

  test('the token never appears in the URL', async () => {
    const { impl, calls } = fakeFetch(() => ok({ core_user_id: '1', display_name: 'A' }));
    await client(impl).userInfo();
    expect((calls[0] as Call).url).toBe('https://business-api.tiktok.com/open_api/v1.3/user/info/');
    expect((calls[0] as Call).url).not.toContain(TOKEN);
  });
});

describe('report', () => {
  const reportBody = {
    list: [{ dimensions: { campaign_id: '1' }, metrics: { spend: '14.68', impressions: '<5', cpc: '-' } }],
    page_info: PAGE,
  };

  test('exact query for a daily campaign report filtered by IDs', async () => {
    const { impl, calls } = fakeFetch(() => ok(reportBody));
    const result = await client(impl).report({
      advertiserId: ADV,
      level: 'campaign',
      dimensions: ['campaign_id', 'stat_time_day'],
      metrics: ['spend'],
      startDate: '2025-12-01',
      endDate: '2025-12-30',
      ids: ['1'],
      pageSize: 1000,
    });
    const url = new URL((calls[0] as Call).url);
    expect(url.pathname).toBe('/open_api/v1.3/report/integrated/get/');
    expect([...url.searchParams.keys()]).toEqual([
      'advertiser_id',
      'report_type',
      'data_level',
      'dimensions',
      'metrics',
      'start_date',
      'end_date',
      'filtering',
      'page_size',
    ]);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      advertiser_id: ADV,
      report_type: 'BASIC',
      data_level: 'AUCTION_CAMPAIGN',
      dimensions: '["campaign_id","stat_time_day"]',
      metrics: '["spend"]',
      start_date: '2025-12-01',
      end_date: '2025-12-30',
      filtering: '[{"field_name":"campaign_ids","filter_type":"IN","filter_value":"[\\"1\\"]"}]',
      page_size: '1000',
    });
    expect(result.data.list[0]?.metrics).toEqual({ spend: '14.68', impressions: '<5', cpc: '-' });
  });

  test('lifetime report sends query_lifetime and no dates', async () => {
    const { impl, calls } = fakeFetch(() => ok(reportBody));
    await client(impl).report({
      advertiserId: ADV,
      level: 'ad',
      dimensions: ['ad_id'],
      metrics: ['spend'],
      lifetime: true,
    });
    const params = new URL((calls[0] as Call).url).searchParams;
    expect(params.get('query_lifetime')).toBe('true');
    expect(params.get('data_level')).toBe('AUCTION_AD');
    expect(params.has('start_date')).toBe(false);
  });

  test.each([
    [{ dimensions: ['campaign_id', 'stat_time_day'], startDate: '2025-12-01', endDate: '2025-12-31' }, 'at most 30'],
    [{ dimensions: ['campaign_id', 'stat_time_hour'], startDate: '2025-12-01', endDate: '2025-12-02' }, 'at most 1'],
    [{ dimensions: ['campaign_id'], startDate: '2024-01-01', endDate: '2025-01-01' }, 'at most 365'],
    [{ dimensions: ['campaign_id'], startDate: '2025-12-02', endDate: '2025-12-01' }, 'before the start'],
    [{ dimensions: ['campaign_id'], startDate: '2025-02-30', endDate: '2025-03-01' }, 'real YYYY-MM-DD'],
    [{ dimensions: ['campaign_id'] }, 'real YYYY-MM-DD'],
    [{ dimensions: ['campaign_id', 'stat_time_day'], lifetime: true }, 'lifetime'],
    [{ dimensions: [], startDate: '2025-12-01', endDate: '2025-12-01' }, 'dimension'],
  ] as [Partial<ReportOptions> & { dimensions: string[] }, string][])('refuses %j', async (patch, text) => {
    const { impl, calls } = fakeFetch(() => ok(reportBody));
    const error = await caught(
      client(impl).report({ advertiserId: ADV, level: 'campaign', metrics: ['spend'], ...patch }),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain(text);
    expect(calls).toHaveLength(0);
  });

  test('30 days with stat_time_day is allowed', async () => {
    const { impl, calls } = fakeFetch(() => ok(reportBody));
    await client(impl).report({
      advertiserId: ADV,
      level: 'advertiser',
      dimensions: ['advertiser_id', 'stat_time_day'],
      metrics: ['spend'],
      startDate: '2025-12-01',
      endDate: '2025-12-30',
    });
    expect(new URL((calls[0] as Call).url).searchParams.get('data_level')).toBe('AUCTION_ADVERTISER');
  });
});

describe('advertiserInfo and userInfo', () => {
  test('advertiser/info sends advertiser_ids and fields as JSON', async () => {
    const { impl, calls } = fakeFetch(() =>
      ok({ list: [{ advertiser_id: ADV, name: 'Shop', currency: 'USD', timezone: 'Etc/GMT+8' }] }),
    );
    const result = await client(impl).advertiserInfo([ADV]);
    const params = new URL((calls[0] as Call).url).searchParams;
    expect(new URL((calls[0] as Call).url).pathname).toBe('/open_api/v1.3/advertiser/info/');
    expect(JSON.parse(params.get('advertiser_ids') ?? '')).toEqual([ADV]);
    expect(JSON.parse(params.get('fields') ?? '')).toContain('timezone');
    expect(result.data).toEqual([
      { advertiserId: ADV, name: 'Shop', currency: 'USD', timezone: 'Etc/GMT+8', displayTimezone: null, status: null },
    ]);
  });

  test('user/info is a GET with no parameters', async () => {
    const { impl, calls } = fakeFetch(() => ok({ core_user_id: '7', display_name: 'Ana', email: 'a***@x.com' }, 'u-1'));
    const result = await client(impl).userInfo();
    expect((calls[0] as Call).method).toBe('GET');
    expect(result).toEqual({ data: { coreUserId: '7', displayName: 'Ana', email: 'a***@x.com' }, requestId: 'u-1' });
  });

  test('code 40105 on user/info → never retried, says to enter a valid token', async () => {
    const { impl } = fakeFetch(
      () =>
        new Response(JSON.stringify({ code: 40105, message: 'Access token is incorrect', request_id: 'x', data: {} })),
    );
    const error = await caught(client(impl).userInfo());
    expect(error).toMatchObject({ code: 40105, retry: 'never' });
    expect((error as TikTokApiError).userMessage).toContain('enter a valid long-term token');
  });
});

describe('serverNow: TikTok clock from the Date header', () => {
  test('before any answer it is this machine clock', () => {
    const { impl } = fakeFetch(() => ok({}));
    const before = Date.now();
    const now = client(impl).serverNow?.() ?? Number.NaN;
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  test('after an answer it follows the server, here six days behind this machine', async () => {
    const server = Date.now() - 6 * 86_400_000;
    const { impl } = fakeFetch(() => {
      const response = ok({ list: [], page_info: PAGE });
      response.headers.set('Date', new Date(server).toUTCString());
      return response;
    });
    const api = client(impl);
    await api.getObjects('campaign', ADV, { ids: ['1800000000000000001'] });
    const now = api.serverNow?.() ?? Number.NaN;
    // Whole seconds in the header: within a second (and the test's own run time) of the server clock.
    expect(Math.abs(now - server)).toBeLessThan(1_500);
  });

  test('a missing or unreadable Date header leaves the last known offset alone', async () => {
    const server = Date.now() + 3 * 3_600_000;
    let header: string | null = new Date(server).toUTCString();
    const { impl } = fakeFetch(() => {
      const response = ok({ list: [], page_info: PAGE });
      if (header !== null) response.headers.set('Date', header);
      return response;
    });
    const api = client(impl);
    await api.getObjects('campaign', ADV, { ids: ['1800000000000000001'] });
    header = 'not a date';
    await api.getObjects('campaign', ADV, { ids: ['1800000000000000001'] });
    header = null;
    await api.getObjects('campaign', ADV, { ids: ['1800000000000000001'] });
    expect(Math.abs((api.serverNow?.() ?? 0) - server)).toBeLessThan(1_500);
  });
});
