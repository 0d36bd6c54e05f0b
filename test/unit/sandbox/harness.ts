import { type RunningSandbox, SANDBOX_TOKEN, type SandboxOptions, startSandbox } from '../../../sandbox/server';

/** Real HTTP against a sandbox on a free port; the clock is frozen (speed 0) unless a test says otherwise. */

export const BASE_OPTIONS: SandboxOptions = {
  port: 0,
  seed: 7,
  campaigns: 60,
  secondAdvertiserCampaigns: 12,
  clockSpeed: 0,
  processingDelayMs: 0,
  rateLimits: { enabled: false },
};

export function openSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({
    ...BASE_OPTIONS,
    ...options,
    rateLimits: { ...BASE_OPTIONS.rateLimits, ...options.rateLimits },
  });
}

export interface ApiResult {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test access to arbitrary response shapes
  body: any;
}

async function toResult(response: Response): Promise<ApiResult> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: response.status, text, body };
}

type Params = Record<string, string | number | boolean | unknown[] | Record<string, unknown>>;

export function query(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) q.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  return q.toString();
}

export async function apiGet(
  sb: RunningSandbox,
  endpoint: string,
  params: Params = {},
  token: string | null = SANDBOX_TOKEN,
): Promise<ApiResult> {
  const headers: Record<string, string> = token === null ? {} : { 'Access-Token': token };
  return toResult(await fetch(`${sb.url}/open_api/v1.3/${endpoint}/?${query(params)}`, { headers }));
}

export async function apiPost(
  sb: RunningSandbox,
  endpoint: string,
  body: unknown,
  token: string | null = SANDBOX_TOKEN,
): Promise<ApiResult> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers['Access-Token'] = token;
  return toResult(
    await fetch(`${sb.url}/open_api/v1.3/${endpoint}/`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: control API answers are checked field by field
export async function control(sb: RunningSandbox, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sb.url}/__sandbox/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export function advance(sb: RunningSandbox, minutes: number): Promise<unknown> {
  return control(sb, 'POST', 'clock', { advanceMinutes: minutes });
}

export interface ObjectState {
  level: string;
  id: string;
  name: string;
  advertiser_id: string;
  campaign_id: string;
  adgroup_id: string | null;
  operation_status: string;
  secondary_status: string;
  deleted: boolean;
  pending: { operation_status: string; apply_at: string }[];
  budget_mode: string | null;
  budget_minor: number | null;
  spend_today_minor: number;
  spend_lifetime_minor: number;
  spending: boolean;
  cpa_drift: boolean;
  modify_time: string;
}

export async function states(sb: RunningSandbox, level: string, advertiserId?: string): Promise<ObjectState[]> {
  const q = new URLSearchParams({ level });
  if (advertiserId) q.set('advertiser_id', advertiserId);
  return (await control(sb, 'GET', `state?${q}`)).objects;
}

export async function stateOf(sb: RunningSandbox, level: string, id: string): Promise<ObjectState> {
  const [o] = (await control(sb, 'GET', `state?level=${level}&ids=${id}`)).objects;
  return o;
}

/** The first object matching `predicate`; fails the test when none does. */
export async function pick(
  sb: RunningSandbox,
  level: string,
  predicate: (o: ObjectState) => boolean,
  advertiserId = sb.advertiserIds[0],
): Promise<ObjectState> {
  const found = (await states(sb, level, advertiserId)).find(predicate);
  if (!found) throw new Error(`no ${level} matches`);
  return found;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export const REQUEST_ID = /^\d{30,}$/;
