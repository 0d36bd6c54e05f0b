/**
 * Budget deltas of one pause (design.md, "Budget deltas"), in minor units of the advertiser's
 * currency:
 * - leaked spend = lifetime spend when settled − lifetime spend at click;
 * - remaining budget at click = daily budget − today's spend, or total budget − lifetime spend,
 *   none for unlimited budgets;
 * - budget kept = remaining budget at click − leaked spend;
 * - planned vs actual, where a schedule end is known.
 *
 * The leak is measured on LIFETIME spend, never on "today": lifetime spend only grows, so a day
 * boundary (in the account's zone) between the click and the settled read cannot reset it, and
 * spend on both sides of midnight is counted once. Only the remaining budget of a daily budget
 * uses today's spend, and only at the click.
 */
import type { Job } from '../jobs/types';
import { addMoney, type Minor, type MoneyInput, multiplyMoney, normalizeCurrency, parseMoney, subMoney } from './money';
import { dayInZone, daysBetween } from './time';

/** `budget_mode` values of campaigns and ad groups (spec §3). */
export const BUDGET_MODES = [
  'BUDGET_MODE_DAY',
  'BUDGET_MODE_TOTAL',
  'BUDGET_MODE_INFINITE',
  'BUDGET_MODE_DYNAMIC_DAILY_BUDGET',
] as const;
export type BudgetMode = (typeof BUDGET_MODES)[number];

/**
 * How the remaining budget is measured. `dynamic-daily` (a weekly average where one day may reach
 * 125 %) is measured like `daily`, against the average the person set; `unknown` is a mode this
 * code does not know, treated like `unlimited` (no remaining budget) rather than guessed.
 */
export type BudgetKind = 'daily' | 'dynamic-daily' | 'total' | 'unlimited' | 'unknown';

/** The kind of a `budget_mode` value; absent or unrecognised modes are `unknown`. */
export function budgetKind(mode: string | null | undefined): BudgetKind {
  switch (mode) {
    case 'BUDGET_MODE_DAY':
      return 'daily';
    case 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET':
      return 'dynamic-daily';
    case 'BUDGET_MODE_TOTAL':
      return 'total';
    case 'BUDGET_MODE_INFINITE':
      return 'unlimited';
    default:
      return 'unknown';
  }
}

export interface ScheduleInput {
  /** When the object's schedule ends (ms epoch). */
  endAt: number;
  /** What the plan would still have spent from the click to `endAt`; estimated from the budget when absent. */
  plannedSpend?: MoneyInput;
}

export interface DeltaInput {
  /** The advertiser's currency (`advertiser/info`); every amount below is in it. */
  currency: string;
  budgetMode: string | null | undefined;
  /** The object's budget (the average for a dynamic daily budget); `0` or `"-"` for unlimited. */
  budget: MoneyInput;
  /** Spend today (in the account's zone) at the click. Needed only for daily budgets. */
  todaySpendAtClick?: MoneyInput;
  /** Lifetime spend at the click. */
  lifetimeSpendAtClick: MoneyInput;
  /** Lifetime spend after the report-latency window. */
  settledLifetimeSpend?: MoneyInput;
  /** The latest lifetime spend read; used, marked provisional, until a settled figure exists. */
  latestLifetimeSpend?: MoneyInput;
  /** When the person (or rule) decided (ms epoch); needed to estimate planned spend of a daily budget. */
  clickAt?: number;
  /** The account's time zone; needed to estimate planned spend of a daily budget. */
  timeZone?: string;
  schedule?: ScheduleInput | null;
}

export interface PlannedVsActual {
  endAt: number;
  /** Spend the plan still had from the click to the schedule end. */
  planned: Minor;
  /** Spend after the click (the leaked spend): the object was paused, so nothing follows. */
  actual: Minor;
  /** planned − actual: spend avoided against the plan. */
  difference: Minor;
  /** Whether `planned` was estimated from the budget rather than given. */
  estimated: boolean;
}

