import { browser } from 'wxt/browser';
import type { ApiClient } from '../api/client';
import type { EndpointPath } from '../api/endpoints';
import { describeError, toApiFailure } from '../api/errors';
import { LEVEL_META, type Level, MAX_IDS_PER_FILTER } from '../api/ids';
import { patientReads } from '../api/patient';
import type { AdvertiserInfo, ApiObject } from '../api/schemas';
import { QPM_FLOOR_MS } from '../jobs/backoff';
import { type EnqueueResult, JobConflictError, type JobEngine, JobRequestError } from '../jobs/engine';
import { isApplied } from '../jobs/labels';
import type { RateLimiter } from '../jobs/limiter';
import { jobPhase, type Outbox } from '../jobs/outbox';
import type { Job, JobActor } from '../jobs/types';
import {
  addDays,
  type BacktestGranularity,
  type BacktestSeries,
  backtestRule,
  type DaypartDecision,
  type DaypartSchedule,
  DECISIONS,
  type Decision,
  daypartActions,
  evaluateRules,
  type FlapLimit,
  foldName,
  formatMetric,
  isDue,
  isInside,
  isValidTimeZone,
  LEVEL_PLURAL,
  METRIC_LABELS,
  METRICS_TO_REQUEST,
  MIN_EVERY_MINUTES,
  type PausedBy,
  planWindow,
  type RawMetrics,
  type ReportRow,
  type Rule,
  type RuleEvaluation,
  type RuleObject,
  requiredWindows,
  rowsByObject,
  sumHourRows,
  type WindowKey,
  zeroMetrics,
  zonedTime,
} from '../rules';
import {
  type FlagEntry,
  type FlagsDocument,
  loadFlags,
  loadRules,
  loadRulesState,
  localArea,
  pruneRulesState,
  type RulesDocument,
  type RulesState,
  type RunRecord,
  type StorageAreaLike,
  saveFlags,
  saveRulesState,
  toggleKey,
} from '../rules/storage';
import type { ClientState } from './client';

/**
 * Threshold rules and dayparting, worker side. An alarm (`safepause:rules`) wakes the worker every N minutes (N =
 * the shortest interval of the enabled rules, at least 1 minute; browser alarms run at most every 30 seconds in a
 * packed extension, and TikTok's reports lag about 30 minutes, so checking more often gains nothing). Each run:
 * 1. every enabled rule that is due and inside its days and hours (in the advertiser's time zone, from
 *    advertiser/info) reads the objects of its level (campaign/get …) and the report windows its conditions need
 *    (report/integrated/get, planned by `planWindow`); every request books the same rate limiter as the job engine;
 * 2. `evaluateRules` decides; `act` decisions become pause or resume jobs through the job engine (the same durable,
 *    verified pipeline as a person's pause) with the rule as the actor; a resume never touches what a person or the
 *    emergency stop paused (`pausedBy` comes from the job history, and a pause that was changed since by anyone
 *    else counts as not ours);
 * 3. breaches and data-guard holds are stored as flags for the overlay (text made here: the content script
 *    stays small); automatic pauses, resumes and new flags raise a browser notification;
 * 4. the result of every rule (or TikTok's error) is stored for the options page.
 * Dayparting schedules run in the same pass: `daypartActions` pauses outside their hours and resumes inside,
 * through the same pipeline, never resuming what a person paused.
 */

export const RULES_ALARM = 'safepause:rules';
/** Dayparting is checked at least this often: an edge of its hours is acted on at most this late. */
export const DAYPART_CHECK_MINUTES = 5;
/** A limiter wait longer than this ends the run (TikTok asked us to slow down); the next alarm tries again. */
const MAX_LIMITER_WAIT_MS = 60_000;
const MAX_PAGES = 100;
/** Names listed in a notification or a run result before "and N more". */
const NAMES_SHOWN = 3;
/**
 * Flags kept per rule, advertiser and level (storage.local holds 10 MB in all): breaches before data-guard notes, which
 * matter less and are the many in a large account.
 */
const MAX_BREACH_FLAGS = 2_000;
const MAX_DATA_FLAGS = 1_000;
const REPORT_PATH: EndpointPath = 'report/integrated/get/';

/** The notification icon (a pause sign), inline so no file is needed. */
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAAUklEQVR42u3YsQkAIAxFwUxi6f7ggDqBXSBR7sHv0lybCDVpzbFfGgAAAAAAAABANeBW1j0AAAAAAAAAAAAAAAAAQFeArwQAAAAAAADALwAVdQB3/LrxNvSsmQAAAABJRU5ErkJggg==';

export interface RulesRunnerDeps {
  client(): Promise<ClientState>;
  engine(): Promise<Pick<JobEngine, 'enqueue' | 'undoMany'> & { outbox: Pick<Outbox, 'jobsForObjects'> }>;
  /** The job engine's limiter: reads for rules share its budget. */
  limiter: Pick<RateLimiter, 'reserve' | 'penalize'>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  area?: StorageAreaLike;
  notify?: (notification: { title: string; message: string }) => Promise<void>;
  /** The flags of an advertiser and level changed (the overlay asks again). */
  onFlagsChanged?: (advertiserId: string, level: Level) => void;
  alarms?: Pick<typeof browser.alarms, 'get' | 'create' | 'clear'>;
}

/** What the overlay gets for a row: text only, made here. */
export interface FlagView {
  objectId: string;
  flags: FlagEntry[];
}

export interface PreviewItem {
  id: string;
  name: string;
  decision: Decision;
  reason: string;
}

export interface PreviewAdvertiser {
  advertiserId: string;
  name: string;
  timeZone: string | null;
  /** Whether now is inside the rule's days and hours (a preview ignores them). */
  insideSchedule: boolean | null;
  counts: Record<Decision, number>;
  /** Objects it would act on (or flag), then the ones held back, each with the reason. */
  items: PreviewItem[];
  error?: string;
}

export interface PreviewResult {
  ruleId: string;
  at: number;
  advertisers: PreviewAdvertiser[];
}

export interface BacktestAdvertiser {
  advertiserId: string;
  name: string;
  currency: string;
  from?: string;
  to?: string;
  objects: number;
  savedSpend: number;
  firings: { objectId: string; name: string; time: string; reason: string; savedSpend: number }[];
  firedCount: number;
  fired: { id: string; name: string }[];
  recovered: { id: string; name: string }[];
  error?: string;
}

