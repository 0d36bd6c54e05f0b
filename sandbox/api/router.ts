import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson, readBody, sendText } from '../http-util';
import type { ServerContext } from '../server-context';
import { grantFor } from '../tokens';
import { advertiserInfoHandler, oauthAdvertisersHandler, userInfoHandler } from './accounts';
import type { ApiRequest, Handler } from './context';
import { ApiError, defaultMessage, makeRequestId } from './envelope';
import { DEFAULT_MISSING_FIELDS, dropFields, type FaultPlan, replaceFields } from './faults';
import { makeGetHandler } from './get-objects';
import { toJson } from './json-out';
import { reportHandler } from './report';
import { hashToken } from './request-log';
import { makeStatusUpdateHandler } from './status-update';

/** The Marketing API emulator: /open_api/v1.3/<endpoint>/ with TikTok's envelope and codes. */

export const API_PREFIX = '/open_api/v1.3/';

interface Endpoint {
  methods: readonly string[];
  handler: Handler;
}

const ENDPOINTS: Record<string, Endpoint> = {
  'campaign/get': { methods: ['GET'], handler: makeGetHandler('campaign') },
  'adgroup/get': { methods: ['GET'], handler: makeGetHandler('adgroup') },
  'ad/get': { methods: ['GET'], handler: makeGetHandler('ad') },
  'campaign/status/update': { methods: ['POST'], handler: makeStatusUpdateHandler('campaign') },
  'adgroup/status/update': { methods: ['POST'], handler: makeStatusUpdateHandler('adgroup') },
  'ad/status/update': { methods: ['POST'], handler: makeStatusUpdateHandler('ad') },
  'report/integrated/get': { methods: ['GET'], handler: reportHandler },
  'advertiser/info': { methods: ['GET'], handler: advertiserInfoHandler },
  'user/info': { methods: ['GET', 'POST'], handler: userInfoHandler },
  'oauth2/advertiser/get': { methods: ['GET'], handler: oauthAdvertisersHandler },
};

export const API_ENDPOINTS = Object.keys(ENDPOINTS);

export async function handleApi(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const state = ctx.state;
  const path = url.pathname;
  const endpoint = path.slice(API_PREFIX.length).replace(/\/$/, '');
  const spec = ENDPOINTS[endpoint];
  if (!path.endsWith('/') || !spec) {
    sendText(res, 404, '404 page not found');
    return;
  }
  const method = req.method ?? 'GET';
  const allow = spec.methods.join(', ');
  if (method === 'OPTIONS') {
    res.writeHead(204, { Allow: `${allow}, OPTIONS` });
    res.end();
    return;
  }
  if (!spec.methods.includes(method)) {
    res.setHeader('Allow', allow);
    sendText(res, 405, '405 method not allowed');
    return;
  }
  const rawBody = method === 'POST' ? await readBody(req) : '';
  const parsed = parseJson(rawBody);
  state.world.applyDue();

  const header = req.headers['access-token'];
  const token = Array.isArray(header) ? header[0] : header;
  const entry = state.log.start({
    realTime: new Date().toISOString(),
    simTime: new Date(state.world.clock.nowMs()).toISOString(),
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    body: parsed.ok ? (parsed.value ?? null) : rawBody,
    tokenPresent: Boolean(token),
    tokenHash: token ? hashToken(token) : null,
    actor: null,
  });
  const requestId = makeRequestId(entry.seq, Date.now());
  entry.requestId = requestId;

  const finish = (
    httpStatus: number,
    code: number | null,
    message: string | null,
    text: string,
    type?: string,
  ): void => {
    entry.httpStatus = httpStatus;
    entry.code = code;
    entry.message = message;
    if (!res.writableEnded && !res.destroyed)
      // The API's clock is the simulated world's: TikTok's answers carry its time in `Date`, and report days follow it.
      sendText(res, httpStatus, text, type ?? 'application/json; charset=utf-8', {
        Date: new Date(state.world.clock.nowMs()).toUTCString(),
      });
  };
  const reply = (code: number, message: string, data: unknown, numericIds = false): void => {
    if (code === 0) entry.listed = listedStatuses(data);
    finish(200, code, message, toJson({ code, message, request_id: requestId, data }, numericIds));
  };
  const fail = (code: number, message?: string): void => reply(code, message ?? defaultMessage(code), {});

  if (!token) return fail(40104);
  const grant = grantFor(token, state.world);
  if (!grant) return fail(40105, 'The access token is invalid or has been revoked. Please check it or re-authorize.');
  if (!parsed.ok) return fail(40002, 'The request body is not valid JSON.');
  const body = parsed.value ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return fail(40002, 'The request body must be a JSON object.');
  const bodyRecord = body as Record<string, unknown>;

  const advertiserRaw = method === 'GET' ? url.searchParams.get('advertiser_id') : bodyRecord.advertiser_id;
  const advertiserId = typeof advertiserRaw === 'string' && advertiserRaw ? advertiserRaw : undefined;
  const rejection = state.limiter.admit(grant.appId, advertiserId, endpoint);
  if (rejection) return fail(rejection.code, rejection.message);

  const apiReq: ApiRequest = {
    state,
    endpoint,
    method,
    query: url.searchParams,
    body: bodyRecord,
    grant,
    keepSpending: false,
  };
  const plan = state.faults.match(endpoint, advertiserId, idsNamed(bodyRecord, url.searchParams));
  if (plan) entry.fault = { planId: plan.id, kind: plan.kind };

  /** Runs the handler: the data on success, or the error it raised. */
  const execute = (): { ok: true; data: unknown } | { ok: false; error: ApiError } => {
    try {
      return { ok: true, data: spec.handler(apiReq) };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error };
      throw error;
    }
  };
  const respond = (
    outcome: ReturnType<typeof execute>,
    transform?: (data: unknown) => unknown,
    numeric = false,
  ): void => {
    if (outcome.ok) reply(0, 'OK', transform ? transform(outcome.data) : outcome.data, numeric);
    else fail(outcome.error.code, outcome.error.message);
  };

  if (!plan) return respond(execute());
  runFault(ctx, plan, res, { execute, respond, fail, finish, requestId, apiReq });
}

