import { describe, expect, test } from 'vitest';
import { type BacktestPoint, type BacktestSeries, backtestRule } from '../../../lib/rules/backtest';
import { rule } from './helpers';

/** An hourly or daily row: spend, conversions; impressions and clicks do not matter here. */
const p = (time: string, spend: string, conversions: string, value?: string): BacktestPoint => ({
  time,
  spend,
  impressions: '1000',
  clicks: '20',
  conversions,
  ...(value === undefined ? {} : { value }),
});

describe('hourly replay of "CPA > 30 today, minimum spend 20"', () => {
  // Two days, hour rows in the advertiser's zone.
  const A: BacktestSeries = {
    objectId: 'A',
    points: [
      p('2025-06-02 09:00:00', '10.00', '1'), // today 10.00 / 1: guard (spend < 20)
      p('2025-06-02 10:00:00', '15.00', '0'), // today 25.00 / 1 = 25.00: no breach
      p('2025-06-02 11:00:00', '12.50', '0'), // today 37.50 / 1 = 37.50: fires at 12:00
      p('2025-06-02 12:00:00', '8.25', '0'), //  saved
      p('2025-06-02 13:00:00', '4.00', '1'), //  saved → 12.25 that day
      p('2025-06-03 09:00:00', '40.00', '2'), // new day: 40.00 / 2 = 20.00: no breach
      p('2025-06-03 10:00:00', '30.00', '0'), // 70.00 / 2 = 35.00: fires at 11:00
      p('2025-06-03 11:00:00', '5.55', '0'), //  saved 5.55; still 75.55 / 2 = 37.78 at the end
    ],
  };
  const B: BacktestSeries = {
    objectId: 'B',
    points: [
      p('2025-06-02 09:00:00', '50.00', '0'), // 50.00 with no conversion: CPA ∞, fires at 10:00
      p('2025-06-02 10:00:00', '20.00', '2'), // saved 20.00
      p('2025-06-03 09:00:00', '10.00', '1'), // guard
      p('2025-06-03 10:00:00', '15.00', '1'), // 25.00 / 2 = 12.50: recovered by the end
    ],
  };
  const C: BacktestSeries = { objectId: 'C', points: [p('2025-06-02 09:00:00', '30.00', '2')] };
  const r = rule({ guards: { minSpend: 20 } });

  test('firing times, savings per firing and in total, recovered objects', () => {
    const result = backtestRule(r, [A, B, C], { granularity: 'hour' });
    expect(
      result.objects.map((o) => [o.objectId, o.firings.map((f) => [f.time, f.savedSpend]), o.savedSpend, o.recovered]),
    ).toEqual([
      [
        'A',
        [
          ['2025-06-02 12:00:00', 12.25],
          ['2025-06-03 11:00:00', 5.55],
        ],
        17.8,
        false,
      ],
      ['B', [['2025-06-02 10:00:00', 20]], 20, true],
      ['C', [], 0, false],
    ]);
    expect(result.savedSpend).toBe(37.8);
    expect(result.firedObjectIds).toEqual(['A', 'B']);
    expect(result.recoveredObjectIds).toEqual(['B']);
    expect([result.from, result.to, result.granularity, result.ruleId]).toEqual([
      '2025-06-02',
      '2025-06-03',
      'hour',
      'r1',
    ]);
  });

  test('firings carry the value, threshold and reason seen then', () => {
    const [a, b] = backtestRule(r, [A, B], { granularity: 'hour' }).objects;
    expect(a?.firings[0]).toMatchObject({ value: 37.5, threshold: 30, reason: 'CPA 37.50 > target 30.00 (today)' });
    expect(b?.firings[0]).toMatchObject({
      value: Number.POSITIVE_INFINITY,
      reason: 'CPA ∞ (spend 50.00, no conversions) > target 30.00 (today)',
    });
  });

  test('the result does not depend on row order (deterministic)', () => {
    const shuffled = { ...A, points: [...A.points].reverse() };
    expect(backtestRule(r, [shuffled], { granularity: 'hour' })).toEqual(backtestRule(r, [A], { granularity: 'hour' }));
  });

  test('the schedule decides which hours are checked', () => {
    const afternoons = rule({ guards: { minSpend: 20 }, schedule: { everyMinutes: 30, days: [1], hours: [12, 24] } });
    const result = backtestRule(afternoons, [A, B], { granularity: 'hour' });
    // Monday 2 June, from noon: A is first checked in its 12:00 row (45.75 / 1), fires at 13:00 and saves
    // the 13:00 row; B has no row after 10:00. Tuesday is not a scheduled day.
    expect(result.objects.map((o) => [o.objectId, o.firings.map((f) => f.time), o.savedSpend])).toEqual([
      ['A', ['2025-06-02 13:00:00'], 4],
      ['B', [], 0],
    ]);
  });
});

