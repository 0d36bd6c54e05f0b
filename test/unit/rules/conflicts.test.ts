import { describe, expect, test } from 'vitest';
import { findConflicts, flapLimited, recentToggles } from '../../../lib/rules/conflicts';
import { type DaypartSchedule, daypartScheduleSchema, type RuleInput } from '../../../lib/rules/schema';
import { ADV_LA, ADV_TOKYO, rule } from './helpers';

const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6];
const pause = (over: Partial<RuleInput> = {}) => rule({ id: 'p', name: 'High CPA', ...over });
const resume = (over: Partial<RuleInput> = {}) =>
  rule({
    id: 'q',
    name: 'Morning restart',
    action: 'resume',
    conditions: [],
    schedule: { everyMinutes: 30, days: ALL_WEEK, hours: [9, 10] },
    ...over,
  });
const daypart = (over: Partial<DaypartSchedule> = {}): DaypartSchedule =>
  daypartScheduleSchema.parse({
    id: 'd',
    name: 'Office hours',
    enabled: true,
    advertiserId: ADV_TOKYO,
    level: 'campaign',
    objectIds: ['11', '12'],
    days: [1, 2, 3, 4, 5],
    hours: [9, 18],
    ...over,
  });

describe('findConflicts: pause rule against resume rule', () => {
  test('same scope, shared hours: a certain conflict, in words', () => {
    const conflicts = findConflicts([pause(), resume()]);
    expect(conflicts).toEqual([
      {
        pauser: { type: 'rule', id: 'p', name: 'High CPA' },
        resumer: { type: 'rule', id: 'q', name: 'Morning restart' },
        level: 'campaign',
        certainty: 'certain',
        when: 'Sun 09:00–10:00',
        message:
          'Pause rule "High CPA" and resume rule "Morning restart" can both act on the same campaigns (all campaigns) ' +
          'at the same hours, e.g. Sun 09:00–10:00: one would undo the other. Narrow the scope or the hours of one of them.',
      },
    ]);
  });

  test.each([
    ['hours that never meet', { schedule: { everyMinutes: 30, days: ALL_WEEK, hours: [0, 9] } }, {}],
    [
      'days that never meet',
      { schedule: { everyMinutes: 30, days: [1], hours: [0, 24] } },
      { schedule: { everyMinutes: 30, days: [2], hours: [0, 24] } },
    ],
    ['different levels', { scope: { level: 'adgroup', match: { kind: 'all' } } }, {}],
    ['different advertisers', { advertiserIds: [ADV_TOKYO] }, { advertiserIds: [ADV_LA] }],
    [
      'disjoint ID lists',
      { scope: { level: 'campaign', match: { kind: 'ids', ids: ['1', '2'] } } },
      { scope: { level: 'campaign', match: { kind: 'ids', ids: ['3'] } } },
    ],
    ['a disabled rule', {}, { enabled: false }],
    ['a flag rule', { action: 'flag' }, {}],
  ] as const)('no conflict: %s', (_what, p, r) => {
    expect(findConflicts([pause(p as Partial<RuleInput>), resume(r as Partial<RuleInput>)])).toEqual([]);
  });

  test('overnight hours wrap past midnight', () => {
    const night = resume({ schedule: { everyMinutes: 30, days: [1], hours: [22, 2] } });
    const early = pause({ schedule: { everyMinutes: 30, days: [1], hours: [1, 3] } });
    expect(findConflicts([early, night]).map((c) => c.when)).toEqual(['Mon 01:00–02:00']);
  });

  test('one rule for all advertisers meets a rule for one', () => {
    expect(findConflicts([pause(), resume({ advertiserIds: [ADV_LA] })])).toHaveLength(1);
  });

  test('shared IDs are listed', () => {
    const c = findConflicts([
      pause({ scope: { level: 'ad', match: { kind: 'ids', ids: ['1', '2', '3'] } } }),
      resume({ scope: { level: 'ad', match: { kind: 'ids', ids: ['3', '2', '9'] } } }),
    ]);
    expect(c.map((x) => [x.certainty, x.objectIds])).toEqual([['certain', ['2', '3']]]);
    expect(c[0]?.message).toContain('can both act on the same 2 ads (2, 3)');
  });

  test.each([
    [{ kind: 'nameContains', text: 'US' }, { kind: 'nameContains', text: 'Spring' }, 'possible'],
    [{ kind: 'nameContains', text: 'us' }, { kind: 'nameContains', text: 'Spring US' }, 'certain'],
    [{ kind: 'nameContains', text: 'US' }, { kind: 'ids', ids: ['1'] }, 'possible'],
    [{ kind: 'all' }, { kind: 'nameContains', text: 'US' }, 'certain'],
  ] as const)('%o against %o → %s', (a, b, certainty) => {
    const c = findConflicts([
      pause({ scope: { level: 'campaign', match: a as never } }),
      resume({ scope: { level: 'campaign', match: b as never } }),
    ]);
    expect(c.map((x) => x.certainty)).toEqual([certainty]);
    if (certainty === 'possible') expect(c[0]?.message).toContain('may both act on the same campaigns (');
  });
});

