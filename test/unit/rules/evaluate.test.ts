import { describe, expect, test } from 'vitest';
import {
  type Decision,
  type EvaluationContext,
  evaluateRules,
  type RuleEvaluation,
  type RuleObject,
} from '../../../lib/rules/evaluate';
import type { RawMetrics } from '../../../lib/rules/metrics';
import { isDue } from '../../../lib/rules/schedule';
import {
  type Comparison,
  FIXED_WINDOWS,
  RULE_METRICS,
  type RuleMetric,
  type WindowKey,
} from '../../../lib/rules/schema';
import { ADV_LA, ADV_TOKYO, NOW, object, row, rule, ZONES } from './helpers';

const ctx = (over: Partial<EvaluationContext> = {}): EvaluationContext => ({
  now: NOW,
  timeZoneByAdvertiser: ZONES,
  lastFiredAt: {},
  flapLimit: { maxToggles: 4, perHours: 24 },
  ...over,
});

function only(rules: Parameters<typeof evaluateRules>[0], objects: RuleObject[], c = ctx()): RuleEvaluation {
  const results = evaluateRules(rules, objects, c);
  expect(results.length).toBe(1);
  return results.get(0);
}

/** A row where every metric has a known value (budget 200 daily, today). */
const FULL = row('120.00', '40000', '400', '4', { total_complete_payment_rate: '300.00' });
const VALUES: Record<RuleMetric, number> = {
  spend: 120,
  cpa: 30,
  ctr: 1,
  cpc: 0.3,
  cpm: 3,
  conversions: 4,
  conversion_rate: 1,
  roas: 2.5,
  budget_share: 60,
};

describe('every metric × every comparison', () => {
  const cases: [RuleMetric, Comparison, 'below' | 'equal' | 'above', boolean][] = [];
  const expected: Record<Comparison, Record<'below' | 'equal' | 'above', boolean>> = {
    '>': { below: true, equal: false, above: false },
    '>=': { below: true, equal: true, above: false },
    '<': { below: false, equal: false, above: true },
    '<=': { below: false, equal: true, above: true },
  };
  for (const metric of RULE_METRICS) {
    for (const op of ['>', '>=', '<', '<='] as const) {
      for (const where of ['below', 'equal', 'above'] as const) cases.push([metric, op, where, expected[op][where]]);
    }
  }

  test.each(cases)('%s %s threshold %s the value → breach %s', (metric, op, where, breach) => {
    const v = VALUES[metric];
    const threshold = where === 'below' ? v / 2 : where === 'equal' ? v : v * 2;
    const r = rule({ conditions: [{ metric, op, value: threshold, window: 'today' }] });
    const e = only([r], [object({ budget: 200, metricsByWindow: { today: FULL } })]);
    expect(e.decision).toBe<Decision>(breach ? 'act' : 'no-breach');
    expect(e.breached).toBe(breach);
    expect(e.metric).toBe(metric);
    expect(e.op).toBe(op);
    expect(e.value).toBeCloseTo(v, 12);
    expect(e.threshold).toBe(threshold);
  });
});

