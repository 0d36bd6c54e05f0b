/**
 * Backtest: replay one rule over 7–30 days of daily or hourly report rows and say when it would
 * have fired, the spend it would have saved, and which objects it would have paused that later
 * recovered. Pure and deterministic.
 *
 * The model (documented here because the numbers depend on it):
 * - Rows are per object, with `time` the zone-local `YYYY-MM-DD HH:MM:SS` TikTok gives
 *   (`stat_time_hour` or `stat_time_day`). The replay runs on that wall clock; DST is ignored (a
 *   23- or 25-hour day is its rows).
 * - Each row is one check, made when the row is complete (its end: the next hour, or the next
 *   midnight for daily rows), seeing every row up to it: windows are cumulative as they would have
 *   been seen then. `today` = that day's rows so far; `yesterday`, `last_3_days`, `last_7_days` as
 *   in the live rules (the 3- and 7-day windows include today); `last_N_hours` = the N hour rows
 *   ending with this one (not evaluable on daily rows); `lifetime` = since the start of the replay.
 *   A window reaching back before the replay start is not evaluable (that data was not given).
 * - The schedule is checked on the row's own weekday and hour (daily rows: weekday only). The
 *   cooldown is measured between check moments. Guards and per-object targets apply as live.
 * - Savings (pause rules only): the spend of that object in the rows after the firing moment, up
 *   to the end of that day when every condition uses `today` (as if it were paused for the rest of
 *   the day and turned back on at midnight, which TikTok-style daily rules do), otherwise up to the
 *   end of the replay (it stays paused). While "paused", the object is not checked again. With
 *   daily rows a `today` rule fires at the end of the day, so it saves nothing: use hourly rows.
 *   Flag and resume rules only report firing times.
 * - Recovered: the object fired, and at its last row the rule's conditions no longer hold
 *   (`no-breach`) on the real data (which kept running: it was not really paused).
 * - Money is summed in hundredths (TikTok reports two decimals), so totals are exact.
 */

import {
  assess,
  type CompiledRule,
  compileRule,
  describeCondition,
  newAssessment,
  OUTCOME_BREACH,
  OUTCOME_NO_BREACH,
  thresholdFor,
} from './evaluate';
import type { RawMetricValue } from './metrics';
import { type DerivedMetrics, deriveMetrics, metricValue, parseMetricValue } from './metrics';
import type { Rule, WindowKey } from './schema';
import { windowHours } from './schema';
import { formatWallMs, wallMs } from './zone';

export type BacktestGranularity = 'day' | 'hour';

export interface BacktestPoint {
  /** Zone-local `YYYY-MM-DD HH:MM:SS` (the row's start). */
  time: string;
  spend: RawMetricValue;
  impressions: RawMetricValue;
  clicks: RawMetricValue;
  conversions: RawMetricValue;
  /** Purchase value, where reported (for ROAS). */
  value?: RawMetricValue;
}

export interface BacktestSeries {
  objectId: string;
  budget?: number | null;
  budgetMode?: string | null;
  /** Rows of this object; hours or days without delivery may be left out. */
  points: readonly BacktestPoint[];
}

export interface BacktestOptions {
  granularity: BacktestGranularity;
  /** First local date of the replay (`YYYY-MM-DD`); default: the earliest row's date. Earlier rows are ignored. */
  from?: string;
}

export interface BacktestFiring {
  /** When the rule would have fired: the end of the row that breached, zone-local. */
  time: string;
  value: number | undefined;
  threshold: number | undefined;
  reason: string;
  /** Spend after this firing that a pause would have saved. */
  savedSpend: number;
}

export interface BacktestObjectResult {
  objectId: string;
  firings: BacktestFiring[];
  savedSpend: number;
  recovered: boolean;
}