describe('findConflicts with dayparting', () => {
  test('a pause rule fights the schedule inside its hours', () => {
    const c = findConflicts(
      [pause({ scope: { level: 'campaign', match: { kind: 'ids', ids: ['12', '13'] } } })],
      [daypart()],
    );
    expect(c.map((x) => [x.pauser.id, x.resumer.id, x.objectIds, x.when])).toEqual([
      ['p', 'd', ['12'], 'Mon 09:00–10:00'],
    ]);
    expect(c[0]?.message).toBe(
      'Pause rule "High CPA" and dayparting "Office hours" (inside its hours) can both act on the same 1 campaigns (12) ' +
        'at the same hours, e.g. Mon 09:00–10:00: one would undo the other. Narrow the scope or the hours of one of them.',
    );
  });

  test('a resume rule fights the schedule outside its hours', () => {
    const c = findConflicts([resume({ schedule: { everyMinutes: 30, days: [1], hours: [22, 23] } })], [daypart()]);
    expect(c.map((x) => [x.pauser.type, x.resumer.type, x.when])).toEqual([['daypart', 'rule', 'Mon 22:00–23:00']]);
  });

  test('a resume rule inside the schedule hours is no conflict', () => {
    expect(findConflicts([resume({ schedule: { everyMinutes: 30, days: [1], hours: [9, 10] } })], [daypart()])).toEqual(
      [],
    );
  });

  test('a rule for another advertiser or level does not meet the schedule', () => {
    expect(findConflicts([pause({ advertiserIds: [ADV_LA] })], [daypart()])).toEqual([]);
    expect(findConflicts([pause({ scope: { level: 'ad', match: { kind: 'all' } } })], [daypart()])).toEqual([]);
  });

  test('two schedules over one object with different hours fight; alone, a schedule never does', () => {
    expect(findConflicts([], [daypart()])).toEqual([]);
    const evening = daypart({ id: 'e', name: 'Evenings', objectIds: ['12'], hours: [17, 23] });
    const c = findConflicts([], [daypart(), evening]);
    expect(c.map((x) => [x.pauser.id, x.resumer.id, x.when])).toEqual([
      ['d', 'e', 'Mon 18:00–19:00'],
      ['e', 'd', 'Mon 09:00–10:00'],
    ]);
  });
});

describe('flapLimited', () => {
  const now = 1_750_000_000_000;
  const h = 3_600_000;
  const limit = { maxToggles: 3, perHours: 6 };

  test.each([
    [[], false],
    [[now - h, now - 2 * h], false],
    [[now - h, now - 2 * h, now - 3 * h], true],
    [[now, now - 2 * h, now - 6 * h + 1], true],
    [[now - h, now - 2 * h, now - 6 * h], false],
    [[now - h, now - 2 * h, now + 1000], false],
  ] as const)('%o → %s', (toggles, limited) => {
    expect(flapLimited(toggles, now, limit)).toBe(limited);
  });

  test('recentToggles counts (now − perHours, now]', () => {
    expect(recentToggles([now, now - h, now - 2 * h, now - 6 * h, now + 1], now, 6)).toBe(3);
    expect(recentToggles(undefined, now, 6)).toBe(0);
  });
});