describe('windows', () => {
  const windows: WindowKey[] = [...FIXED_WINDOWS, 'last_1_hours', 'last_6_hours', 'last_24_hours'];

  test.each(windows)('a condition on %s reads that window only', (window) => {
    const r = rule({ conditions: [{ metric: 'spend', op: '>', value: 100, window }] });
    const metricsByWindow: Partial<Record<WindowKey, RawMetrics>> = {};
    for (const w of windows) metricsByWindow[w] = row(w === window ? '150.00' : '50.00', '1000', '10', '1');
    const hit = only([r], [object({ metricsByWindow })]);
    expect(hit.decision).toBe('act');
    expect(hit.window).toBe(window);
    expect(hit.value).toBe(150);

    const without = { ...metricsByWindow };
    delete without[window];
    const missing = only([r], [object({ metricsByWindow: without })]);
    expect(missing.decision).toBe('not-evaluable');
    expect(missing.reason).toMatch(/^No report data for /);
  });

  test('conditions on two windows must both hold', () => {
    const r = rule({
      conditions: [
        { metric: 'cpa', op: '>', value: 30, window: 'today' },
        { metric: 'cpa', op: '>', value: 25, window: 'last_7_days' },
      ],
    });
    const o = (week: string) =>
      object({
        metricsByWindow: { today: row('42.10', '1000', '10', '1'), last_7_days: row(week, '9000', '90', '10') },
      });
    const both = only([r], [o('300.00')]);
    expect(both.decision).toBe('act');
    expect(both.reason).toBe('CPA 42.10 > target 30.00 (today) and CPA 30.00 > target 25.00 (last 7 days): pause');
    const one = only([r], [o('200.00')]);
    expect(one.decision).toBe('no-breach');
    expect(one.reason).toBe('CPA 20.00 is not > target 25.00 (last 7 days)');
  });

  test('a false condition wins over an unreported one (AND with unknowns)', () => {
    const r = rule({
      conditions: [
        { metric: 'roas', op: '<', value: 1, window: 'today' },
        { metric: 'spend', op: '>', value: 1000, window: 'today' },
      ],
    });
    expect(only([r], [object()]).decision).toBe('no-breach');
    const r2 = rule({
      conditions: [
        { metric: 'roas', op: '<', value: 1, window: 'today' },
        { metric: 'spend', op: '>', value: 10, window: 'today' },
      ],
    });
    const e = only([r2], [object()]);
    expect(e.decision).toBe('not-evaluable');
    expect(e.metric).toBe('roas');
    expect(e.reason).toBe('ROAS is not reported or not applicable (today)');
  });
});

describe('data guards', () => {
  test.each([
    [{ minSpend: 120 }, 'act', undefined],
    [{ minSpend: 120.01 }, 'not-enough-data', 'Not enough data yet: spend 120.00 < minimum 120.01 (today)'],
    [{ minImpressions: 40000 }, 'act', undefined],
    [{ minImpressions: 40001 }, 'not-enough-data', 'Not enough data yet: impressions 40000 < minimum 40001 (today)'],
    [{ minConversions: 4 }, 'act', undefined],
    [{ minConversions: 5 }, 'not-enough-data', 'Not enough data yet: conversions 4 < minimum 5 (today)'],
    [{ minSpend: 10, minImpressions: 10, minConversions: 1 }, 'act', undefined],
  ] as const)('%o → %s', (guards, decision, reason) => {
    const r = rule({ guards, conditions: [{ metric: 'cpa', op: '>=', value: 30, window: 'today' }] });
    const e = only([r], [object({ metricsByWindow: { today: FULL } })]);
    expect(e.decision).toBe(decision);
    if (reason) {
      expect(e.reason).toBe(reason);
      expect(e.breached).toBe(false);
    }
  });

  test('an unreported guard metric is not enough data, never a pass', () => {
    const r = rule({ guards: { minSpend: 10 } });
    const e = only([r], [object({ metricsByWindow: { today: row('-', '-', '-', '-') } })]);
    expect(e.decision).toBe('not-enough-data');
    expect(e.value).toBeUndefined();
    expect(e.reason).toBe('Not enough data yet: spend not reported (today), minimum 10.00');
  });

  test('guards apply in every window the conditions use', () => {
    const r = rule({
      guards: { minSpend: 50 },
      conditions: [
        { metric: 'spend', op: '>', value: 1, window: 'last_7_days' },
        { metric: 'spend', op: '>', value: 1, window: 'today' },
      ],
    });
    const e = only(
      [r],
      [object({ metricsByWindow: { last_7_days: row('500', '1', '1', '1'), today: row('20', '1', '1', '1') } })],
    );
    expect(e.decision).toBe('not-enough-data');
    expect(e.window).toBe('today');
    expect(e.metric).toBe('minSpend');
  });
});