export interface BacktestAnswer {
  ruleId: string;
  granularity: BacktestGranularity;
  days: number;
  advertisers: BacktestAdvertiser[];
}

export class RulesRequestError extends Error {
  override readonly name = 'RulesRequestError';
}

/** The alarm period for the enabled rules and schedules (minutes), or null when nothing is enabled. */
export function alarmPeriodMinutes(doc: Pick<RulesDocument, 'rules' | 'dayparts'>): number | null {
  let period = Number.POSITIVE_INFINITY;
  for (const r of doc.rules) if (r.enabled) period = Math.min(period, r.schedule.everyMinutes);
  if (doc.dayparts.some((d) => d.enabled)) period = Math.min(period, DAYPART_CHECK_MINUTES);
  return Number.isFinite(period) ? Math.max(MIN_EVERY_MINUTES, period) : null;
}

/** A short digest of a rule: an edited rule runs at once instead of waiting for its interval. */
export function ruleHash(value: unknown): string {
  const text = JSON.stringify(value);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x85ebca6b) >>> 0;
  }
  return `${h1.toString(36)}${h2.toString(36)}`;
}

/** Who paused the object, per SafePause's own history; null when the pause was not ours or was changed since. */
export function pausedByOf(
  jobs: readonly Job[] | undefined,
  object: Pick<ApiObject, 'modifyTime'>,
): { pausedBy: PausedBy | null; pauseJob: Job | null; pending: boolean } {
  const none = { pausedBy: null, pauseJob: null, pending: false };
  if (!jobs || jobs.length === 0) return none;
  const open = jobs.find((j) => jobPhase(j) === 'open' && !isApplied(j.state) && j.state !== 'undone');
  const pending = open !== undefined;
  // Jobs come newest first: the object's state is ours only if the newest job that changed anything is a pause.
  const effective = jobs.find((j) => isApplied(j.state) || j.state === 'undone');
  if (effective?.action !== 'DISABLE' || !isApplied(effective.state)) return { ...none, pending };
  const seen = effective.lastRead?.modifyTime ?? null;
  if (seen !== null && object.modifyTime !== null && seen !== object.modifyTime) return { ...none, pending };
  return { pausedBy: effective.actor.kind, pauseJob: effective, pending };
}

function plural(level: Level, n: number): string {
  return n === 1 ? LEVEL_META[level].label : LEVEL_PLURAL[level];
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).map((n) => `“${n}”`);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function clockText(at: number, timeZone: string): string {
  const t = zonedTime(at, timeZone);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][t.weekday];
  return `${day} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')} in ${timeZone}`;
}

function inScope(rule: Rule, o: Pick<ApiObject, 'id' | 'name'>): boolean {
  const match = rule.scope.match;
  if (match.kind === 'ids') return match.ids.includes(o.id);
  if (match.kind === 'nameContains') return foldName(o.name).includes(foldName(match.text));
  return true;
}

