import { describe, expect, test } from 'vitest';
import { budgetTotals, sumDecimal } from '../../../lib/worker/prompts';

describe('budgetTotals', () => {
  test('daily and average-daily budgets add up to what the objects may spend a day; lifetime apart; none counted', () => {
    expect(
      budgetTotals([
        { budget: '50.00', budgetMode: 'BUDGET_MODE_DAY' },
        { budget: '20.10', budgetMode: 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET' },
        { budget: '1000.00', budgetMode: 'BUDGET_MODE_TOTAL' },
        { budget: null, budgetMode: 'BUDGET_MODE_INFINITE' },
        { budget: '99.00', budgetMode: 'BUDGET_MODE_INFINITE' },
      ]),
    ).toEqual({ daily: '70.10', dailyCount: 2, lifetime: '1000.00', lifetimeCount: 1, unlimited: 2 });
  });

  test('nothing to send: no sums', () => {
    expect(budgetTotals([])).toEqual({ daily: null, dailyCount: 0, lifetime: null, lifetimeCount: 0, unlimited: 0 });
  });

  test('sums stay exact in cents', () => {
    expect(sumDecimal(['0.10', '0.20', '1234567890123.45'])).toBe('1234567890123.75');
  });
});