describe('CPA with spend and no conversions', () => {
  test('breaches a CPA ceiling, with an honest reason', () => {
    const e = only(
      [rule()],
      [object({ metricsByWindow: { today: row('42.10', '5000', '50', '0', { cost_per_conversion: '0.00' }) } })],
    );
    expect(e.decision).toBe('act');
    expect(e.value).toBe(Number.POSITIVE_INFINITY);
    expect(e.reason).toBe('CPA ∞ (spend 42.10, no conversions) > target 30.00 (today): pause');
    expect(JSON.parse(JSON.stringify(e)).value).toBeNull();
  });

  test('but the minimum-spend guard still holds it back', () => {
    const r = rule({ guards: { minSpend: 50 } });
    expect(only([r], [object({ metricsByWindow: { today: row('42.10', '5000', '50', '0') } })]).decision).toBe(
      'not-enough-data',
    );
  });

  test('never satisfies a CPA floor', () => {
    const r = rule({ conditions: [{ metric: 'cpa', op: '<', value: 30, window: 'today' }] });
    expect(only([r], [object({ metricsByWindow: { today: row('42.10', '5000', '50', '0') } })]).decision).toBe(
      'no-breach',
    );
  });
});

describe('"-" values', () => {
  test.each(RULE_METRICS)('%s on an all-"-" row is not evaluable, never NaN', (metric) => {
    const r = rule({ conditions: [{ metric, op: '>', value: 0, window: 'today' }] });
    const dashes = row('-', '-', '-', '-', {
      ctr: '-',
      cpc: '-',
      cpm: '-',
      cost_per_conversion: '-',
      conversion_rate: '-',
      total_complete_payment_rate: '-',
    });
    const e = only([r], [object({ metricsByWindow: { today: dashes } })]);
    expect(e.decision).toBe('not-evaluable');
    expect(e.value).toBeUndefined();
    expect(e.reason).not.toMatch(/NaN/);
  });

  test('budget share without a daily budget explains why', () => {
    const r = rule({ conditions: [{ metric: 'budget_share', op: '>', value: 80, window: 'today' }] });
    const e = only([r], [object({ budget: 1000, budgetMode: 'BUDGET_MODE_TOTAL' })]);
    expect(e.decision).toBe('not-evaluable');
    expect(e.reason).toBe('Budget spent cannot be measured: it has no daily budget');
    const unlimited = only([r], [object({ budget: null, budgetMode: 'BUDGET_MODE_INFINITE' })]);
    expect(unlimited.reason).toBe(
      'Budget spent cannot be measured: it has no budget of its own (unlimited, or set on another level)',
    );
  });
});

describe('scope', () => {
  const objs = [
    object({ id: '1', name: 'Spring Sale US' }),
    object({ id: '2', name: 'spring sale EU', advertiserId: ADV_LA }),
    object({ id: '3', name: 'Café Été', level: 'adgroup' }),
    object({ id: '4', name: 'Cafe\u0301 e\u0301te\u0301 2' }),
    object({ id: '5', name: 'Winter' }),
  ];
  const ids = (r: ReturnType<typeof rule>) =>
    evaluateRules([r], objs, ctx())
      .toArray()
      .map((e) => e.objectId);

  test('all objects of the level', () => {
    expect(ids(rule())).toEqual(['1', '2', '4', '5']);
    expect(ids(rule({ scope: { level: 'adgroup', match: { kind: 'all' } } }))).toEqual(['3']);
  });
  test('name contains: case-insensitive and Unicode-normalised', () => {
    expect(ids(rule({ scope: { level: 'campaign', match: { kind: 'nameContains', text: 'SPRING sale' } } }))).toEqual([
      '1',
      '2',
    ]);
    expect(ids(rule({ scope: { level: 'campaign', match: { kind: 'nameContains', text: 'CAFÉ ÉTÉ' } } }))).toEqual([
      '4',
    ]);
  });
  test('listed IDs', () => {
    expect(ids(rule({ scope: { level: 'campaign', match: { kind: 'ids', ids: ['5', '1', '3'] } } }))).toEqual([
      '1',
      '5',
    ]);
  });
  test('per advertiser', () => {
    expect(ids(rule({ advertiserIds: [ADV_LA] }))).toEqual(['2']);
  });
  test('disabled rules yield nothing', () => {
    expect(ids(rule({ enabled: false }))).toEqual([]);
  });
});

