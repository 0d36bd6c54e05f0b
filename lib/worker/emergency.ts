import { browser } from 'wxt/browser';
import type { ApiClient, RequestPace } from '../api/client';
import { patientReads } from '../api/patient';
import {
  confirmationMatches,
  isStoppable,
  type RestorePlan,
  restorePlan,
  type StopCandidate,
  type StopRecord,
} from '../emergency/plan';
import { getStop, saveStop } from '../emergency/store';
import { JobConflictError, type JobEngine, JobRequestError } from '../jobs/engine';
import type { Job, JobLedger } from '../jobs/types';
import { minorToDecimal, parseMoney } from '../ledger';
import type { ClientState } from './client';
import { todayIn } from './prompts';

/**
 * Emergency stop, worker side: list every switched-on campaign of an advertiser from the API (never from the page),
 * keep that list as a short-lived preview, and on a typed confirmation record the restore point and hand the
 * campaigns to the job engine (the same batched, verified pipeline as any pause). Also the restore point's resume.
 */

export interface EmergencyPreview {
  previewId: string;
  advertiserId: string;
  advertiserName: string;
  currency: string;
  timeZone: string;
  createdAt: number;
  /** TikTok's date in the advertiser's time zone when the list was read (the day of "today's spend"). */
  day?: string;
  /** Campaigns that will be paused, with today's spend and budget. */
  campaigns: StopCandidate[];
  /** Campaigns already off (not touched). */
  alreadyOff: number;
  /** Decimal strings in the advertiser's currency. */
  todaySpend: string | null;
  /** Today's spend of these campaigns divided by the hours elapsed today in the advertiser's time zone. */
  perHour: string | null;
  hoursToday: number;
}

export interface RestorePreview {
  previewId: string;
  stopId: string;
  advertiserName: string;
  createdAt: number;
  plan: RestorePlan;
}

export type EmergencyAnswer<T> = ({ ok: true } & T) | { ok: false; error: string };

const PREVIEW_PREFIX = 'emergency:';
const UNDOABLE: readonly Job['state'][] = ['confirmed', 'settled', 'still-spending'];
const PREVIEW_TTL_MS = 10 * 60_000;

export interface EmergencyDeps {
  client: () => Promise<ClientState>;
  engine: () => Promise<JobEngine>;
  now?: () => number;
  /** Paces the list's reads in the pauses' rate limiter (see patientReads). */
  pace?: RequestPace;
}

