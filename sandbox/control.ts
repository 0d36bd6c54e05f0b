import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { faultPlanInput } from './api/faults';
import { clampCampaigns, DEFAULT_WORLD, type RuntimeConfig } from './config';
import { parseJson, readBody, sendJson } from './http-util';
import { objectState } from './object-state';
import type { ServerContext } from './server-context';
import { SANDBOX_APP_ID, SANDBOX_LIMITED_TOKEN, SANDBOX_TOKEN } from './tokens';
import { formatMinor } from './world/money';
import type { AnyObject, Level } from './world/types';
import { LEVELS } from './world/types';
import type { World } from './world/world';

/** The control API under /__sandbox/: truth, clock, configuration, faults, request log, a person's actions. */

export const CONTROL_PREFIX = '/__sandbox/';

const level = z.enum(['campaign', 'adgroup', 'ad']);
const rateLimits = z.object({
  appQps: z.number().int().min(1).optional(),
  appQpm: z.number().int().min(1).optional(),
  advertiserQps: z.number().int().min(1).optional(),
  enabled: z.boolean().optional(),
});
const configBody = z.object({
  processingDelayMs: z.number().int().min(0).optional(),
  reportLatencyMinutes: z.number().min(0).optional(),
  rateLimits: rateLimits.optional(),
  announcements: z.boolean().optional(),
});
const resetBody = configBody.extend({
  seed: z.number().int().optional(),
  campaigns: z.number().int().min(1).optional(),
  secondAdvertiserCampaigns: z.number().int().min(1).optional(),
  startTime: z.iso.datetime().optional(),
  clockSpeed: z.number().min(0).optional(),
});
const clockBody = z.object({ speed: z.number().min(0).optional(), advanceMinutes: z.number().min(0).optional() });
const statusBody = z.object({
  level,
  id: z.string(),
  operation_status: z.enum(['ENABLE', 'DISABLE', 'DELETE']),
  actor: z.string().min(1).default('person'),
});
const budgetBody = z.object({
  level: z.enum(['campaign', 'adgroup']),
  id: z.string(),
  budget_mode: z.enum(['BUDGET_MODE_DAY', 'BUDGET_MODE_TOTAL', 'BUDGET_MODE_INFINITE']),
  /** Minor units (cents). */
  budget_minor: z.number().int().min(0).default(0),
});
const cpaBody = z.object({
  level,
  ids: z.array(z.string()).min(1).max(1000),
  /** Cost per conversion from now on, in minor units (cents). */
  cpa_minor: z.number().int().min(1),
});
const faultsBody = z.union([z.array(faultPlanInput), z.object({ plans: z.array(faultPlanInput) })]);

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function handleControl(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '')}`;
  try {
    const raw = req.method === 'POST' ? await readBody(req) : '';
    const parsed = parseJson(raw);
    if (!parsed.ok) throw new ControlError(400, 'body is not valid JSON');
    ctx.state.world.applyDue();
    const result = route_(ctx, route, url.searchParams, parsed.value ?? {});
    if (result === undefined) throw new ControlError(404, `no control route ${route}`);
    sendJson(res, 200, result);
  } catch (error) {
    if (error instanceof z.ZodError) sendJson(res, 400, { ok: false, message: z.prettifyError(error) });
    else if (error instanceof ControlError) sendJson(res, error.status, { ok: false, message: error.message });
    else throw error;
  }
}

function route_(ctx: ServerContext, route: string, query: URLSearchParams, body: unknown): unknown {
  const state = ctx.state;
  const world = state.world;
  switch (route) {
    case 'GET info':
      return info(ctx);
    case 'POST reset': {
      const b = resetBody.parse(body);
      applyConfig(ctx, b);
      state.reset({
        seed: b.seed ?? DEFAULT_WORLD.seed,
        campaigns: clampCampaigns(b.campaigns ?? DEFAULT_WORLD.campaigns),
        secondAdvertiserCampaigns: b.secondAdvertiserCampaigns ?? DEFAULT_WORLD.secondAdvertiserCampaigns,
        startTime: b.startTime ?? DEFAULT_WORLD.startTime,
        clockSpeed: b.clockSpeed ?? DEFAULT_WORLD.clockSpeed,
      });
      return { ok: true, ...info(ctx) };
    }
    case 'GET config':
      return state.config;
    case 'POST config':
      applyConfig(ctx, configBody.parse(body));
      return state.config;
    case 'GET clock':
      return clock(world);
    case 'POST clock': {
      const b = clockBody.parse(body);
      if (b.speed !== undefined) world.clock.setSpeed(b.speed);
      if (b.advanceMinutes) world.clock.advanceMinutes(b.advanceMinutes);
      return clock(world);
    }
    case 'GET state':
      return stateOf(world, query);
    case 'GET spend':
      return spendOf(world, query);
    case 'GET faults':
      return { plans: state.faults.list() };
    case 'POST faults': {
      const b = faultsBody.parse(body);
      const plans = state.faults.add(Array.isArray(b) ? b : b.plans);
      return { ok: true, plans };
    }
    case 'DELETE faults':
      state.faults.clear();
      return { ok: true };
    case 'GET requests':
      return { requests: state.log.list(query.get('path') ?? undefined, Number(query.get('since') ?? 0)) };
    case 'DELETE requests':
      state.log.clear();
      return { ok: true };
    case 'POST objects/status': {
      const b = statusBody.parse(body);
      const o = mustGet(world, b.level, b.id);
      if (world.isDeleted(o)) throw new ControlError(409, `${b.level} ${b.id} is deleted`);
      world.apply({ level: b.level, id: b.id, status: b.operation_status, keepSpending: false });
      logAction(ctx, '/__sandbox/objects/status', b, b.actor);
      return { ok: true, object: objectState(world, o) };
    }
    case 'POST objects/budget': {
      const b = budgetBody.parse(body);
      const o = mustGet(world, b.level, b.id);
      if (o.level === 'ad') throw new ControlError(400, 'ads have no budget');
      world.setBudget(o, b.budget_mode, b.budget_minor);
      logAction(ctx, '/__sandbox/objects/budget', b, 'person');
      return { ok: true, object: objectState(world, o) };
    }
    case 'POST objects/cpa': {
      const b = cpaBody.parse(body);
      const objects = b.ids.map((id) => mustGet(world, b.level, id));
      for (const o of objects) world.setMarginalCpa(o, b.cpa_minor);
      logAction(ctx, '/__sandbox/objects/cpa', b, 'sandbox');
      return { ok: true, objects: objects.map((o) => objectState(world, o)) };
    }
    default:
      return undefined;
  }
}

function applyConfig(ctx: ServerContext, b: z.infer<typeof configBody>): void {
  const current = ctx.state.config;
  const next: RuntimeConfig = {
    processingDelayMs: b.processingDelayMs ?? current.processingDelayMs,
    reportLatencyMinutes: b.reportLatencyMinutes ?? current.reportLatencyMinutes,
    rateLimits: { ...current.rateLimits, ...stripUndefined(b.rateLimits ?? {}) },
    announcements: b.announcements ?? current.announcements,
  };
  ctx.state.setConfig(next);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function info(ctx: ServerContext): Record<string, unknown> {
  const world = ctx.state.world;
  return {
    settings: ctx.state.settings,
    config: ctx.state.config,
    appId: SANDBOX_APP_ID,
    tokens: { demo: SANDBOX_TOKEN, limited: SANDBOX_LIMITED_TOKEN },
    advertisers: world.data.advertisers.map((a) => ({
      id: a.id,
      name: a.name,
      currency: a.currency,
      timezone: a.timezone,
      campaigns: world.ids('campaign', a.id).length,
      adgroups: world.ids('adgroup', a.id).length,
      ads: world.ids('ad', a.id).length,
    })),
  };
}

function clock(world: World): Record<string, unknown> {
  const now = world.clock.nowMs();
  return {
    now: new Date(now).toISOString(),
    nowMs: now,
    speed: world.clock.speed,
    startTime: new Date(world.clock.startMs).toISOString(),
  };
}

function mustGet(world: World, lvl: Level, id: string): AnyObject {
  const o = world.get(lvl, id);
  if (!o) throw new ControlError(404, `no ${lvl} ${id}`);
  return o;
}

function parseLevel(query: URLSearchParams): Level {
  const raw = query.get('level') ?? 'campaign';
  if (!(LEVELS as readonly string[]).includes(raw)) throw new ControlError(400, `unknown level ${raw}`);
  return raw as Level;
}

function parseIds(raw: string | null): string[] | undefined {
  if (!raw) return undefined;
  if (raw.startsWith('[')) {
    const parsed = parseJson(raw);
    if (parsed.ok && Array.isArray(parsed.value)) return parsed.value.map(String);
    throw new ControlError(400, 'ids must be a JSON array or a comma-separated list');
  }
  return raw.split(',').filter(Boolean);
}

function stateOf(world: World, query: URLSearchParams): Record<string, unknown> {
  const lvl = parseLevel(query);
  const ids = parseIds(query.get('ids'));
  const advertiserId = query.get('advertiser_id');
  let objects: AnyObject[];
  if (ids) {
    objects = ids.map((id) => mustGet(world, lvl, id));
  } else {
    const advertisers = advertiserId ? [advertiserId] : world.data.advertisers.map((a) => a.id);
    objects = advertisers.flatMap((a) =>
      world.ids(lvl, a).flatMap((id) => {
        const o = world.get(lvl, id);
        return o ? [o] : [];
      }),
    );
  }
  return {
    simTime: new Date(world.clock.nowMs()).toISOString(),
    level: lvl,
    objects: objects.map((o) => objectState(world, o)),
  };
}

function spendOf(world: World, query: URLSearchParams): Record<string, unknown> {
  const lvl = parseLevel(query);
  const id = query.get('id');
  if (!id) throw new ControlError(400, 'id is required');
  const o = mustGet(world, lvl, id);
  const atRaw = query.get('at');
  const atMs = atRaw ? Date.parse(atRaw) : world.clock.nowMs();
  if (Number.isNaN(atMs)) throw new ControlError(400, `invalid at ${atRaw}`);
  const nowMinute = world.nowMinute();
  const minute = Math.min(Math.floor(atMs / 60_000), nowMinute);
  const spend = world.trueSpend(o, minute);
  return {
    level: lvl,
    id,
    at: new Date(minute * 60_000).toISOString(),
    lifetime_minor: spend.lifetime,
    lifetime: formatMinor(spend.lifetime),
    today_minor: spend.today,
    today: formatMinor(spend.today),
  };
}

/** Records a person's action in the request log, next to the API calls. */
export function logAction(ctx: ServerContext, path: string, body: unknown, actor: string): void {
  const entry = ctx.state.log.start({
    realTime: new Date().toISOString(),
    simTime: new Date(ctx.state.world.clock.nowMs()).toISOString(),
    method: 'POST',
    path,
    query: {},
    body,
    tokenPresent: false,
    tokenHash: null,
    actor,
  });
  entry.httpStatus = 200;
  entry.code = 0;
  entry.message = 'OK';
}
