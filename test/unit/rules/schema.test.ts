import { describe, expect, test } from 'vitest';
import {
  isWindowKey,
  lastHoursWindow,
  parseRule,
  parseRules,
  windowHours,
  windowLabel,
} from '../../../lib/rules/schema';
import { ruleInput } from './helpers';

function firstError(input: unknown): { path: string; message: string } {
  const result = parseRule(input);
  if (result.ok) throw new Error('expected the rule to be refused');
  const e = result.errors[0];
  if (!e) throw new Error('no error');
  return { path: e.path, message: e.message };
}

describe('ruleSchema', () => {
  test('a complete rule parses, with name trimmed', () => {
    const result = parseRule(
      ruleInput({
        name: '  High CPA  ',
        advertiserIds: ['7000000000000000001'],
        scope: { level: 'adgroup', match: { kind: 'nameContains', text: 'US' } },
        guards: { minSpend: 20, minImpressions: 1000, minConversions: 1 },
        targets: { '1800000000000000001': { cpa: 25 } },
      }),
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.rule.name).toBe('High CPA');
      expect(result.rule.targets['1800000000000000001']?.cpa).toBe(25);
    }
  });

  test.each([
    [{ guards: { minSpend: 0 } }, 'guards.minSpend', 'Minimum spend must be a positive amount'],
    [{ guards: { minSpend: -5 } }, 'guards.minSpend', 'Minimum spend must be a positive amount'],
    [{ guards: { minSpend: '10' } }, 'guards.minSpend', 'Minimum spend must be a number'],
    [{ guards: { minImpressions: 10.5 } }, 'guards.minImpressions', 'Minimum impressions must be a whole number'],
    [{ guards: { minConversions: 0 } }, 'guards.minConversions', 'Minimum conversions must be 1 or more'],
    [{ name: '   ' }, 'name', 'Give the rule a name'],
    [{ id: '' }, 'id', 'A rule needs an ID'],
    [{ action: 'delete' }, 'action', 'Pick an action: flag, pause or resume'],
    [{ cooldownMinutes: -1 }, 'cooldownMinutes', 'Cooldown cannot be negative'],
    [{ advertiserIds: ['12ab'] }, 'advertiserIds.0', 'An advertiser ID is a number of 6 to 20 digits'],
    [{ targets: { abc: { cpa: 3 } } }, 'targets.abc', 'An object ID has digits only (up to 20)'],
    [{ targets: { '123': { cpa: -3 } } }, 'targets.123.cpa', 'The CPA target must be 0 or more'],
  ] as const)('%o → %s: %s', (overrides, path, message) => {
    expect(firstError(ruleInput(overrides as never))).toEqual({ path, message });
  });

  test.each([
    [
      { everyMinutes: 0 },
      'schedule.everyMinutes',
      'Check at most once a minute: browser alarms do not run more often in a packed extension',
    ],
    [{ everyMinutes: 1.5 }, 'schedule.everyMinutes', 'How often to check must be a whole number of minutes'],
    [{ everyMinutes: 2000 }, 'schedule.everyMinutes', 'Check at least once a day (1440 minutes)'],
    [{ days: [] }, 'schedule.days', 'Pick at least one day'],
    [{ days: [1, 1] }, 'schedule.days', 'Each day may be listed once'],
    [{ days: [7] }, 'schedule.days.0', 'A day is a number from 0 (Sunday) to 6 (Saturday)'],
    [{ hours: [9, 9] }, 'schedule.hours', 'The start and end hour must differ (use [0, 24] for all day)'],
    [{ hours: [24, 3] }, 'schedule.hours.0', 'The start hour must be from 0 to 23'],
    [{ hours: [3, 25] }, 'schedule.hours.1', 'The end hour must be from 0 to 24'],
  ] as const)('schedule %o → %s', (schedule, path, message) => {
    const base = { everyMinutes: 30, days: [1], hours: [0, 24] };
    expect(firstError(ruleInput({ schedule: { ...base, ...schedule } as never }))).toEqual({ path, message });
  });

  test('one minute is the shortest interval', () => {
    expect(parseRule(ruleInput({ schedule: { everyMinutes: 1, days: [1], hours: [22, 6] } })).ok).toBe(true);
  });

  test.each([
    [{ metric: 'cpa', op: '>', value: 30, window: 'last_25_hours' }, 'conditions.0.window', 'Pick a time window'],
    [{ metric: 'cpa', op: '>', value: 30, window: 'last_0_hours' }, 'conditions.0.window', 'Pick a time window'],
    [{ metric: 'frequency', op: '>', value: 3, window: 'today' }, 'conditions.0.metric', 'Pick a metric'],
    [{ metric: 'cpa', op: '==', value: 3, window: 'today' }, 'conditions.0.op', 'Pick a comparison: >, >=, < or <='],
    [{ metric: 'cpa', op: '>', value: -1, window: 'today' }, 'conditions.0.value', 'The threshold must be 0 or more'],
    [
      { metric: 'cpa', op: '>', value: Number.NaN, window: 'today' },
      'conditions.0.value',
      'The threshold must be a number',
    ],
    [{ metric: 'ctr', op: '<', value: 150, window: 'today' }, 'conditions.0.value', 'CTR is a percentage'],
    [
      { metric: 'budget_share', op: '>', value: 80, window: 'yesterday' },
      'conditions.0.window',
      'Budget spent is measured',
    ],
  ] as const)('condition %o → %s', (condition, path, start) => {
    const e = firstError(ruleInput({ conditions: [condition as never] }));
    expect(e.path).toBe(path);
    expect(e.message.startsWith(start)).toBe(true);
  });

  test('a pause rule needs a condition; a resume rule may be schedule-only', () => {
    expect(firstError(ruleInput({ conditions: [] }))).toEqual({
      path: 'conditions',
      message: 'A pause rule needs at least one condition (to pause by time of day, use a dayparting schedule)',
    });
    expect(firstError(ruleInput({ conditions: [], action: 'flag' })).message).toBe(
      'A flag rule needs at least one condition',
    );
    expect(parseRule(ruleInput({ conditions: [], action: 'resume' })).ok).toBe(true);
  });

  test('at most five conditions', () => {
    const c = { metric: 'spend', op: '>', value: 1, window: 'today' } as const;
    expect(firstError(ruleInput({ conditions: [c, c, c, c, c, c] })).message).toBe('A rule has at most 5 conditions');
  });

  test('scope errors', () => {
    expect(firstError(ruleInput({ scope: { level: 'account' as never, match: { kind: 'all' } } }))).toEqual({
      path: 'scope.level',
      message: 'Pick a level: campaign, ad group or ad',
    });
    expect(firstError(ruleInput({ scope: { level: 'ad', match: { kind: 'nameContains', text: ' ' } } }))).toEqual({
      path: 'scope.match.text',
      message: 'Type the part of the name to match',
    });
    expect(firstError(ruleInput({ scope: { level: 'ad', match: { kind: 'ids', ids: [] } } }))).toEqual({
      path: 'scope.match.ids',
      message: 'List at least one ID',
    });
    expect(firstError(ruleInput({ scope: { level: 'ad', match: { kind: 'regex' } as never } })).message).toBe(
      'Choose what the rule applies to: all objects, names containing a text, or a list of IDs',
    );
  });
});