export function createEmergency(deps: EmergencyDeps) {
  const now = deps.now ?? Date.now;

  async function connected(advertiserId: string): Promise<ApiClient> {
    const state = await deps.client();
    if (!state.ok) throw new JobRequestError(state.message);
    if (!state.settings.advertiserIds.includes(advertiserId)) {
      throw new JobRequestError(`Advertiser ${advertiserId} is not connected in SafePause options.`);
    }
    return patientReads(state.client, deps.pace ? { pace: deps.pace } : {});
  }

  async function spendByCampaign(
    client: ApiClient,
    advertiserId: string,
    range: { lifetime: true } | { day: string },
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let page = 1; page <= 100; page++) {
      const report = await client.report({
        advertiserId,
        level: 'campaign',
        dimensions: ['campaign_id'],
        metrics: ['spend'],
        ...('lifetime' in range ? { lifetime: true } : { startDate: range.day, endDate: range.day }),
        page,
        pageSize: 1000,
      });
      for (const row of report.data.list) {
        const id = row.dimensions.campaign_id;
        const spend = row.metrics.spend;
        if (typeof id === 'string' && typeof spend === 'string') out.set(id, spend);
      }
      if (page >= (report.data.pageInfo.total_page ?? 1)) break;
    }
    return out;
  }

  async function preview(advertiserId: string): Promise<EmergencyPreview> {
    const client = await connected(advertiserId);
    const info = (await client.advertiserInfo([advertiserId])).data.find((a) => a.advertiserId === advertiserId);
    if (!info) throw new JobRequestError(`TikTok did not return advertiser ${advertiserId} for this token.`);
    const all = (await client.getAllObjects('campaign', advertiserId)).data;
    const stoppable = all.filter((c) => isStoppable(c));
    // TikTok's today (its clock, from the answers above), not this computer's.
    const serverNow = client.serverNow?.() ?? now();
    const day = todayIn(info.timezone, new Date(serverNow));
    const [today, lifetime] = await Promise.all([
      spendByCampaign(client, advertiserId, { day }),
      spendByCampaign(client, advertiserId, { lifetime: true }),
    ]);
    const campaigns: StopCandidate[] = stoppable.map((c) => ({
      id: c.id,
      name: c.name,
      operationStatus: c.operationStatus,
      secondaryStatus: c.secondaryStatus,
      budget: c.budget,
      budgetMode: c.budgetMode,
      modifyTime: c.modifyTime,
      todaySpend: today.get(c.id) ?? null,
      lifetimeSpend: lifetime.get(c.id) ?? null,
    }));
    let totalMinor = 0;
    let anySpend = false;
    for (const c of campaigns) {
      const m = parseMoney(c.todaySpend, info.currency);
      if (m !== null) {
        totalMinor += m;
        anySpend = true;
      }
    }
    const hoursToday = hoursSinceMidnight(info.timezone, serverNow);
    const result: EmergencyPreview = {
      previewId: crypto.randomUUID().replaceAll('-', ''),
      advertiserId,
      advertiserName: info.name ?? advertiserId,
      currency: info.currency,
      timeZone: info.timezone,
      createdAt: now(),
      day,
      campaigns,
      alreadyOff: all.length - stoppable.length,
      todaySpend: anySpend ? minorToDecimal(totalMinor, info.currency) : null,
      perHour: anySpend ? minorToDecimal(Math.round(totalMinor / Math.max(hoursToday, 1 / 60)), info.currency) : null,
      hoursToday,
    };
    await browser.storage.session.set({ [PREVIEW_PREFIX + result.previewId]: result });
    return result;
  }

  async function loadPreview<T extends { createdAt: number }>(previewId: string): Promise<T | null> {
    const key = PREVIEW_PREFIX + previewId;
    const stored = (await browser.storage.session.get(key))[key] as T | undefined;
    if (!stored || now() - stored.createdAt > PREVIEW_TTL_MS) return null;
    return stored;
  }

  /** Hands the stop's campaigns to the engine (joining open pauses) and records which job stands for each. */
  async function enqueueStop(
    stop: StopRecord,
    baselines: Map<string, { status: string; modifyTime: string | null }>,
    ledgers: Map<string, JobLedger> = new Map(),
  ) {
    const engine = await deps.engine();
    let objects = stop.campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      baseline: {
        operationStatus: baselines.get(c.id)?.status ?? 'ENABLE',
        modifyTime: baselines.get(c.id)?.modifyTime ?? c.modifyTime,
      },
      // No report row means it never spent: zero, so its leak can still be measured.
      spendAtClick: c.lifetimeSpend ?? '0.00',
      ledger: ledgers.get(c.id) ?? null,
    }));
    const conflicts: string[] = [];
    for (let attempt = 0; attempt < 2 && objects.length > 0; attempt++) {
      try {
        const result = await engine.enqueue({
          level: 'campaign',
          advertiserId: stop.advertiserId,
          action: 'DISABLE',
          actor: { kind: 'emergency', id: stop.id },
          objects,
        });
        const jobIds: Record<string, string> = {};
        objects.forEach((o, i) => {
          const id = result.jobIds[i];
          if (id) jobIds[o.id] = id;
        });
        return { jobIds, conflicts };
      } catch (error) {
        if (!(error instanceof JobConflictError)) throw error;
        // A resume of one of them is in flight: everything else must still stop now.
        const blocked = new Set(error.conflicts.map((c) => c.objectId));
        conflicts.push(...blocked);
        objects = objects.filter((o) => !blocked.has(o.id));
      }
    }
    return { jobIds: {}, conflicts };
  }

  async function start(previewId: string, typed: string): Promise<StopRecord> {
    const p = await loadPreview<EmergencyPreview>(previewId);
    if (!p) throw new JobRequestError('This emergency stop list has expired; nothing was sent. Open it again.');
    if (p.campaigns.length === 0) throw new JobRequestError('No campaign of this advertiser is switched on.');
    if (!confirmationMatches(typed, p.advertiserName, p.campaigns.length)) {
      throw new JobRequestError(
        `Type the advertiser name (${p.advertiserName}) or the number of campaigns (${p.campaigns.length}) to confirm.`,
      );
    }
    await browser.storage.session.remove(PREVIEW_PREFIX + previewId);
    const stop: StopRecord = {
      id: crypto.randomUUID(),
      advertiserId: p.advertiserId,
      advertiserName: p.advertiserName,
      currency: p.currency,
      timeZone: p.timeZone,
      createdAt: now(),
      campaigns: p.campaigns.map((c) => ({
        id: c.id,
        name: c.name,
        modifyTime: c.modifyTime,
        lifetimeSpend: c.lifetimeSpend,
      })),
      alreadyOff: p.alreadyOff,
      jobIds: null,
      skipped: [],
      restore: null,
    };
    // The restore point is on disk before any job exists; a worker that stops here finishes it on its next start.
    await saveStop(stop);
    const baselines = new Map(p.campaigns.map((c) => [c.id, { status: c.operationStatus, modifyTime: c.modifyTime }]));
    const day = p.day ?? todayIn(p.timeZone, new Date(p.createdAt));
    const ledgers = new Map<string, JobLedger>(
      p.campaigns.map((c) => [
        c.id,
        {
          currency: p.currency,
          timeZone: p.timeZone,
          day,
          budget: c.budget,
          budgetMode: c.budgetMode,
          todaySpendAtClick: c.todaySpend ?? '0.00',
          lifetimeSpendAtClick: c.lifetimeSpend ?? '0.00',
        },
      ]),
    );
    const { jobIds, conflicts } = await enqueueStop(stop, baselines, ledgers);
    const done: StopRecord = { ...stop, jobIds, skipped: conflicts };
    await saveStop(done);
    return done;
  }

  /** Worker start: a stop recorded without its jobs (the worker stopped in between) gets them now. */
  async function recover(stops: StopRecord[]): Promise<void> {
    for (const stop of stops) {
      if (stop.jobIds !== null || now() - stop.createdAt > 60 * 60_000) continue;
      const { jobIds, conflicts } = await enqueueStop(stop, new Map());
      await saveStop({ ...stop, jobIds, skipped: conflicts });
    }
  }

  async function jobsOf(stop: StopRecord): Promise<Job[]> {
    const engine = await deps.engine();
    const byObject = await engine.outbox.jobsForObjects(
      stop.advertiserId,
      'campaign',
      stop.campaigns.map((c) => c.id),
    );
    return [...byObject.values()].flat();
  }

  async function restorePreview(stopId: string): Promise<RestorePreview> {
    const stop = await getStop(stopId);
    if (!stop) throw new JobRequestError('This emergency stop is no longer in the history.');
    const client = await connected(stop.advertiserId);
    const read = await client.getAllObjects('campaign', stop.advertiserId, {
      ids: stop.campaigns.map((c) => c.id),
    });
    const current = new Map(
      read.data.map((o) => [o.id, { operationStatus: o.operationStatus, modifyTime: o.modifyTime, name: o.name }]),
    );
    const plan = restorePlan(stop, await jobsOf(stop), current);
    const result: RestorePreview = {
      previewId: crypto.randomUUID().replaceAll('-', ''),
      stopId,
      advertiserName: stop.advertiserName,
      createdAt: now(),
      plan,
    };
    await browser.storage.session.set({ [PREVIEW_PREFIX + result.previewId]: result });
    return result;
  }

  async function restore(previewId: string): Promise<{ jobIds: string[] }> {
    const p = await loadPreview<RestorePreview>(previewId);
    if (!p) throw new JobRequestError('This list has expired; nothing was sent. Open it again.');
    const stop = await getStop(p.stopId);
    if (!stop) throw new JobRequestError('This emergency stop is no longer in the history.');
    if (p.plan.resume.length === 0) throw new JobRequestError('Nothing to resume.');
    await browser.storage.session.remove(PREVIEW_PREFIX + previewId);
    const engine = await deps.engine();
    // Every campaign in the plan was paused by this stop's job: undo those jobs together (one commit, so the resumes
    // leave in full batches of 20); a campaign whose job is gone from the history gets a plain resume job.
    const pauseJob = new Map<string, Job>();
    for (const job of await jobsOf(stop)) {
      if (job.action === 'DISABLE' && UNDOABLE.includes(job.state)) pauseJob.set(job.objectId, job);
    }
    const undoIds = p.plan.resume.flatMap((c) => {
      const job = pauseJob.get(c.id);
      return job ? [job.id] : [];
    });
    const fresh = p.plan.resume.filter((c) => !pauseJob.has(c.id));
    const actor = { kind: 'emergency' as const, id: `restore:${stop.id}` };
    const jobIds: string[] = [];
    if (undoIds.length > 0) jobIds.push(...(await engine.undoMany(undoIds, actor)).jobIds);
    if (fresh.length > 0) {
      const result = await engine.enqueue({
        level: 'campaign',
        advertiserId: stop.advertiserId,
        action: 'ENABLE',
        actor,
        objects: fresh.map((c) => ({
          id: c.id,
          name: c.name,
          baseline: { operationStatus: 'DISABLE', modifyTime: c.modifyTime },
        })),
      });
      jobIds.push(...result.jobIds);
    }
    const restoredIds = p.plan.resume.map((c) => c.id);
    await saveStop({
      ...stop,
      restore: { at: now(), campaignIds: [...(stop.restore?.campaignIds ?? []), ...restoredIds] },
    });
    return { jobIds };
  }

  return { preview, start, recover, restorePreview, restore };
}

export type Emergency = ReturnType<typeof createEmergency>;

function hoursSinceMidnight(timeZone: string, at: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
    const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
    const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
    return hour + minute / 60;
  } catch {
    return new Date(at).getUTCHours() + new Date(at).getUTCMinutes() / 60;
  }
}