/** IDs to filter reads by when every rule names its objects (at most 500), else null (read them all). */
function scopedIds(rules: readonly Rule[]): string[] | null {
  const ids = new Set<string>();
  for (const r of rules) {
    if (r.scope.match.kind !== 'ids') return null;
    for (const id of r.scope.match.ids) ids.add(id);
  }
  return ids.size <= 5 * MAX_IDS_PER_FILTER ? [...ids] : null;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface Tally {
  checked: number;
  acted: string[];
  skipped: string[];
  flagged: number;
  notEnoughData: number;
  withinThreshold: number;
  other: number;
  outside: string[];
  errors: string[];
}

function newTally(): Tally {
  return {
    checked: 0,
    acted: [],
    skipped: [],
    flagged: 0,
    notEnoughData: 0,
    withinThreshold: 0,
    other: 0,
    outside: [],
    errors: [],
  };
}

function ruleRecord(rule: Rule, tally: Tally, at: number): RunRecord {
  const level = rule.scope.level;
  const parts: string[] = [];
  if (tally.checked > 0 || tally.errors.length === 0) {
    const verb = rule.action === 'pause' ? 'paused' : rule.action === 'resume' ? 'resumed' : 'flagged';
    const acted = rule.action === 'flag' ? tally.flagged : tally.acted.length;
    const list = rule.action !== 'flag' && tally.acted.length > 0 ? ` (${listNames(tally.acted)})` : '';
    const bits = [`${verb} ${acted}${list}`];
    if (tally.notEnoughData > 0) bits.push(`${tally.notEnoughData} not enough data yet`);
    if (tally.withinThreshold > 0) bits.push(`${tally.withinThreshold} within the threshold`);
    if (tally.other > 0) bits.push(`${tally.other} left alone (already done, cooldown, flap limit or protected)`);
    if (tally.checked > 0) parts.push(`Checked ${tally.checked} ${plural(level, tally.checked)}: ${bits.join(', ')}.`);
  }
  if (tally.skipped.length > 0) parts.push(`Not sent: ${tally.skipped.join(' ')}`);
  if (tally.outside.length > 0)
    parts.push(`Outside its days and hours (${tally.outside.join('; ')}): nothing checked.`);
  if (tally.checked === 0 && tally.outside.length === 0 && tally.errors.length === 0) {
    parts.push(`No ${LEVEL_PLURAL[level]} in its scope.`);
  }
  parts.push(...tally.errors);
  return {
    at,
    ok: tally.errors.length === 0 && tally.skipped.length === 0,
    text: parts.join(' '),
    acted: tally.acted.length,
    flagged: tally.flagged,
    notEnoughData: tally.notEnoughData,
    ruleHash: ruleHash(rule),
  };
}

function flagOf(rule: Rule, ev: RuleEvaluation, timeZone: string, at: number): FlagEntry | null {
  const when = `checked ${clockText(at, timeZone)}`;
  if (ev.decision === 'not-enough-data') {
    return { kind: 'data', label: 'Not enough data yet', text: `${rule.name}: ${ev.reason} (${when})` };
  }
  if (!ev.breached) return null;
  const metric = ev.metric;
  const label =
    metric && metric in METRIC_LABELS && ev.value !== undefined
      ? `⚑ ${METRIC_LABELS[metric as keyof typeof METRIC_LABELS]} ${formatMetric(metric as never, ev.value)}`
      : '⚑ Flagged';
  return { kind: 'breach', label, text: `${rule.name}: ${ev.reason} (${when})` };
}

async function defaultNotify(notification: { title: string; message: string }): Promise<void> {
  await browser.notifications.create({
    type: 'basic',
    iconUrl: ICON,
    title: notification.title,
    message: notification.message,
  });
}

export function createRulesRunner(deps: RulesRunnerDeps) {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const area = deps.area ?? localArea();
  const notify = deps.notify ?? defaultNotify;

  // ---- reading through the shared rate limiter ------------------------------------------------

  async function limited<T>(advertiserId: string | null, path: EndpointPath, call: () => Promise<T>): Promise<T> {
    const wait = deps.limiter.reserve(advertiserId, path, now());
    if (wait > MAX_LIMITER_WAIT_MS) {
      throw new RulesRequestError(
        `TikTok's rate limit leaves no room for rule checks for ${Math.ceil(wait / 1000)} s; they run again at the next check.`,
      );
    }
    if (wait > 0) await sleep(wait);
    try {
      return await call();
    } catch (error) {
      const failure = toApiFailure(error);
      if (failure.rateLimit === 'app') {
        deps.limiter.penalize(
          'app',
          advertiserId,
          now(),
          failure.rateLimitWindow === 'minute' ? { ms: QPM_FLOOR_MS } : {},
        );
      } else if (failure.rateLimit === 'advertiser' && advertiserId !== null) {
        deps.limiter.penalize('advertiser', advertiserId, now(), { path });
      }
      throw error;
    }
  }

  async function readObjects(
    client: ApiClient,
    advertiserId: string,
    level: Level,
    ids: readonly string[] | null,
  ): Promise<ApiObject[]> {
    const path = LEVEL_META[level].getPath;
    const out = new Map<string, ApiObject>();
    const batches: (string[] | undefined)[] = ids === null ? [undefined] : chunks(ids, MAX_IDS_PER_FILTER);
    for (const batch of batches) {
      for (let page = 1; page <= MAX_PAGES; page++) {
        const result = await limited(advertiserId, path, () =>
          client.getObjects(level, advertiserId, { ids: batch, page, pageSize: batch ? MAX_IDS_PER_FILTER : 1000 }),
        );
        for (const o of result.data.list) out.set(o.id, o);
        if (result.data.list.length === 0 || page >= result.data.pageInfo.total_page) break;
      }
    }
    return [...out.values()];
  }

  async function readReport(
    client: ApiClient,
    advertiserId: string,
    level: Level,
    query: { dimensions: string[]; startDate?: string; endDate?: string; lifetime?: boolean },
    metrics: readonly string[],
    ids: readonly string[] | null,
  ): Promise<ReportRow[]> {
    const rows: ReportRow[] = [];
    const batches: (string[] | undefined)[] = ids === null ? [undefined] : chunks(ids, MAX_IDS_PER_FILTER);
    for (const batch of batches) {
      for (let page = 1; page <= MAX_PAGES; page++) {
        const result = await limited(advertiserId, REPORT_PATH, () =>
          client.report({
            advertiserId,
            level,
            dimensions: query.dimensions,
            metrics,
            ...(query.lifetime ? { lifetime: true } : { startDate: query.startDate, endDate: query.endDate }),
            ...(batch ? { ids: batch } : {}),
            page,
            pageSize: 1000,
          }),
        );
        for (const row of result.data.list) rows.push(row as ReportRow);
        if (result.data.list.length === 0 || page >= (result.data.pageInfo.total_page ?? 1)) break;
      }
    }
    return rows;
  }

  async function readAdvertisers(client: ApiClient, ids: readonly string[]): Promise<Map<string, AdvertiserInfo>> {
    const out = new Map<string, AdvertiserInfo>();
    for (const batch of chunks(ids, 100)) {
      const info = await limited(null, 'advertiser/info/', () => client.advertiserInfo(batch));
      for (const a of info.data) out.set(a.advertiserId, a);
    }
    return out;
  }

  /** Every metric window the rules need, per object (zeros for an object without a row: it did not deliver). */
  async function readWindows(
    client: ApiClient,
    advertiserId: string,
    level: Level,
    windows: readonly WindowKey[],
    timeZone: string,
    at: number,
    ids: readonly string[] | null,
  ): Promise<Map<WindowKey, Map<string, RawMetrics>>> {
    const idField = LEVEL_META[level].idField;
    const out = new Map<WindowKey, Map<string, RawMetrics>>();
    for (const window of windows) {
      const plan = planWindow(window, level, at, timeZone);
      const rows: ReportRow[] = [];
      for (const q of plan.queries) {
        rows.push(
          ...(await readReport(
            client,
            advertiserId,
            level,
            {
              dimensions: q.dimensions,
              ...(q.query_lifetime ? { lifetime: true } : { startDate: q.start_date, endDate: q.end_date }),
            },
            METRICS_TO_REQUEST,
            ids,
          )),
        );
      }
      out.set(
        window,
        plan.hours ? (sumHourRows(rows, idField, plan.hours) as Map<string, RawMetrics>) : rowsByObject(rows, idField),
      );
    }
    return out;
  }

  /**
   * Lifetime and today's spend of objects about to be paused (the ledger's reference for what the pause saves);
   * empty when unreadable: the pause matters more than the figure.
   */
  async function spendAtDecision(
    client: ApiClient,
    where: Where,
    ids: readonly string[],
  ): Promise<{ lifetime: Map<string, string>; today: Map<string, string> }> {
    const out = { lifetime: new Map<string, string>(), today: new Map<string, string>() };
    if (ids.length === 0) return out;
    const idField = LEVEL_META[where.level].idField;
    const day = zonedTime(where.at, where.timeZone).date;
    const read = async (
      into: Map<string, string>,
      query: { lifetime?: boolean; startDate?: string; endDate?: string },
    ) => {
      try {
        const rows = await readReport(
          client,
          where.advertiserId,
          where.level,
          { dimensions: [idField], ...query },
          ['spend'],
          ids,
        );
        for (const row of rows) {
          const id = row.dimensions[idField];
          const spend = row.metrics.spend;
          if (typeof id === 'string' && typeof spend === 'string') into.set(id, spend);
        }
      } catch {
        // Without the figure the ledger shows no saving for this pause; the pause itself goes ahead.
      }
    };
    await read(out.lifetime, { lifetime: true });
    await read(out.today, { startDate: day, endDate: day });
    return out;
  }

  // ---- acting through the job engine ----------------------------------------------------------

  interface Target {
    object: ApiObject;
    pauseJob: Job | null;
  }

  /** An advertiser and level, with what a job's ledger needs. */
  interface Where {
    advertiserId: string;
    level: Level;
    currency: string;
    timeZone: string;
    at: number;
  }

  interface ActOutcome {
    /** Objects a new job was made for (joined jobs are not new toggles). */
    started: ApiObject[];
    joined: ApiObject[];
    skipped: string[];
  }

  async function act(
    client: ApiClient,
    where: Where,
    action: 'DISABLE' | 'ENABLE',
    actor: JobActor,
    targets: readonly Target[],
  ): Promise<ActOutcome> {
    const { advertiserId, level } = where;
    const outcome: ActOutcome = { started: [], joined: [], skipped: [] };
    if (targets.length === 0) return outcome;
    const engine = await deps.engine();
    const collect = (objects: readonly ApiObject[], result: EnqueueResult, jobIdsOf: (o: ApiObject) => string) => {
      const joined = new Set(result.joined);
      for (const o of objects) (joined.has(jobIdsOf(o)) ? outcome.joined : outcome.started).push(o);
    };
    if (action === 'ENABLE') {
      const undoable = targets.filter((t) => t.pauseJob !== null);
      for (const t of targets) {
        if (t.pauseJob === null) outcome.skipped.push(`“${t.object.name}”: no pause of SafePause's to undo.`);
      }
      if (undoable.length === 0) return outcome;
      try {
        const result = await engine.undoMany(
          undoable.map((t) => (t.pauseJob as Job).id),
          actor,
        );
        undoable.forEach((t, i) => {
          (result.joined.includes(result.jobIds[i] ?? '') ? outcome.joined : outcome.started).push(t.object);
        });
      } catch (error) {
        const words = error instanceof JobRequestError ? error.userMessage : describeError(error);
        outcome.skipped.push(`Resume of ${listNames(undoable.map((t) => t.object.name))}: ${words}`);
      }
      return outcome;
    }
    const spend = await spendAtDecision(
      client,
      where,
      targets.map((t) => t.object.id),
    );
    const day = zonedTime(where.at, where.timeZone).date;
    let objects = targets.map((t) => t.object);
    for (let attempt = 0; attempt < 2 && objects.length > 0; attempt++) {
      try {
        const result = await engine.enqueue({
          level,
          advertiserId,
          action: 'DISABLE',
          actor,
          objects: objects.map((o) => ({
            id: o.id,
            name: o.name,
            baseline: { operationStatus: o.operationStatus, modifyTime: o.modifyTime },
            spendAtClick: spend.lifetime.get(o.id) ?? null,
            ledger: {
              currency: where.currency,
              timeZone: where.timeZone,
              day,
              budget: o.budget,
              budgetMode: o.budgetMode,
              todaySpendAtClick: spend.today.get(o.id) ?? null,
              lifetimeSpendAtClick: spend.lifetime.get(o.id) ?? null,
            },
          })),
        });
        const byId = new Map(objects.map((o, i) => [o.id, result.jobIds[i] ?? '']));
        collect(objects, result, (o) => byId.get(o.id) ?? '');
        return outcome;
      } catch (error) {
        if (error instanceof JobConflictError) {
          // A resume of some of them is in flight: those wait for the next check, the others go now.
          const blocked = new Set(error.conflicts.map((c) => c.objectId));
          for (const c of error.conflicts) {
            outcome.skipped.push(`“${c.objectName}”: a resume is still in progress; checked again next time.`);
          }
          objects = objects.filter((o) => !blocked.has(o.id));
          continue;
        }
        const words = error instanceof JobRequestError ? error.userMessage : describeError(error);
        outcome.skipped.push(`Pause of ${listNames(objects.map((o) => o.name))}: ${words}`);
        return outcome;
      }
    }
    return outcome;
  }

  function recordToggles(
    state: RulesState,
    advertiserId: string,
    level: Level,
    objects: readonly ApiObject[],
    at: number,
  ) {
    for (const o of objects) {
      const key = toggleKey(advertiserId, level, o.id);
      state.toggles[key] = [...(state.toggles[key] ?? []), at];
    }
  }

  // ---- one advertiser and level ----------------------------------------------------------------

  interface Gathered {
    objects: ApiObject[];
    byId: Map<string, ApiObject>;
    ruleObjects: RuleObject[];
    history: Map<string, ReturnType<typeof pausedByOf>>;
  }

  async function gather(
    client: ApiClient,
    advertiserId: string,
    level: Level,
    rules: readonly Rule[],
    timeZone: string,
    at: number,
    state: RulesState,
  ): Promise<Gathered> {
    const ids = scopedIds(rules);
    const objects = (await readObjects(client, advertiserId, level, ids)).filter(
      (o) => o.advertiserId === null || o.advertiserId === advertiserId,
    );
    const windows = requiredWindows(rules.map((r) => ({ ...r, enabled: true })));
    const metrics = await readWindows(client, advertiserId, level, windows, timeZone, at, ids);
    // Who paused what matters only to resumes; the job history is read for switched-off objects then.
    const history = new Map<string, ReturnType<typeof pausedByOf>>();
    if (rules.some((r) => r.action === 'resume')) {
      const off = objects.filter((o) => o.operationStatus === 'DISABLE').map((o) => o.id);
      const engine = await deps.engine();
      const jobs = await engine.outbox.jobsForObjects(advertiserId, level, off);
      const byId = new Map(objects.map((o) => [o.id, o]));
      for (const [id, list] of jobs) history.set(id, pausedByOf(list, byId.get(id) ?? { modifyTime: null }));
    }
    const ruleObjects: RuleObject[] = objects.map((o) => {
      const metricsByWindow: Partial<Record<WindowKey, RawMetrics>> = {};
      for (const w of windows) metricsByWindow[w] = metrics.get(w)?.get(o.id) ?? zeroMetrics();
      return {
        id: o.id,
        name: o.name,
        level,
        advertiserId,
        operationStatus: o.operationStatus,
        budget: o.budget,
        budgetMode: o.budgetMode,
        metricsByWindow,
        pausedBy: history.get(o.id)?.pausedBy ?? null,
        lastToggles: state.toggles[toggleKey(advertiserId, level, o.id)] ?? [],
      };
    });
    return { objects, byId: new Map(objects.map((o) => [o.id, o])), ruleObjects, history };
  }

  /** Something a rule or schedule did on its own, told in one notification per rule, kind and level. */
  interface Notice {
    /** Who: `Rule “High CPA”` or `Dayparting “Office hours” (outside its hours)`. */
    who: string;
    kind: 'paused' | 'resumed' | 'flagged';
    level: Level;
    names: string[];
  }

  function noticesToNotifications(notices: readonly Notice[]): { title: string; message: string }[] {
    const merged = new Map<string, Notice>();
    for (const n of notices) {
      const key = `${n.who}|${n.kind}|${n.level}`;
      const into = merged.get(key);
      if (into) into.names.push(...n.names);
      else merged.set(key, { ...n, names: [...n.names] });
    }
    return [...merged.values()].map((n) => ({
      title: `SafePause ${n.kind} ${n.names.length} ${plural(n.level, n.names.length)}`,
      message: `${n.who}: ${listNames(n.names)}. ${
        n.kind === 'flagged'
          ? 'Nothing was paused; the rows are marked in Ads Manager.'
          : 'The popup shows each one until TikTok confirms it.'
      }`,
    }));
  }

  async function runRulesAt(
    client: ApiClient,
    where: Where,
    rules: readonly Rule[],
    state: RulesState,
    flapLimit: FlapLimit,
    tallies: Map<string, Tally>,
    notices: Notice[],
  ): Promise<void> {
    const { advertiserId, level, timeZone, at } = where;
    const { ruleObjects, byId, history } = await gather(client, advertiserId, level, rules, timeZone, at, state);
    const results = evaluateRules(rules, ruleObjects, {
      now: at,
      timeZoneByAdvertiser: { [advertiserId]: timeZone },
      lastFiredAt: state.lastFiredAt,
      flapLimit,
    });
    const previous = await loadFlags(advertiserId, level, area);
    const flags: FlagsDocument = { byRule: { ...previous.byRule } };
    const acts = new Map<string, ApiObject[]>();
    const entries = new Map<string, Record<string, FlagEntry>>();
    const newlyFlagged = new Map<string, string[]>();
    const byRuleId = new Map(rules.map((r) => [r.id, r]));
    const kept = new Map<string, { breach: number; data: number }>();
    for (const rule of rules) {
      entries.set(rule.id, {});
      kept.set(rule.id, { breach: 0, data: 0 });
    }
    for (const ev of results) {
      const tally = tallies.get(ev.ruleId) ?? newTally();
      tallies.set(ev.ruleId, tally);
      tally.checked++;
      const rule = byRuleId.get(ev.ruleId) as Rule;
      const mine = entries.get(rule.id) ?? {};
      const count = kept.get(rule.id) ?? { breach: 0, data: 0 };
      // A switched-off object spends nothing: "not enough data yet" would only be noise on its row.
      const object = byId.get(ev.objectId);
      const flag =
        ev.decision === 'not-enough-data' && object?.operationStatus !== 'ENABLE'
          ? null
          : flagOf(rule, ev, timeZone, at);
      if (flag && count[flag.kind] < (flag.kind === 'breach' ? MAX_BREACH_FLAGS : MAX_DATA_FLAGS)) {
        mine[ev.objectId] = flag;
        count[flag.kind]++;
      }
      switch (ev.decision) {
        case 'act': {
          const o = byId.get(ev.objectId);
          if (o) {
            const list = acts.get(rule.id) ?? [];
            list.push(o);
            acts.set(rule.id, list);
          }
          break;
        }
        case 'flag': {
          tally.flagged++;
          state.lastFiredAt[`${rule.id}:${ev.objectId}`] = at;
          if (previous.byRule[rule.id]?.entries[ev.objectId]?.kind !== 'breach') {
            const names = newlyFlagged.get(rule.id) ?? [];
            names.push(byId.get(ev.objectId)?.name ?? ev.objectId);
            newlyFlagged.set(rule.id, names);
          }
          break;
        }
        case 'not-enough-data':
          tally.notEnoughData++;
          break;
        case 'no-breach':
          tally.withinThreshold++;
          break;
        default:
          tally.other++;
      }
    }
    for (const rule of rules) flags.byRule[rule.id] = { at, entries: entries.get(rule.id) ?? {} };
    await saveFlags(advertiserId, level, flags, area);
    deps.onFlagsChanged?.(advertiserId, level);

    for (const [ruleId, objects] of acts) {
      const rule = byRuleId.get(ruleId) as Rule;
      const tally = tallies.get(ruleId) ?? newTally();
      const action = rule.action === 'resume' ? 'ENABLE' : 'DISABLE';
      const targets = objects.map((object) => ({ object, pauseJob: history.get(object.id)?.pauseJob ?? null }));
      const outcome = await act(client, where, action, { kind: 'rule', id: rule.id }, targets);
      for (const o of [...outcome.started, ...outcome.joined]) {
        state.lastFiredAt[`${rule.id}:${o.id}`] = at;
        tally.acted.push(o.name);
      }
      recordToggles(state, advertiserId, level, outcome.started, at);
      tally.skipped.push(...outcome.skipped);
      if (outcome.started.length > 0) {
        notices.push({
          who: `Rule “${rule.name}”`,
          kind: action === 'DISABLE' ? 'paused' : 'resumed',
          level,
          names: outcome.started.map((o) => o.name),
        });
      }
    }
    for (const [ruleId, names] of newlyFlagged) {
      const rule = byRuleId.get(ruleId) as Rule;
      notices.push({ who: `Rule “${rule.name}”`, kind: 'flagged', level, names });
    }
    await saveRulesState(state, area);
  }

  async function runDayparts(
    client: ApiClient,
    schedules: readonly DaypartSchedule[],
    infos: Map<string, AdvertiserInfo>,
    at: number,
    state: RulesState,
    flapLimit: FlapLimit,
    notices: Notice[],
  ): Promise<void> {
    for (const schedule of schedules) {
      const level = schedule.level;
      const info = infos.get(schedule.advertiserId);
      const timeZone = info?.timezone;
      if (!timeZone || !isValidTimeZone(timeZone)) {
        state.runs[schedule.id] = {
          at,
          ok: false,
          text: `The time zone of advertiser ${schedule.advertiserId} is not known (TikTok did not return it), so nothing was changed.`,
          acted: 0,
          flagged: 0,
          notEnoughData: 0,
        };
        continue;
      }
      try {
        const objects = await readObjects(client, schedule.advertiserId, level, schedule.objectIds);
        const byId = new Map(objects.map((o) => [o.id, o]));
        const engine = await deps.engine();
        const jobs = await engine.outbox.jobsForObjects(schedule.advertiserId, level, schedule.objectIds);
        const history = new Map(objects.map((o) => [o.id, pausedByOf(jobs.get(o.id), o)]));
        const decisions = daypartActions(
          schedule,
          objects.map((o) => ({
            id: o.id,
            level,
            advertiserId: schedule.advertiserId,
            operationStatus: o.operationStatus,
            pausedBy: history.get(o.id)?.pausedBy ?? null,
            lastToggles: state.toggles[toggleKey(schedule.advertiserId, level, o.id)] ?? [],
          })),
          at,
          timeZone,
          { flapLimit },
        );
        const pending = (d: DaypartDecision) => history.get(d.objectId)?.pending === true;
        const pauses = decisions.filter((d) => d.decision === 'pause');
        const resumes = decisions.filter((d) => d.decision === 'resume' && !pending(d));
        const waiting = decisions.filter((d) => d.decision !== 'pause' && pending(d));
        const actor: JobActor = { kind: 'rule', id: `daypart:${schedule.id}` };
        const where: Where = {
          advertiserId: schedule.advertiserId,
          level,
          currency: info?.currency ?? '',
          timeZone,
          at,
        };
        const paused = await act(
          client,
          where,
          'DISABLE',
          actor,
          pauses.flatMap((d) => {
            const object = byId.get(d.objectId);
            return object ? [{ object, pauseJob: null }] : [];
          }),
        );
        const resumed = await act(
          client,
          where,
          'ENABLE',
          actor,
          resumes.flatMap((d) => {
            const object = byId.get(d.objectId);
            return object ? [{ object, pauseJob: history.get(d.objectId)?.pauseJob ?? null }] : [];
          }),
        );
        recordToggles(state, schedule.advertiserId, level, [...paused.started, ...resumed.started], at);
        const clock =
          decisions[0]?.desired === 'on'
            ? `Inside its hours (${clockText(at, timeZone)})`
            : `Outside its hours (${clockText(at, timeZone)})`;
        const bits: string[] = [];
        const done = [...paused.started, ...paused.joined];
        const back = [...resumed.started, ...resumed.joined];
        if (done.length > 0) bits.push(`paused ${done.length} (${listNames(done.map((o) => o.name))})`);
        if (back.length > 0) bits.push(`resumed ${back.length} (${listNames(back.map((o) => o.name))})`);
        const already = decisions.filter((d) => d.decision === 'already-in-state').length;
        if (already > 0) bits.push(`${already} already as wanted`);
        if (waiting.length > 0) bits.push(`${waiting.length} waiting for a change in progress`);
        const held = decisions.filter((d) => ['protected', 'flap-limited', 'not-found'].includes(d.decision));
        for (const d of held) bits.push(`${byId.get(d.objectId)?.name ?? d.objectId}: ${d.reason}`);
        const skipped = [...paused.skipped, ...resumed.skipped];
        state.runs[schedule.id] = {
          at,
          ok: skipped.length === 0,
          text: `${clock}: ${bits.length > 0 ? bits.join('; ') : 'nothing to do'}.${skipped.length > 0 ? ` Not sent: ${skipped.join(' ')}` : ''}`,
          acted: paused.started.length + resumed.started.length,
          flagged: 0,
          notEnoughData: 0,
          ruleHash: ruleHash(schedule),
        };
        if (paused.started.length > 0) {
          notices.push({
            who: `Dayparting “${schedule.name}” (outside its hours)`,
            kind: 'paused',
            level,
            names: paused.started.map((o) => o.name),
          });
        }
        if (resumed.started.length > 0) {
          notices.push({
            who: `Dayparting “${schedule.name}” (inside its hours)`,
            kind: 'resumed',
            level,
            names: resumed.started.map((o) => o.name),
          });
        }
      } catch (error) {
        state.runs[schedule.id] = {
          at,
          ok: false,
          text: `Not checked: ${describeError(error)}`,
          acted: 0,
          flagged: 0,
          notEnoughData: 0,
          ruleHash: ruleHash(schedule),
        };
      }
      await saveRulesState(state, area);
    }
  }

  // ---- the run ----------------------------------------------------------------------------------

  function isRuleDue(rule: Rule, run: RunRecord | undefined, at: number): boolean {
    if (!rule.enabled) return false;
    if (!run || run.ruleHash !== ruleHash(rule)) return true;
    return isDue(rule.schedule, run.at, at);
  }

  async function runOnce(): Promise<void> {
    const at = now();
    const { doc } = await loadRules(area);
    const live = new Set([...doc.rules.map((r) => r.id), ...doc.dayparts.map((d) => d.id)]);
    const state = pruneRulesState(await loadRulesState(area), at, live);
    const due = doc.rules.filter((r) => isRuleDue(r, state.runs[r.id], at));
    const dayparts = doc.dayparts.filter((d) => d.enabled);
    if (due.length === 0 && dayparts.length === 0) return;
    state.lastCheckAt = at;
    const failAll = (text: string) => {
      for (const r of due) state.runs[r.id] = { ...ruleRecord(r, newTally(), at), ok: false, text };
      for (const d of dayparts) {
        state.runs[d.id] = { at, ok: false, text, acted: 0, flagged: 0, notEnoughData: 0, ruleHash: ruleHash(d) };
      }
    };
    const cs = await deps.client();
    if (!cs.ok) {
      failAll(`Not checked: ${cs.message}`);
      await saveRulesState(state, area);
      return;
    }
    const client = patientReads(cs.client);
    const connected = cs.settings.advertiserIds;
    const wanted = new Set<string>();
    for (const r of due) for (const id of r.advertiserIds.length > 0 ? r.advertiserIds : connected) wanted.add(id);
    for (const d of dayparts) wanted.add(d.advertiserId);
    const usable = [...wanted].filter((id) => connected.includes(id));
    let infos: Map<string, AdvertiserInfo>;
    try {
      infos = usable.length > 0 ? await readAdvertisers(client, usable) : new Map();
    } catch (error) {
      failAll(`Not checked: advertiser/info failed: ${describeError(error)}`);
      await saveRulesState(state, area);
      return;
    }
    const timeZones = new Map([...infos].map(([id, a]) => [id, a.timezone]));
    const tallies = new Map<string, Tally>(due.map((r) => [r.id, newTally()]));
    const notices: Notice[] = [];

    // Group the due rules by advertiser and level, leaving out those outside their days and hours there.
    const groups = new Map<string, { advertiserId: string; level: Level; rules: Rule[] }>();
    for (const rule of due) {
      const tally = tallies.get(rule.id) ?? newTally();
      for (const advertiserId of rule.advertiserIds.length > 0 ? rule.advertiserIds : connected) {
        if (!connected.includes(advertiserId)) {
          tally.errors.push(`Advertiser ${advertiserId} is not connected in SafePause options (Account).`);
          continue;
        }
        const timeZone = timeZones.get(advertiserId);
        if (!timeZone || !isValidTimeZone(timeZone)) {
          tally.errors.push(`TikTok did not return advertiser ${advertiserId} (or its time zone) for this token.`);
          continue;
        }
        const t = zonedTime(at, timeZone);
        if (!isInside(rule.schedule.days, rule.schedule.hours, t)) {
          tally.outside.push(clockText(at, timeZone));
          continue;
        }
        const key = `${advertiserId}:${rule.scope.level}`;
        const group = groups.get(key) ?? { advertiserId, level: rule.scope.level, rules: [] };
        group.rules.push(rule);
        groups.set(key, group);
      }
    }
    for (const group of groups.values()) {
      const timeZone = timeZones.get(group.advertiserId) as string;
      try {
        await runRulesAt(
          client,
          {
            advertiserId: group.advertiserId,
            level: group.level,
            currency: infos.get(group.advertiserId)?.currency ?? '',
            timeZone,
            at,
          },
          group.rules,
          state,
          doc.flapLimit,
          tallies,
          notices,
        );
      } catch (error) {
        for (const rule of group.rules) {
          tallies.get(rule.id)?.errors.push(`Advertiser ${group.advertiserId}: ${describeError(error)}`);
        }
      }
    }
    for (const rule of due) state.runs[rule.id] = ruleRecord(rule, tallies.get(rule.id) ?? newTally(), at);
    await saveRulesState(state, area);

    const scheduled = dayparts.filter((d) => connected.includes(d.advertiserId));
    for (const d of dayparts) {
      if (!connected.includes(d.advertiserId)) {
        state.runs[d.id] = {
          at,
          ok: false,
          text: `Advertiser ${d.advertiserId} is not connected in SafePause options (Account).`,
          acted: 0,
          flagged: 0,
          notEnoughData: 0,
          ruleHash: ruleHash(d),
        };
      }
    }
    await runDayparts(client, scheduled, infos, at, state, doc.flapLimit, notices);
    await saveRulesState(state, area);

    for (const notice of noticesToNotifications(notices)) {
      try {
        await notify(notice);
      } catch (error) {
        console.error('[safepause] notification failed', error);
      }
    }
  }

  let running: Promise<void> | null = null;
  let again = false;

  /** Runs every due rule and every dayparting schedule once; a run asked for during a run follows it. */
  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await runOnce();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  // ---- the alarm --------------------------------------------------------------------------------

  /** Makes the alarm match the enabled rules (created when missing or when its period changed). */
  async function syncAlarm(): Promise<number | null> {
    const alarms = deps.alarms ?? browser.alarms;
    const { doc } = await loadRules(area);
    const period = alarmPeriodMinutes(doc);
    const existing = await alarms.get(RULES_ALARM);
    if (period === null) {
      if (existing) await alarms.clear(RULES_ALARM);
      return null;
    }
    if (!existing || existing.periodInMinutes !== period) {
      await alarms.create(RULES_ALARM, { delayInMinutes: period, periodInMinutes: period });
    }
    return period;
  }

  /** Rules or schedules were saved: the alarm follows them and changed ones are checked at once. */
  async function rulesChanged(): Promise<void> {
    await syncAlarm();
    await run();
  }

  // ---- the overlay's flags ----------------------------------------------------------------------

  async function flagsFor(advertiserId: string, level: Level, ids: readonly string[]): Promise<FlagView[]> {
    const { doc } = await loadRules(area);
    const live = new Set(doc.rules.filter((r) => r.enabled && r.scope.level === level).map((r) => r.id));
    const stored = await loadFlags(advertiserId, level, area);
    const out: FlagView[] = [];
    for (const id of new Set(ids)) {
      const flags: FlagEntry[] = [];
      for (const [ruleId, f] of Object.entries(stored.byRule)) {
        const entry = live.has(ruleId) ? f.entries[id] : undefined;
        if (entry) flags.push(entry);
      }
      if (flags.length > 0) {
        flags.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'breach' ? -1 : 1));
        out.push({ objectId: id, flags });
      }
    }
    return out;
  }

  // ---- preview and backtest (options page) ----------------------------------------------------

  async function connectedFor(rule: Rule): Promise<{ client: ApiClient; advertiserIds: string[] }> {
    const cs = await deps.client();
    if (!cs.ok) throw new RulesRequestError(cs.message);
    const ids = rule.advertiserIds.length > 0 ? rule.advertiserIds : cs.settings.advertiserIds;
    const missing = ids.filter((id) => !cs.settings.advertiserIds.includes(id));
    if (missing.length > 0) {
      throw new RulesRequestError(
        `Advertiser ${missing.join(', ')} is not connected in SafePause options (Account), so the rule cannot be tried on it.`,
      );
    }
    return { client: patientReads(cs.client), advertiserIds: ids };
  }

  /** What the rule would do right now (its days and hours aside), for each advertiser: nothing is sent. */
  async function preview(rule: Rule): Promise<PreviewResult> {
    const at = now();
    const { client, advertiserIds } = await connectedFor(rule);
    const { doc } = await loadRules(area);
    const state = await loadRulesState(area);
    const infos = await readAdvertisers(client, advertiserIds);
    const live = { ...rule, enabled: true };
    const advertisers: PreviewAdvertiser[] = [];
    for (const advertiserId of advertiserIds) {
      const info = infos.get(advertiserId);
      const counts = Object.fromEntries(DECISIONS.map((d) => [d, 0])) as Record<Decision, number>;
      const base: PreviewAdvertiser = {
        advertiserId,
        name: info?.name ?? advertiserId,
        timeZone: info?.timezone ?? null,
        insideSchedule: null,
        counts,
        items: [],
      };
      if (!info || !isValidTimeZone(info.timezone)) {
        advertisers.push({ ...base, error: `TikTok did not return advertiser ${advertiserId} for this token.` });
        continue;
      }
      try {
        const { ruleObjects, byId } = await gather(
          client,
          advertiserId,
          rule.scope.level,
          [live],
          info.timezone,
          at,
          state,
        );
        const results = evaluateRules([live], ruleObjects, {
          now: at,
          timeZoneByAdvertiser: { [advertiserId]: info.timezone },
          lastFiredAt: state.lastFiredAt,
          flapLimit: doc.flapLimit,
          ignoreSchedule: true,
        });
        const items: PreviewItem[] = [];
        const held: PreviewItem[] = [];
        for (const ev of results) {
          counts[ev.decision]++;
          const item = {
            id: ev.objectId,
            name: byId.get(ev.objectId)?.name ?? ev.objectId,
            decision: ev.decision,
            reason: ev.reason,
          };
          if (ev.decision === 'act' || ev.decision === 'flag') {
            if (items.length < 500) items.push(item);
          } else if (ev.decision !== 'no-breach' && held.length < 100) held.push(item);
        }
        advertisers.push({
          ...base,
          insideSchedule: isInside(rule.schedule.days, rule.schedule.hours, zonedTime(at, info.timezone)),
          items: [...items, ...held],
        });
      } catch (error) {
        advertisers.push({ ...base, error: describeError(error) });
      }
    }
    return { ruleId: rule.id, at, advertisers };
  }

  /** Replays the rule over the last `days` days of daily or hourly reports (read now), per advertiser. */
  async function backtest(rule: Rule, days: number, granularity: BacktestGranularity): Promise<BacktestAnswer> {
    const at = now();
    const { client, advertiserIds } = await connectedFor(rule);
    const infos = await readAdvertisers(client, advertiserIds);
    const level = rule.scope.level;
    const idField = LEVEL_META[level].idField;
    const timeField = granularity === 'hour' ? 'stat_time_hour' : 'stat_time_day';
    const advertisers: BacktestAdvertiser[] = [];
    for (const advertiserId of advertiserIds) {
      const info = infos.get(advertiserId);
      const base: BacktestAdvertiser = {
        advertiserId,
        name: info?.name ?? advertiserId,
        currency: info?.currency ?? '',
        objects: 0,
        savedSpend: 0,
        firings: [],
        firedCount: 0,
        fired: [],
        recovered: [],
      };
      if (!info || !isValidTimeZone(info.timezone)) {
        advertisers.push({ ...base, error: `TikTok did not return advertiser ${advertiserId} for this token.` });
        continue;
      }
      try {
        const ids = scopedIds([rule]);
        const objects = (await readObjects(client, advertiserId, level, ids)).filter((o) => inScope(rule, o));
        const names = new Map(objects.map((o) => [o.id, o.name]));
        const filter = ids ?? (objects.length <= MAX_IDS_PER_FILTER ? objects.map((o) => o.id) : null);
        const today = zonedTime(at, info.timezone).date;
        const from = addDays(today, -(days - 1));
        const rows: ReportRow[] = [];
        const metrics = ['spend', 'impressions', 'clicks', 'conversion'];
        if (objects.length > 0) {
          if (granularity === 'day') {
            rows.push(
              ...(await readReport(
                client,
                advertiserId,
                level,
                { dimensions: [idField, timeField], startDate: from, endDate: today },
                metrics,
                filter,
              )),
            );
          } else {
            for (let d = 0; d < days; d++) {
              const date = addDays(from, d);
              rows.push(
                ...(await readReport(
                  client,
                  advertiserId,
                  level,
                  { dimensions: [idField, timeField], startDate: date, endDate: date },
                  metrics,
                  filter,
                )),
              );
            }
          }
        }
        const points = new Map<string, BacktestSeries['points'][number][]>();
        for (const row of rows) {
          const id = row.dimensions[idField];
          const time = row.dimensions[timeField];
          if (typeof id !== 'string' || typeof time !== 'string' || !names.has(id)) continue;
          const list = points.get(id) ?? [];
          list.push({
            time,
            spend: row.metrics.spend,
            impressions: row.metrics.impressions,
            clicks: row.metrics.clicks,
            conversions: row.metrics.conversion,
          });
          points.set(id, list);
        }
        const series: BacktestSeries[] = objects.map((o) => ({
          objectId: o.id,
          budget: o.budget,
          budgetMode: o.budgetMode,
          points: points.get(o.id) ?? [],
        }));
        const result = backtestRule({ ...rule, enabled: true }, series, { granularity, from });
        const firings = result.objects
          .flatMap((o) =>
            o.firings.map((f) => ({
              objectId: o.objectId,
              name: names.get(o.objectId) ?? o.objectId,
              time: f.time,
              reason: f.reason,
              savedSpend: f.savedSpend,
            })),
          )
          .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
        advertisers.push({
          ...base,
          from: result.from,
          to: result.to,
          objects: objects.length,
          savedSpend: result.savedSpend,
          firedCount: firings.length,
          firings: firings.slice(0, 200),
          fired: result.firedObjectIds.map((id) => ({ id, name: names.get(id) ?? id })),
          recovered: result.recoveredObjectIds.map((id) => ({ id, name: names.get(id) ?? id })),
        });
      } catch (error) {
        advertisers.push({ ...base, error: describeError(error) });
      }
    }
    return { ruleId: rule.id, granularity, days, advertisers };
  }

  function failure(error: unknown): { ok: false; error: string } {
    if (error instanceof RulesRequestError) return { ok: false, error: error.message };
    if (error instanceof JobRequestError) return { ok: false, error: error.userMessage };
    return { ok: false, error: describeError(error) };
  }

  /** `preview` as a message answer: TikTok's or SafePause's words on failure, never a throw. */
  async function previewAnswer(
    rule: Rule,
  ): Promise<{ ok: true; preview: PreviewResult } | { ok: false; error: string }> {
    try {
      return { ok: true, preview: await preview(rule) };
    } catch (error) {
      return failure(error);
    }
  }

  async function backtestAnswer(
    rule: Rule,
    days: number,
    granularity: BacktestGranularity,
  ): Promise<{ ok: true; backtest: BacktestAnswer } | { ok: false; error: string }> {
    try {
      return { ok: true, backtest: await backtest(rule, days, granularity) };
    } catch (error) {
      return failure(error);
    }
  }

  return { run, syncAlarm, rulesChanged, flagsFor, preview, backtest, previewAnswer, backtestAnswer };
}

export type RulesRunner = ReturnType<typeof createRulesRunner>;