export interface BudgetDeltas {
  currency: string;
  budgetKind: BudgetKind;
  budget: Minor | null;
  /** Lifetime spend at the click. */
  spendAtClick: Minor | null;
  /** The lifetime figure the leak was measured to: settled, or the latest when `provisional`. */
  spendAfter: Minor | null;
  /** spendAfter − spendAtClick, clamped at 0 (see `corrected`); null when either is unknown. */
  leakedSpend: Minor | null;
  /** null for unlimited and unknown modes, and when the budget or the spend it needs is unknown. */
  remainingBudgetAtClick: Minor | null;
  /** remainingBudgetAtClick − leakedSpend; may be negative (more leaked than remained). */
  budgetKept: Minor | null;
  /** The leak is not final: no settled figure yet (or none at all). */
  provisional: boolean;
  /** Reported lifetime spend went down after the click (a report correction); the leak shows 0. */
  corrected: boolean;
  /** Spend at the click was already over the budget; the remaining budget shows 0. */
  overBudgetAtClick: boolean;
  plannedVsActual: PlannedVsActual | null;
}

const DAY_KINDS: readonly BudgetKind[] = ['daily', 'dynamic-daily'];

function remainingAtClick(kind: BudgetKind, budget: Minor | null, spent: Minor | null): Minor | null {
  if (kind === 'unlimited' || kind === 'unknown' || budget === null || spent === null) return null;
  return subMoney(budget, spent);
}

/**
 * The most the plan could still spend from the click to `endAt`: for a total budget, what remained;
 * for a daily one, what remained today plus the budget for every later day that starts before `endAt`.
 */
export function plannedSpendToEnd(
  kind: BudgetKind,
  budget: Minor | null,
  remaining: Minor | null,
  clickAt: number | undefined,
  endAt: number,
  timeZone: string | undefined,
): Minor | null {
  if (remaining === null) return null;
  if (clickAt !== undefined && endAt <= clickAt) return 0;
  if (kind === 'total') return remaining;
  if (!DAY_KINDS.includes(kind) || budget === null || clickAt === undefined || timeZone === undefined) return null;
  const laterDays = Math.max(0, daysBetween(dayInZone(clickAt, timeZone), dayInZone(endAt - 1, timeZone)));
  return addMoney(remaining, multiplyMoney(budget, laterDays));
}

/** The budget deltas of one pause. Pure; amounts in minor units of `input.currency`. */
export function budgetDeltas(input: DeltaInput): BudgetDeltas {
  const currency = normalizeCurrency(input.currency);
  const kind = budgetKind(input.budgetMode);
  const budget = parseMoney(input.budget, currency);
  const spendAtClick = parseMoney(input.lifetimeSpendAtClick, currency);
  const settled = parseMoney(input.settledLifetimeSpend, currency);
  const spendAfter = settled ?? parseMoney(input.latestLifetimeSpend, currency);

  let leakedSpend: Minor | null = null;
  let corrected = false;
  if (spendAtClick !== null && spendAfter !== null) {
    const raw = subMoney(spendAfter, spendAtClick);
    corrected = raw < 0;
    leakedSpend = corrected ? 0 : raw;
  }

  const spentForBudget = DAY_KINDS.includes(kind) ? parseMoney(input.todaySpendAtClick, currency) : spendAtClick;
  const rawRemaining = remainingAtClick(kind, budget, spentForBudget);
  const overBudgetAtClick = rawRemaining !== null && rawRemaining < 0;
  const remainingBudgetAtClick = overBudgetAtClick ? 0 : rawRemaining;
  const budgetKept =
    remainingBudgetAtClick !== null && leakedSpend !== null ? subMoney(remainingBudgetAtClick, leakedSpend) : null;

  let plannedVsActual: PlannedVsActual | null = null;
  const schedule = input.schedule;
  if (schedule && Number.isFinite(schedule.endAt) && leakedSpend !== null) {
    const given = parseMoney(schedule.plannedSpend, currency);
    const planned =
      given ?? plannedSpendToEnd(kind, budget, remainingBudgetAtClick, input.clickAt, schedule.endAt, input.timeZone);
    if (planned !== null) {
      plannedVsActual = {
        endAt: schedule.endAt,
        planned,
        actual: leakedSpend,
        difference: subMoney(planned, leakedSpend),
        estimated: given === null,
      };
    }
  }

  return {
    currency,
    budgetKind: kind,
    budget,
    spendAtClick,
    spendAfter,
    leakedSpend,
    remainingBudgetAtClick,
    budgetKept,
    provisional: settled === null,
    corrected,
    overBudgetAtClick,
    plannedVsActual,
  };
}