describe('per-object targets', () => {
  test('a target replaces the threshold for that object only', () => {
    const r = rule({ targets: { '1800000000000000001': { cpa: 45 } } });
    const results = evaluateRules(r ? [r] : [], [object(), object({ id: '1800000000000000002' })], ctx()).toArray();
    expect(results.map((e) => [e.objectId, e.decision, e.threshold])).toEqual([
      ['1800000000000000001', 'no-breach', 45],
      ['1800000000000000002', 'act', 30],
    ]);
    expect(results[0]?.reason).toBe('CPA 42.10 is not > target 45.00 for this object (today)');
  });

  test('a target for another metric leaves this condition alone', () => {
    const r = rule({ targets: { '1800000000000000001': { ctr: 2 } } });
    expect(only([r], [object()]).threshold).toBe(30);
  });
});

describe('schedule in the advertiser time zone', () => {
  // NOW: Wednesday 12:00 in Tokyo, Tuesday 20:00 in Los Angeles.
  const tokyo = object({ id: '1', advertiserId: ADV_TOKYO });
  const la = object({ id: '2', advertiserId: ADV_LA });

  test.each([
    [[3], [0, 24], 'act', 'outside-schedule'],
    [[2], [0, 24], 'outside-schedule', 'act'],
    [[0, 1, 2, 3, 4, 5, 6], [9, 17], 'act', 'outside-schedule'],
    [[0, 1, 2, 3, 4, 5, 6], [18, 6], 'outside-schedule', 'act'],
    [[0, 1, 2, 3, 4, 5, 6], [12, 13], 'act', 'outside-schedule'],
    [[0, 1, 2, 3, 4, 5, 6], [11, 12], 'outside-schedule', 'outside-schedule'],
  ] as const)('days %o hours %o → Tokyo %s, Los Angeles %s', (days, hours, inTokyo, inLa) => {
    const r = rule({ schedule: { everyMinutes: 30, days: [...days], hours: [...hours] } });
    const [t, l] = evaluateRules([r], [tokyo, la], ctx()).toArray();
    expect(t?.decision).toBe(inTokyo);
    expect(l?.decision).toBe(inLa);
  });

  test('the reason names the local time', () => {
    const r = rule({ schedule: { everyMinutes: 30, days: [3], hours: [0, 24] } });
    expect(only([r], [la]).reason).toBe("Outside the rule's days and hours (Tue 20:00 in America/Los_Angeles)");
  });

  test('an unknown time zone is not evaluable, unless the schedule is always on', () => {
    const r = rule({ schedule: { everyMinutes: 30, days: [3], hours: [0, 24] } });
    const e = only([r], [object({ advertiserId: '7999999999' })]);
    expect(e.decision).toBe('not-evaluable');
    expect(e.reason).toBe('The time zone of advertiser 7999999999 is not known yet');
    expect(only([rule()], [object({ advertiserId: '7999999999' })]).decision).toBe('act');
  });

  test('preview can ignore the schedule', () => {
    const r = rule({ schedule: { everyMinutes: 30, days: [2], hours: [0, 24] } });
    expect(only([r], [tokyo], ctx({ ignoreSchedule: true })).decision).toBe('act');
  });
});

