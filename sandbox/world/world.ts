import { type AccrualContext, isSwitchedOn, syncCampaign } from './accrual';
import { SimClock } from './clock';
import { type GenerateOptions, generateWorld, type WorldData } from './generate';
import { type Counters, countersAt, emptyCounters, setMarginalCpa } from './metrics';
import {
  adgroupSecondaryStatus,
  adSecondaryStatus,
  campaignSecondaryStatus,
  isAdGroupOutOfBudget,
  isCampaignOutOfBudget,
  scheduleState,
} from './status';
import { startOfLocalDay } from './timezone';
import type { Ad, AdGroup, Advertiser, AnyObject, BudgetMode, Campaign, Level, RequestedStatus } from './types';

export interface WorldOptions extends GenerateOptions {
  clockSpeed: number;
  processingDelayMs: number;
  realNow?: () => number;
}

export interface PendingChange {
  seq: number;
  level: Level;
  id: string;
  status: RequestedStatus;
  requestedAtMs: number;
  applyAtMs: number;
  keepSpending: boolean;
}

/** The simulated account: objects, their statuses, spend on the simulated clock, pending changes. */
export class World {
  readonly data: WorldData;
  readonly clock: SimClock;
  processingDelayMs: number;
  private readonly realNow: () => number;
  private pending: PendingChange[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private seq = 0;
  private readonly advertisersById: Map<string, Advertiser>;

  constructor(readonly options: WorldOptions) {
    this.realNow = options.realNow ?? Date.now;
    this.data = generateWorld(options);
    this.advertisersById = new Map(this.data.advertisers.map((a) => [a.id, a]));
    this.processingDelayMs = options.processingDelayMs;
    const startMinute = Math.floor(options.startMs / 60_000);
    for (const c of this.data.campaigns.values()) {
      this.syncTo(c, startMinute);
      if (c.cpaDrift) for (const ad of this.adsOf(c)) ad.driftFromMinor = ad.track.at(startMinute);
    }
    this.clock = new SimClock(options.startMs, options.clockSpeed, this.realNow);
  }

  // ---- lookups ----

  advertiser(id: string): Advertiser | undefined {
    return this.advertisersById.get(id);
  }

  advertiserOf(o: AnyObject): Advertiser {
    const a = this.advertiser(o.advertiserId);
    if (!a) throw new Error(`object ${o.id} has no advertiser`);
    return a;
  }

  get(level: Level, id: string): AnyObject | undefined {
    if (level === 'campaign') return this.data.campaigns.get(id);
    if (level === 'adgroup') return this.data.adgroups.get(id);
    return this.data.ads.get(id);
  }

  /** Ids of one level for an advertiser, id descending. */
  ids(level: Level, advertiserId: string): string[] {
    return this.data.idsByAdvertiser.get(advertiserId)?.[level] ?? [];
  }

  campaignOf(o: AnyObject): Campaign {
    const c = o.level === 'campaign' ? o : this.data.campaigns.get(o.campaignId);
    if (!c) throw new Error(`object ${o.id} has no campaign`);
    return c;
  }

  adgroupOf(o: Ad): AdGroup {
    const g = this.data.adgroups.get(o.adgroupId);
    if (!g) throw new Error(`ad ${o.id} has no ad group`);
    return g;
  }

  adsOf(o: AnyObject): Ad[] {
    if (o.level === 'ad') return [o];
    const groups = o.level === 'adgroup' ? [o] : o.adgroupIds.map((id) => this.data.adgroups.get(id));
    const ads: Ad[] = [];
    for (const g of groups) {
      for (const id of g?.adIds ?? []) {
        const ad = this.data.ads.get(id);
        if (ad) ads.push(ad);
      }
    }
    return ads;
  }

  /** Deleted itself or through a deleted parent. */
  isDeleted(o: AnyObject): boolean {
    if (o.deleted) return true;
    if (o.level === 'campaign') return false;
    if (this.campaignOf(o).deleted) return true;
    return o.level === 'ad' && this.adgroupOf(o).deleted;
  }

  // ---- time and spend ----

  nowMinute(): number {
    return this.clock.nowMinute();
  }

  /** Simulates a campaign's spend up to `minute` (never past now). */
  syncTo(c: Campaign, minute: number): void {
    if (c.accrual.syncedTo >= minute) return;
    const ctx: AccrualContext = {
      adgroups: this.data.adgroups,
      ads: this.data.ads,
      timezone: this.advertiserOf(c).timezone,
    };
    syncCampaign(ctx, c, minute);
  }

  syncNow(o: AnyObject): void {
    this.syncTo(this.campaignOf(o), this.nowMinute());
  }

  /** True lifetime spend (minor units) of an object at the start of `minute`. */
  spendAt(o: AnyObject, minute: number): number {
    this.syncTo(this.campaignOf(o), Math.min(minute, this.nowMinute()));
    let sum = 0;
    for (const ad of this.adsOf(o)) sum += ad.track.at(minute);
    return sum;
  }

  /** Lifetime counters of an object at the start of `minute` (sum over its ads). */
  countersAt(o: AnyObject, minute: number): Counters {
    this.syncTo(this.campaignOf(o), Math.min(minute, this.nowMinute()));
    const out = emptyCounters();
    for (const ad of this.adsOf(o)) {
      const c = countersAt(ad, ad.track.at(minute));
      out.spend += c.spend;
      out.impressions += c.impressions;
      out.clicks += c.clicks;
      out.conversions += c.conversions;
    }
    return out;
  }

  /** Local midnight (advertiser time zone) starting the day that contains `minute`. */
  dayStart(o: AnyObject, minute: number): number {
    return startOfLocalDay(this.advertiserOf(o).timezone, minute);
  }

  /** True spend today and lifetime at `minute` (defaults to now). */
  trueSpend(o: AnyObject, minute = this.nowMinute()): { today: number; lifetime: number } {
    const lifetime = this.spendAt(o, minute);
    return { today: lifetime - this.spendAt(o, this.dayStart(o, minute)), lifetime };
  }

  /** Visible secondary status right now. */
  secondaryStatus(o: AnyObject): string {
    const c = this.campaignOf(o);
    const now = this.nowMinute();
    this.syncTo(c, now);
    if (o.level === 'campaign') return campaignSecondaryStatus(o);
    if (o.level === 'adgroup') return adgroupSecondaryStatus(c, o, now);
    return adSecondaryStatus(c, this.adgroupOf(o), o, now);
  }

  /** Whether the object spends in the current minute (true state, not what reports show yet). */
  isSpending(o: AnyObject): boolean {
    const c = this.campaignOf(o);
    const now = this.nowMinute();
    this.syncTo(c, now);
    if (!isSwitchedOn(c) || isCampaignOutOfBudget(c)) return false;
    return this.adsOf(o).some((ad) => {
      const g = this.adgroupOf(ad);
      return (
        isSwitchedOn(ad) &&
        isSwitchedOn(g) &&
        scheduleState(g, now) === 'RUNNING' &&
        !isAdGroupOutOfBudget(c, g) &&
        ad.rateMinorPerMinute > 0
      );
    });
  }

  // ---- status changes ----

  /** Accepts a status change now; it becomes visible after the processing delay (real time). */
  requestStatus(level: Level, id: string, status: RequestedStatus, keepSpending = false): PendingChange {
    const now = this.realNow();
    const change: PendingChange = {
      seq: ++this.seq,
      level,
      id,
      status,
      requestedAtMs: now,
      applyAtMs: now + this.processingDelayMs,
      keepSpending,
    };
    if (this.processingDelayMs <= 0) {
      this.apply(change);
      return change;
    }
    this.pending.push(change);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.applyDue();
    }, this.processingDelayMs);
    timer.unref?.();
    this.timers.add(timer);
    return change;
  }

  /** Applies every pending change whose time has come, in order. */
  applyDue(): void {
    const now = this.realNow();
    const due = this.pending
      .filter((p) => p.applyAtMs <= now)
      .sort((a, b) => a.applyAtMs - b.applyAtMs || a.seq - b.seq);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => p.applyAtMs > now);
    for (const change of due) this.apply(change);
  }

  pendingFor(level: Level, id: string): PendingChange[] {
    return this.pending.filter((p) => p.level === level && p.id === id);
  }

  /** Applies a change at once (a person in Ads Manager, or a due API change). */
  apply(change: Pick<PendingChange, 'level' | 'id' | 'status' | 'keepSpending'>): void {
    const o = this.get(change.level, change.id);
    if (!o) return;
    this.syncNow(o);
    if (change.status === 'DELETE') {
      o.deleted = true;
      o.operationStatus = 'DISABLE';
      o.ghostSpend = false;
    } else if (change.status === 'DISABLE') {
      if (o.operationStatus !== 'FROZEN') o.operationStatus = 'DISABLE';
      o.ghostSpend = change.keepSpending;
    } else {
      if (o.operationStatus === 'FROZEN') return;
      o.operationStatus = 'ENABLE';
      o.ghostSpend = false;
    }
    o.modifyMs = this.clock.nowMs();
  }

  setBudget(o: Campaign | AdGroup, mode: BudgetMode, minor: number): void {
    this.syncNow(o);
    o.budgetMode = mode;
    o.budgetMinor = mode === 'BUDGET_MODE_INFINITE' ? 0 : minor;
    o.modifyMs = this.clock.nowMs();
  }

  /**
   * From now on each conversion of the object's ads costs `cpaMinor` (what they converted so far stays): how a test
   * makes an account's CPA drift above a threshold for chosen objects only.
   */
  setMarginalCpa(o: AnyObject, cpaMinor: number): void {
    this.syncNow(o);
    const now = this.nowMinute();
    for (const ad of this.adsOf(o)) setMarginalCpa(ad, ad.track.at(now), cpaMinor);
  }

  /** Stops the timers of pending changes (on server close). */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
