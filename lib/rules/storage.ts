/**
 * Where rules live: the rules and dayparting schedules a person wrote (storage.local, key `rules`,
 * written by the options page), and what the worker remembers between runs (key `rulesState`:
 * last-fired times for cooldowns, per-object toggle history for the flap limit, the last result of
 * every rule; keys `ruleFlags:<advertiser>:<level>`: the flags the overlay shows). storage.local is
 * on disk, so a worker restart or a browser restart loses none of it. Neither holds anything secret.
 *
 * One writer per key: the options page writes `rules`, the worker writes the rest.
 *
 * Versions of the `rules` document:
 * - 0: a bare list of rules (before the document had a version);
 * - 1: `{ version: 1, rules, dayparts, flapLimit, invalid }`.
 * `migrateRulesDocument` brings any of them to the current version and never drops what a person
 * wrote: fields added later get their defaults, a rule or schedule that does not validate is kept
 * verbatim under `invalid` (with the reasons, shown in options until it is fixed or deleted), a
 * repeated ID gets a fresh one, and a document written by a newer SafePause is read but never
 * overwritten.
 */
import { browser } from 'wxt/browser';
import type { Level } from '../api/ids';
import { z } from '../zod';
import {
  type DaypartSchedule,
  DEFAULT_FLAP_LIMIT,
  daypartScheduleSchema,
  type FlapLimit,
  flapLimitSchema,
  MAX_COOLDOWN_MINUTES,
  type Rule,
  ruleSchema,
} from './schema';

export const RULES_KEY = 'rules';
export const RULES_STATE_KEY = 'rulesState';
export const FLAGS_KEY_PREFIX = 'ruleFlags:';
export const RULES_VERSION = 1;

/** Something stored that does not validate, kept as it was. */
export interface InvalidEntry {
  kind: 'rule' | 'daypart';
  raw: unknown;
  errors: string[];
}

export interface RulesDocument {
  version: typeof RULES_VERSION;
  rules: Rule[];
  dayparts: DaypartSchedule[];
  flapLimit: FlapLimit;
  invalid: InvalidEntry[];
}

export interface LoadedRules {
  doc: RulesDocument;
  /** What the migration changed or could not read, in words. */
  problems: string[];
  /** Written by a newer SafePause: shown, never overwritten. */
  readOnly: boolean;
}

export function emptyRulesDocument(): RulesDocument {
  return { version: RULES_VERSION, rules: [], dayparts: [], flapLimit: { ...DEFAULT_FLAP_LIMIT }, invalid: [] };
}

const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fields a rule may lack when it was saved before they existed. */
function withRuleDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  const schedule = isRecord(raw.schedule) ? raw.schedule : {};
  return {
    enabled: true,
    advertiserIds: [],
    guards: {},
    cooldownMinutes: 0,
    targets: {},
    ...raw,
    schedule: { everyMinutes: 30, days: ALL_WEEK, hours: [0, 24], ...schedule },
  };
}

function issuesText(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

function nameOf(raw: unknown): string {
  if (isRecord(raw) && typeof raw.name === 'string' && raw.name.trim() !== '') return `"${raw.name.trim()}"`;
  return 'without a name';
}

function freshId(prefix: string, taken: Set<string>): string {
  let id = `${prefix}-${crypto.randomUUID()}`;
  while (taken.has(id)) id = `${prefix}-${crypto.randomUUID()}`;
  return id;
}

function migrateList<T extends { id: string }>(
  kind: 'rule' | 'daypart',
  list: unknown,
  schema: z.ZodType<T>,
  fill: (raw: Record<string, unknown>) => Record<string, unknown>,
  out: { valid: T[]; invalid: InvalidEntry[]; problems: string[] },
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    out.invalid.push({ kind, raw: list, errors: [`The stored ${kind}s were not a list`] });
    out.problems.push(`Stored ${kind}s could not be read; they are kept as they were.`);
    return;
  }
  const taken = new Set<string>();
  for (const item of list) {
    const filled = isRecord(item) ? fill(item) : item;
    const parsed = schema.safeParse(filled);
    if (!parsed.success) {
      out.invalid.push({ kind, raw: item, errors: issuesText(parsed.error) });
      out.problems.push(
        `A stored ${kind === 'rule' ? 'rule' : 'dayparting schedule'} ${nameOf(item)} is not valid and is not run. It is kept: fix or delete it.`,
      );
      continue;
    }
    let value = parsed.data;
    if (taken.has(value.id)) {
      value = { ...value, id: freshId(kind, taken) };
      out.problems.push(`Two stored ${kind}s had the same ID; one got a new ID.`);
    }
    taken.add(value.id);
    out.valid.push(value);
  }
}

/**
 * Any stored form of the `rules` document, brought to the current version (see the module comment).
 * Pure: the caller decides whether to write the result back.
 */
