import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/server';
import { advance, apiGet, control, openSandbox, pick } from './harness';

let sb: RunningSandbox;
let adv: string;
beforeEach(async () => {
  sb = await openSandbox({ reportLatencyMinutes: 30 });
  adv = sb.advertiserIds[0] ?? '';
});
afterEach(() => sb.close());

const cents = (s: string): number => Math.round(Number(s) * 100);

function report(params: Record<string, unknown>) {
  return apiGet(sb, 'report/integrated/get', {
    advertiser_id: adv,
    report_type: 'BASIC',
    data_level: 'AUCTION_CAMPAIGN',
    page_size: 1000,
    ...params,
  } as never);
}

const only = (id: string) => [{ field_name: 'campaign_ids', filter_type: 'IN', filter_value: JSON.stringify([id]) }];

describe('report/integrated/get', () => {
  test('metrics are strings and ratios are "-" where undefined', async () => {
    const r = await report({
      dimensions: ['campaign_id'],
      query_lifetime: true,
      metrics: [
        'spend',
        'impressions',
        'clicks',
        'ctr',
        'cpc',
        'cpm',
        'conversion',
        'cost_per_conversion',
        'conversion_rate',
        'campaign_name',
      ],
    });
    expect(r.body.code).toBe(0);
    for (const row of r.body.data.list) {
      for (const v of Object.values(row.metrics)) expect(typeof v).toBe('string');
      expect(row.metrics.spend).toMatch(/^\d+\.\d{2}$/);
      if (row.metrics.clicks === '0') expect(row.metrics.cpc).toBe('-');
      if (row.metrics.conversion === '0') expect(row.metrics.cost_per_conversion).toBe('-');
    }
    expect(r.body.data.list.some((row: { metrics: { clicks: string } }) => row.metrics.clicks === '0')).toBe(true);
  });

  test('hour buckets add up to the day, and days add up to the range', async () => {
    await advance(sb, 26 * 60);
    const c = await pick(sb, 'campaign', (o) => !o.deleted && o.spend_lifetime_minor > 0 && o.spending);
    const day = await report({
      dimensions: ['campaign_id', 'stat_time_day'],
      start_date: '2026-11-26',
      end_date: '2026-11-29',
      filtering: only(c.id),
    });
    const days = day.body.data.list as { dimensions: { stat_time_day: string }; metrics: { spend: string } }[];
    expect(days.length).toBeGreaterThan(1);
    const range = await report({
      dimensions: ['campaign_id'],
      start_date: '2026-11-26',
      end_date: '2026-11-29',
      filtering: only(c.id),
    });
    expect(days.reduce((s, d) => s + cents(d.metrics.spend), 0)).toBe(cents(range.body.data.list[0].metrics.spend));

    const hours = await report({
      dimensions: ['campaign_id', 'stat_time_hour'],
      start_date: '2026-11-28',
      end_date: '2026-11-28',
      filtering: only(c.id),
    });
    const hourRows = hours.body.data.list as { dimensions: { stat_time_hour: string }; metrics: { spend: string } }[];
    expect(hourRows[0]?.dimensions.stat_time_hour).toMatch(/^2026-11-28 \d{2}:00:00$/);
    const nov28 = days.find((d) => d.dimensions.stat_time_day === '2026-11-28 00:00:00');
    expect(hourRows.reduce((s, h) => s + cents(h.metrics.spend), 0)).toBe(cents(nov28?.metrics.spend ?? '0'));
  });

  test.each([
    [['campaign_id', 'stat_time_day'], '2026-10-01', '2026-10-30', 0],
    [['campaign_id', 'stat_time_day'], '2026-10-01', '2026-10-31', 40002],
    [['campaign_id', 'stat_time_hour'], '2026-11-27', '2026-11-27', 0],
    [['campaign_id', 'stat_time_hour'], '2026-11-27', '2026-11-28', 40002],
    [['campaign_id'], '2025-11-29', '2026-11-28', 0],
    [['campaign_id'], '2025-11-28', '2026-11-28', 40002],
    [['campaign_id'], '2026-11-28', '2026-11-27', 40002],
  ])('dimensions %j from %s to %s gives code %i', async (dimensions, start, end, code) => {
    const r = await report({ dimensions, start_date: start, end_date: end });
    expect(r.body.code).toBe(code);
  });

  test('query_lifetime cannot be combined with a time dimension', async () => {
    const r = await report({ dimensions: ['campaign_id', 'stat_time_day'], query_lifetime: true });
    expect(r.body.code).toBe(40002);
  });

  test('reported spend lags the true spend by the latency window and keeps rising after a pause', async () => {
    const c = await pick(sb, 'campaign', (o) => !o.deleted && o.spending && o.operation_status === 'ENABLE');
    const lifetime = async () =>
      cents(
        (await report({ dimensions: ['campaign_id'], query_lifetime: true, filtering: only(c.id) })).body.data.list[0]
          .metrics.spend,
      );
    await control(sb, 'POST', 'objects/status', { level: 'campaign', id: c.id, operation_status: 'DISABLE' });
    const truth = (await control(sb, 'GET', `spend?level=campaign&id=${c.id}`)).lifetime_minor;
    const atPause = await lifetime();
    expect(atPause).toBeLessThan(truth);
    await advance(sb, 15);
    const midWindow = await lifetime();
    expect(midWindow).toBeGreaterThan(atPause);
    expect(midWindow).toBeLessThan(truth);
    await advance(sb, 15);
    expect(await lifetime()).toBe(truth);
    await advance(sb, 60);
    expect(await lifetime()).toBe(truth);
  });

  test('deleted campaigns are left out unless asked for', async () => {
    const deleted = await pick(sb, 'campaign', (o) => o.deleted);
    const normal = await report({ dimensions: ['campaign_id'], query_lifetime: true, filtering: only(deleted.id) });
    expect(normal.body.data.list).toEqual([]);
    const all = await report({
      dimensions: ['campaign_id'],
      query_lifetime: true,
      filtering: [
        ...only(deleted.id),
        { field_name: 'campaign_status', filter_type: 'IN', filter_value: '["STATUS_ALL"]' },
      ],
    });
    expect(all.body.data.list).toHaveLength(1);
  });

  test('ad group and ad levels report with parent attributes', async () => {
    const r = await report({
      data_level: 'AUCTION_AD',
      dimensions: ['ad_id'],
      metrics: ['spend', 'campaign_id', 'adgroup_name'],
      query_lifetime: true,
      page_size: 5,
      page: 2,
    });
    expect(r.body.code).toBe(0);
    expect(r.body.data.page_info).toMatchObject({ page: 2, page_size: 5 });
    expect(r.body.data.list[0].metrics.campaign_id).toMatch(/^\d{19}$/);
    const g = await report({ data_level: 'AUCTION_ADGROUP', dimensions: ['adgroup_id'], query_lifetime: true });
    expect(g.body.code).toBe(0);
    const wrong = await report({ data_level: 'AUCTION_ADGROUP', dimensions: ['campaign_id'], query_lifetime: true });
    expect(wrong.body.code).toBe(40002);
  });

  test('dates are the advertiser time zone: Tokyo campaigns have nothing on the UTC day that ends at the start', async () => {
    const tokyo = sb.advertiserIds[1] ?? '';
    const r = await apiGet(sb, 'report/integrated/get', {
      advertiser_id: tokyo,
      report_type: 'BASIC',
      data_level: 'AUCTION_CAMPAIGN',
      dimensions: ['campaign_id', 'stat_time_day'],
      start_date: '2026-11-29',
      end_date: '2026-11-29',
      page_size: 1000,
    });
    // 2026-11-29 in Tokyo began exactly at the start; with a 30-minute latency nothing is reported yet.
    expect(r.body.code).toBe(0);
    expect(r.body.data.list).toEqual([]);
    await advance(sb, 120);
    const later = await apiGet(sb, 'report/integrated/get', {
      advertiser_id: tokyo,
      report_type: 'BASIC',
      data_level: 'AUCTION_CAMPAIGN',
      dimensions: ['campaign_id', 'stat_time_day'],
      start_date: '2026-11-29',
      end_date: '2026-11-29',
      page_size: 1000,
    });
    expect(later.body.data.list.length).toBeGreaterThan(0);
    expect(later.body.data.list[0].dimensions.stat_time_day).toBe('2026-11-29 00:00:00');
  });
});
