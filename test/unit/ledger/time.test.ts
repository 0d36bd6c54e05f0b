import { describe, expect, test } from 'vitest';
import {
  crossesDay,
  dayInZone,
  daysBetween,
  hourInZone,
  isValidTimeZone,
  TimeZoneError,
} from '../../../lib/ledger/time';

const AT = Date.UTC(2025, 2, 1, 15, 30); // 2025-03-01T15:30:00Z

describe('dayInZone and hourInZone on both sides of UTC', () => {
  test.each([
    // zone, day, hour at 2025-03-01T15:30Z
    ['UTC', '2025-03-01', 15],
    ['Asia/Tokyo', '2025-03-02', 0],
    ['asia/tokyo', '2025-03-02', 0],
    ['America/Los_Angeles', '2025-03-01', 7],
    ['Pacific/Kiritimati', '2025-03-02', 5],
    ['Etc/GMT+12', '2025-03-01', 3],
    ['Etc/GMT+8', '2025-03-01', 7],
    ['Etc/GMT-14', '2025-03-02', 5],
    ['UTC+05:30', '2025-03-01', 21],
    ['+09:00', '2025-03-02', 0],
    ['GMT-3', '2025-03-01', 12],
    ['UTC-12', '2025-03-01', 3],
  ])('%s → %s, hour %i', (zone, day, hour) => {
    expect(dayInZone(AT, zone)).toBe(day);
    expect(hourInZone(AT, zone)).toBe(hour);
  });

  test('one instant is three different days from UTC−12 to UTC+14', () => {
    const t = Date.UTC(2025, 0, 1, 11, 0);
    expect(dayInZone(t, 'Etc/GMT+12')).toBe('2024-12-31');
    expect(hourInZone(t, 'Etc/GMT+12')).toBe(23);
    expect(dayInZone(t, 'UTC')).toBe('2025-01-01');
    expect(dayInZone(t, 'Pacific/Kiritimati')).toBe('2025-01-02');
    expect(hourInZone(t, 'Pacific/Kiritimati')).toBe(1);
  });

  test('midnight is hour 0, not 24', () => {
    expect(hourInZone(Date.UTC(2025, 5, 1, 15, 0), 'Asia/Tokyo')).toBe(0);
    expect(dayInZone(Date.UTC(2025, 5, 1, 15, 0), 'Asia/Tokyo')).toBe('2025-06-02');
    expect(dayInZone(Date.UTC(2025, 5, 1, 14, 59, 59, 999), 'Asia/Tokyo')).toBe('2025-06-01');
  });

  test('daylight saving time in Los Angeles moves the day boundary by an hour', () => {
    // 2025-03-09 02:00 PST → 03:00 PDT at 10:00Z
    expect(hourInZone(Date.UTC(2025, 2, 9, 9, 59), 'America/Los_Angeles')).toBe(1);
    expect(hourInZone(Date.UTC(2025, 2, 9, 10, 0), 'America/Los_Angeles')).toBe(3);
    // winter midnight is 08:00Z, summer midnight 07:00Z
    expect(dayInZone(Date.UTC(2025, 0, 15, 7, 30), 'America/Los_Angeles')).toBe('2025-01-14');
    expect(dayInZone(Date.UTC(2025, 6, 15, 7, 30), 'America/Los_Angeles')).toBe('2025-07-15');
  });
});

describe('crossesDay', () => {
  const click = Date.UTC(2025, 2, 1, 14, 50); // 23:50 in Tokyo
  const settle = Date.UTC(2025, 2, 1, 15, 20); // 00:20 next day in Tokyo

  test.each([
    ['Asia/Tokyo', true],
    ['America/Los_Angeles', false],
    ['UTC', false],
    ['Etc/GMT+12', false],
    ['Pacific/Kiritimati', false],
  ])('click 14:50Z, settle 15:20Z in %s → %s', (zone, crossed) => {
    expect(crossesDay(click, settle, zone)).toBe(crossed);
    expect(crossesDay(settle, click, zone)).toBe(crossed);
  });

  test('the same instant never crosses', () => {
    expect(crossesDay(click, click, 'Asia/Tokyo')).toBe(false);
  });
});

describe('invalid zones fail loudly', () => {
  test.each([['Foo/Bar'], [''], ['UTC+15'], ['+08:75'], ['Mars/Olympus_Mons']])('%j throws TimeZoneError', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
    expect(() => dayInZone(AT, zone)).toThrow(TimeZoneError);
    expect(() => dayInZone(AT, zone)).toThrow(`Unknown time zone "${zone}"`);
  });

  test.each([['America/Los_Angeles'], ['Etc/GMT+8'], ['UTC+08:00']])('%s is valid', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });

  test('a time that is not a number throws', () => {
    expect(() => dayInZone(Number.NaN, 'UTC')).toThrow(RangeError);
  });
});

describe('daysBetween', () => {
  test.each([
    ['2025-03-01', '2025-03-01', 0],
    ['2025-03-01', '2025-03-02', 1],
    ['2025-02-28', '2025-03-01', 1],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-03-10', '2025-03-01', -9],
    ['2024-12-31', '2025-01-31', 31],
  ])('%s → %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  test('a malformed day throws', () => {
    expect(() => daysBetween('2025-3-1', '2025-03-02')).toThrow(RangeError);
  });
});