describe('actions on a breach', () => {
  const resume = rule({ action: 'resume', conditions: [{ metric: 'cpa', op: '>', value: 30, window: 'today' }] });

  test.each([
    ['pause', 'ENABLE', null, 'act', 'CPA 42.10 > target 30.00 (today): pause'],
    ['pause', 'DISABLE', 'rule', 'already-in-state', 'CPA 42.10 > target 30.00 (today); already paused'],
    ['pause', 'FROZEN', null, 'already-in-state', 'CPA 42.10 > target 30.00 (today); not on (status FROZEN)'],
    ['resume', 'DISABLE', 'rule', 'act', 'CPA 42.10 > target 30.00 (today): resume'],
    ['resume', 'ENABLE', null, 'already-in-state', 'CPA 42.10 > target 30.00 (today); already on'],
    [
      'resume',
      'DISABLE',
      'user',
      'protected',
      'CPA 42.10 > target 30.00 (today); paused by a person: a rule never resumes it',
    ],
    [
      'resume',
      'DISABLE',
      'emergency',
      'protected',
      'CPA 42.10 > target 30.00 (today); stopped by the emergency stop: a rule never resumes it',
    ],
    [
      'resume',
      'DISABLE',
      null,
      'protected',
      'CPA 42.10 > target 30.00 (today); paused outside SafePause (perhaps by a person): a rule resumes only what a rule paused',
    ],
    [
      'resume',
      'FROZEN',
      'rule',
      'protected',
      'CPA 42.10 > target 30.00 (today); frozen by TikTok: it cannot be turned back on',
    ],
    ['flag', 'ENABLE', null, 'flag', 'CPA 42.10 > target 30.00 (today)'],
    ['flag', 'DISABLE', 'user', 'flag', 'CPA 42.10 > target 30.00 (today)'],
  ] as const)('%s on %s (paused by %s) → %s', (action, status, pausedBy, decision, reason) => {
    const r = action === 'resume' ? resume : rule({ action });
    const e = only([r], [object({ operationStatus: status, pausedBy })]);
    expect(e.decision).toBe(decision);
    expect(e.breached).toBe(true);
    expect(e.action).toBe(action);
    expect(e.reason).toBe(reason);
  });

  test('a schedule-only resume rule (no conditions) acts inside its hours', () => {
    const r = rule({ action: 'resume', conditions: [] });
    const e = only([r], [object({ operationStatus: 'DISABLE', pausedBy: 'rule' })]);
    expect(e.decision).toBe('act');
    expect(e.reason).toBe('Inside the rule schedule: resume');
  });
});

describe('cooldown and flap limit', () => {
  const key = 'r1:1800000000000000001';

  test.each([
    [10, 60, 'cooldown'],
    [59, 60, 'cooldown'],
    [60, 60, 'act'],
    [10, 0, 'act'],
  ] as const)('fired %i min ago with a %i min cooldown → %s', (ago, cooldownMinutes, decision) => {
    const r = rule({ cooldownMinutes });
    const e = only([r], [object()], ctx({ lastFiredAt: { [key]: NOW - ago * 60_000 } }));
    expect(e.decision).toBe(decision);
  });

  test('cooldown reason and flag rules', () => {
    const r = rule({ cooldownMinutes: 60 });
    const e = only([r], [object()], ctx({ lastFiredAt: { [key]: NOW - 10 * 60_000 } }));
    expect(e.reason).toBe(
      'CPA 42.10 > target 30.00 (today); in cooldown: this rule fired on it 10 min ago, 50 min to go',
    );
    const flag = rule({ action: 'flag', cooldownMinutes: 60 });
    const f = only([flag], [object()], ctx({ lastFiredAt: { [key]: NOW - 10 * 60_000 } }));
    expect(f.decision).toBe('cooldown');
    expect(f.breached).toBe(true);
  });

  test('another rule firing does not start this rule’s cooldown', () => {
    const r = rule({ cooldownMinutes: 60 });
    expect(only([r], [object()], ctx({ lastFiredAt: { 'r2:1800000000000000001': NOW } })).decision).toBe('act');
  });

  const h = 3_600_000;
  test.each([
    [[NOW - 1 * h, NOW - 2 * h, NOW - 3 * h, NOW - 4 * h], 'flap-limited'],
    [[NOW - 1 * h, NOW - 2 * h, NOW - 3 * h], 'act'],
    [[NOW - 1 * h, NOW - 2 * h, NOW - 3 * h, NOW - 24 * h], 'act'],
    [[NOW - 1 * h, NOW - 2 * h, NOW - 3 * h, NOW - 24 * h + 1], 'flap-limited'],
  ] as const)('toggles %o → %s', (toggles, decision) => {
    const e = only([rule()], [object({ lastToggles: toggles })]);
    expect(e.decision).toBe(decision);
    if (decision === 'flap-limited') expect(e.reason).toMatch(/switched 4 times in the last 24 h \(limit 4\)/);
  });

  test('flag rules are not flap-limited', () => {
    const toggles = [NOW - 1, NOW - 2, NOW - 3, NOW - 4];
    expect(only([rule({ action: 'flag' })], [object({ lastToggles: toggles })]).decision).toBe('flag');
  });
});

