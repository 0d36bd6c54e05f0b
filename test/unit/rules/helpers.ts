import type { RuleObject } from '../../../lib/rules/evaluate';
import type { RawMetrics } from '../../../lib/rules/metrics';
import { type Rule, type RuleInput, ruleSchema } from '../../../lib/rules/schema';

export const ADV_TOKYO = '7000000000000000001';
export const ADV_LA = '7000000000000000002';
export const ZONES = { [ADV_TOKYO]: 'Asia/Tokyo', [ADV_LA]: 'America/Los_Angeles' };

/** A valid rule: pause campaigns when CPA today > 30, every 30 min, all week, all day. */
export function ruleInput(overrides: Partial<RuleInput> = {}): RuleInput {
  return {
    id: 'r1',
    name: 'High CPA',
    enabled: true,
    advertiserIds: [],
    scope: { level: 'campaign', match: { kind: 'all' } },
    conditions: [{ metric: 'cpa', op: '>', value: 30, window: 'today' }],
    guards: {},
    action: 'pause',
    schedule: { everyMinutes: 30, days: [0, 1, 2, 3, 4, 5, 6], hours: [0, 24] },
    cooldownMinutes: 0,
    targets: {},
    ...overrides,
  };
}

/** A parsed rule (throws if the overrides make it invalid: a test bug). */
export function rule(overrides: Partial<RuleInput> = {}): Rule {
  return ruleSchema.parse(ruleInput(overrides));
}

/** Report metrics as TikTok sends them (strings). */
export function row(spend: string, impressions: string, clicks: string, conversion: string, extra: RawMetrics = {}) {
  return { spend, impressions, clicks, conversion, ...extra };
}

export function object(overrides: Partial<RuleObject> = {}): RuleObject {
  return {
    id: '1800000000000000001',
    name: 'Spring Sale US',
    level: 'campaign',
    advertiserId: ADV_TOKYO,
    operationStatus: 'ENABLE',
    budget: 100,
    budgetMode: 'BUDGET_MODE_DAY',
    metricsByWindow: { today: row('42.10', '10000', '200', '1') },
    pausedBy: null,
    lastToggles: [],
    ...overrides,
  };
}

/** 2025-06-04 (a Wednesday) 03:00 UTC = 12:00 in Tokyo, 20:00 (Tuesday) in Los Angeles. */
export const NOW = Date.UTC(2025, 5, 4, 3, 0, 0);