describe('per-object targets in a replay', () => {
  test('a higher target for A delays its first firing to the second day', () => {
    const series: BacktestSeries = {
      objectId: '1800000000000000001',
      points: [
        p('2025-06-02 09:00:00', '37.50', '1'),
        p('2025-06-03 09:00:00', '45.00', '1'),
        p('2025-06-03 10:00:00', '5.00', '0'),
      ],
    };
    const plain = backtestRule(rule(), [series], { granularity: 'hour' });
    expect(plain.objects[0]?.firings.map((f) => f.time)).toEqual(['2025-06-02 10:00:00', '2025-06-03 10:00:00']);
    const target = backtestRule(rule({ targets: { '1800000000000000001': { cpa: 40 } } }), [series], {
      granularity: 'hour',
    });
    expect(target.objects[0]?.firings.map((f) => [f.time, f.threshold, f.savedSpend])).toEqual([
      ['2025-06-03 10:00:00', 40, 5],
    ]);
    expect(target.objects[0]?.firings[0]?.reason).toBe('CPA 45.00 > target 40.00 for this object (today)');
  });
});

describe('daily replay', () => {
  const days = (spends: string[], conversions: string[]): BacktestPoint[] =>
    spends.map((s, i) => p(`2025-06-0${i + 1} 00:00:00`, s, conversions[i] ?? '0'));

  test('a lifetime pause stays paused: it saves everything after the firing', () => {
    const r = rule({ conditions: [{ metric: 'spend', op: '>', value: 100, window: 'lifetime' }] });
    const result = backtestRule(r, [{ objectId: 'X', points: days(['40', '40', '40', '40', '40'], []) }], {
      granularity: 'day',
    });
    // 40 + 40 + 40 = 120 > 100 at the end of 3 June; 4 and 5 June are saved.
    expect(result.objects[0]?.firings.map((f) => [f.time, f.value, f.savedSpend])).toEqual([
      ['2025-06-04 00:00:00', 120, 80],
    ]);
    expect(result.savedSpend).toBe(80);
    expect(result.recoveredObjectIds).toEqual([]);
  });

  test('"yesterday" flags each day after a bad one; the first day cannot see its yesterday', () => {
    const r = rule({ action: 'flag', conditions: [{ metric: 'cpa', op: '>', value: 30, window: 'yesterday' }] });
    const series = { objectId: 'Y', points: days(['100.00', '60.00', '90.00', '10.00'], ['2', '3', '2', '1']) };
    const result = backtestRule(r, [series], { granularity: 'day' });
    // End of 2 June sees 1 June (CPA 50); end of 4 June sees 3 June (CPA 45).
    expect(result.objects[0]?.firings.map((f) => [f.time, f.value, f.savedSpend])).toEqual([
      ['2025-06-03 00:00:00', 50, 0],
      ['2025-06-05 00:00:00', 45, 0],
    ]);
    expect(result.savedSpend).toBe(0);
    expect(result.objects[0]?.recovered).toBe(false);
  });

  test('a "today" rule on daily rows fires at the end of the day and saves nothing', () => {
    const result = backtestRule(rule(), [{ objectId: 'Z', points: days(['100'], ['1']) }], { granularity: 'day' });
    expect(result.objects[0]?.firings.map((f) => [f.time, f.savedSpend])).toEqual([['2025-06-02 00:00:00', 0]]);
  });

  test('last N hours is not evaluable on daily rows', () => {
    const r = rule({ conditions: [{ metric: 'spend', op: '>', value: 1, window: 'last_6_hours' }] });
    expect(
      backtestRule(r, [{ objectId: 'Z', points: days(['100'], ['1']) }], { granularity: 'day' }).firedObjectIds,
    ).toEqual([]);
  });

  test('"from" drops earlier rows and bounds the windows', () => {
    const r = rule({ conditions: [{ metric: 'spend', op: '>', value: 100, window: 'lifetime' }] });
    const result = backtestRule(r, [{ objectId: 'X', points: days(['40', '40', '40', '40', '40'], []) }], {
      granularity: 'day',
      from: '2025-06-03',
    });
    // Lifetime counts from 3 June: 40 + 40 + 40 = 120 at the end of 5 June; nothing left to save.
    expect(result.objects[0]?.firings.map((f) => [f.time, f.savedSpend])).toEqual([['2025-06-06 00:00:00', 0]]);
    expect(result.from).toBe('2025-06-03');
  });
});

