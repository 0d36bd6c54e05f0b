/**
 * The TikTok Marketing API client used by the background worker. One attempt per call: retries,
 * backoff and rate limiting belong to the job layer. Every call returns `{ data, requestId }` or
 * throws one of the typed errors in `./errors`. The access token is read per call, sent only in the
 * `Access-Token` header, and never copied into an error, a URL or a log.
 */
import { API_PREFIX, ENDPOINTS, type EndpointPath } from './endpoints';
import {
  ApiError,
  BadResponseError,
  HttpError,
  InvalidBaseUrlError,
  InvalidRequestError,
  MissingTokenError,
  NetworkError,
  redactSecret,
  TikTokApiError,
  TimeoutError,
} from './errors';
import {
  isObjectId,
  isStatusAction,
  LEVEL_META,
  type Level,
  MAX_IDS_PER_FILTER,
  MAX_PAGE_SIZE,
  type StatusAction,
} from './ids';
import { parseJsonLossless } from './json';
import {
  type AdvertiserInfo,
  type ApiObject,
  advertiserInfoListSchema,
  envelopeSchema,
  OBJECT_LIST_SCHEMAS,
  type ObjectPage,
  parseResponsePart,
  type ReportPage,
  reportSchema,
  STATUS_UPDATE_SCHEMAS,
  type StatusUpdateResult,
  toAdvertiserInfo,
  toApiObject,
  toStatusUpdateResult,
  toUserInfo,
  type UserInfo,
  userInfoSchema,
} from './schemas';

export const DEFAULT_TIMEOUT_MS = 15_000;

export interface ApiClientOptions {
  /** Origin (`https://business-api.tiktok.com`) or a URL ending in `/open_api/v1.3/`. */
  baseUrl: string;
  getToken: () => Promise<string | null>;
  fetch?: typeof fetch;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Whether the runtime believes it is online; when false nothing is sent (outcome `not-sent`). */
  isOnline?: () => boolean;
  /**
   * Awaited before each request leaves, with its endpoint and advertiser (null for app-wide calls): a rate limiter
   * books the request's slot there, so the app's one budget counts it.
   */
  pace?: RequestPace;
}

export type RequestPace = (endpoint: EndpointPath, advertiserId: string | null) => Promise<void>;

export interface ApiResult<T> {
  data: T;
  requestId: string;
  /**
   * When the request was handed to the network (ms epoch, this machine's clock): after the token read and any
   * pacing, so TikTok took it at about this moment. Timing that counts from TikTok's side uses this.
   */
  sentAt?: number;
}

export interface GetObjectsOptions {
  ids?: readonly string[];
  page?: number;
  pageSize?: number;
  /** Extra fields to ask for; the ID, name, status and modify time are always included. */
  fields?: readonly string[];
  /** Include deleted objects (TikTok hides them by default). */
  includeDeleted?: boolean;
  /** Only objects of these campaigns (`filtering.campaign_ids`, at most 100): ad groups and ads of a campaign. */
  campaignIds?: readonly string[];
  /** Only ads of these ad groups (`filtering.adgroup_ids`, at most 100). */
  adgroupIds?: readonly string[];
}

export interface GetAllObjectsOptions extends Omit<GetObjectsOptions, 'page'> {
  /** Safety stop per ID batch; default 1000 pages. */
  maxPages?: number;
}

export type ReportLevel = Level | 'advertiser';

export interface ReportOptions {
  advertiserId: string;
  level: ReportLevel;
  dimensions: readonly string[];
  metrics: readonly string[];
  /** `YYYY-MM-DD` in the advertiser's time zone; required unless `lifetime`. */
  startDate?: string;
  endDate?: string;
  lifetime?: boolean;
  ids?: readonly string[];
  page?: number;
  pageSize?: number;
}

