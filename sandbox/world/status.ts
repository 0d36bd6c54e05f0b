import { remainingBudget } from './accrual';
import type { Ad, AdGroup, Campaign } from './types';

/**
 * Secondary statuses as the API shows them (spec section 5). The caller syncs the campaign's spend
 * to "now" first, so the budget counters are current.
 */

export function isCampaignOutOfBudget(c: Campaign): boolean {
  const s = c.accrual;
  return remainingBudget(c.budgetMode, c.budgetMinor, s.campaignToday, s.campaignLifetime) <= 0;
}

export function isAdGroupOutOfBudget(c: Campaign, g: AdGroup): boolean {
  const s = c.accrual;
  return (
    remainingBudget(g.budgetMode, g.budgetMinor, s.adgroupToday.get(g.id) ?? 0, s.adgroupLifetime.get(g.id) ?? 0) <= 0
  );
}

export type ScheduleState = 'NOT_START' | 'RUNNING' | 'DONE';

export function scheduleState(g: AdGroup, minute: number): ScheduleState {
  if (minute < g.scheduleStartMinute) return 'NOT_START';
  if (g.scheduleEndMinute !== null && minute >= g.scheduleEndMinute) return 'DONE';
  return 'RUNNING';
}

export function campaignSecondaryStatus(c: Campaign): string {
  if (c.deleted) return 'CAMPAIGN_STATUS_DELETE';
  if (c.operationStatus !== 'ENABLE') return 'CAMPAIGN_STATUS_DISABLE';
  if (isCampaignOutOfBudget(c)) return 'CAMPAIGN_STATUS_BUDGET_EXCEED';
  return 'CAMPAIGN_STATUS_ENABLE';
}

export function adgroupSecondaryStatus(c: Campaign, g: AdGroup, minute: number): string {
  if (g.deleted) return 'ADGROUP_STATUS_DELETE';
  if (c.deleted) return 'ADGROUP_STATUS_CAMPAIGN_DELETE';
  if (c.operationStatus !== 'ENABLE') return 'ADGROUP_STATUS_CAMPAIGN_DISABLE';
  if (g.operationStatus === 'FROZEN') return 'ADGROUP_STATUS_FROZEN';
  if (g.operationStatus === 'DISABLE') return 'ADGROUP_STATUS_DISABLE';
  const schedule = scheduleState(g, minute);
  if (schedule === 'NOT_START') return 'ADGROUP_STATUS_NOT_START';
  if (schedule === 'DONE') return 'ADGROUP_STATUS_TIME_DONE';
  if (isCampaignOutOfBudget(c)) return 'ADGROUP_STATUS_CAMPAIGN_EXCEED';
  if (isAdGroupOutOfBudget(c, g)) return 'ADGROUP_STATUS_BUDGET_EXCEED';
  return 'ADGROUP_STATUS_DELIVERY_OK';
}

export function adSecondaryStatus(c: Campaign, g: AdGroup, ad: Ad, minute: number): string {
  if (ad.deleted) return 'AD_STATUS_DELETE';
  if (c.deleted) return 'AD_STATUS_CAMPAIGN_DELETE';
  if (g.deleted) return 'AD_STATUS_ADGROUP_DELETE';
  if (c.operationStatus !== 'ENABLE') return 'AD_STATUS_CAMPAIGN_DISABLE';
  if (g.operationStatus !== 'ENABLE') return 'AD_STATUS_ADGROUP_DISABLE';
  if (ad.operationStatus === 'FROZEN') return 'AD_STATUS_FROZEN';
  if (ad.operationStatus === 'DISABLE') return 'AD_STATUS_DISABLE';
  const schedule = scheduleState(g, minute);
  if (schedule === 'NOT_START') return 'AD_STATUS_NOT_START';
  if (schedule === 'DONE') return 'AD_STATUS_DONE';
  if (isCampaignOutOfBudget(c)) return 'AD_STATUS_CAMPAIGN_EXCEED';
  if (isAdGroupOutOfBudget(c, g)) return 'AD_STATUS_BUDGET_EXCEED';
  return 'AD_STATUS_DELIVERY_OK';
}

/** Statuses that count as delivering for primary_status filters and the page's labels. */
export function isDeliveringStatus(secondary: string): boolean {
  return secondary.endsWith('_ENABLE') || secondary.endsWith('_DELIVERY_OK');
}
