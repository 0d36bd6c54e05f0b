import { describe, expect, test } from 'vitest';
import { type DaypartObject, daypartActions, daypartDesiredState, nextDaypartChange } from '../../../lib/rules/daypart';
import { type DaypartSchedule, daypartScheduleSchema } from '../../../lib/rules/schema';
import { ADV_TOKYO, NOW } from './helpers';

const WEEKDAYS = [1, 2, 3, 4, 5];

function schedule(over: Partial<DaypartSchedule> = {}): DaypartSchedule {
  return daypartScheduleSchema.parse({
    id: 'd1',
    name: 'Office hours',
    enabled: true,
    advertiserId: ADV_TOKYO,
    level: 'campaign',
    objectIds: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    days: WEEKDAYS,
    hours: [9, 18],
    ...over,
  });
}

describe('daypartDesiredState on both sides of UTC', () => {
  test.each([
    // NOW: Wednesday 12:00 in Tokyo, Tuesday 20:00 in Los Angeles.
    ['Asia/Tokyo', NOW, WEEKDAYS, [9, 18], 'on'],
    ['America/Los_Angeles', NOW, WEEKDAYS, [9, 18], 'off'],
    ['America/Los_Angeles', NOW, WEEKDAYS, [18, 6], 'on'],
    // Monday 08:00 in Tokyo is still Sunday 23:00 in UTC.
    ['Asia/Tokyo', Date.UTC(2025, 5, 1, 23, 0), [1], [8, 9], 'on'],
    ['UTC', Date.UTC(2025, 5, 1, 23, 0), [1], [8, 9], 'off'],
    ['Asia/Tokyo', Date.UTC(2025, 5, 1, 22, 59, 59), [1], [8, 9], 'off'],
    // Friday 17:00 in Los Angeles is already Saturday 00:00 in UTC.
    ['America/Los_Angeles', Date.UTC(2025, 5, 7, 0, 0), [5], [17, 18], 'on'],
    ['America/Los_Angeles', Date.UTC(2025, 5, 7, 1, 0), [5], [17, 18], 'off'],
    ['UTC', Date.UTC(2025, 5, 7, 0, 0), [5], [17, 18], 'off'],
  ] as const)('%s at %i, days %o hours %o → %s', (tz, now, days, hours, state) => {
    expect(daypartDesiredState({ days: [...days], hours: [...hours] }, now, tz)).toBe(state);
  });
});

describe('DST: America/New_York spring forward on Sunday 9 March 2025', () => {
  const night = { days: [0], hours: [2, 4] as [number, number] };

  test.each([
    [Date.UTC(2025, 2, 9, 6, 59, 59), 'off'], // 01:59:59 EST
    [Date.UTC(2025, 2, 9, 7, 0, 0), 'on'], // 03:00 EDT: 02:00 never happened
    [Date.UTC(2025, 2, 9, 7, 59, 59), 'on'], // 03:59:59 EDT
    [Date.UTC(2025, 2, 9, 8, 0, 0), 'off'], // 04:00 EDT
  ] as const)('[2, 4) at %i → %s', (now, state) => {
    expect(daypartDesiredState(night, now, 'America/New_York')).toBe(state);
  });

  test('the window [2, 4) lasts one hour that day, and the next change is found across the gap', () => {
    expect(nextDaypartChange(night, Date.UTC(2025, 2, 9, 6, 30), 'America/New_York')).toBe(Date.UTC(2025, 2, 9, 7, 0));
    expect(nextDaypartChange(night, Date.UTC(2025, 2, 9, 7, 30), 'America/New_York')).toBe(Date.UTC(2025, 2, 9, 8, 0));
  });

  test('09:00 local is 14:00 UTC the day before and 13:00 UTC that day', () => {
    const office = { days: [6, 0], hours: [9, 17] as [number, number] };
    expect(daypartDesiredState(office, Date.UTC(2025, 2, 8, 14, 0), 'America/New_York')).toBe('on');
    expect(daypartDesiredState(office, Date.UTC(2025, 2, 8, 13, 59), 'America/New_York')).toBe('off');
    expect(daypartDesiredState(office, Date.UTC(2025, 2, 9, 13, 0), 'America/New_York')).toBe('on');
    expect(daypartDesiredState(office, Date.UTC(2025, 2, 9, 12, 59), 'America/New_York')).toBe('off');
  });

  test('nextDaypartChange is undefined when the state never changes', () => {
    expect(nextDaypartChange({ days: [0, 1, 2, 3, 4, 5, 6], hours: [0, 24] }, NOW, 'Asia/Tokyo')).toBeUndefined();
  });
});