export interface ApiClient {
  /** The normalised base URL (ends in `/open_api/v1.3/`). */
  readonly baseUrl: string;
  getObjects(level: Level, advertiserId: string, opts?: GetObjectsOptions): Promise<ApiResult<ObjectPage>>;
  getAllObjects(
    level: Level,
    advertiserId: string,
    opts?: GetAllObjectsOptions,
  ): Promise<ApiResult<ApiObject[]> & { requestIds: string[] }>;
  /** Sends ENABLE or DISABLE. DELETE is not representable and is refused at runtime. */
  updateStatus(
    level: Level,
    advertiserId: string,
    ids: readonly string[],
    status: StatusAction,
  ): Promise<ApiResult<StatusUpdateResult>>;
  report(opts: ReportOptions): Promise<ApiResult<ReportPage>>;
  advertiserInfo(advertiserIds: readonly string[]): Promise<ApiResult<AdvertiserInfo[]>>;
  userInfo(): Promise<ApiResult<UserInfo>>;
  /**
   * TikTok's clock (ms epoch), from the `Date` header of its latest answer; this machine's clock before any answer.
   * Report days ("today" in the advertiser's time zone) are TikTok's days: a computer whose clock is off by hours
   * must not ask for the wrong day.
   */
  serverNow?(): number;
  /** The same client, with each request paced by `pace` (see ApiClientOptions.pace). */
  withPace?(pace: RequestPace): ApiClient;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Printable ASCII without spaces: anything else cannot go in a header unchanged. */
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const REQUIRED_FIELDS = (level: Level): string[] => {
  const meta = LEVEL_META[level];
  return [meta.idField, meta.nameField, 'operation_status', 'modify_time'];
};
const ADVERTISER_INFO_FIELDS = ['advertiser_id', 'name', 'currency', 'timezone', 'display_timezone', 'status'];

/**
 * Validates and normalises the base URL: http(s) only (plain http only for loopback hosts, as the
 * token travels in a header), no credentials, query or fragment, and a path that is either empty
 * or ends in `/open_api/v1.3/`.
 */
export function normalizeBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new InvalidBaseUrlError('The API base URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidBaseUrlError('The API base URL must use https (or http for a local sandbox)');
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new InvalidBaseUrlError('Plain http is allowed only for a local sandbox (localhost)');
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidBaseUrlError('The API base URL must not contain credentials');
  }
  if (url.search !== '' || url.hash !== '' || input.includes('?') || input.includes('#')) {
    throw new InvalidBaseUrlError('The API base URL must not contain a query or fragment');
  }
  let path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  if (path === '/') path = `/${API_PREFIX}`;
  else if (!path.endsWith(`/${API_PREFIX}`)) {
    throw new InvalidBaseUrlError(`The API base URL path must be empty or end in /${API_PREFIX}`);
  }
  return `${url.origin}${path}`;
}