describe('isDue', () => {
  test.each([
    [undefined, true],
    [NOW - 30 * 60_000, true],
    [NOW - 30 * 60_000 + 4_000, true],
    [NOW - 29 * 60_000, false],
  ] as const)('last run %o → due %s', (last, due) => {
    expect(isDue({ everyMinutes: 30 }, last, NOW)).toBe(due);
  });
});

describe('20 rules × 10,000 objects', () => {
  test('counts per decision are exact', () => {
    // Object i: k = i % 100 spent k.00 today; k ≥ 95 are already paused; names alternate even/odd.
    const objects: RuleObject[] = [];
    for (let i = 0; i < 10_000; i++) {
      const k = i % 100;
      objects.push(
        object({
          id: String(1_800_000_000_000_000n + BigInt(i)),
          name: `Campaign ${i} ${i % 2 === 0 ? 'even' : 'odd'}`,
          advertiserId: i % 2 === 0 ? ADV_TOKYO : ADV_LA,
          operationStatus: k >= 95 ? 'DISABLE' : 'ENABLE',
          pausedBy: k >= 95 ? 'user' : null,
          metricsByWindow: { today: row(`${k}.00`, '1000', '10', '1') },
        }),
      );
    }
    // Rule r: spend > 5r; odd r only for names containing "even".
    const rules = Array.from({ length: 20 }, (_, r) =>
      rule({
        id: `r${r}`,
        name: `Rule ${r}`,
        conditions: [{ metric: 'spend', op: '>', value: 5 * r, window: 'today' }],
        scope: { level: 'campaign', match: r % 2 === 1 ? { kind: 'nameContains', text: 'EVEN' } : { kind: 'all' } },
      }),
    );
    const results = evaluateRules(rules, objects, ctx());

    const expected = { act: 0, 'already-in-state': 0, 'no-breach': 0 };
    for (let r = 0; r < 20; r++) {
      for (let k = 0; k < 100; k++) {
        if (r % 2 === 1 && k % 2 === 1) continue;
        const bucket = k <= 5 * r ? 'no-breach' : k >= 95 ? 'already-in-state' : 'act';
        expected[bucket] += 100;
      }
    }
    const counts = results.counts();
    expect(counts).toEqual({
      act: expected.act,
      flag: 0,
      'not-enough-data': 0,
      'no-breach': expected['no-breach'],
      'not-evaluable': 0,
      cooldown: 0,
      'outside-schedule': 0,
      'flap-limited': 0,
      protected: 0,
      'already-in-state': expected['already-in-state'],
    });
    expect(results.length).toBe(10 * 10_000 + 10 * 5_000);
    expect(results.indexesOf('act').length).toBe(expected.act);
    // Spot check one row through the object view.
    const first = results.get(results.indexesOf('act')[0] ?? -1);
    expect([first.ruleId, first.objectId, first.reason]).toEqual([
      'r0',
      '1800000000000001',
      'Spend 1.00 > target 0.00 (today): pause',
    ]);
  });
});
