import { describe, expect, test } from 'vitest';
import { budgetDeltas, budgetKind, type DeltaInput, jobDeltas, totals } from '../../../lib/ledger/deltas';
import { crossesDay } from '../../../lib/ledger/time';
import { makeJob } from './job-fixture';

const base: DeltaInput = {
  currency: 'USD',
  budgetMode: 'BUDGET_MODE_DAY',
  budget: '50.00',
  todaySpendAtClick: '12.34',
  lifetimeSpendAtClick: '100.00',
  settledLifetimeSpend: '101.50',
};

describe('budgetKind', () => {
  test.each([
    ['BUDGET_MODE_DAY', 'daily'],
    ['BUDGET_MODE_DYNAMIC_DAILY_BUDGET', 'dynamic-daily'],
    ['BUDGET_MODE_TOTAL', 'total'],
    ['BUDGET_MODE_INFINITE', 'unlimited'],
    ['BUDGET_MODE_WEEKLY', 'unknown'],
    [null, 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (mode, kind) => {
    expect(budgetKind(mode)).toBe(kind);
  });
});

describe('budgetDeltas by budget mode', () => {
  test('daily: remaining = budget − today at click; leak on lifetime spend', () => {
    expect(budgetDeltas(base)).toEqual({
      currency: 'USD',
      budgetKind: 'daily',
      budget: 5000,
      spendAtClick: 10000,
      spendAfter: 10150,
      leakedSpend: 150,
      remainingBudgetAtClick: 3766,
      budgetKept: 3616,
      provisional: false,
      corrected: false,
      overBudgetAtClick: false,
      plannedVsActual: null,
    });
  });

  test('dynamic daily budget is measured like a daily one against its average', () => {
    const d = budgetDeltas({ ...base, budgetMode: 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET' });
    expect(d.budgetKind).toBe('dynamic-daily');
    expect(d.remainingBudgetAtClick).toBe(3766);
    expect(d.budgetKept).toBe(3616);
  });

  test('total: remaining = budget − lifetime at click', () => {
    const d = budgetDeltas({
      currency: 'USD',
      budgetMode: 'BUDGET_MODE_TOTAL',
      budget: 1000,
      todaySpendAtClick: '3.00',
      lifetimeSpendAtClick: '987.65',
      settledLifetimeSpend: '990.00',
    });
    expect(d.leakedSpend).toBe(235);
    expect(d.remainingBudgetAtClick).toBe(1235);
    expect(d.budgetKept).toBe(1000);
    expect(d.budgetKind).toBe('total');
  });

  test('unlimited: a leak but no remaining budget and no budget kept', () => {
    const d = budgetDeltas({ ...base, budgetMode: 'BUDGET_MODE_INFINITE', budget: 0 });
    expect(d.leakedSpend).toBe(150);
    expect(d.remainingBudgetAtClick).toBeNull();
    expect(d.budgetKept).toBeNull();
    expect(d.budgetKind).toBe('unlimited');
  });

  test('an unknown mode is not guessed at', () => {
    const d = budgetDeltas({ ...base, budgetMode: 'BUDGET_MODE_SOMETHING_NEW' });
    expect(d.budgetKind).toBe('unknown');
    expect(d.remainingBudgetAtClick).toBeNull();
    expect(d.leakedSpend).toBe(150);
  });

  test('JPY has no minor digits: amounts are whole yen', () => {
    const d = budgetDeltas({
      currency: 'jpy',
      budgetMode: 'BUDGET_MODE_DAY',
      budget: '5000',
      todaySpendAtClick: '1234',
      lifetimeSpendAtClick: '80000',
      settledLifetimeSpend: '80120',
    });
    expect(d).toMatchObject({ currency: 'JPY', leakedSpend: 120, remainingBudgetAtClick: 3766, budgetKept: 3646 });
  });
});

describe('provisional, corrected and over budget', () => {
  test('without a settled figure the latest read gives a provisional leak', () => {
    const d = budgetDeltas({ ...base, settledLifetimeSpend: undefined, latestLifetimeSpend: '100.40' });
    expect(d).toMatchObject({ leakedSpend: 40, budgetKept: 3726, provisional: true, spendAfter: 10040 });
  });

  test('the settled figure wins over the latest read', () => {
    const d = budgetDeltas({ ...base, latestLifetimeSpend: '100.40' });
    expect(d).toMatchObject({ leakedSpend: 150, provisional: false });
  });

  test('no read after the click: no leak, provisional', () => {
    const d = budgetDeltas({ ...base, settledLifetimeSpend: undefined });
    expect(d).toMatchObject({ leakedSpend: null, budgetKept: null, provisional: true, remainingBudgetAtClick: 3766 });
  });

  test('a report correction below the click figure shows 0 leaked and is flagged', () => {
    const d = budgetDeltas({ ...base, settledLifetimeSpend: '99.00' });
    expect(d).toMatchObject({ leakedSpend: 0, corrected: true, budgetKept: 3766 });
  });

  test('spend over the daily budget at click leaves 0 remaining, flagged; kept may go negative', () => {
    const d = budgetDeltas({ ...base, todaySpendAtClick: '52.00' });
    expect(d).toMatchObject({ remainingBudgetAtClick: 0, overBudgetAtClick: true, leakedSpend: 150, budgetKept: -150 });
  });
});

describe('"-" and other non-values', () => {
  test('"-" for today at click: no remaining budget for a daily budget, the leak still counts', () => {
    const d = budgetDeltas({ ...base, todaySpendAtClick: '-' });
    expect(d).toMatchObject({ remainingBudgetAtClick: null, budgetKept: null, leakedSpend: 150 });
  });

  test('"-" at click: no leak, never NaN', () => {
    const d = budgetDeltas({ ...base, lifetimeSpendAtClick: '-' });
    expect(d.leakedSpend).toBeNull();
    expect(d.budgetKept).toBeNull();
    expect(Object.values(d).some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(false);
  });

  test('"-" as the budget of a total budget: no remaining budget', () => {
    const d = budgetDeltas({ ...base, budgetMode: 'BUDGET_MODE_TOTAL', budget: '-' });
    expect(d).toMatchObject({ budget: null, remainingBudgetAtClick: null, leakedSpend: 150 });
  });

  test('"-" as the settled figure falls back to the latest read, provisionally', () => {
    const d = budgetDeltas({ ...base, settledLifetimeSpend: '-', latestLifetimeSpend: '100.10' });
    expect(d).toMatchObject({ leakedSpend: 10, provisional: true });
  });
});

describe('exact amounts', () => {
  test('large amounts keep every cent', () => {
    const d = budgetDeltas({
      currency: 'USD',
      budgetMode: 'BUDGET_MODE_TOTAL',
      budget: '1000000000000.00',
      lifetimeSpendAtClick: '987654321012.34',
      settledLifetimeSpend: '987654321099.99',
    });
    expect(d.leakedSpend).toBe(8765);
    expect(d.remainingBudgetAtClick).toBe(1234567898766);
    expect(d.budgetKept).toBe(1234567890001);
  });

  test('float inputs do not drift: 0.1 then 0.1 + 0.2 leaks exactly 20 cents', () => {
    const d = budgetDeltas({ ...base, lifetimeSpendAtClick: 0.1, settledLifetimeSpend: 0.1 + 0.2 });
    expect(d.leakedSpend).toBe(20);
  });

  test('"14.675" rounds half away from zero to 14.68 before subtracting', () => {
    const d = budgetDeltas({ ...base, lifetimeSpendAtClick: '14.665', settledLifetimeSpend: '14.675' });
    expect(d.spendAtClick).toBe(1467);
    expect(d.spendAfter).toBe(1468);
    expect(d.leakedSpend).toBe(1);
  });
});

describe('a day boundary between click and settle', () => {
  // Tokyo: click at 23:50 on 03-01 with 49.00 spent today; settled at 00:50 on 03-02.
  const clickAt = Date.UTC(2025, 2, 1, 14, 50);
  const settleAt = Date.UTC(2025, 2, 1, 15, 50);

  test('the leak counts spend on both sides of midnight once', () => {
    expect(crossesDay(clickAt, settleAt, 'Asia/Tokyo')).toBe(true);
    // 0.30 spent before midnight, 0.50 after: "today" at settle would only show 0.50.
    const d = budgetDeltas({
      currency: 'USD',
      budgetMode: 'BUDGET_MODE_DAY',
      budget: '50.00',
      todaySpendAtClick: '49.00',
      lifetimeSpendAtClick: '500.00',
      settledLifetimeSpend: '500.80',
      clickAt,
      timeZone: 'Asia/Tokyo',
    });
    expect(d.leakedSpend).toBe(80);
    expect(d.remainingBudgetAtClick).toBe(100);
    expect(d.budgetKept).toBe(20);
  });

  test('the same job gives the same deltas whether the settle is before or after midnight', () => {
    const info = {
      currency: 'USD',
      budgetMode: 'BUDGET_MODE_DAY',
      budget: '50',
      todaySpendAtClick: '49',
      timeZone: 'Asia/Tokyo',
    };
    const job = (settledAt: number) =>
      makeJob({
        state: 'settled',
        atClick: { value: 500, at: clickAt },
        atConfirm: { value: 500.3, at: clickAt + 60_000 },
        atWindow: { value: 500.8, at: settledAt - 600_000 },
        last: { value: 500.8, at: settledAt },
      });
    const sameDay = jobDeltas(job(Date.UTC(2025, 2, 1, 14, 59)), info);
    const nextDay = jobDeltas(job(settleAt), info);
    expect(nextDay).toEqual(sameDay);
    expect(nextDay).toMatchObject({ leakedSpend: 80, budgetKept: 20, provisional: false });
  });
});

describe('planned vs actual', () => {
  const tokyo = 'Asia/Tokyo';
  const clickAt = Date.UTC(2025, 2, 1, 1, 0); // 10:00 on 03-01 in Tokyo

  test('a given planned spend is compared with the leak', () => {
    const d = budgetDeltas({
      ...base,
      budgetMode: 'BUDGET_MODE_TOTAL',
      budget: '1000',
      schedule: { endAt: Date.UTC(2025, 2, 10), plannedSpend: '300.00' },
    });
    expect(d.plannedVsActual).toEqual({
      endAt: Date.UTC(2025, 2, 10),
      planned: 30000,
      actual: 150,
      difference: 29850,
      estimated: false,
    });
  });

  test('daily: estimated as today’s remainder plus the budget for each later day before the end', () => {
    // ends at 00:00 on 03-04 in Tokyo: 03-02 and 03-03 are later days
    const endAt = Date.UTC(2025, 2, 3, 15, 0);
    const d = budgetDeltas({ ...base, clickAt, timeZone: tokyo, schedule: { endAt } });
    expect(d.plannedVsActual).toEqual({
      endAt,
      planned: 3766 + 2 * 5000,
      actual: 150,
      difference: 3766 + 2 * 5000 - 150,
      estimated: true,
    });
  });

  test('total: estimated as the remaining budget', () => {
    const d = budgetDeltas({
      ...base,
      budgetMode: 'BUDGET_MODE_TOTAL',
      budget: '1000',
      clickAt,
      schedule: { endAt: Date.UTC(2025, 5, 1) },
    });
    expect(d.plannedVsActual).toMatchObject({ planned: 90000, actual: 150, difference: 89850, estimated: true });
  });

  test('a schedule that ended before the click planned nothing', () => {
    const d = budgetDeltas({ ...base, clickAt, timeZone: tokyo, schedule: { endAt: clickAt - 1 } });
    expect(d.plannedVsActual).toMatchObject({ planned: 0, difference: -150 });
  });

  test.each([
    ['unlimited budget', { budgetMode: 'BUDGET_MODE_INFINITE' }],
    ['daily budget without a zone', { clickAt }],
    ['no schedule', { clickAt, timeZone: tokyo, schedule: null }],
  ])('%s: no comparison', (_name, over) => {
    const d = budgetDeltas({ ...base, schedule: { endAt: Date.UTC(2025, 2, 5) }, ...over });
    expect(d.plannedVsActual).toBeNull();
  });
});

describe('jobDeltas', () => {
  const info = { currency: 'USD', budgetMode: 'BUDGET_MODE_TOTAL', budget: '200.00' };
  const at = Date.UTC(2025, 2, 1, 12);

  test('a settled job: lifetime at click to the last read, final', () => {
    const job = makeJob({
      state: 'settled',
      atClick: { value: 120.1, at },
      atConfirm: { value: 120.3, at: at + 1 },
      atWindow: { value: 121.05, at: at + 2 },
      last: { value: 121.05, at: at + 3 },
    });
    expect(jobDeltas(job, info)).toMatchObject({
      leakedSpend: 95,
      remainingBudgetAtClick: 7990,
      budgetKept: 7895,
      provisional: false,
    });
  });

  test.each([['confirmed'], ['still-spending']] as const)('a %s job gives a provisional leak', (state) => {
    const job = makeJob({ state, atClick: { value: 120.1, at }, atConfirm: { value: 120.3, at: at + 1 } });
    expect(jobDeltas(job, info)).toMatchObject({ leakedSpend: 20, provisional: true });
  });

  test('without a snapshot at click there is no leak', () => {
    const job = makeJob({ state: 'settled', last: { value: 121, at } });
    expect(jobDeltas(job, info)).toMatchObject({ leakedSpend: null, budgetKept: null, remainingBudgetAtClick: null });
  });
});

describe('totals', () => {
  test('sums per currency and never across currencies', () => {
    const list = [
      budgetDeltas(base),
      budgetDeltas({ ...base, settledLifetimeSpend: '100.25' }),
      budgetDeltas({
        ...base,
        budgetMode: 'BUDGET_MODE_INFINITE',
        settledLifetimeSpend: undefined,
        latestLifetimeSpend: '100.05',
      }),
      budgetDeltas({ ...base, lifetimeSpendAtClick: '-' }),
      budgetDeltas({
        currency: 'JPY',
        budgetMode: 'BUDGET_MODE_DAY',
        budget: 5000,
        todaySpendAtClick: 1000,
        lifetimeSpendAtClick: 9000,
        settledLifetimeSpend: 9150,
      }),
    ];
    expect(totals(list)).toEqual([
      {
        currency: 'JPY',
        count: 1,
        leakedSpend: 150,
        budgetKept: 3850,
        leakedUnknown: 0,
        keptUnknown: 0,
        provisional: false,
      },
      {
        currency: 'USD',
        count: 4,
        leakedSpend: 150 + 25 + 5,
        budgetKept: 3616 + 3741,
        leakedUnknown: 1,
        keptUnknown: 2,
        provisional: true,
      },
    ]);
  });

  test('no pauses, no totals', () => {
    expect(totals([])).toEqual([]);
  });
});
