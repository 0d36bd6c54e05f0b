import type { Counters } from '../world/metrics';
import { formatMinor, formatRatio } from '../world/money';
import { daysBetween, isValidDate, localDayStart, localTimestamp, nextLocalMidnight } from '../world/timezone';
import type { AnyObject, Level } from '../world/types';
import type { World } from '../world/world';
import { type ApiRequest, type Handler, requireAdvertiser } from './context';
import { ApiError } from './envelope';
import { MAX_FILTER_IDS } from './get-objects';
import { intParam, jsonParam, paginate, stringArray } from './params';

/** report/integrated/get, BASIC only: metrics as strings, lagging the true spend by the latency window. */

const LEVELS: Record<string, Level> = {
  AUCTION_CAMPAIGN: 'campaign',
  AUCTION_ADGROUP: 'adgroup',
  AUCTION_AD: 'ad',
};

const PERFORMANCE = [
  'spend',
  'impressions',
  'clicks',
  'ctr',
  'cpc',
  'cpm',
  'conversion',
  'cost_per_conversion',
  'conversion_rate',
  'conversion_rate_v2',
  'real_time_conversion',
  'real_time_cost_per_conversion',
  'result',
  'cost_per_result',
  'result_rate',
] as const;

const ATTRIBUTES: Record<Level, readonly string[]> = {
  campaign: ['campaign_name', 'campaign_id', 'campaign_budget', 'objective_type', 'currency'],
  adgroup: [
    'campaign_name',
    'campaign_id',
    'adgroup_name',
    'adgroup_id',
    'adgroup_budget',
    'objective_type',
    'currency',
  ],
  ad: ['campaign_name', 'campaign_id', 'adgroup_name', 'adgroup_id', 'ad_name', 'ad_id', 'objective_type', 'currency'],
};

type TimeDimension = 'stat_time_day' | 'stat_time_hour' | null;

interface Row {
  dimensions: Record<string, string>;
  metrics: Record<string, string>;
}

