import { minorToFloat } from '../world/money';
import { utcTimestamp } from '../world/timezone';
import type { Ad, AdGroup, Campaign } from '../world/types';
import type { World } from '../world/world';

/** Objects as the get endpoints return them (string ids, float budgets, UTC timestamps). */

const TEN_YEARS_MS = 3_652 * 86_400_000;

export function campaignView(world: World, c: Campaign): Record<string, unknown> {
  const view: Record<string, unknown> = {
    advertiser_id: c.advertiserId,
    campaign_id: c.id,
    campaign_name: c.name,
    objective_type: c.objectiveType,
    objective: 'LANDING_PAGE',
    campaign_type: 'REGULAR_CAMPAIGN',
    operation_status: c.operationStatus,
    secondary_status: world.secondaryStatus(c),
    budget: minorToFloat(c.budgetMinor),
    budget_mode: c.budgetMode,
    create_time: utcTimestamp(c.createMs),
    modify_time: utcTimestamp(c.modifyMs),
    is_new_structure: true,
    is_smart_performance_campaign: false,
    campaign_automation_type: 'MANUAL',
    is_search_campaign: false,
    app_promotion_type: 'UNSET',
    deep_bid_type: null,
    roas_bid: 0,
  };
  if (c.cbo) view.budget_optimize_on = true;
  return view;
}

export function adgroupView(world: World, g: AdGroup): Record<string, unknown> {
  const c = world.campaignOf(g);
  const start = g.scheduleStartMinute * 60_000;
  const end = g.scheduleEndMinute === null ? start + TEN_YEARS_MS : g.scheduleEndMinute * 60_000;
  return {
    advertiser_id: g.advertiserId,
    campaign_id: g.campaignId,
    campaign_name: c.name,
    adgroup_id: g.id,
    adgroup_name: g.name,
    operation_status: g.operationStatus,
    secondary_status: world.secondaryStatus(g),
    budget: minorToFloat(g.budgetMinor),
    budget_mode: g.budgetMode,
    schedule_type: g.scheduleType,
    schedule_start_time: utcTimestamp(start),
    schedule_end_time: utcTimestamp(end),
    placement_type: g.placementType,
    optimization_goal: g.optimizationGoal,
    billing_event: 'OCPM',
    bid_type: 'BID_TYPE_NO_BID',
    pacing: 'PACING_MODE_SMOOTH',
    create_time: utcTimestamp(g.createMs),
    modify_time: utcTimestamp(g.modifyMs),
    is_new_structure: true,
  };
}

export function adView(world: World, ad: Ad): Record<string, unknown> {
  return {
    advertiser_id: ad.advertiserId,
    campaign_id: ad.campaignId,
    campaign_name: world.campaignOf(ad).name,
    adgroup_id: ad.adgroupId,
    adgroup_name: world.adgroupOf(ad).name,
    ad_id: ad.id,
    ad_name: ad.name,
    operation_status: ad.operationStatus,
    secondary_status: world.secondaryStatus(ad),
    ad_format: 'SINGLE_VIDEO',
    ad_text: ad.adText,
    call_to_action: ad.callToAction,
    landing_page_url: 'https://shop.example.com/landing',
    identity_type: 'CUSTOMIZED_USER',
    is_aco: false,
    create_time: utcTimestamp(ad.createMs),
    modify_time: utcTimestamp(ad.modifyMs),
  };
}
