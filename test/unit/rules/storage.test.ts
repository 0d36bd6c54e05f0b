import { describe, expect, test } from 'vitest';
import { DEFAULT_FLAP_LIMIT } from '../../../lib/rules/schema';
import {
  emptyRulesDocument,
  emptyRulesState,
  loadFlags,
  loadRules,
  loadRulesState,
  migrateRulesDocument,
  parseFlags,
  parseRulesState,
  pruneRulesState,
  RULES_KEY,
  RULES_STATE_KEY,
  RulesReadOnlyError,
  type StorageAreaLike,
  saveFlags,
  saveRules,
  saveRulesState,
  toggleKey,
} from '../../../lib/rules/storage';
import { ADV_TOKYO, rule, ruleInput } from './helpers';

/** storage.local in memory (values are copied in and out, as the browser does). */
function memoryArea(initial: Record<string, unknown> = {}): StorageAreaLike & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = structuredClone(initial);
  return {
    data,
    async get(keys) {
      const list = keys === null ? Object.keys(data) : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data[k] = structuredClone(v);
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) delete data[k];
    },
  };
}

const daypart = {
  id: 'd1',
  name: 'Office hours',
  enabled: true,
  advertiserId: ADV_TOKYO,
  level: 'campaign',
  objectIds: ['1800000000000000001'],
  days: [1, 2, 3, 4, 5],
  hours: [9, 18],
};

