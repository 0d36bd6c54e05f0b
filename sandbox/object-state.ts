import { formatMinor, minorToFloat } from './world/money';
import { utcTimestamp } from './world/timezone';
import type { AnyObject } from './world/types';
import type { World } from './world/world';

/** The true state of one object, as the control API reports it (pending changes included). */
export function objectState(world: World, o: AnyObject): Record<string, unknown> {
  const spend = world.trueSpend(o);
  const budget = o.level === 'ad' ? null : { mode: o.budgetMode, minor: o.budgetMinor };
  return {
    level: o.level,
    id: o.id,
    name: o.name,
    advertiser_id: o.advertiserId,
    campaign_id: o.level === 'campaign' ? o.id : o.campaignId,
    adgroup_id: o.level === 'ad' ? o.adgroupId : o.level === 'adgroup' ? o.id : null,
    operation_status: o.operationStatus,
    secondary_status: world.secondaryStatus(o),
    deleted: world.isDeleted(o),
    pending: world.pendingFor(o.level, o.id).map((p) => ({
      operation_status: p.status,
      requested_at: new Date(p.requestedAtMs).toISOString(),
      apply_at: new Date(p.applyAtMs).toISOString(),
      keep_spending: p.keepSpending,
    })),
    budget_mode: budget?.mode ?? null,
    budget_minor: budget?.minor ?? null,
    budget: budget ? minorToFloat(budget.minor) : null,
    spend_today_minor: spend.today,
    spend_today: formatMinor(spend.today),
    spend_lifetime_minor: spend.lifetime,
    spend_lifetime: formatMinor(spend.lifetime),
    spending: world.isSpending(o),
    keep_spending: o.ghostSpend,
    cpa_drift: world.campaignOf(o).cpaDrift,
    modify_time: utcTimestamp(o.modifyMs),
  };
}
