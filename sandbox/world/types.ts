import type { SpendTrack } from './spend-track';

export type Level = 'campaign' | 'adgroup' | 'ad';
export const LEVELS: readonly Level[] = ['campaign', 'adgroup', 'ad'];

export type BudgetMode = 'BUDGET_MODE_DAY' | 'BUDGET_MODE_TOTAL' | 'BUDGET_MODE_INFINITE';
/** Statuses an object can hold. Deletion is a separate flag (what a deleted object returns is undocumented). */
export type OperationStatus = 'ENABLE' | 'DISABLE' | 'FROZEN';
/** What a status update may request. */
export type RequestedStatus = 'ENABLE' | 'DISABLE' | 'DELETE';

export interface Advertiser {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  company: string;
  createMs: number;
}

interface ObjectBase {
  id: string;
  advertiserId: string;
  name: string;
  operationStatus: OperationStatus;
  deleted: boolean;
  createMs: number;
  modifyMs: number;
  /** Keeps accruing spend although switched off (the keep-spending fault). */
  ghostSpend: boolean;
}

export interface Campaign extends ObjectBase {
  level: 'campaign';
  objectiveType: string;
  budgetMode: BudgetMode;
  /** Integer minor units (cents); 0 with BUDGET_MODE_INFINITE. */
  budgetMinor: number;
  /** Campaign budget optimisation: the budget sits on the campaign, not on its ad groups. */
  cbo: boolean;
  cpaDrift: boolean;
  adgroupIds: string[];
  accrual: AccrualState;
}

export interface AdGroup extends ObjectBase {
  level: 'adgroup';
  campaignId: string;
  budgetMode: BudgetMode;
  budgetMinor: number;
  scheduleType: 'SCHEDULE_FROM_NOW' | 'SCHEDULE_START_END';
  /** Epoch minutes; end null when the schedule runs open-ended. */
  scheduleStartMinute: number;
  scheduleEndMinute: number | null;
  placementType: string;
  optimizationGoal: string;
  adIds: string[];
}

export interface Ad extends ObjectBase {
  level: 'ad';
  campaignId: string;
  adgroupId: string;
  adText: string;
  callToAction: string;
  /** Spend rate while delivering, minor units per simulated minute. */
  rateMinorPerMinute: number;
  impressionsPerDollar: number;
  /** Click-through rate in basis points of impressions. */
  ctrBp: number;
  /** Cost per conversion in minor units (before any drift). */
  cpaMinor: number;
  /** Lifetime spend from which this ad's marginal CPA rises; null when it never drifts. */
  driftFromMinor: number | null;
  /**
   * Marginal cost per conversion set through the control API (`objects/cpa`), in order of spend: from
   * `fromMinor` of lifetime spend on, each conversion costs `cpaMinor`. Absent: the generated CPA (and drift).
   */
  cpaSteps?: CpaStep[];
  track: SpendTrack;
}

export interface CpaStep {
  /** Lifetime spend (minor units) of the ad when the step began. */
  fromMinor: number;
  /** Conversions the ad had at `fromMinor` (before clamping to clicks). */
  baseConversions: number;
  cpaMinor: number;
}

export type AnyObject = Campaign | AdGroup | Ad;

/** A scripted status change in the world's past, replayed while the history is simulated. */
export interface HistoryEvent {
  minute: number;
  level: 'campaign' | 'adgroup' | 'ad';
  id: string;
  action: 'DISABLE' | 'DELETE' | 'FROZEN';
}

/** Where a campaign's spend simulation stands (see accrual.ts). */
export interface AccrualState {
  syncedTo: number;
  dayStart: number;
  nextMidnight: number;
  campaignToday: number;
  campaignLifetime: number;
  adgroupToday: Map<string, number>;
  adgroupLifetime: Map<string, number>;
  history: HistoryEvent[];
}