describe('parseRules', () => {
  test('never throws; keeps the good rules and explains the bad ones', () => {
    const good = ruleInput({ id: 'a' });
    const bad = ruleInput({ id: 'b', guards: { minSpend: 0 } });
    const dup = ruleInput({ id: 'a', name: 'Copy' });
    const { rules, errors } = parseRules([good, bad, 'junk', dup]);
    expect(rules.map((r) => r.id)).toEqual(['a']);
    expect(errors).toEqual([
      { index: 1, ruleId: 'b', path: 'guards.minSpend', message: 'Minimum spend must be a positive amount' },
      expect.objectContaining({ index: 2, path: '' }),
      { index: 3, ruleId: 'a', path: 'id', message: 'Another rule already has the ID a' },
    ]);
  });

  test.each([[null], [undefined], [{}], ['rules'], [42]])('%o is not a list', (input) => {
    expect(parseRules(input)).toEqual({
      rules: [],
      errors: [{ index: -1, path: '', message: 'Rules must be a list' }],
    });
  });
});

describe('windows', () => {
  test.each([
    ['today', true, undefined, 'today'],
    ['yesterday', true, undefined, 'yesterday'],
    ['last_3_days', true, undefined, 'last 3 days'],
    ['last_7_days', true, undefined, 'last 7 days'],
    ['lifetime', true, undefined, 'lifetime'],
    ['last_1_hours', true, 1, 'this hour'],
    ['last_6_hours', true, 6, 'last 6 hours'],
    ['last_24_hours', true, 24, 'last 24 hours'],
    ['last_25_hours', false, undefined, ''],
    ['last_06_hours', false, undefined, ''],
    ['last_5_days', false, undefined, ''],
  ] as const)('%s', (key, valid, hours, label) => {
    expect(isWindowKey(key)).toBe(valid);
    if (valid) {
      expect(windowHours(key)).toBe(hours);
      expect(windowLabel(key)).toBe(label);
    }
  });

  test('lastHoursWindow builds keys and refuses out-of-range N', () => {
    expect(lastHoursWindow(3)).toBe('last_3_hours');
    expect(() => lastHoursWindow(0)).toThrow(RangeError);
    expect(() => lastHoursWindow(25)).toThrow(RangeError);
  });
});
