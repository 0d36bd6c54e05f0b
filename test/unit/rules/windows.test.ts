import { describe, expect, test } from 'vitest';
import { lastHourLabels, planWindow, requiredWindows, rowsByObject, sumHourRows } from '../../../lib/rules/windows';
import { NOW, rule } from './helpers';

// NOW = 2025-06-04 03:00 UTC: 12:00 on 4 June in Tokyo, 20:00 on 3 June in Los Angeles.

describe('planWindow', () => {
  test.each([
    ['Asia/Tokyo', 'today', '2025-06-04', '2025-06-04'],
    ['Asia/Tokyo', 'yesterday', '2025-06-03', '2025-06-03'],
    ['Asia/Tokyo', 'last_3_days', '2025-06-02', '2025-06-04'],
    ['Asia/Tokyo', 'last_7_days', '2025-05-29', '2025-06-04'],
    ['America/Los_Angeles', 'today', '2025-06-03', '2025-06-03'],
    ['America/Los_Angeles', 'yesterday', '2025-06-02', '2025-06-02'],
    ['America/Los_Angeles', 'last_3_days', '2025-06-01', '2025-06-03'],
    ['America/Los_Angeles', 'last_7_days', '2025-05-28', '2025-06-03'],
    ['UTC', 'today', '2025-06-04', '2025-06-04'],
  ] as const)('%s %s → %s … %s', (tz, window, start, end) => {
    expect(planWindow(window, 'campaign', NOW, tz)).toEqual({
      window,
      queries: [
        {
          data_level: 'AUCTION_CAMPAIGN',
          dimensions: ['campaign_id'],
          start_date: start,
          end_date: end,
          query_lifetime: false,
        },
      ],
    });
  });

  test('lifetime has no dates', () => {
    expect(planWindow('lifetime', 'ad', NOW, 'Asia/Tokyo')).toEqual({
      window: 'lifetime',
      queries: [{ data_level: 'AUCTION_AD', dimensions: ['ad_id'], query_lifetime: true }],
    });
  });

  test('last N hours within one local day: one hour query', () => {
    expect(planWindow('last_3_hours', 'adgroup', NOW, 'Asia/Tokyo')).toEqual({
      window: 'last_3_hours',
      hours: ['2025-06-04 12:00:00', '2025-06-04 11:00:00', '2025-06-04 10:00:00'],
      queries: [
        {
          data_level: 'AUCTION_ADGROUP',
          dimensions: ['adgroup_id', 'stat_time_hour'],
          start_date: '2025-06-04',
          end_date: '2025-06-04',
          query_lifetime: false,
        },
      ],
    });
  });

  test('last N hours across local midnight: one query per date', () => {
    const now = Date.UTC(2025, 5, 3, 18, 30); // 03:30 on 4 June in Tokyo
    const plan = planWindow('last_6_hours', 'campaign', now, 'Asia/Tokyo');
    expect(plan.hours).toEqual([
      '2025-06-04 03:00:00',
      '2025-06-04 02:00:00',
      '2025-06-04 01:00:00',
      '2025-06-04 00:00:00',
      '2025-06-03 23:00:00',
      '2025-06-03 22:00:00',
    ]);
    expect(plan.queries.map((q) => [q.start_date, q.end_date, q.dimensions])).toEqual([
      ['2025-06-03', '2025-06-03', ['campaign_id', 'stat_time_hour']],
      ['2025-06-04', '2025-06-04', ['campaign_id', 'stat_time_hour']],
    ]);
  });

  test('last 24 hours in Los Angeles spans two local dates', () => {
    const plan = planWindow('last_24_hours', 'campaign', NOW, 'America/Los_Angeles');
    expect(plan.hours?.length).toBe(24);
    expect(plan.hours?.[0]).toBe('2025-06-03 20:00:00');
    expect(plan.hours?.[23]).toBe('2025-06-02 21:00:00');
    expect(plan.queries.map((q) => q.start_date)).toEqual(['2025-06-02', '2025-06-03']);
  });
});

describe('lastHourLabels', () => {
  test('a zone offset by half an hour (Asia/Kolkata)', () => {
    // 03:00 UTC = 08:30 IST
    expect(lastHourLabels(2, NOW, 'Asia/Kolkata')).toEqual(['2025-06-04 08:00:00', '2025-06-04 07:00:00']);
  });

  test('spring forward (New York, 9 March 2025): the skipped 02:00 has no label', () => {
    const now = Date.UTC(2025, 2, 9, 7, 30); // 03:30 EDT
    expect(lastHourLabels(3, now, 'America/New_York')).toEqual([
      '2025-03-09 03:00:00',
      '2025-03-09 01:00:00',
      '2025-03-09 00:00:00',
    ]);
  });

  test('fall back (New York, 2 November 2025): the repeated 01:00 is one label', () => {
    const now = Date.UTC(2025, 10, 2, 7, 30); // 02:30 EST, after 01:00 EDT and 01:00 EST
    expect(lastHourLabels(3, now, 'America/New_York')).toEqual(['2025-11-02 02:00:00', '2025-11-02 01:00:00']);
  });
});

describe('sumHourRows', () => {
  const rows = [
    {
      dimensions: { campaign_id: '1', stat_time_hour: '2025-06-04 12:00:00' },
      metrics: { spend: '14.68', impressions: '1,079', clicks: '10', conversion: '1', ctr: '0.93' },
    },
    {
      dimensions: { campaign_id: '1', stat_time_hour: '2025-06-04 11:00:00' },
      metrics: { spend: '3.21', impressions: '200', clicks: '-', conversion: '0' },
    },
    {
      dimensions: { campaign_id: '1', stat_time_hour: '2025-06-04 09:00:00' },
      metrics: { spend: '100.00', impressions: '1', clicks: '1', conversion: '1' },
    },
    {
      dimensions: { campaign_id: '2', stat_time_hour: '2025-06-04 12:00:00' },
      metrics: { spend: '-', impressions: '<5', clicks: '0', conversion: '0' },
    },
  ];

  test('sums counts of the listed hours, per object; ratios are not summed', () => {
    const sums = sumHourRows(rows, 'campaign_id', ['2025-06-04 12:00:00', '2025-06-04 11:00:00']);
    expect(sums.get('1')).toEqual({ spend: 17.89, impressions: 1279, clicks: 10, conversion: 1 });
    expect(sums.get('2')).toEqual({ clicks: 0, conversion: 0 });
    expect(sums.has('3')).toBe(false);
  });

  test('rowsByObject keys rows without a time dimension', () => {
    const m = rowsByObject([{ dimensions: { ad_id: '9' }, metrics: { spend: '1.00' } }], 'ad_id');
    expect(m.get('9')).toEqual({ spend: '1.00' });
  });
});

describe('requiredWindows', () => {
  test('each window of the enabled rules once', () => {
    const rules = [
      rule({
        id: 'a',
        conditions: [
          { metric: 'cpa', op: '>', value: 1, window: 'today' },
          { metric: 'ctr', op: '<', value: 1, window: 'last_6_hours' },
        ],
      }),
      rule({ id: 'b', conditions: [{ metric: 'spend', op: '>', value: 1, window: 'today' }] }),
      rule({ id: 'c', enabled: false, conditions: [{ metric: 'spend', op: '>', value: 1, window: 'lifetime' }] }),
    ];
    expect(requiredWindows(rules)).toEqual(['today', 'last_6_hours']);
  });
});