describe('daypartActions', () => {
  const o = (id: string, operationStatus: string, pausedBy: DaypartObject['pausedBy'] = null, extra = {}) => ({
    id,
    level: 'campaign' as const,
    advertiserId: ADV_TOKYO,
    operationStatus,
    pausedBy,
    lastToggles: [],
    ...extra,
  });
  const objects: DaypartObject[] = [
    o('1', 'ENABLE'),
    o('2', 'DISABLE', 'rule'),
    o('3', 'DISABLE', 'user'),
    o('4', 'DISABLE', 'emergency'),
    o('5', 'DISABLE', null),
    o('6', 'FROZEN', 'rule'),
    o('7', 'ENABLE', null, { advertiserId: '7000000000000000002' }),
    o('8', 'ENABLE', null, { level: 'adgroup' }),
  ];
  const decisions = (now: number) =>
    daypartActions(schedule(), objects, now, 'Asia/Tokyo').map((d) => [d.objectId, d.decision]);

  test('inside the hours: resume only what a rule paused', () => {
    expect(decisions(NOW)).toEqual([
      ['1', 'already-in-state'],
      ['2', 'resume'],
      ['3', 'protected'],
      ['4', 'protected'],
      ['5', 'protected'],
      ['6', 'protected'],
      ['7', 'not-found'],
      ['8', 'not-found'],
      ['9', 'not-found'],
    ]);
  });

  test('outside the hours: pause what runs, leave what is off', () => {
    const evening = Date.UTC(2025, 5, 4, 12, 0); // 21:00 in Tokyo
    expect(decisions(evening).slice(0, 6)).toEqual([
      ['1', 'pause'],
      ['2', 'already-in-state'],
      ['3', 'already-in-state'],
      ['4', 'already-in-state'],
      ['5', 'already-in-state'],
      ['6', 'already-in-state'],
    ]);
  });

  test('reasons say where and why', () => {
    const byId = new Map(daypartActions(schedule(), objects, NOW, 'Asia/Tokyo').map((d) => [d.objectId, d]));
    expect(byId.get('2')?.reason).toBe('Resume: inside the schedule (Wed 12:00 in Asia/Tokyo)');
    expect(byId.get('3')?.reason).toBe(
      'Not resumed inside the schedule (Wed 12:00 in Asia/Tokyo): a person paused it, and a schedule never undoes that',
    );
    expect(byId.get('2')?.desired).toBe('on');
  });

  test('the flap limit holds back a toggle', () => {
    const toggles = [NOW - 1000, NOW - 2000];
    const result = daypartActions(
      schedule({ objectIds: ['2'] }),
      [o('2', 'DISABLE', 'rule', { lastToggles: toggles })],
      NOW,
      'Asia/Tokyo',
      {
        flapLimit: { maxToggles: 2, perHours: 1 },
      },
    );
    expect(result.map((d) => d.decision)).toEqual(['flap-limited']);
  });

  test('a disabled schedule does nothing; an unknown zone decides nothing', () => {
    expect(daypartActions(schedule({ enabled: false }), objects, NOW, 'Asia/Tokyo')).toEqual([]);
    const unknown = daypartActions(schedule({ objectIds: ['1'] }), objects, NOW, 'Mars/Olympus');
    expect(unknown.map((d) => d.decision)).toEqual(['not-evaluable']);
  });
});
