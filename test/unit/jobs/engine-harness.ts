/**
 * Shared set-up for the engine tests: a fresh fake IndexedDB per test, an engine wired to the real
 * emulator over HTTP, and a loop that drives `runDue()` with small real waits.
 */
import { IDBFactory } from 'fake-indexeddb';
import { type ApiClient, createApiClient } from '../../../lib/api/client';
import { TikTokApiError } from '../../../lib/api/errors';
import type { Level } from '../../../lib/api/ids';
import type { ApiObject } from '../../../lib/api/schemas';
import { createJobEngine, type EnginePolicy, type JobEngine, type JobEngineDeps } from '../../../lib/jobs/engine';
import { createRateLimiter } from '../../../lib/jobs/limiter';
import type { Job, JobState } from '../../../lib/jobs/types';
import { closeDatabase } from '../../../lib/store/db';
import type { RunningSandbox } from '../../../sandbox/server';
import { openSandbox, sleep } from '../sandbox/harness';

export async function freshDatabase(): Promise<void> {
  await closeDatabase();
  (globalThis as { indexedDB: IDBFactory }).indexedDB = new IDBFactory();
}

/** Short windows so a whole pause (send, verify, spend window) fits in about two seconds. */
export const TEST_POLICY: Partial<EnginePolicy> = {
  deliveryDeadlineMs: 20_000,
  verifyDeadlineMs: 10_000,
  reportLatencyMs: 300,
  settleCheckGapMs: 300,
  backoffBaseMs: 50,
  backoffCapMs: 400,
  unknownReadDelayMs: 300,
};

export function emulator(campaigns = 60): Promise<RunningSandbox> {
  return openSandbox({
    campaigns,
    processingDelayMs: 200,
    reportLatencyMinutes: 0,
    rateLimits: { enabled: true },
  });
}

/**
 * One limiter for every engine and every direct read of a test file: the emulator counts requests
 * per app across tests, so a fresh limiter per test could run into its limits.
 */
export const sharedLimiter = createRateLimiter({
  // Below the emulator's 10 per second: requests booked apart may still arrive close together.
  app: [
    { limit: 7, windowMs: 1_000 },
    { limit: 500, windowMs: 60_000 },
  ],
  advertiserPerPath: [{ limit: 7, windowMs: 1_000 }],
});

async function limited(advertiserId: string, path: string): Promise<void> {
  const wait = sharedLimiter.reserve(advertiserId, path);
  if (wait > 0) await sleep(wait);
}

export interface Rig {
  engine: JobEngine;
  client: ApiClient;
  changes: Job[][];
  scheduled: (number | null)[];
  errors: unknown[];
  token: { present: boolean };
}

export function rig(
  sb: RunningSandbox,
  options: { timeoutMs?: number; deps?: Partial<JobEngineDeps>; client?: ApiClient } = {},
): Rig {
  const client =
    options.client ??
    createApiClient({ baseUrl: sb.url, getToken: async () => sb.token, timeoutMs: options.timeoutMs ?? 5_000 });
  const changes: Job[][] = [];
  const scheduled: (number | null)[] = [];
  const errors: unknown[] = [];
  const token = { present: true };
  const engine = createJobEngine({
    getClient: async () => (token.present ? client : null),
    limiter: sharedLimiter,
    now: Date.now,
    random: () => 0.5,
    schedule: (at) => scheduled.push(at),
    onChange: (jobs) => changes.push(jobs),
    onError: (error) => errors.push(error),
    policy: TEST_POLICY,
    locks: null,
    ...options.deps,
  });
  return { engine, client, changes, scheduled, errors, token };
}

/** The baseline the confirm prompt would pass: the API's own status and modify time. */
export async function objectsFor(
  client: ApiClient,
  advertiserId: string,
  level: Level,
  ids: readonly string[],
): Promise<{ id: string; name: string; baseline: { operationStatus: string; modifyTime: string | null } }[]> {
  let data: ApiObject[] | null = null;
  for (let attempt = 1; data === null; attempt++) {
    await limited(advertiserId, `${level}/get/`);
    try {
      data = (await client.getAllObjects(level, advertiserId, { ids })).data;
    } catch (error) {
      // The emulator's own rate limit; anything else is a real failure.
      if (!(error instanceof TikTokApiError) || error.retry !== 'retryable' || attempt >= 5) throw error;
      await sleep(1_100);
    }
  }
  const byId = new Map(data.map((o) => [o.id, o]));
  return ids.map((id) => {
    const o = byId.get(id);
    if (!o) throw new Error(`no ${level} ${id}`);
    return { id, name: o.name, baseline: { operationStatus: o.operationStatus, modifyTime: o.modifyTime } };
  });
}

/** Drives the engine until every listed job is in one of `states` (or throws after `timeoutMs`). */
export async function driveUntil(
  engine: JobEngine,
  jobIds: readonly string[],
  states: readonly JobState[],
  options: { timeoutMs?: number; between?: () => Promise<unknown> } = {},
): Promise<Job[]> {
  const limit = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    await engine.runDue();
    const jobs = await Promise.all(jobIds.map((id) => engine.outbox.getJob(id)));
    if (jobs.every((j) => j !== null && states.includes(j.state))) return jobs as Job[];
    if (Date.now() > limit) {
      throw new Error(`jobs did not reach ${states.join('/')}: ${jobs.map((j) => j?.state).join(', ')}`);
    }
    await options.between?.();
    await sleep(40);
  }
}

/** Status updates the emulator received for one level, optionally only those naming `id`. */
export async function statusUpdates(
  sb: RunningSandbox,
  level: Level,
  id?: string,
): Promise<{ ids: string[]; status: string; code: number | null; requestId: string | null }[]> {
  const key = `${level}_ids`;
  return (await sb.requests(`/${level}/status/update/`))
    .filter((r) => r.actor === null)
    .map((r) => {
      const body = (r.body ?? {}) as Record<string, unknown>;
      return {
        ids: (body[key] as string[] | undefined) ?? [],
        status: String(body.operation_status),
        code: r.code,
        requestId: r.requestId,
      };
    })
    .filter((u) => id === undefined || u.ids.includes(id));
}