export const reportHandler: Handler = (req: ApiRequest) => {
  const world = req.state.world;
  const advertiser = requireAdvertiser(req);
  const reportType = req.query.get('report_type');
  if (reportType !== 'BASIC') throw new ApiError(40002, 'report_type: Only BASIC is supported in this sandbox.');
  const service = req.query.get('service_type');
  if (service && service !== 'AUCTION') throw new ApiError(40002, 'service_type: Only AUCTION is supported.');
  const level = LEVELS[req.query.get('data_level') ?? ''];
  if (!level) throw new ApiError(40002, 'data_level: Must be one of AUCTION_CAMPAIGN, AUCTION_ADGROUP, AUCTION_AD.');
  const idKey = `${level}_id`;

  const rawDimensions = jsonParam(req.query, 'dimensions');
  if (rawDimensions === undefined) throw new ApiError(40002, 'dimensions: Missing data for required field.');
  const dimensions = stringArray(rawDimensions, 'dimensions', 4, 1);
  if (dimensions[0] !== idKey || dimensions.length > 2) {
    throw new ApiError(
      40002,
      `dimensions: For ${req.query.get('data_level')} use ["${idKey}"] plus at most one time dimension.`,
    );
  }
  const timeDim = (dimensions[1] ?? null) as TimeDimension;
  if (timeDim !== null && timeDim !== 'stat_time_day' && timeDim !== 'stat_time_hour') {
    throw new ApiError(40002, `dimensions: Invalid dimension ${dimensions[1]}.`);
  }

  const rawMetrics = jsonParam(req.query, 'metrics');
  const metrics = rawMetrics === undefined ? ['spend', 'impressions'] : stringArray(rawMetrics, 'metrics', 100, 1);
  for (const m of metrics) {
    if (!(PERFORMANCE as readonly string[]).includes(m) && !ATTRIBUTES[level].includes(m)) {
      throw new ApiError(40002, `metrics: Invalid metric ${m} for data_level ${req.query.get('data_level')}.`);
    }
  }

  const lifetime = req.query.get('query_lifetime') === 'true';
  const tz = advertiser.timezone;
  let from: number;
  let to: number;
  if (lifetime) {
    if (timeDim) throw new ApiError(40002, 'query_lifetime cannot be used with time dimensions.');
    from = Number.NEGATIVE_INFINITY;
    to = Number.POSITIVE_INFINITY;
  } else {
    const start = req.query.get('start_date') ?? '';
    const end = req.query.get('end_date') ?? '';
    if (!start || !end)
      throw new ApiError(40002, 'start_date and end_date are required unless query_lifetime is true.');
    if (!isValidDate(start) || !isValidDate(end))
      throw new ApiError(40002, 'start_date/end_date: Use the format YYYY-MM-DD.');
    const span = daysBetween(start, end) + 1;
    if (span < 1) throw new ApiError(40002, 'end_date must not be earlier than start_date.');
    const cap = timeDim === 'stat_time_hour' ? 1 : timeDim === 'stat_time_day' ? 30 : 365;
    if (span > cap) {
      throw new ApiError(
        40002,
        `The time span between start_date and end_date cannot exceed ${cap} day${cap > 1 ? 's' : ''}.`,
      );
    }
    from = localDayStart(tz, start);
    to = nextLocalMidnight(tz, localDayStart(tz, end));
  }
  const latency = req.state.config.reportLatencyMinutes;
  const cutoff = Math.floor((world.clock.nowMs() - latency * 60_000) / 60_000);
  const until = Math.min(to, cutoff);

  const objects = selectObjects(req, world, level, advertiser.id);
  const page = intParam(req.query, 'page', 1, 1, 1_000_000);
  const pageSize = intParam(req.query, 'page_size', 10, 1, 1_000);

  // Bucket edges (local midnights or hours), shared by every object.
  const edges: number[] = [];
  const labels: string[] = [];
  if (timeDim !== null) {
    let edge = from;
    while (edge < until) {
      edges.push(edge);
      labels.push(localTimestamp(tz, edge));
      edge = timeDim === 'stat_time_hour' ? edge + 60 : nextLocalMidnight(tz, edge);
    }
    edges.push(Math.min(edge, until));
  }

  const rows: Row[] = [];
  for (const o of objects) {
    const attrs = attributeValues(world, o, advertiser.currency);
    const pick = (c: Counters): Record<string, string> =>
      Object.fromEntries(metrics.map((m) => [m, attrs[m] ?? performanceValue(m, c)]));
    if (timeDim === null) {
      const start = Number.isFinite(from) ? from : 0;
      const a = world.countersAt(o, start);
      const b = until > start ? world.countersAt(o, until) : a;
      rows.push({ dimensions: { [idKey]: o.id }, metrics: pick(diff(a, b)) });
      continue;
    }
    let previous = world.countersAt(o, edges[0] ?? from);
    for (let i = 1; i < edges.length; i++) {
      const current = world.countersAt(o, edges[i] ?? until);
      const d = diff(previous, current);
      if (d.spend > 0 || d.impressions > 0) {
        rows.push({ dimensions: { [idKey]: o.id, [timeDim]: labels[i - 1] ?? '' }, metrics: pick(d) });
      }
      previous = current;
    }
  }
  const { slice, pageInfo } = paginate(rows, page, pageSize);
  return { list: slice, page_info: pageInfo };
};