/** GET parameters: strings as-is, numbers and booleans as text, arrays and objects as JSON. */
export function encodeQuery(params: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : JSON.stringify(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.join('&');
}

function dayNumber(date: string): number | null {
  const m = DATE_PATTERN.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/**
 * The server's clock minus `localNow`, from an HTTP `Date` header (whole seconds, so the middle of that second is
 * taken), or null when the header is missing or unreadable.
 */
export function serverClockOffset(dateHeader: string | null, localNow: number): number | null {
  if (!dateHeader) return null;
  const at = Date.parse(dateHeader);
  if (!Number.isFinite(at)) return null;
  return at + 500 - localNow;
}

function errorDetail(error: unknown): { text: string; code: string | undefined } {
  if (!(error instanceof Error)) return { text: String(error), code: undefined };
  const cause = (error as { cause?: unknown }).cause;
  const code =
    cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return { text: code ? `${error.message} (${code})` : error.message, code };
}

/** Failures that prove the request never left this machine. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  /** TikTok's clock minus this machine's, from the latest answer's `Date` header (0 until one came). */
  let serverOffsetMs = 0;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const isOnline =
    options.isOnline ?? (() => (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive number');

  async function readToken(endpoint: EndpointPath): Promise<string> {
    let token: string | null;
    try {
      token = await options.getToken();
    } catch {
      throw new MissingTokenError({ endpoint, reason: 'missing' });
    }
    if (token == null || token === '') throw new MissingTokenError({ endpoint, reason: 'missing' });
    if (!TOKEN_PATTERN.test(token)) throw new MissingTokenError({ endpoint, reason: 'malformed' });
    return token;
  }

  async function call(
    endpoint: EndpointPath,
    params: Record<string, unknown>,
  ): Promise<{ data: unknown; requestId: string; sentAt: number }> {
    const { method, write } = ENDPOINTS[endpoint];
    const token = await readToken(endpoint);
    try {
      return await send(endpoint, method, write, params, token);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      // Anything unexpected is reported without its text, which could echo a header value.
      throw new NetworkError({ endpoint, outcome: 'unknown', detail: 'unexpected failure', write });
    }
  }

  async function send(
    endpoint: EndpointPath,
    method: 'GET' | 'POST',
    write: boolean,
    params: Record<string, unknown>,
    token: string,
  ): Promise<{ data: unknown; requestId: string; sentAt: number }> {
    const url = new URL(endpoint, baseUrl);
    const headers: Record<string, string> = { 'Access-Token': token, Accept: 'application/json' };
    let body: string | undefined;
    if (method === 'GET') url.search = encodeQuery(params);
    else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(params);
    }
    if (!isOnline()) {
      throw new NetworkError({ endpoint, outcome: 'not-sent', detail: 'the browser is offline', write });
    }
    if (options.pace) {
      const advertiserId = typeof params.advertiser_id === 'string' ? params.advertiser_id : null;
      await options.pace(endpoint, advertiserId);
    }

    const signal = AbortSignal.timeout(timeoutMs);
    let text: string;
    let response: Response;
    const sentAt = Date.now();
    try {
      response = await fetchImpl(url.toString(), {
        method,
        headers,
        body,
        signal,
        credentials: 'omit',
        cache: 'no-store',
        // A redirect would carry the Access-Token header to wherever it points.
        redirect: 'error',
      });
    } catch (error) {
      if (signal.aborted) throw new TimeoutError({ endpoint, timeoutMs, write });
      const { text: detail, code } = errorDetail(error);
      const outcome = code && NOT_SENT_CODES.has(code) ? 'not-sent' : 'unknown';
      throw new NetworkError({ endpoint, outcome, detail: redactSecret(detail, token), write });
    }
    try {
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw new TimeoutError({ endpoint, timeoutMs, write });
      const { text: detail } = errorDetail(error);
      throw new NetworkError({ endpoint, outcome: 'unknown', detail: redactSecret(detail, token), write });
    }
    if (response.status < 200 || response.status > 299) {
      throw new HttpError({ status: response.status, endpoint, write });
    }
    const offset = serverClockOffset(response.headers.get('date'), Date.now());
    if (offset !== null) serverOffsetMs = offset;

    let json: unknown;
    try {
      json = parseJsonLossless(text);
    } catch {
      throw new BadResponseError({ endpoint, write, problem: 'the body is not valid JSON', malformed: true });
    }
    const envelope = parseResponsePart(envelopeSchema, json, { endpoint, write, root: '' });
    if (envelope.code !== 0) {
      throw new TikTokApiError({
        code: envelope.code,
        message: redactSecret(envelope.message, token),
        requestId: envelope.request_id || undefined,
        endpoint,
        write,
      });
    }
    return { data: envelope.data, requestId: envelope.request_id, sentAt };
  }

  function checkIds(ids: readonly string[], max: number, what: string, endpoint: EndpointPath): string[] {
    if (ids.length === 0) throw new InvalidRequestError(`no ${what} given`, endpoint);
    if (ids.length > max)
      throw new InvalidRequestError(`${ids.length} ${what} given, at most ${max} allowed`, endpoint);
    for (const id of ids) {
      if (!isObjectId(id)) throw new InvalidRequestError(`${what} must be digit strings`, endpoint);
    }
    return [...new Set(ids)];
  }

  function checkAdvertiser(advertiserId: string, endpoint: EndpointPath): void {
    if (!isObjectId(advertiserId)) throw new InvalidRequestError('the advertiser ID must be a digit string', endpoint);
  }

  function checkPaging(page: number | undefined, pageSize: number | undefined, endpoint: EndpointPath): void {
    if (page !== undefined && (!Number.isInteger(page) || page < 1)) {
      throw new InvalidRequestError('page must be a whole number from 1', endpoint);
    }
    if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {
      throw new InvalidRequestError(`page size must be a whole number from 1 to ${MAX_PAGE_SIZE}`, endpoint);
    }
  }

  async function getObjects(
    level: Level,
    advertiserId: string,
    opts: GetObjectsOptions = {},
  ): Promise<ApiResult<ObjectPage>> {
    const meta = LEVEL_META[level];
    const endpoint = meta.getPath;
    checkAdvertiser(advertiserId, endpoint);
    checkPaging(opts.page, opts.pageSize, endpoint);
    const filtering: Record<string, unknown> = {};
    if (opts.ids !== undefined) filtering[meta.idsField] = checkIds(opts.ids, MAX_IDS_PER_FILTER, 'IDs', endpoint);
    if (opts.includeDeleted) filtering.primary_status = 'STATUS_ALL';
    if (opts.campaignIds !== undefined) {
      if (level === 'campaign')
        throw new InvalidRequestError('filter campaigns by their IDs, not by campaign', endpoint);
      filtering.campaign_ids = checkIds(opts.campaignIds, MAX_IDS_PER_FILTER, 'campaign IDs', endpoint);
    }
    if (opts.adgroupIds !== undefined) {
      if (level !== 'ad') throw new InvalidRequestError('only ads can be filtered by ad group', endpoint);
      filtering.adgroup_ids = checkIds(opts.adgroupIds, MAX_IDS_PER_FILTER, 'ad group IDs', endpoint);
    }
    const fields = opts.fields ? [...new Set([...REQUIRED_FIELDS(level), ...opts.fields])] : undefined;
    const { data, requestId, sentAt } = await call(endpoint, {
      advertiser_id: advertiserId,
      filtering: Object.keys(filtering).length > 0 ? filtering : undefined,
      fields,
      page: opts.page,
      page_size: opts.pageSize,
    });
    const parsed = parseResponsePart(OBJECT_LIST_SCHEMAS[level], data, { endpoint, write: false, root: 'data' });
    return {
      data: { list: parsed.list.map((raw) => toApiObject(level, raw)), pageInfo: parsed.page_info },
      requestId,
      sentAt,
    };
  }

  async function getAllObjects(
    level: Level,
    advertiserId: string,
    opts: GetAllObjectsOptions = {},
  ): Promise<ApiResult<ApiObject[]> & { requestIds: string[] }> {
    const pageSize = opts.pageSize ?? MAX_PAGE_SIZE;
    const maxPages = opts.maxPages ?? 1000;
    const batches: (readonly string[] | undefined)[] = [];
    if (opts.ids === undefined) batches.push(undefined);
    else
      for (let i = 0; i < opts.ids.length; i += MAX_IDS_PER_FILTER)
        batches.push(opts.ids.slice(i, i + MAX_IDS_PER_FILTER));

    // Keyed by ID: objects created while paging shift later pages and would otherwise repeat.
    const byId = new Map<string, ApiObject>();
    const requestIds: string[] = [];
    for (const ids of batches) {
      let seen = 0;
      for (let page = 1; ; page++) {
        if (page > maxPages) {
          throw new BadResponseError({
            endpoint: LEVEL_META[level].getPath,
            write: false,
            problem: `paging did not end within ${maxPages} pages`,
          });
        }
        const { data, requestId } = await getObjects(level, advertiserId, { ...opts, ids, page, pageSize });
        requestIds.push(requestId);
        for (const object of data.list) byId.set(object.id, object);
        seen += data.list.length;
        if (data.list.length === 0 || page >= data.pageInfo.total_page || seen >= data.pageInfo.total_number) break;
      }
    }
    return { data: [...byId.values()], requestId: requestIds[requestIds.length - 1] ?? '', requestIds };
  }

  async function updateStatus(
    level: Level,
    advertiserId: string,
    ids: readonly string[],
    status: StatusAction,
  ): Promise<ApiResult<StatusUpdateResult>> {
    const meta = LEVEL_META[level];
    const endpoint = meta.statusUpdatePath;
    if (!isStatusAction(status)) {
      throw new InvalidRequestError('only ENABLE and DISABLE may be sent; SafePause never deletes', endpoint);
    }
    checkAdvertiser(advertiserId, endpoint);
    const unique = checkIds(ids, meta.maxIdsPerStatusUpdate, 'IDs', endpoint);
    const { data, requestId, sentAt } = await call(endpoint, {
      advertiser_id: advertiserId,
      [meta.idsField]: unique,
      operation_status: status,
    });
    const parsed = parseResponsePart(STATUS_UPDATE_SCHEMAS[level], data, { endpoint, write: true, root: 'data' });
    return { data: toStatusUpdateResult(level, parsed), requestId, sentAt };
  }

  async function report(opts: ReportOptions): Promise<ApiResult<ReportPage>> {
    const endpoint: EndpointPath = 'report/integrated/get/';
    checkAdvertiser(opts.advertiserId, endpoint);
    checkPaging(opts.page, opts.pageSize, endpoint);
    if (opts.dimensions.length === 0) throw new InvalidRequestError('a report needs at least one dimension', endpoint);
    if (opts.metrics.length === 0) throw new InvalidRequestError('a report needs at least one metric', endpoint);
    const hasHour = opts.dimensions.includes('stat_time_hour');
    const hasDay = opts.dimensions.includes('stat_time_day');
    const params: Record<string, unknown> = {
      advertiser_id: opts.advertiserId,
      report_type: 'BASIC',
      data_level: opts.level === 'advertiser' ? 'AUCTION_ADVERTISER' : LEVEL_META[opts.level].reportDataLevel,
      dimensions: [...opts.dimensions],
      metrics: [...opts.metrics],
    };
    if (opts.lifetime) {
      if (hasHour || hasDay) throw new InvalidRequestError('a lifetime report cannot have a time dimension', endpoint);
      params.query_lifetime = true;
    } else {
      const start = dayNumber(opts.startDate ?? '');
      const end = dayNumber(opts.endDate ?? '');
      if (start === null || end === null) {
        throw new InvalidRequestError('start and end dates must be real YYYY-MM-DD dates', endpoint);
      }
      if (end < start) throw new InvalidRequestError('the end date is before the start date', endpoint);
      const days = end - start + 1;
      const maxDays = hasHour ? 1 : hasDay ? 30 : 365;
      if (days > maxDays) {
        throw new InvalidRequestError(`the date range is ${days} days; at most ${maxDays} allowed here`, endpoint);
      }
      params.start_date = opts.startDate;
      params.end_date = opts.endDate;
    }
    if (opts.ids !== undefined) {
      if (opts.level === 'advertiser') throw new InvalidRequestError('advertiser reports take no object IDs', endpoint);
      const ids = checkIds(opts.ids, MAX_IDS_PER_FILTER, 'IDs', endpoint);
      params.filtering = [
        { field_name: LEVEL_META[opts.level].idsField, filter_type: 'IN', filter_value: JSON.stringify(ids) },
      ];
    }
    params.page = opts.page;
    params.page_size = opts.pageSize;
    const { data, requestId } = await call(endpoint, params);
    const parsed = parseResponsePart(reportSchema, data, { endpoint, write: false, root: 'data' });
    return {
      data: { list: parsed.list, pageInfo: parsed.page_info, totalMetrics: parsed.total_metrics ?? null },
      requestId,
    };
  }

  async function advertiserInfo(advertiserIds: readonly string[]): Promise<ApiResult<AdvertiserInfo[]>> {
    const endpoint: EndpointPath = 'advertiser/info/';
    const ids = checkIds(advertiserIds, MAX_IDS_PER_FILTER, 'advertiser IDs', endpoint);
    const { data, requestId } = await call(endpoint, { advertiser_ids: ids, fields: ADVERTISER_INFO_FIELDS });
    const parsed = parseResponsePart(advertiserInfoListSchema, data, { endpoint, write: false, root: 'data' });
    return { data: parsed.list.map(toAdvertiserInfo), requestId };
  }

  async function userInfo(): Promise<ApiResult<UserInfo>> {
    const endpoint: EndpointPath = 'user/info/';
    const { data, requestId } = await call(endpoint, {});
    return {
      data: toUserInfo(parseResponsePart(userInfoSchema, data, { endpoint, write: false, root: 'data' })),
      requestId,
    };
  }

  const serverNow = (): number => Date.now() + serverOffsetMs;
  const withPace = (pace: RequestPace): ApiClient => createApiClient({ ...options, pace });
  return { baseUrl, getObjects, getAllObjects, updateStatus, report, advertiserInfo, userInfo, serverNow, withPace };
}
