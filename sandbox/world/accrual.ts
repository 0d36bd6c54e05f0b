import { nextLocalMidnight } from './timezone';
import type { Ad, AdGroup, Campaign, HistoryEvent } from './types';

/**
 * Brings a campaign's spend simulation forward to `target` (epoch minute), event by event, not
 * minute by minute: between two events (midnight, a schedule edge, a scripted status change, a
 * budget running out) every ad spends at a constant rate, so one segment per ad covers the stretch.
 * Daily budgets reset at local midnight; total budgets cap lifetime spend; the minute in which a
 * budget runs out spends exactly what is left.
 */
export interface AccrualContext {
  adgroups: ReadonlyMap<string, AdGroup>;
  ads: ReadonlyMap<string, Ad>;
  timezone: string;
}

interface Member {
  ad: Ad;
  group: number;
  rate: number;
}

export function remainingBudget(mode: string, budget: number, today: number, lifetime: number): number {
  if (mode === 'BUDGET_MODE_DAY') return budget - today;
  if (mode === 'BUDGET_MODE_TOTAL') return budget - lifetime;
  return Number.POSITIVE_INFINITY;
}

export function syncCampaign(ctx: AccrualContext, campaign: Campaign, target: number): void {
  const s = campaign.accrual;
  const groups = campaign.adgroupIds.map((id) => ctx.adgroups.get(id)).filter((g): g is AdGroup => g !== undefined);
  settle(ctx, campaign);
  while (s.syncedTo < target) {
    const t = s.syncedTo;
    let boundary = Math.min(target, s.nextMidnight);
    const nextEvent = s.history[0];
    if (nextEvent) boundary = Math.min(boundary, nextEvent.minute);

    const campaignRemaining = remainingBudget(
      campaign.budgetMode,
      campaign.budgetMinor,
      s.campaignToday,
      s.campaignLifetime,
    );
    const campaignOn = isSwitchedOn(campaign) && campaignRemaining > 0;
    const members: Member[] = [];
    const groupRemaining: number[] = [];
    const groupRate: number[] = [];
    groups.forEach((group, gi) => {
      if (group.scheduleStartMinute > t) boundary = Math.min(boundary, group.scheduleStartMinute);
      if (group.scheduleEndMinute !== null && group.scheduleEndMinute > t) {
        boundary = Math.min(boundary, group.scheduleEndMinute);
      }
      const remaining = remainingBudget(
        group.budgetMode,
        group.budgetMinor,
        s.adgroupToday.get(group.id) ?? 0,
        s.adgroupLifetime.get(group.id) ?? 0,
      );
      const inSchedule =
        group.scheduleStartMinute <= t && (group.scheduleEndMinute === null || t < group.scheduleEndMinute);
      const groupOn = campaignOn && isSwitchedOn(group) && inSchedule && remaining > 0;
      groupRemaining.push(remaining);
      let sum = 0;
      for (const adId of group.adIds) {
        const ad = ctx.ads.get(adId);
        if (!ad) continue;
        const rate = groupOn && isSwitchedOn(ad) ? ad.rateMinorPerMinute : 0;
        sum += rate;
        members.push({ ad, group: gi, rate });
      }
      groupRate.push(sum);
    });
    const totalRate = members.reduce((acc, m) => acc + m.rate, 0);

    let minutes = boundary - t;
    if (totalRate > 0 && Number.isFinite(campaignRemaining)) {
      minutes = Math.min(minutes, Math.floor(campaignRemaining / totalRate));
    }
    groupRate.forEach((rate, gi) => {
      const remaining = groupRemaining[gi] ?? Number.POSITIVE_INFINITY;
      if (rate > 0 && Number.isFinite(remaining)) minutes = Math.min(minutes, Math.floor(remaining / rate));
    });

    if (minutes > 0) {
      advance(s, groups, members, t, minutes);
    } else {
      // A budget runs out inside this minute: spend exactly what is left.
      groupRate.forEach((rate, gi) => {
        const remaining = groupRemaining[gi] ?? Number.POSITIVE_INFINITY;
        if (rate > remaining)
          allocate(
            remaining,
            members.filter((m) => m.group === gi && m.rate > 0),
          );
      });
      const total = members.reduce((acc, m) => acc + m.rate, 0);
      if (total > campaignRemaining)
        allocate(
          campaignRemaining,
          members.filter((m) => m.rate > 0),
        );
      advance(s, groups, members, t, 1);
    }
    settle(ctx, campaign);
  }
}

/** Applies what happens exactly at syncedTo: a new local day, scripted status changes. */
function settle(ctx: AccrualContext, campaign: Campaign): void {
  const s = campaign.accrual;
  while (s.syncedTo >= s.nextMidnight) {
    s.dayStart = s.nextMidnight;
    s.nextMidnight = nextLocalMidnight(ctx.timezone, s.dayStart);
    s.campaignToday = 0;
    s.adgroupToday.clear();
  }
  while (s.history[0] && s.history[0].minute <= s.syncedTo) {
    const event = s.history.shift();
    if (event) applyHistory(ctx, campaign, event);
  }
}

function applyHistory(ctx: AccrualContext, campaign: Campaign, event: HistoryEvent): void {
  const target = event.level === 'campaign' ? campaign : (ctx.adgroups.get(event.id) ?? ctx.ads.get(event.id));
  if (!target) return;
  if (event.action === 'DELETE') {
    target.deleted = true;
    target.operationStatus = 'DISABLE';
  } else {
    target.operationStatus = event.action;
  }
  target.modifyMs = event.minute * 60_000;
}

export function isSwitchedOn(o: { operationStatus: string; deleted: boolean; ghostSpend: boolean }): boolean {
  return !o.deleted && (o.operationStatus === 'ENABLE' || (o.ghostSpend && o.operationStatus === 'DISABLE'));
}

function advance(s: Campaign['accrual'], groups: AdGroup[], members: Member[], from: number, minutes: number): void {
  let total = 0;
  for (const m of members) {
    m.ad.track.append(from, minutes, m.rate);
    const spent = m.rate * minutes;
    total += spent;
    if (spent > 0) {
      const group = groups[m.group];
      if (group) {
        s.adgroupToday.set(group.id, (s.adgroupToday.get(group.id) ?? 0) + spent);
        s.adgroupLifetime.set(group.id, (s.adgroupLifetime.get(group.id) ?? 0) + spent);
      }
    }
  }
  s.campaignToday += total;
  s.campaignLifetime += total;
  s.syncedTo = from + minutes;
}

/** Splits `amount` (< the members' summed rate) across members in proportion to their rates. */
function allocate(amount: number, members: Member[]): void {
  const sum = members.reduce((acc, m) => acc + m.rate, 0);
  if (sum <= amount) return;
  let given = 0;
  const shares = members.map((m) => {
    const share = Math.floor((amount * m.rate) / sum);
    given += share;
    return share;
  });
  members.forEach((m, i) => {
    let share = shares[i] ?? 0;
    if (given < amount && share < m.rate) {
      share += 1;
      given += 1;
    }
    m.rate = share;
  });
}
