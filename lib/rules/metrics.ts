/**
 * Numbers from TikTok report rows. Report metrics are strings ("14.68", "1079", "0.00"); "-" means
 * not applicable, "<5" is a bound rather than a value, and some tools add thousands separators or a
 * trailing "%". Everything that is not a plain number becomes `undefined`, never NaN: a condition
 * on an undefined metric is "not evaluable" and the object is skipped with that reason.
 *
 * Ratios are derived from the counts when the counts are in the row (more precise than TikTok's
 * two-decimal strings), and taken from TikTok's own ratio strings only when the counts are absent.
 *
 * CPA with zero conversions: TikTok reports `cost_per_conversion` "0" (or "-") when nothing
 * converted, which would read as the best CPA possible. Buyers treat "spent more than the target CPA
 * and got nothing" as a breach, so CPA is `+Infinity` when conversions = 0 and spend > 0: "CPA > 30"
 * holds and "CPA < 30" does not. With no spend either, CPA is undefined. Infinity is the only
 * non-finite value this module produces, and only for CPA. Data guards (minimum spend) keep such a
 * rule from acting on a few cents of spend.
 */
import type { RuleMetric, WindowKey } from './schema';

export type RawMetricValue = string | number | null | undefined;
/** One report row's `metrics` object (strings from TikTok), or sums we made (numbers). */
export type RawMetrics = Readonly<Record<string, RawMetricValue>>;

/** Report metric names as TikTok spells them. */
export const REPORT_METRICS = {
  spend: 'spend',
  impressions: 'impressions',
  clicks: 'clicks',
  conversions: 'conversion',
  ctr: 'ctr',
  cpc: 'cpc',
  cpm: 'cpm',
  cpa: 'cost_per_conversion',
  conversionRate: 'conversion_rate',
  /** Total complete-payment (purchase) value, despite its name. */
  purchaseValue: 'total_complete_payment_rate',
  purchaseValueAlt: 'total_purchase_value',
  roas: 'complete_payment_roas',
} as const;

/** Metrics to ask `report/integrated/get` for so every rule metric can be derived. */
export const METRICS_TO_REQUEST: readonly string[] = [
  'spend',
  'impressions',
  'clicks',
  'conversion',
  'cost_per_conversion',
  'ctr',
  'cpc',
  'cpm',
  'conversion_rate',
];

/** Value metrics that can be summed across hour rows (ratios cannot). */
export const SUMMABLE_METRICS: readonly string[] = [
  'spend',
  'impressions',
  'clicks',
  'conversion',
  'total_complete_payment_rate',
  'total_purchase_value',
];

const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/**
 * A report value as a finite number, or undefined: "14.68" → 14.68, "1,079" → 1079, "1.5%" → 1.5;
 * "-", "", "<5", "N/A", null, NaN and ±Infinity → undefined.
 */
export function parseMetricValue(raw: RawMetricValue): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  if (isSimpleDecimal(raw)) return Number(raw);
  let s = raw.trim();
  if (s.endsWith('%')) s = s.slice(0, -1).trimEnd();
  let n: number;
  if (PLAIN.test(s)) n = Number(s);
  else if (GROUPED.test(s)) n = Number(s.replace(/,/g, ''));
  else return undefined;
  return Number.isFinite(n) ? n : undefined;
}