describe('hour windows, cooldown, budget share and ROAS', () => {
  test('last 2 hours with a 2-hour cooldown', () => {
    const r = rule({
      action: 'flag',
      cooldownMinutes: 120,
      conditions: [{ metric: 'spend', op: '>', value: 20, window: 'last_2_hours' }],
    });
    const series: BacktestSeries = {
      objectId: 'H',
      points: [
        p('2025-06-02 00:00:00', '15', '0'), // window reaches into 1 June: not evaluable
        p('2025-06-02 01:00:00', '10', '0'), // 00–02: 25 → fires at 02:00
        p('2025-06-02 02:00:00', '12', '0'), // 01–03: 22, but cooldown (60 min)
        p('2025-06-02 03:00:00', '30', '0'), // 02–04: 42 → fires at 04:00 (120 min)
        p('2025-06-02 04:00:00', '1', '0'), // cooldown
        p('2025-06-02 05:00:00', '1', '0'), // 04–06: 2 → no breach: recovered
      ],
    };
    const result = backtestRule(r, [series], { granularity: 'hour' });
    expect(result.objects[0]?.firings.map((f) => [f.time, f.value])).toEqual([
      ['2025-06-02 02:00:00', 25],
      ['2025-06-02 04:00:00', 42],
    ]);
    expect(result.recoveredObjectIds).toEqual(['H']);
  });

  test('budget share of a daily budget', () => {
    const r = rule({ conditions: [{ metric: 'budget_share', op: '>', value: 80, window: 'today' }] });
    const series: BacktestSeries = {
      objectId: 'B',
      budget: 100,
      budgetMode: 'BUDGET_MODE_DAY',
      points: [
        p('2025-06-02 09:00:00', '50.00', '0'),
        p('2025-06-02 10:00:00', '40.00', '0'),
        p('2025-06-02 11:00:00', '10.00', '0'),
      ],
    };
    const result = backtestRule(r, [series], { granularity: 'hour' });
    expect(result.objects[0]?.firings.map((f) => [f.time, f.value, f.savedSpend])).toEqual([
      ['2025-06-02 11:00:00', 90, 10],
    ]);
  });

  test('ROAS below 1.5 over the last 3 days, only where value is reported', () => {
    const r = rule({ conditions: [{ metric: 'roas', op: '<', value: 1.5, window: 'last_3_days' }] });
    const withValue: BacktestSeries = {
      objectId: 'V',
      points: [
        p('2025-06-01 00:00:00', '100.00', '1', '200.00'),
        p('2025-06-02 00:00:00', '100.00', '1', '150.00'),
        p('2025-06-03 00:00:00', '100.00', '1', '50.00'), // 400 / 300 = 1.33 → fires at the end of 3 June
        p('2025-06-04 00:00:00', '100.00', '1', '10.00'), // saved 100.00
      ],
    };
    const noValue: BacktestSeries = { objectId: 'N', points: withValue.points.map(({ value: _v, ...rest }) => rest) };
    const result = backtestRule(r, [withValue, noValue], { granularity: 'day' });
    expect(result.objects.map((o) => [o.objectId, o.firings.map((f) => f.time), o.savedSpend])).toEqual([
      ['V', ['2025-06-04 00:00:00'], 100],
      ['N', [], 0],
    ]);
  });

  test('"-" and invalid rows are harmless', () => {
    const series: BacktestSeries = {
      objectId: 'D',
      points: [p('2025-06-02 09:00:00', '-', '-'), p('not a time', '999', '0'), p('2025-06-02 10:00:00', '45.00', '1')],
    };
    const result = backtestRule(rule(), [series], { granularity: 'hour' });
    expect(result.objects[0]?.firings.map((f) => [f.time, f.value])).toEqual([['2025-06-02 11:00:00', 45]]);
  });

  test('no rows at all', () => {
    expect(backtestRule(rule(), [], { granularity: 'hour' })).toEqual({
      ruleId: 'r1',
      granularity: 'hour',
      from: undefined,
      to: undefined,
      objects: [],
      firedObjectIds: [],
      recoveredObjectIds: [],
      savedSpend: 0,
    });
  });
});
