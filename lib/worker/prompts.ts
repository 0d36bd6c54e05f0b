import { browser } from 'wxt/browser';
import type { ApiClient, RequestPace } from '../api/client';
import { LEVEL_META } from '../api/ids';
import { patientReads } from '../api/patient';
import { type AdvertiserInfo, type ApiObject, readMetric } from '../api/schemas';
import { namesMatch } from '../host/names';
import { cascadeText, countByParent, parentEffect, stoppedByParent } from '../jobs/cascade';
import { skipReason } from '../jobs/skip-reasons';
import type { JobLedger, JobState } from '../jobs/types';
import type { PromptObjectView, PromptView } from '../messages/prompt';
import type { Level } from '../messages/schema';

/**
 * A confirm prompt waiting for a person: kept in storage.session (survives a worker restart, not a browser
 * restart, invisible to content scripts). Only an extension page can read or confirm it.
 */
export interface PromptRecord {
  id: string;
  tabId: number;
  advertiserId: string;
  level: Level;
  action: 'DISABLE' | 'ENABLE';
  targets: { id: string; name: string }[];
  createdAt: number;
  /** Filled when the prompt is shown: what the API said then, used as each job's baseline. */
  shown?: {
    at: number;
    objects: {
      id: string;
      name: string;
      operationStatus: string;
      modifyTime: string | null;
      todaySpend: string | null;
      /** The rest of the ledger context (lifetime spend, budget, hourly spend) for each job. */
      ledger?: JobLedger;
    }[];
  };
}

const PREFIX = 'prompt:';
/** A prompt left open longer than this is read again from the API before it may act. */
export const PROMPT_TTL_MS = 10 * 60_000;

export async function savePrompt(record: PromptRecord): Promise<void> {
  await browser.storage.session.set({ [PREFIX + record.id]: record });
}

export async function loadPrompt(id: string): Promise<PromptRecord | null> {
  const stored = await browser.storage.session.get(PREFIX + id);
  const record = stored[PREFIX + id] as PromptRecord | undefined;
  if (!record || Date.now() - record.createdAt > PROMPT_TTL_MS) return null;
  return record;
}

export async function deletePrompt(id: string): Promise<void> {
  await browser.storage.session.remove(PREFIX + id);
}