function selectObjects(req: ApiRequest, world: World, level: Level, advertiserId: string): AnyObject[] {
  const rawFiltering = jsonParam(req.query, 'filtering');
  const filters = rawFiltering === undefined ? [] : rawFiltering;
  if (!Array.isArray(filters))
    throw new ApiError(40002, 'filtering: Must be a list of {field_name, filter_type, filter_value}.');
  let includeDeleted = false;
  let onlyDeleted = false;
  const idFilters: { field: string; type: string; values: Set<string> }[] = [];
  for (const f of filters as Record<string, unknown>[]) {
    const field = f?.field_name;
    const type = f?.filter_type;
    const raw = f?.filter_value;
    if (typeof field !== 'string' || typeof type !== 'string' || typeof raw !== 'string') {
      throw new ApiError(40002, 'filtering: Each filter needs string field_name, filter_type and filter_value.');
    }
    let values: unknown;
    try {
      values = JSON.parse(raw);
    } catch {
      throw new ApiError(40002, `filtering: filter_value of ${field} is not a JSON array string.`);
    }
    const list = stringArray(values, `filtering.${field}`, MAX_FILTER_IDS);
    if (/^(campaign|adgroup|ad)_ids$/.test(field)) {
      if (type !== 'IN' && type !== 'NOT_IN') throw new ApiError(40002, `filtering: ${field} supports IN and NOT_IN.`);
      idFilters.push({ field: field.slice(0, -1), type, values: new Set(list) });
    } else if (/^(campaign|adgroup|ad)_status$/.test(field)) {
      if (list.includes('STATUS_ALL')) includeDeleted = true;
      if (list.includes('STATUS_DELETE')) onlyDeleted = !list.includes('STATUS_NOT_DELETE');
      includeDeleted ||= list.includes('STATUS_DELETE');
    } else {
      throw new ApiError(40002, `filtering: Unsupported field_name ${field}.`);
    }
  }
  const out: AnyObject[] = [];
  for (const id of world.ids(level, advertiserId)) {
    const o = world.get(level, id);
    if (!o) continue;
    const deleted = world.isDeleted(o);
    if (deleted && !includeDeleted) continue;
    if (onlyDeleted && !deleted) continue;
    const ids: Record<string, string> = {
      campaign_id: o.level === 'campaign' ? o.id : o.campaignId,
      adgroup_id: o.level === 'adgroup' ? o.id : o.level === 'ad' ? o.adgroupId : '',
      ad_id: o.level === 'ad' ? o.id : '',
    };
    const pass = idFilters.every((f) => f.values.has(ids[f.field] ?? '') === (f.type === 'IN'));
    if (pass) out.push(o);
  }
  return out;
}

function diff(a: Counters, b: Counters): Counters {
  return {
    spend: b.spend - a.spend,
    impressions: b.impressions - a.impressions,
    clicks: b.clicks - a.clicks,
    conversions: b.conversions - a.conversions,
  };
}

function performanceValue(metric: string, c: Counters): string {
  switch (metric) {
    case 'spend':
      return formatMinor(c.spend);
    case 'impressions':
      return String(c.impressions);
    case 'clicks':
      return String(c.clicks);
    case 'ctr':
      return formatRatio(c.clicks, c.impressions, 100);
    case 'cpc':
      return formatRatio(c.spend, c.clicks * 100);
    case 'cpm':
      return formatRatio(c.spend * 10, c.impressions);
    case 'conversion':
    case 'real_time_conversion':
    case 'result':
      return String(c.conversions);
    case 'cost_per_conversion':
    case 'real_time_cost_per_conversion':
    case 'cost_per_result':
      return formatRatio(c.spend, c.conversions * 100);
    case 'conversion_rate':
    case 'conversion_rate_v2':
    case 'result_rate':
      return formatRatio(c.conversions, c.clicks, 100);
    default:
      return '-';
  }
}

function attributeValues(world: World, o: AnyObject, currency: string): Record<string, string> {
  const campaign = world.campaignOf(o);
  const out: Record<string, string> = {
    campaign_name: campaign.name,
    campaign_id: campaign.id,
    objective_type: campaign.objectiveType,
    currency,
    campaign_budget: campaign.budgetMode === 'BUDGET_MODE_INFINITE' ? '-' : formatMinor(campaign.budgetMinor),
  };
  if (o.level !== 'campaign') {
    const group = o.level === 'adgroup' ? o : world.adgroupOf(o);
    out.adgroup_name = group.name;
    out.adgroup_id = group.id;
    out.adgroup_budget = group.budgetMode === 'BUDGET_MODE_INFINITE' ? '-' : formatMinor(group.budgetMinor);
  }
  if (o.level === 'ad') {
    out.ad_name = o.name;
    out.ad_id = o.id;
  }
  return out;
}