describe('migrateRulesDocument', () => {
  test('nothing stored is an empty current document', () => {
    const { doc, problems, readOnly } = migrateRulesDocument(undefined);
    expect(doc).toEqual(emptyRulesDocument());
    expect(doc.flapLimit).toEqual(DEFAULT_FLAP_LIMIT);
    expect(problems).toEqual([]);
    expect(readOnly).toBe(false);
  });

  test('version 0 (a bare list) keeps every rule; fields added later get their defaults', () => {
    const {
      advertiserIds: _a,
      guards: _g,
      targets: _t,
      cooldownMinutes: _c,
      enabled: _e,
      ...old
    } = ruleInput({
      id: 'old',
      name: 'Saved long ago',
    });
    const { doc, problems } = migrateRulesDocument([old, ruleInput({ id: 'r2', name: 'Second' })]);
    expect(doc.version).toBe(1);
    expect(doc.rules.map((r) => r.id)).toEqual(['old', 'r2']);
    expect(doc.rules[0]).toMatchObject({
      enabled: true,
      advertiserIds: [],
      guards: {},
      targets: {},
      cooldownMinutes: 0,
    });
    expect(doc.rules[0]?.conditions).toEqual(old.conditions);
    expect(doc.invalid).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('a rule that no longer validates is kept verbatim, with the reasons, and is not run', () => {
    const bad = {
      ...ruleInput({ id: 'bad', name: 'Broken' }),
      conditions: [{ metric: 'cpa', op: '>', value: -3, window: 'today' }],
    };
    const { doc, problems } = migrateRulesDocument({ version: 1, rules: [bad, ruleInput()], dayparts: [daypart] });
    expect(doc.rules.map((r) => r.id)).toEqual(['r1']);
    expect(doc.dayparts.map((d) => d.id)).toEqual(['d1']);
    expect(doc.invalid).toEqual([
      { kind: 'rule', raw: bad, errors: ['conditions.0.value: The threshold must be 0 or more'] },
    ]);
    expect(problems.join(' ')).toContain('"Broken" is not valid and is not run. It is kept');
  });

  test('an entry set aside earlier comes back once it validates (and stays set aside while it does not)', () => {
    const once = migrateRulesDocument({
      version: 1,
      rules: [],
      invalid: [{ kind: 'rule', raw: ruleInput({ id: 'back' }), errors: ['x'] }],
    });
    expect(once.doc.rules.map((r) => r.id)).toEqual(['back']);
    expect(once.doc.invalid).toEqual([]);
    const still = migrateRulesDocument({
      version: 1,
      rules: [],
      invalid: [{ kind: 'daypart', raw: { id: 'x' }, errors: ['x'] }],
    });
    expect(still.doc.invalid).toHaveLength(1);
    expect(still.doc.invalid[0]?.errors.length).toBeGreaterThan(0);
  });

  test('a repeated ID gets a fresh one: both rules are kept', () => {
    const { doc, problems } = migrateRulesDocument([ruleInput({ name: 'One' }), ruleInput({ name: 'Two' })]);
    expect(doc.rules.map((r) => r.name)).toEqual(['One', 'Two']);
    expect(new Set(doc.rules.map((r) => r.id)).size).toBe(2);
    expect(problems.join(' ')).toContain('same ID');
  });

  test('unreadable lists and flap limits are kept aside or defaulted, never thrown', () => {
    const { doc, problems } = migrateRulesDocument({ version: 1, rules: 'oops', flapLimit: { maxToggles: 0 } });
    expect(doc.rules).toEqual([]);
    expect(doc.invalid[0]).toMatchObject({ kind: 'rule', raw: 'oops' });
    expect(doc.flapLimit).toEqual(DEFAULT_FLAP_LIMIT);
    expect(problems).toHaveLength(2);
    expect(migrateRulesDocument(42).doc.invalid[0]?.raw).toBe(42);
  });

  test('a document from a newer SafePause is read but marked read-only', () => {
    const { doc, readOnly, problems } = migrateRulesDocument({ version: 9, rules: [ruleInput()], somethingNew: true });
    expect(readOnly).toBe(true);
    expect(doc.rules).toHaveLength(1);
    expect(problems[0]).toContain('newer version');
  });
});

describe('loading and saving', () => {
  test('an old form is written back in the current one; the current form is not rewritten', async () => {
    const area = memoryArea({ [RULES_KEY]: [ruleInput()] });
    const loaded = await loadRules(area);
    expect(loaded.doc.rules).toHaveLength(1);
    expect(area.data[RULES_KEY]).toMatchObject({ version: 1, rules: [{ id: 'r1' }], dayparts: [] });
    let writes = 0;
    const counting = {
      ...area,
      set: async (items: Record<string, unknown>) => {
        writes++;
        await area.set(items);
      },
    };
    await loadRules(counting);
    expect(writes).toBe(0);
  });

  test('saveRules validates, refuses duplicate IDs, and never overwrites a newer version', async () => {
    const area = memoryArea();
    const doc = {
      ...emptyRulesDocument(),
      rules: [rule()],
      dayparts: migrateRulesDocument({ dayparts: [daypart] }).doc.dayparts,
    };
    await saveRules(doc, area);
    expect((await loadRules(area)).doc).toEqual(doc);
    await expect(saveRules({ ...doc, rules: [rule(), rule()] }, area)).rejects.toThrow(/same|ID r1/);
    await expect(saveRules({ ...doc, rules: [{ ...rule(), name: '' }] }, area)).rejects.toThrow();
    const newer = memoryArea({ [RULES_KEY]: { version: 2, rules: [] } });
    await expect(saveRules(doc, newer)).rejects.toBeInstanceOf(RulesReadOnlyError);
    expect(newer.data[RULES_KEY]).toEqual({ version: 2, rules: [] });
  });

  test('the worker state survives a restart (it is in storage) and damaged fields start afresh one by one', async () => {
    const area = memoryArea();
    const state = emptyRulesState();
    state.lastFiredAt['r1:1800000000000000001'] = 1000;
    state.toggles[toggleKey(ADV_TOKYO, 'campaign', '1800000000000000001')] = [1000, 2000];
    state.runs.r1 = { at: 3000, ok: false, text: 'TikTok code 40105', acted: 0, flagged: 0, notEnoughData: 0 };
    await saveRulesState(state, area);
    expect(await loadRulesState(area)).toEqual(state);
    expect(await loadRulesState(memoryArea({ [RULES_STATE_KEY]: 'junk' }))).toEqual(emptyRulesState());
    const partly = parseRulesState({
      version: 1,
      lastFiredAt: { 'r1:1': 5 },
      toggles: 'bad',
      runs: {},
      lastCheckAt: 7,
    });
    expect(partly).toEqual({ ...emptyRulesState(), lastFiredAt: { 'r1:1': 5 }, lastCheckAt: 7 });
  });

  test('pruning drops what can no longer matter, and keeps the rest', () => {
    const now = 10 * 86_400_000;
    const state = emptyRulesState();
    state.toggles.a = [now - 200 * 3_600_000, now - 3_600_000];
    state.toggles.b = [now - 200 * 3_600_000];
    state.lastFiredAt['live:1'] = now - 60_000;
    state.lastFiredAt['live:2'] = now - 8 * 86_400_000;
    state.lastFiredAt['gone:1'] = now - 60_000;
    state.runs.live = { at: now, ok: true, text: '', acted: 0, flagged: 0, notEnoughData: 0 };
    state.runs.gone = { at: now, ok: true, text: '', acted: 0, flagged: 0, notEnoughData: 0 };
    const pruned = pruneRulesState(state, now, new Set(['live']));
    expect(pruned.toggles).toEqual({ a: [now - 3_600_000] });
    expect(pruned.lastFiredAt).toEqual({ 'live:1': now - 60_000 });
    expect(Object.keys(pruned.runs)).toEqual(['live']);
  });

  test('flags are kept per advertiser and level; damaged flags read as none', async () => {
    const area = memoryArea();
    const flags = {
      byRule: { r1: { at: 5, entries: { '1': { kind: 'data' as const, label: 'Not enough data yet', text: 'x' } } } },
    };
    await saveFlags(ADV_TOKYO, 'campaign', flags, area);
    expect(await loadFlags(ADV_TOKYO, 'campaign', area)).toEqual(flags);
    expect(await loadFlags(ADV_TOKYO, 'ad', area)).toEqual({ byRule: {} });
    expect(parseFlags({ byRule: { r1: { at: 'x' } } })).toEqual({ byRule: {} });
  });
});