export function newPromptId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** Today's date in the advertiser's time zone, as TikTok's reports expect it. */
export function todayIn(timezone: string, at = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/**
 * Reads, fresh from the API, everything the prompt shows. `latestJobs` holds SafePause's newest job per target
 * (from the outbox): an object with a change still in flight is skipped, never sent a second, colliding request.
 */
export async function buildPromptView(
  apiClient: ApiClient,
  record: PromptRecord,
  advertiser: AdvertiserInfo,
  latestJobs: ReadonlyMap<string, { action: 'DISABLE' | 'ENABLE'; state: JobState }> = new Map(),
  pace?: RequestPace,
): Promise<{ view: PromptView; shown: NonNullable<PromptRecord['shown']> }> {
  // A person is waiting on these reads: a rate-limit refusal is waited out, not shown as missing data. Paced, they
  // take their slots in the pauses' limiter, so the pause confirmed right after them is not refused for them.
  const client = patientReads(apiClient, pace ? { pace } : {});
  const ids = record.targets.map((t) => t.id);
  const objects = new Map<string, Awaited<ReturnType<ApiClient['getObjects']>>['data']['list'][number]>();
  for (let i = 0; i < ids.length; i += 100) {
    const page = await client.getObjects(record.level, record.advertiserId, {
      ids: ids.slice(i, i + 100),
      pageSize: 100,
    });
    for (const object of page.data.list) objects.set(object.id, object);
  }
  // null: TikTok's report has a row but no figure ("-", or text that is not a number).
  const spend = new Map<string, string | null>();
  const lifetime = new Map<string, string | null>();
  const hourly = new Map<string, [number, string][]>();
  let spendKnown = true;
  // TikTok's today (its clock, from the answers above), not this computer's: a wrong local clock asks for no spend.
  const day = todayIn(advertiser.timezone, new Date(apiClient.serverNow?.() ?? Date.now()));
  const idField = LEVEL_META[record.level].idField;
  try {
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const base = { advertiserId: record.advertiserId, level: record.level, metrics: ['spend'], ids: chunk };
      const [today, total] = await Promise.all([
        client.report({ ...base, dimensions: [idField], startDate: day, endDate: day, pageSize: 1000 }),
        client.report({ ...base, dimensions: [idField], lifetime: true, pageSize: 1000 }),
      ]);
      for (const [report, into] of [
        [today, spend],
        [total, lifetime],
      ] as const) {
        for (const row of report.data.list) {
          const id = row.dimensions[idField];
          const value = row.metrics.spend;
          if (typeof id === 'string' && typeof value === 'string') {
            into.set(id, readMetric(value).kind === 'number' ? value.trim() : null);
          }
        }
      }
    }
  } catch {
    spendKnown = false;
  }
  // Spend per hour of today, for the popup's before/after chart: one more report, only for a few objects.
  if (spendKnown && ids.length <= 20) {
    try {
      const report = await client.report({
        advertiserId: record.advertiserId,
        level: record.level,
        metrics: ['spend'],
        ids,
        dimensions: [idField, 'stat_time_hour'],
        startDate: day,
        endDate: day,
        pageSize: 1000,
      });
      for (const row of report.data.list) {
        const id = row.dimensions[idField];
        const hour = Number(row.dimensions.stat_time_hour?.slice(11, 13));
        const value = row.metrics.spend;
        if (typeof id !== 'string' || typeof value !== 'string' || !Number.isInteger(hour)) continue;
        const list = hourly.get(id) ?? [];
        list.push([hour, value]);
        hourly.set(id, list);
      }
    } catch {
      // The chart is optional; the prompt and the job do not depend on it.
    }
  }
  const target = record.action;
  const parentNames = await readParentNames(client, record, [...objects.values()]);
  const views: PromptObjectView[] = record.targets.map((t) => {
    const object = objects.get(t.id);
    const parent = object ? stoppedByParent(record.level, object.secondaryStatus) : null;
    const parentId = parent === 'campaign' ? object?.campaignId : parent === 'adgroup' ? object?.adgroupId : null;
    const parentName = parentId ? (parentNames.get(parentId) ?? null) : null;
    const problem = skipReason({
      level: record.level,
      action: target,
      advertiserId: record.advertiserId,
      object: object ?? null,
      nameMatches: object ? namesMatch(t.name, object.name) : false,
      visibleName: t.name,
      parentName,
      latestJob: latestJobs.get(t.id) ?? null,
    });
    if (!object) {
      return {
        id: t.id,
        name: t.name,
        visibleName: t.name,
        operationStatus: 'UNKNOWN',
        secondaryStatus: null,
        budget: null,
        budgetMode: null,
        todaySpend: null,
        problem,
      };
    }
    const byParent = parentEffect(record.level, target, object.secondaryStatus, parentName);
    return {
      id: t.id,
      name: object.name,
      visibleName: t.name,
      operationStatus: object.operationStatus,
      secondaryStatus: object.secondaryStatus,
      budget: object.budget === null ? null : object.budget.toFixed(2),
      budgetMode: object.budgetMode,
      todaySpend: spendKnown ? reported(spend, t.id) : null,
      problem,
      effect: problem === null ? (byParent?.warning ?? null) : null,
    };
  });
  const actionable = views.filter((v) => v.problem === null);
  if (target === 'DISABLE' && record.level !== 'ad' && actionable.length > 0) {
    const counts = await countChildren(
      client,
      record,
      actionable.map((v) => v.id),
    );
    for (const view of actionable) {
      view.effect = cascadeText(record.level, target, {
        adgroups: counts.adgroups ? (counts.adgroups.get(view.id) ?? 0) : null,
        ads: counts.ads ? (counts.ads.get(view.id) ?? 0) : null,
      });
    }
  }
  // Totals of what will be sent: skipped objects change nothing, so their spend and budgets are not counted.
  const unreported = actionable.filter((v) => v.todaySpend === null).length;
  const total = spendKnown && unreported === 0 ? sumDecimal(actionable.map((v) => v.todaySpend ?? '0')) : null;
  const notes: string[] = [];
  if (!spendKnown) notes.push("Today's spend could not be read from TikTok's reports right now.");
  else if (unreported > 0) {
    notes.push(
      `TikTok's report gives no spend figure for ${unreported === 1 && actionable.length === 1 ? 'it' : `${unreported} of them`} today ("-"); the spend since the click cannot be measured there.`,
    );
  }
  if (record.level !== 'campaign' && target === 'ENABLE') {
    notes.push(
      `If its ${record.level === 'ad' ? 'ad group or campaign' : 'campaign'} is off, it will not deliver until that is on too.`,
    );
  }
  const shown = {
    at: Date.now(),
    objects: actionable.map((v) => ({
      id: v.id,
      name: v.name,
      operationStatus: v.operationStatus,
      modifyTime: objects.get(v.id)?.modifyTime ?? null,
      todaySpend: v.todaySpend,
      ledger: {
        currency: advertiser.currency,
        timeZone: advertiser.timezone,
        day,
        budget: objects.get(v.id)?.budget ?? null,
        budgetMode: objects.get(v.id)?.budgetMode ?? null,
        todaySpendAtClick: spendKnown ? reported(spend, v.id) : null,
        lifetimeSpendAtClick: spendKnown ? reported(lifetime, v.id) : null,
        ...(hourly.has(v.id) ? { hourly: (hourly.get(v.id) ?? []).sort((a, b) => a[0] - b[0]) } : {}),
      },
    })),
  };
  return {
    view: {
      promptId: record.id,
      level: record.level,
      action: target,
      advertiser: {
        id: advertiser.advertiserId,
        name: advertiser.name ?? advertiser.advertiserId,
        currency: advertiser.currency,
        timezone: advertiser.timezone,
      },
      objects: views,
      totals: { todaySpend: total, actionable: actionable.length, budgets: budgetTotals(actionable) },
      readAt: new Date(shown.at).toISOString(),
      notes,
    },
    shown,
  };
}