/** What the job record does not hold: the object's budget and the advertiser's currency and zone. */
export interface ObjectBudgetInfo {
  currency: string;
  budgetMode: string | null | undefined;
  budget: MoneyInput;
  /** Today's spend at the click, when it was read (daily budgets need it). */
  todaySpendAtClick?: MoneyInput;
  timeZone?: string;
  schedule?: ScheduleInput | null;
}

/**
 * The deltas of a job. Its spend snapshots are lifetime spend; the settled figure is the last read
 * of a `settled` job. Any other state (including `still-spending`) gives a provisional leak from the
 * latest read. Without a snapshot at click there is no leak (never guessed from the confirmation).
 */
export function jobDeltas(job: Job, info: ObjectBudgetInfo): BudgetDeltas {
  const { atClick, last, atConfirm, atWindow } = job.spend;
  const settled = job.state === 'settled' ? (last ?? atWindow) : null;
  return budgetDeltas({
    currency: info.currency,
    budgetMode: info.budgetMode,
    budget: info.budget,
    todaySpendAtClick: info.todaySpendAtClick,
    lifetimeSpendAtClick: atClick?.value,
    settledLifetimeSpend: settled?.value,
    latestLifetimeSpend: (last ?? atConfirm)?.value,
    clickAt: atClick?.at ?? job.createdAt,
    ...(info.timeZone !== undefined ? { timeZone: info.timeZone } : {}),
    schedule: info.schedule ?? null,
  });
}

export interface CurrencyTotals {
  currency: string;
  /** Pauses counted in this currency. */
  count: number;
  /** Sum of the known leaks. */
  leakedSpend: Minor;
  /** Sum of the known budgets kept. */
  budgetKept: Minor;
  /** Pauses whose leak is unknown (left out of `leakedSpend`). */
  leakedUnknown: number;
  /** Pauses whose budget kept is unknown, e.g. unlimited budgets (left out of `budgetKept`). */
  keptUnknown: number;
  /** Some counted leak is provisional. */
  provisional: boolean;
}

/** Totals per currency, sorted by code. Amounts in different currencies are never added together. */
export function totals(
  list: readonly Pick<BudgetDeltas, 'currency' | 'leakedSpend' | 'budgetKept' | 'provisional'>[],
): CurrencyTotals[] {
  const byCurrency = new Map<string, CurrencyTotals>();
  for (const d of list) {
    const currency = normalizeCurrency(d.currency);
    let t = byCurrency.get(currency);
    if (!t) {
      t = { currency, count: 0, leakedSpend: 0, budgetKept: 0, leakedUnknown: 0, keptUnknown: 0, provisional: false };
      byCurrency.set(currency, t);
    }
    t.count += 1;
    if (d.leakedSpend === null) t.leakedUnknown += 1;
    else {
      t.leakedSpend = addMoney(t.leakedSpend, d.leakedSpend);
      if (d.provisional) t.provisional = true;
    }
    if (d.budgetKept === null) t.keptUnknown += 1;
    else t.budgetKept = addMoney(t.budgetKept, d.budgetKept);
  }
  return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}