export interface BacktestResult {
  ruleId: string;
  granularity: BacktestGranularity;
  /** First and last local dates replayed. */
  from: string | undefined;
  to: string | undefined;
  /** One entry per series, in input order. */
  objects: BacktestObjectResult[];
  firedObjectIds: string[];
  /** Objects it would have paused (or flagged) that later recovered. */
  recoveredObjectIds: string[];
  savedSpend: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

interface Prepared {
  wall: number[];
  day: number[];
  spendCents: number[];
  /** Prefix sums, length n + 1. */
  pSpend: number[];
  pImpressions: number[];
  pClicks: number[];
  pConversions: number[];
  pValue: number[];
  pValueCount: number[];
}

function prepare(points: readonly BacktestPoint[], granularity: BacktestGranularity, start: number): Prepared {
  const rows: { wall: number; p: BacktestPoint; order: number }[] = [];
  points.forEach((p, order) => {
    let w = wallMs(p.time);
    if (w === undefined) return;
    if (granularity === 'day') w -= ((w % DAY) + DAY) % DAY;
    else w -= ((w % HOUR) + HOUR) % HOUR;
    if (w >= start) rows.push({ wall: w, p, order });
  });
  rows.sort((a, b) => a.wall - b.wall || a.order - b.order);
  const n = rows.length;
  const out: Prepared = {
    wall: new Array(n),
    day: new Array(n),
    spendCents: new Array(n),
    pSpend: [0],
    pImpressions: [0],
    pClicks: [0],
    pConversions: [0],
    pValue: [0],
    pValueCount: [0],
  };
  const num = (v: RawMetricValue) => parseMetricValue(v) ?? 0;
  for (let i = 0; i < n; i++) {
    const { wall, p } = rows[i] as { wall: number; p: BacktestPoint };
    out.wall[i] = wall;
    out.day[i] = wall - (((wall % DAY) + DAY) % DAY);
    const cents = Math.round(num(p.spend) * 100);
    out.spendCents[i] = cents;
    out.pSpend.push((out.pSpend[i] as number) + cents);
    out.pImpressions.push((out.pImpressions[i] as number) + num(p.impressions));
    out.pClicks.push((out.pClicks[i] as number) + num(p.clicks));
    out.pConversions.push((out.pConversions[i] as number) + num(p.conversions));
    const v = parseMetricValue(p.value);
    out.pValue.push((out.pValue[i] as number) + Math.round((v ?? 0) * 100));
    out.pValueCount.push((out.pValueCount[i] as number) + (v === undefined ? 0 : 1));
  }
  return out;
}

/** First index with wall ≥ t. */
function lowerBound(walls: readonly number[], t: number): number {
  let lo = 0;
  let hi = walls.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((walls[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Window [from, to) of wall time as seen at the end of row i, or null when not evaluable. */
function windowRange(
  window: WindowKey,
  s: Prepared,
  i: number,
  granularity: BacktestGranularity,
  start: number,
): [number, number] | null {
  const rowEnd = (s.wall[i] as number) + (granularity === 'hour' ? HOUR : DAY);
  const day = s.day[i] as number;
  const hours = windowHours(window);
  let from: number;
  let to = rowEnd;
  if (hours !== undefined) {
    if (granularity !== 'hour') return null;
    from = rowEnd - hours * HOUR;
  } else {
    switch (window) {
      case 'today':
        from = day;
        break;
      case 'yesterday':
        from = day - DAY;
        to = day;
        break;
      case 'last_3_days':
        from = day - 2 * DAY;
        break;
      case 'last_7_days':
        from = day - 6 * DAY;
        break;
      default:
        return [start, rowEnd];
    }
  }
  return from < start ? null : [from, to];
}

function windowMetrics(s: Prepared, lo: number, hi: number): DerivedMetrics {
  const valueCount = (s.pValueCount[hi] as number) - (s.pValueCount[lo] as number);
  return deriveMetrics({
    spend: ((s.pSpend[hi] as number) - (s.pSpend[lo] as number)) / 100,
    impressions: (s.pImpressions[hi] as number) - (s.pImpressions[lo] as number),
    clicks: (s.pClicks[hi] as number) - (s.pClicks[lo] as number),
    conversion: (s.pConversions[hi] as number) - (s.pConversions[lo] as number),
    total_complete_payment_rate:
      valueCount > 0 ? ((s.pValue[hi] as number) - (s.pValue[lo] as number)) / 100 : undefined,
  });
}

function derivedAt(
  windows: readonly WindowKey[],
  s: Prepared,
  i: number,
  granularity: BacktestGranularity,
  start: number,
  into: (DerivedMetrics | null)[],
): void {
  for (let w = 0; w < windows.length; w++) {
    const range = windowRange(windows[w] as WindowKey, s, i, granularity, start);
    if (range === null) {
      into[w] = null;
      continue;
    }
    into[w] = windowMetrics(s, lowerBound(s.wall, range[0]), lowerBound(s.wall, range[1]));
  }
}

function reasonAt(compiled: CompiledRule, series: BacktestSeries, derived: readonly (DerivedMetrics | null)[]): string {
  if (compiled.conditions.length === 0) return 'Inside the rule schedule';
  return compiled.conditions
    .map((c) => {
      const d = derived[c.windowIndex] ?? null;
      const v = d ? (metricValue(d, c.metric, c.window, series.budget, series.budgetMode) ?? 0) : 0;
      const t = thresholdFor(compiled, c, series.objectId);
      return describeCondition(c, v, t, { ownTarget: t !== c.value, spend: d?.spend });
    })
    .join(' and ');
}

/** Replays `rule` over each series (see the module comment for the model). */
export function backtestRule(rule: Rule, series: readonly BacktestSeries[], options: BacktestOptions): BacktestResult {
  const granularity = options.granularity;
  const rowLength = granularity === 'hour' ? HOUR : DAY;
  let start = (options.from !== undefined ? wallMs(options.from) : undefined) ?? Number.POSITIVE_INFINITY;
  if (start === Number.POSITIVE_INFINITY) {
    for (const s of series) {
      for (const p of s.points) {
        const w = wallMs(p.time);
        if (w !== undefined) start = Math.min(start, w - (((w % DAY) + DAY) % DAY));
      }
    }
  }

  const windows: WindowKey[] = [];
  const compiled = compileRule(rule, windows);
  const dayScoped = rule.conditions.length > 0 && rule.conditions.every((c) => c.window === 'today');
  const a = newAssessment();
  const derived: (DerivedMetrics | null)[] = new Array(windows.length).fill(null);
  let lastRow = Number.NEGATIVE_INFINITY;

  const objects: BacktestObjectResult[] = series.map((one) => {
    const s = prepare(one.points, granularity, start);
    const n = s.wall.length;
    if (n > 0) lastRow = Math.max(lastRow, s.wall[n - 1] as number);
    const firings: BacktestFiring[] = [];
    let pausedUntil = Number.NEGATIVE_INFINITY;
    let lastFired: number | undefined;
    let savedCents = 0;
    for (let i = 0; i < n; i++) {
      const wall = s.wall[i] as number;
      if (wall < pausedUntil) continue;
      const at = new Date(wall);
      const weekday = at.getUTCDay();
      const inside =
        granularity === 'hour'
          ? compiled.mask[weekday * 24 + at.getUTCHours()] === 1
          : rule.schedule.days.includes(weekday);
      if (!inside) continue;
      const moment = wall + rowLength;
      if (lastFired !== undefined && moment - lastFired < compiled.cooldownMs) continue;
      derivedAt(windows, s, i, granularity, start, derived);
      if (assess(compiled, one.objectId, one.budget, one.budgetMode, derived, 0, a) !== OUTCOME_BREACH) continue;
      let saved = 0;
      if (rule.action === 'pause') {
        const end = dayScoped ? (s.day[i] as number) + DAY : Number.POSITIVE_INFINITY;
        const hi = end === Number.POSITIVE_INFINITY ? n : lowerBound(s.wall, end);
        saved = (s.pSpend[hi] as number) - (s.pSpend[i + 1] as number);
        pausedUntil = end;
      }
      savedCents += saved;
      lastFired = moment;
      firings.push({
        time: formatWallMs(moment),
        value: a.value,
        threshold: a.threshold,
        reason: reasonAt(compiled, one, derived),
        savedSpend: saved / 100,
      });
    }
    let recovered = false;
    if (firings.length > 0 && n > 0) {
      derivedAt(windows, s, n - 1, granularity, start, derived);
      recovered = assess(compiled, one.objectId, one.budget, one.budgetMode, derived, 0, a) === OUTCOME_NO_BREACH;
    }
    return { objectId: one.objectId, firings, savedSpend: savedCents / 100, recovered };
  });

  const totalCents = objects.reduce((sum, o) => sum + Math.round(o.savedSpend * 100), 0);
  const dateOf = (w: number) => formatWallMs(w).slice(0, 10);
  return {
    ruleId: rule.id,
    granularity,
    from: Number.isFinite(start) ? dateOf(start) : undefined,
    to: Number.isFinite(lastRow) ? dateOf(lastRow) : undefined,
    objects,
    firedObjectIds: objects.filter((o) => o.firings.length > 0).map((o) => o.objectId),
    recoveredObjectIds: objects.filter((o) => o.recovered).map((o) => o.objectId),
    savedSpend: totalCents / 100,
  };
}