/** Names of the paused parents that stop some of these objects (for the prompt's text); empty when unreadable. */
async function readParentNames(
  client: ApiClient,
  record: PromptRecord,
  objects: readonly ApiObject[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (record.level === 'campaign') return names;
  const wanted: Record<'campaign' | 'adgroup', Set<string>> = { campaign: new Set(), adgroup: new Set() };
  for (const object of objects) {
    const parent = stoppedByParent(record.level, object.secondaryStatus);
    const id = parent === 'campaign' ? object.campaignId : parent === 'adgroup' ? object.adgroupId : null;
    if (parent && id) wanted[parent].add(id);
  }
  try {
    for (const level of ['campaign', 'adgroup'] as const) {
      const ids = [...wanted[level]];
      for (let i = 0; i < ids.length; i += 100) {
        const page = await client.getObjects(level, record.advertiserId, { ids: ids.slice(i, i + 100), pageSize: 100 });
        for (const object of page.data.list) names.set(object.id, object.name);
      }
    }
  } catch {
    // The warning still names the parent's level; only its name is missing.
  }
  return names;
}

/** Pages of children read per 100 parents at most: beyond that the count is reported as unknown. */
const CHILD_PAGES_MAX = 20;

/**
 * Live children (not deleted, on their own switch) that a pause stops with their parent: ad groups and ads
 * of each campaign, ads of each ad group. A map is null when TikTok could not be read.
 */
async function countChildren(
  client: ApiClient,
  record: PromptRecord,
  parentIds: readonly string[],
): Promise<{ adgroups: Map<string, number> | null; ads: Map<string, number> | null }> {
  const parentOf = (object: ApiObject) => (record.level === 'campaign' ? object.campaignId : object.adgroupId);
  async function count(level: 'adgroup' | 'ad'): Promise<Map<string, number> | null> {
    try {
      const children: ApiObject[] = [];
      for (let i = 0; i < parentIds.length; i += 100) {
        const chunk = parentIds.slice(i, i + 100);
        const { data } = await client.getAllObjects(level, record.advertiserId, {
          ...(record.level === 'campaign' ? { campaignIds: chunk } : { adgroupIds: chunk }),
          fields: record.level === 'campaign' ? ['campaign_id'] : ['adgroup_id'],
          maxPages: CHILD_PAGES_MAX,
        });
        children.push(...data);
      }
      return countByParent(children.map((c) => ({ parentId: parentOf(c), operationStatus: c.operationStatus })));
    } catch {
      return null;
    }
  }
  if (record.level === 'campaign') return { adgroups: await count('adgroup'), ads: await count('ad') };
  return { adgroups: null, ads: await count('ad') };
}

/** Budgets of the objects to send, by kind: daily (and average daily) summed, lifetime summed, unlimited counted. */
export function budgetTotals(
  objects: readonly { budget: string | null; budgetMode: string | null }[],
): NonNullable<PromptView['totals']['budgets']> {
  const daily: string[] = [];
  const lifetime: string[] = [];
  let unlimited = 0;
  for (const o of objects) {
    if (o.budgetMode === 'BUDGET_MODE_INFINITE' || o.budget === null) unlimited += 1;
    else if (o.budgetMode === 'BUDGET_MODE_TOTAL') lifetime.push(o.budget);
    else daily.push(o.budget);
  }
  return {
    daily: daily.length > 0 ? sumDecimal(daily) : null,
    dailyCount: daily.length,
    lifetime: lifetime.length > 0 ? sumDecimal(lifetime) : null,
    lifetimeCount: lifetime.length,
    unlimited,
  };
}

/** A report's figure for `id`: no row means it never spent (0.00); a row without a number is not reported. */
function reported(figures: ReadonlyMap<string, string | null>, id: string): string | null {
  return figures.has(id) ? (figures.get(id) ?? null) : '0.00';
}

/** Adds decimal strings exactly (integer minor units), e.g. report spend values. */
export function sumDecimal(values: readonly string[]): string {
  let cents = 0n;
  for (const value of values) {
    const match = /^(-?)(\d+)(?:\.(\d{1,2}))?/.exec(value.trim());
    if (!match) continue;
    const minor = BigInt(match[2] ?? '0') * 100n + BigInt((match[3] ?? '').padEnd(2, '0') || '0');
    cents += match[1] === '-' ? -minor : minor;
  }
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