/** Fast path for what TikTok sends almost always: digits with at most one '.', optionally negative. */
function isSimpleDecimal(s: string): boolean {
  const len = s.length;
  if (len === 0 || len > 20) return false;
  let i = s.charCodeAt(0) === 45 ? 1 : 0; // '-'
  let digits = 0;
  let dot = false;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

/** Every metric a rule can use, from one window's row. Undefined: not reported or not applicable. */
export interface DerivedMetrics {
  spend: number | undefined;
  impressions: number | undefined;
  clicks: number | undefined;
  conversions: number | undefined;
  /** Purchase value, where reported. */
  value: number | undefined;
  /** Percent: clicks / impressions × 100. */
  ctr: number | undefined;
  cpc: number | undefined;
  /** Spend per 1,000 impressions. */
  cpm: number | undefined;
  /** Spend / conversions; +Infinity for spend without conversions (see the module comment). */
  cpa: number | undefined;
  /** Percent: conversions / clicks × 100. */
  conversion_rate: number | undefined;
  /** Purchase value / spend. */
  roas: number | undefined;
}

/** Derives every rule metric from one row. Never NaN; Infinity only for CPA. */
export function deriveMetrics(raw: RawMetrics | undefined | null): DerivedMetrics {
  const m = raw ?? {};
  const spend = parseMetricValue(m.spend);
  const impressions = parseMetricValue(m.impressions);
  const clicks = parseMetricValue(m.clicks);
  const conversions = parseMetricValue(m.conversion);
  const value = parseMetricValue(m.total_complete_payment_rate) ?? parseMetricValue(m.total_purchase_value);

  let ctr: number | undefined;
  if (impressions !== undefined && clicks !== undefined)
    ctr = impressions > 0 ? (clicks / impressions) * 100 : undefined;
  else ctr = parseMetricValue(m.ctr);

  let cpc: number | undefined;
  if (spend !== undefined && clicks !== undefined) cpc = clicks > 0 ? spend / clicks : undefined;
  else cpc = parseMetricValue(m.cpc);

  let cpm: number | undefined;
  if (spend !== undefined && impressions !== undefined)
    cpm = impressions > 0 ? (spend / impressions) * 1000 : undefined;
  else cpm = parseMetricValue(m.cpm);

  let cpa: number | undefined;
  if (spend !== undefined && conversions !== undefined) {
    if (conversions > 0) cpa = spend / conversions;
    else cpa = spend > 0 ? Number.POSITIVE_INFINITY : undefined;
  } else {
    const reported = parseMetricValue(m.cost_per_conversion);
    // TikTok's "0" CPA means "no conversions"; with spend it is the worst CPA, not the best.
    if (reported === 0) cpa = spend !== undefined && spend > 0 ? Number.POSITIVE_INFINITY : undefined;
    else cpa = reported;
  }

  let conversionRate: number | undefined;
  if (conversions !== undefined && clicks !== undefined) {
    conversionRate = clicks > 0 ? (conversions / clicks) * 100 : undefined;
  } else conversionRate = parseMetricValue(m.conversion_rate);

  let roas: number | undefined;
  if (value !== undefined && spend !== undefined) roas = spend > 0 ? value / spend : undefined;
  else roas = parseMetricValue(m.complete_payment_roas);

  return {
    spend,
    impressions,
    clicks,
    conversions,
    value,
    ctr: tidy(ctr),
    cpc: tidy(cpc),
    cpm: tidy(cpm),
    cpa: tidy(cpa),
    conversion_rate: tidy(conversionRate),
    roas: tidy(roas),
  };
}

/**
 * Rounds a ratio to 9 decimals so binary-float noise cannot decide a comparison at the threshold
 * (0.07 / 0.1 = 0.7000000000000001 would otherwise fail "<= 0.7"). Infinity stays Infinity.
 */
function tidy(x: number | undefined): number | undefined {
  if (x === undefined || !Number.isFinite(x)) return x;
  return Math.round(x * 1e9) / 1e9;
}

export const DAILY_BUDGET_MODES: ReadonlySet<string> = new Set(['BUDGET_MODE_DAY', 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET']);
export const TOTAL_BUDGET_MODES: ReadonlySet<string> = new Set(['BUDGET_MODE_TOTAL']);

/**
 * Percent of the budget spent: today's spend over a daily budget (window `today`), lifetime spend
 * over a total budget (window `lifetime`). Undefined for an unlimited or missing budget, or when the
 * window does not match the budget's kind.
 */
export function budgetShare(
  spend: number | undefined,
  budget: number | null | undefined,
  budgetMode: string | null | undefined,
  window: WindowKey,
): number | undefined {
  if (spend === undefined || budget === undefined || budget === null || !Number.isFinite(budget) || budget <= 0) {
    return undefined;
  }
  if (!budgetMode) return undefined;
  const fits =
    (window === 'today' && DAILY_BUDGET_MODES.has(budgetMode)) ||
    (window === 'lifetime' && TOTAL_BUDGET_MODES.has(budgetMode));
  return fits ? (spend / budget) * 100 : undefined;
}

/** Why `budgetShare` gave no number, in words. */
export function budgetShareProblem(
  budget: number | null | undefined,
  budgetMode: string | null | undefined,
  window: WindowKey,
): string {
  if (budget === undefined || budget === null || !Number.isFinite(budget) || budget <= 0 || !budgetMode) {
    return 'it has no budget of its own (unlimited, or set on another level)';
  }
  if (window === 'today' && !DAILY_BUDGET_MODES.has(budgetMode)) return 'it has no daily budget';
  if (window === 'lifetime' && !TOTAL_BUDGET_MODES.has(budgetMode)) return 'it has no total budget';
  return 'its spend is not reported';
}

/** One rule metric of a derived row (budget share needs the object's budget). */
export function metricValue(
  d: DerivedMetrics,
  metric: RuleMetric,
  window: WindowKey,
  budget?: number | null,
  budgetMode?: string | null,
): number | undefined {
  switch (metric) {
    case 'spend':
      return d.spend;
    case 'cpa':
      return d.cpa;
    case 'ctr':
      return d.ctr;
    case 'cpc':
      return d.cpc;
    case 'cpm':
      return d.cpm;
    case 'conversions':
      return d.conversions;
    case 'conversion_rate':
      return d.conversion_rate;
    case 'roas':
      return d.roas;
    case 'budget_share':
      return budgetShare(d.spend, budget, budgetMode, window);
  }
}