interface FaultTools {
  execute: () => { ok: true; data: unknown } | { ok: false; error: ApiError };
  respond: (
    outcome: { ok: true; data: unknown } | { ok: false; error: ApiError },
    transform?: (data: unknown) => unknown,
    numeric?: boolean,
  ) => void;
  fail: (code: number, message?: string) => void;
  finish: (httpStatus: number, code: number | null, message: string | null, text: string, type?: string) => void;
  requestId: string;
  apiReq: ApiRequest;
}

function runFault(ctx: ServerContext, plan: FaultPlan, res: ServerResponse, t: FaultTools): void {
  const holdOrLater = (then: () => void): void => {
    if (plan.delayMs === undefined || plan.delayMs === null) ctx.hold(res);
    else ctx.later(then, plan.delayMs);
  };
  switch (plan.kind) {
    case 'code':
      t.fail(plan.code ?? 50000, plan.message);
      return;
    case 'hang':
      holdOrLater(() => t.respond(t.execute()));
      return;
    case 'malformed':
      t.finish(
        200,
        null,
        null,
        `{"code":0,"message":"OK","request_id":"${t.requestId}","data":{"list":[{"campaign_id":`,
      );
      return;
    case 'http': {
      const status = plan.status ?? 500;
      t.finish(status, null, null, `<html><body><h1>${status}</h1></body></html>`, 'text/html; charset=utf-8');
      return;
    }
    case 'apply-then-hang': {
      const outcome = t.execute();
      holdOrLater(() => t.respond(outcome));
      return;
    }
    case 'apply-then-code':
      t.execute();
      t.fail(plan.code ?? 50002, plan.message);
      return;
    case 'keep-spending':
      t.apiReq.keepSpending = true;
      t.respond(t.execute());
      return;
    case 'numeric-ids':
      t.respond(t.execute(), undefined, true);
      return;
    case 'missing-fields':
      t.respond(t.execute(), (data) => dropFields(data, plan.fields ?? DEFAULT_MISSING_FIELDS));
      return;
    case 'replace-fields':
      t.respond(t.execute(), (data) => replaceFields(data, plan.values ?? {}));
      return;
  }
}

/** Ids a call names (body *_ids, filtering *_ids), for fault plans that target ids. */
function idsNamed(body: Record<string, unknown>, query: URLSearchParams): string[] {
  const out: string[] = [];
  const take = (record: Record<string, unknown>): void => {
    for (const key of ['campaign_ids', 'adgroup_ids', 'ad_ids']) {
      const v = record[key];
      if (Array.isArray(v)) for (const id of v) if (typeof id === 'string') out.push(id);
    }
  };
  take(body);
  const filtering = query.get('filtering');
  if (filtering) {
    try {
      const parsed: unknown = JSON.parse(filtering);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) take(parsed as Record<string, unknown>);
      if (Array.isArray(parsed)) {
        for (const f of parsed) {
          if (typeof f?.filter_value === 'string' && /_ids$/.test(String(f.field_name))) {
            const values: unknown = JSON.parse(f.filter_value);
            if (Array.isArray(values)) for (const id of values) if (typeof id === 'string') out.push(id);
          }
        }
      }
    } catch {
      // An unparsable filter is the handler's to report.
    }
  }
  return out;
}

/** Each object an answer lists with an ID and a string operation_status: what the answer told the caller. */
function listedStatuses(data: unknown): Record<string, string> | null {
  const list = (data as { list?: unknown } | null)?.list;
  if (!Array.isArray(list)) return null;
  const listed: Record<string, string> = {};
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const row = item as Record<string, unknown>;
    const id = row.ad_id ?? row.adgroup_id ?? row.campaign_id;
    if (typeof id === 'string' && typeof row.operation_status === 'string') listed[id] = row.operation_status;
  }
  return listed;
}