export function migrateRulesDocument(raw: unknown): LoadedRules {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { doc: emptyRulesDocument(), problems, readOnly: false };
  let source: Record<string, unknown>;
  if (Array.isArray(raw)) source = { rules: raw };
  else if (isRecord(raw)) source = raw;
  else {
    const doc = emptyRulesDocument();
    doc.invalid.push({ kind: 'rule', raw, errors: ['The stored rules were not readable'] });
    return { doc, problems: ['Stored rules could not be read; they are kept as they were.'], readOnly: false };
  }
  const version = typeof source.version === 'number' ? source.version : 0;
  const readOnly = version > RULES_VERSION;
  if (readOnly) {
    problems.push(
      'These rules were saved by a newer version of SafePause. They are shown and run as far as this version understands them, but not changed here.',
    );
  }

  const rules = { valid: [] as Rule[], invalid: [] as InvalidEntry[], problems };
  migrateList('rule', source.rules, ruleSchema, withRuleDefaults, rules);
  const dayparts = { valid: [] as DaypartSchedule[], invalid: rules.invalid, problems };
  migrateList('daypart', source.dayparts, daypartScheduleSchema, (d) => ({ enabled: true, ...d }), dayparts);

  // Entries already set aside keep their place (a later version may read them again).
  if (Array.isArray(source.invalid)) {
    for (const entry of source.invalid) {
      if (!isRecord(entry) || (entry.kind !== 'rule' && entry.kind !== 'daypart')) continue;
      const schema = entry.kind === 'rule' ? ruleSchema : daypartScheduleSchema;
      const raw = entry.raw;
      const parsed = schema.safeParse(isRecord(raw) && entry.kind === 'rule' ? withRuleDefaults(raw) : raw);
      if (parsed.success) {
        const id = parsed.data.id;
        const list: { id: string }[] = entry.kind === 'rule' ? rules.valid : dayparts.valid;
        if (!list.some((x) => x.id === id)) {
          list.push(parsed.data as never);
          continue;
        }
      }
      rules.invalid.push({
        kind: entry.kind,
        raw,
        errors: parsed.success ? ['Another entry has the same ID'] : issuesText(parsed.error),
      });
    }
  }

  let flapLimit = { ...DEFAULT_FLAP_LIMIT };
  if (source.flapLimit !== undefined) {
    const parsed = flapLimitSchema.safeParse(source.flapLimit);
    if (parsed.success) flapLimit = parsed.data;
    else problems.push('The stored flap limit was not valid; the default (4 toggles per 24 hours) applies.');
  }
  return {
    doc: { version: RULES_VERSION, rules: rules.valid, dayparts: dayparts.valid, flapLimit, invalid: rules.invalid },
    problems,
    readOnly,
  };
}

// ---------------------------------------------------------------------------------------------
// What the worker remembers

/** The last check of one rule or dayparting schedule. */
export interface RunRecord {
  at: number;
  ok: boolean;
  /** Plain words: what was checked and done, or what went wrong (TikTok's code and message). */
  text: string;
  acted: number;
  flagged: number;
  notEnoughData: number;
  /** A digest of the rule as it was run: an edited rule is due at once. */
  ruleHash?: string;
}

export interface RulesState {
  version: 1;
  /** `${ruleId}:${objectId}` → when the rule last acted on or flagged the object (ms). */
  lastFiredAt: Record<string, number>;
  /** `${advertiserId}:${level}:${objectId}` → when rules or dayparting switched it (ms). */
  toggles: Record<string, number[]>;
  /** Rule or schedule ID → its last check. */
  runs: Record<string, RunRecord>;
  /** When the worker last ran the checks (ms), whatever they found. */
  lastCheckAt: number | null;
}

export function emptyRulesState(): RulesState {
  return { version: 1, lastFiredAt: {}, toggles: {}, runs: {}, lastCheckAt: null };
}

const runRecordSchema = z.object({
  at: z.number(),
  ok: z.boolean(),
  text: z.string(),
  acted: z.number(),
  flagged: z.number(),
  notEnoughData: z.number(),
  ruleHash: z.string().optional(),
});

const rulesStateSchema = z.object({
  version: z.literal(1),
  lastFiredAt: z.record(z.string(), z.number()),
  toggles: z.record(z.string(), z.array(z.number())),
  runs: z.record(z.string(), runRecordSchema),
  lastCheckAt: z.number().nullable(),
});

/** Reads the worker's state; anything damaged starts afresh field by field. */
export function parseRulesState(raw: unknown): RulesState {
  const whole = rulesStateSchema.safeParse(raw);
  if (whole.success) return whole.data;
  const state = emptyRulesState();
  if (!isRecord(raw)) return state;
  const shape = rulesStateSchema.shape;
  for (const key of ['lastFiredAt', 'toggles', 'runs', 'lastCheckAt'] as const) {
    const field = shape[key].safeParse(raw[key]);
    if (field.success) (state as unknown as Record<string, unknown>)[key] = field.data;
  }
  return state;
}

export function toggleKey(advertiserId: string, level: Level, objectId: string): string {
  return `${advertiserId}:${level}:${objectId}`;
}

/** The longest flap window (a week): older toggles can no longer count. */
const TOGGLE_KEEP_MS = 168 * 3_600_000;

