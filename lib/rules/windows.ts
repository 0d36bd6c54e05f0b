/**
 * Which `report/integrated/get` query each window needs, in the advertiser's time zone (TikTok's
 * `start_date`/`end_date` are the ad account's local dates, both inclusive), and how hour rows are
 * summed for `last_N_hours`.
 *
 * - today / yesterday: one day, no time dimension.
 * - last_3_days / last_7_days: today and the 2 or 6 days before it, no time dimension.
 * - lifetime: `query_lifetime: true`, no dates.
 * - last_N_hours: `stat_time_hour` rows of the current local hour and the N − 1 before it. An hour
 *   report spans at most one day, so a window that crosses local midnight needs two queries (one
 *   per date); the caller sums the listed hour labels with `sumHourRows`. Hour labels are the local
 *   `YYYY-MM-DD HH:00:00` TikTok uses; across a DST change the labels follow the wall clock (a
 *   skipped hour has no row, a repeated hour is one label).
 */
import { LEVEL_META, type Level } from '../api/ids';
import type { RawMetrics } from './metrics';
import { parseMetricValue, SUMMABLE_METRICS } from './metrics';
import type { Rule, WindowKey } from './schema';
import { windowHours } from './schema';
import { addDays, hourLabel, zonedTime } from './zone';

export type TimeDimension = 'stat_time_day' | 'stat_time_hour';

/** The parameters of one report query that vary by window (everything else is fixed: BASIC, AUCTION). */
export interface ReportQuery {
  data_level: 'AUCTION_CAMPAIGN' | 'AUCTION_ADGROUP' | 'AUCTION_AD';
  dimensions: string[];
  /** Local dates, inclusive; absent with `query_lifetime`. */
  start_date?: string;
  end_date?: string;
  query_lifetime: boolean;
}

export interface WindowPlan {
  window: WindowKey;
  queries: ReportQuery[];
  /** `last_N_hours` only: the `stat_time_hour` labels to sum, newest first. */
  hours?: string[];
}

function dayQuery(level: Level, start: string, end: string): ReportQuery {
  const meta = LEVEL_META[level];
  return {
    data_level: meta.reportDataLevel,
    dimensions: [meta.idField],
    start_date: start,
    end_date: end,
    query_lifetime: false,
  };
}

/** The local hour labels of the current hour and the `n − 1` before it, newest first, without repeats. */
export function lastHourLabels(n: number, now: number, timeZone: string): string[] {
  const t = zonedTime(now, timeZone);
  // Start of the current local hour (works for zones offset by 30 or 45 minutes too).
  const hourStart = now - ((t.minute * 60 + t.second) * 1000 + (((now % 1000) + 1000) % 1000));
  const labels: string[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < n; k++) {
    const label = hourLabel(zonedTime(hourStart - k * 3_600_000, timeZone));
    if (!seen.has(label)) {
      seen.add(label);
      labels.push(label);
    }
  }
  return labels;
}

/** The query (or queries) a window needs at `now` for objects of `level` in `timeZone`. */
export function planWindow(window: WindowKey, level: Level, now: number, timeZone: string): WindowPlan {
  const today = zonedTime(now, timeZone).date;
  const meta = LEVEL_META[level];
  const hours = windowHours(window);
  if (hours !== undefined) {
    const labels = lastHourLabels(hours, now, timeZone);
    const dates = [...new Set(labels.map((l) => l.slice(0, 10)))].sort();
    return {
      window,
      hours: labels,
      queries: dates.map((d) => ({
        data_level: meta.reportDataLevel,
        dimensions: [meta.idField, 'stat_time_hour'],
        start_date: d,
        end_date: d,
        query_lifetime: false,
      })),
    };
  }
  switch (window) {
    case 'today':
      return { window, queries: [dayQuery(level, today, today)] };
    case 'yesterday': {
      const y = addDays(today, -1);
      return { window, queries: [dayQuery(level, y, y)] };
    }
    case 'last_3_days':
      return { window, queries: [dayQuery(level, addDays(today, -2), today)] };
    case 'last_7_days':
      return { window, queries: [dayQuery(level, addDays(today, -6), today)] };
    default:
      return {
        window,
        queries: [{ data_level: meta.reportDataLevel, dimensions: [meta.idField], query_lifetime: true }],
      };
  }
}

/** Every window the enabled rules' conditions use, each once, in first-use order. */
export function requiredWindows(rules: readonly Rule[]): WindowKey[] {
  const out: WindowKey[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    for (const c of rule.conditions) if (!out.includes(c.window)) out.push(c.window);
  }
  return out;
}

/** A row of `report/integrated/get` as the client returns it. */
export interface ReportRow {
  dimensions: Readonly<Record<string, string>>;
  metrics: RawMetrics;
}

/** Rows without a time dimension, keyed by object ID (`idField` is e.g. `campaign_id`). */
export function rowsByObject(rows: readonly ReportRow[], idField: string): Map<string, RawMetrics> {
  const out = new Map<string, RawMetrics>();
  for (const row of rows) {
    const id = row.dimensions[idField];
    if (id !== undefined) out.set(id, row.metrics);
  }
  return out;
}

/**
 * Sums the `stat_time_hour` rows whose label is in `hours`, per object. Only counts and values are
 * summed (spend, impressions, clicks, conversion, purchase value); ratios are derived from the sums
 * later. A "-" in one row adds nothing; a metric that is "-" in every row stays absent. TikTok
 * leaves out hours without delivery, so an object with no row in the window gets nothing here and
 * the caller decides whether that means zero (use `zeroMetrics`).
 */
export function sumHourRows(
  rows: readonly ReportRow[],
  idField: string,
  hours: readonly string[],
): Map<string, Record<string, number>> {
  const wanted = new Set(hours);
  const out = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const id = row.dimensions[idField];
    const hour = row.dimensions.stat_time_hour;
    if (id === undefined || hour === undefined || !wanted.has(hour)) continue;
    let sums = out.get(id);
    if (!sums) {
      sums = {};
      out.set(id, sums);
    }
    for (const name of SUMMABLE_METRICS) {
      const v = parseMetricValue(row.metrics[name]);
      if (v !== undefined) sums[name] = (sums[name] ?? 0) + v;
    }
  }
  // Decimal strings summed as binary floats drift (14.68 + 3.21 = 17.889999…); round that away.
  for (const sums of out.values()) {
    for (const name of Object.keys(sums)) sums[name] = Math.round((sums[name] ?? 0) * 1e6) / 1e6;
  }
  return out;
}

/** Metrics of an object that had no delivery in a window: zero spend, impressions, clicks, conversions. */
export function zeroMetrics(): Record<string, number> {
  return { spend: 0, impressions: 0, clicks: 0, conversion: 0 };
}
