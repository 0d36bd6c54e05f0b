import { describe, expect, test } from 'vitest';
import {
  budgetShare,
  type DerivedMetrics,
  deriveMetrics,
  metricValue,
  parseMetricValue,
} from '../../../lib/rules/metrics';
import { RULE_METRICS } from '../../../lib/rules/schema';

describe('parseMetricValue', () => {
  test.each([
    ['14.68', 14.68],
    ['1079', 1079],
    ['0.00', 0],
    ['0', 0],
    ['-3.5', -3.5],
    ['.5', 0.5],
    ['1,079', 1079],
    ['1,234,567.89', 1234567.89],
    ['1.23%', 1.23],
    [' 42 ', 42],
    ['1e3', 1000],
    [12.5, 12.5],
    [0, 0],
  ] as const)('%o → %f', (raw, expected) => {
    expect(parseMetricValue(raw)).toBe(expected);
  });

  test.each([
    ['-'],
    [''],
    [' '],
    ['<5'],
    ['N/A'],
    ['1,2'],
    ['12,34.5'],
    ['abc'],
    ['0x10'],
    ['Infinity'],
    ['NaN'],
    ['--1'],
    ['1.2.3'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [null],
    [undefined],
  ] as const)('%o → undefined', (raw) => {
    expect(parseMetricValue(raw)).toBeUndefined();
  });
});

const ALL_KEYS: (keyof DerivedMetrics)[] = [
  'spend',
  'impressions',
  'clicks',
  'conversions',
  'value',
  'ctr',
  'cpc',
  'cpm',
  'cpa',
  'conversion_rate',
  'roas',
];

describe('deriveMetrics', () => {
  test('every metric from TikTok strings', () => {
    const d = deriveMetrics({
      spend: '120.00',
      impressions: '40,000',
      clicks: '400',
      conversion: '4',
      total_complete_payment_rate: '300.00',
    });
    expect(d.spend).toBe(120);
    expect(d.impressions).toBe(40000);
    expect(d.clicks).toBe(400);
    expect(d.conversions).toBe(4);
    expect(d.value).toBe(300);
    expect(d.ctr).toBeCloseTo(1, 12);
    expect(d.cpc).toBeCloseTo(0.3, 12);
    expect(d.cpm).toBeCloseTo(3, 12);
    expect(d.cpa).toBe(30);
    expect(d.conversion_rate).toBeCloseTo(1, 12);
    expect(d.roas).toBe(2.5);
  });

  test('ratios come from TikTok strings when counts are missing', () => {
    const d = deriveMetrics({
      ctr: '1.50',
      cpc: '0.40',
      cpm: '5.10',
      cost_per_conversion: '22.00',
      conversion_rate: '3.00',
    });
    expect([d.ctr, d.cpc, d.cpm, d.cpa, d.conversion_rate]).toEqual([1.5, 0.4, 5.1, 22, 3]);
  });

  test('ROAS from total_purchase_value or complete_payment_roas; absent otherwise', () => {
    expect(deriveMetrics({ spend: '50', total_purchase_value: '75' }).roas).toBe(1.5);
    expect(deriveMetrics({ complete_payment_roas: '1.80' }).roas).toBe(1.8);
    expect(deriveMetrics({ spend: '50', impressions: '100', clicks: '3', conversion: '1' }).roas).toBeUndefined();
    expect(deriveMetrics({ spend: '0.00', total_complete_payment_rate: '10' }).roas).toBeUndefined();
  });

  describe('CPA with zero conversions', () => {
    test('spend without conversions is an infinite CPA (breaches any "CPA >" target)', () => {
      const d = deriveMetrics({ spend: '42.10', conversion: '0', cost_per_conversion: '0.00' });
      expect(d.cpa).toBe(Number.POSITIVE_INFINITY);
    });
    test("TikTok's reported 0 CPA with spend and no conversion count is also infinite", () => {
      expect(deriveMetrics({ spend: '42.10', cost_per_conversion: '0' }).cpa).toBe(Number.POSITIVE_INFINITY);
      expect(deriveMetrics({ cost_per_conversion: '0' }).cpa).toBeUndefined();
    });
    test('no spend and no conversions: no CPA at all', () => {
      expect(deriveMetrics({ spend: '0.00', conversion: '0' }).cpa).toBeUndefined();
    });
  });

  test('ratios are free of binary-float noise at the threshold', () => {
    // 0.07 / 0.1 is 0.7000000000000001 in floating point.
    const d = deriveMetrics({ spend: '0.07', impressions: '100', clicks: '0.1', conversion: '0.1' });
    expect(d.cpc).toBe(0.7);
    expect(d.cpa).toBe(0.7);
    expect(deriveMetrics({ spend: '10', impressions: '3', clicks: '1', conversion: '3' }).cpa).toBe(3.333333333);
  });

  test('zero denominators give undefined, not Infinity', () => {
    const d = deriveMetrics({ spend: '5.00', impressions: '0', clicks: '0', conversion: '0' });
    expect(d.ctr).toBeUndefined();
    expect(d.cpc).toBeUndefined();
    expect(d.cpm).toBeUndefined();
    expect(d.conversion_rate).toBeUndefined();
  });

  test('"-" everywhere never yields NaN', () => {
    const dash = Object.fromEntries(
      [
        'spend',
        'impressions',
        'clicks',
        'conversion',
        'ctr',
        'cpc',
        'cpm',
        'cost_per_conversion',
        'conversion_rate',
        'total_complete_payment_rate',
        'complete_payment_roas',
      ].map((k) => [k, '-']),
    );
    for (const raw of [dash, {}, null, undefined, { spend: '<5', clicks: '-' }]) {
      const d = deriveMetrics(raw);
      for (const key of ALL_KEYS) expect(d[key]).toBeUndefined();
      for (const metric of RULE_METRICS) {
        for (const w of ['today', 'lifetime'] as const) {
          expect(metricValue(d, metric, w, 100, 'BUDGET_MODE_DAY')).toBeUndefined();
        }
      }
    }
  });

  test('"-" spend with zero conversions: conversions known, CPA not', () => {
    const d = deriveMetrics({ spend: '-', conversion: '0', cost_per_conversion: '0' });
    expect(d.conversions).toBe(0);
    expect(d.cpa).toBeUndefined();
  });

  test('mixed "-" rows: every derived number is a number or undefined', () => {
    const values = ['-', '0', '0.00', '3', '12.50', '<5', '', '1,079'];
    for (const spend of values) {
      for (const clicks of values) {
        for (const conversion of values) {
          const d = deriveMetrics({ spend, impressions: '1,000', clicks, conversion });
          for (const key of ALL_KEYS) {
            const v = d[key];
            if (v !== undefined) expect(Number.isNaN(v)).toBe(false);
          }
        }
      }
    }
  });
});

describe('budgetShare', () => {
  test.each([
    [50, 200, 'BUDGET_MODE_DAY', 'today', 25],
    [50, 200, 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET', 'today', 25],
    [900, 1000, 'BUDGET_MODE_TOTAL', 'lifetime', 90],
    [50, 200, 'BUDGET_MODE_TOTAL', 'today', undefined],
    [50, 200, 'BUDGET_MODE_DAY', 'lifetime', undefined],
    [50, 0, 'BUDGET_MODE_DAY', 'today', undefined],
    [50, null, 'BUDGET_MODE_DAY', 'today', undefined],
    [50, 200, 'BUDGET_MODE_INFINITE', 'today', undefined],
    [50, 200, null, 'today', undefined],
    [undefined, 200, 'BUDGET_MODE_DAY', 'today', undefined],
  ] as const)('spend %o of budget %o (%s, %s) → %o %', (spend, budget, mode, window, expected) => {
    expect(budgetShare(spend, budget, mode, window)).toBe(expected);
  });
});