/** Drops what can no longer matter: toggles older than a week, last-fired times past the longest cooldown, runs of deleted rules. */
export function pruneRulesState(state: RulesState, now: number, liveIds: ReadonlySet<string>): RulesState {
  const toggles: Record<string, number[]> = {};
  for (const [key, times] of Object.entries(state.toggles)) {
    const kept = times.filter((t) => now - t < TOGGLE_KEEP_MS).slice(-100);
    if (kept.length > 0) toggles[key] = kept;
  }
  const lastFiredAt: Record<string, number> = {};
  for (const [key, at] of Object.entries(state.lastFiredAt)) {
    if (now - at < MAX_COOLDOWN_MINUTES * 60_000 && liveIds.has(key.slice(0, key.lastIndexOf(':')))) {
      lastFiredAt[key] = at;
    }
  }
  const runs: Record<string, RunRecord> = {};
  for (const [id, run] of Object.entries(state.runs)) if (liveIds.has(id)) runs[id] = run;
  return { ...state, toggles, lastFiredAt, runs };
}

// ---------------------------------------------------------------------------------------------
// Flags for the overlay

/** One mark on a row: a breach of a rule, or a rule held back by its data guard. */
export interface FlagEntry {
  kind: 'breach' | 'data';
  /** Short text for the row: "⚑ CPA 42.10", "Not enough data yet". */
  label: string;
  /** Everything: rule, value, threshold, window, when. */
  text: string;
}

/** The flags of one advertiser and level, per rule (each run replaces its rule's entries). */
export interface FlagsDocument {
  byRule: Record<string, { at: number; entries: Record<string, FlagEntry> }>;
}

const flagEntrySchema = z.object({ kind: z.enum(['breach', 'data']), label: z.string(), text: z.string() });
const flagsDocumentSchema = z.object({
  byRule: z.record(z.string(), z.object({ at: z.number(), entries: z.record(z.string(), flagEntrySchema) })),
});

export function flagsKey(advertiserId: string, level: Level): string {
  return `${FLAGS_KEY_PREFIX}${advertiserId}:${level}`;
}

export function parseFlags(raw: unknown): FlagsDocument {
  const parsed = flagsDocumentSchema.safeParse(raw);
  return parsed.success ? parsed.data : { byRule: {} };
}

// ---------------------------------------------------------------------------------------------
// Storage

/** The part of a storage area used here (browser.storage.local, or a fake in tests). */
export interface StorageAreaLike {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export function localArea(): StorageAreaLike {
  return browser.storage.local as unknown as StorageAreaLike;
}

export async function loadRules(area: StorageAreaLike = localArea()): Promise<LoadedRules> {
  const stored = await area.get(RULES_KEY);
  const loaded = migrateRulesDocument(stored[RULES_KEY]);
  // An older form is written back in the current one (only when that loses nothing: never over a newer version).
  const raw = stored[RULES_KEY];
  if (!loaded.readOnly && raw !== undefined && (!isRecord(raw) || raw.version !== RULES_VERSION)) {
    await area.set({ [RULES_KEY]: loaded.doc });
  }
  return loaded;
}

export class RulesReadOnlyError extends Error {
  override readonly name = 'RulesReadOnlyError';
  constructor() {
    super('These rules were saved by a newer version of SafePause and are not changed by this one.');
  }
}

/** Validates and stores the whole document (the options page is its only writer). */
export async function saveRules(doc: RulesDocument, area: StorageAreaLike = localArea()): Promise<void> {
  const stored = await area.get(RULES_KEY);
  const current = stored[RULES_KEY];
  if (isRecord(current) && typeof current.version === 'number' && current.version > RULES_VERSION) {
    throw new RulesReadOnlyError();
  }
  const valid: RulesDocument = {
    version: RULES_VERSION,
    rules: doc.rules.map((r) => ruleSchema.parse(r)),
    dayparts: doc.dayparts.map((d) => daypartScheduleSchema.parse(d)),
    flapLimit: flapLimitSchema.parse(doc.flapLimit),
    invalid: doc.invalid,
  };
  const ids = new Set<string>();
  for (const item of [...valid.rules, ...valid.dayparts]) {
    if (ids.has(item.id)) throw new Error(`Two rules or schedules have the ID ${item.id}`);
    ids.add(item.id);
  }
  await area.set({ [RULES_KEY]: valid });
}

export async function loadRulesState(area: StorageAreaLike = localArea()): Promise<RulesState> {
  const stored = await area.get(RULES_STATE_KEY);
  return parseRulesState(stored[RULES_STATE_KEY]);
}

export async function saveRulesState(state: RulesState, area: StorageAreaLike = localArea()): Promise<void> {
  await area.set({ [RULES_STATE_KEY]: state });
}

export async function loadFlags(
  advertiserId: string,
  level: Level,
  area: StorageAreaLike = localArea(),
): Promise<FlagsDocument> {
  const key = flagsKey(advertiserId, level);
  return parseFlags((await area.get(key))[key]);
}

export async function saveFlags(
  advertiserId: string,
  level: Level,
  flags: FlagsDocument,
  area: StorageAreaLike = localArea(),
): Promise<void> {
  await area.set({ [flagsKey(advertiserId, level)]: flags });
}
