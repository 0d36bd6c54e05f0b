import { IdSource, randomAdvertiserId } from './ids';
import { adgroupName, adName, adText, campaignName, HOSTILE_CAMPAIGN_NAMES } from './names';
import { createRng, type Rng } from './prng';
import { SpendTrack } from './spend-track';
import { nextLocalMidnight, startOfLocalDay } from './timezone';
import type { Ad, AdGroup, Advertiser, BudgetMode, Campaign, HistoryEvent } from './types';

export interface GenerateOptions {
  seed: number;
  /** Campaigns of the first advertiser (10..10,000). */
  campaigns: number;
  /** Campaigns of the second advertiser. */
  secondAdvertiserCampaigns: number;
  /** Simulated start time, epoch ms. */
  startMs: number;
}

export interface WorldData {
  advertisers: Advertiser[];
  campaigns: Map<string, Campaign>;
  adgroups: Map<string, AdGroup>;
  ads: Map<string, Ad>;
  /** Ids per advertiser, sorted by id descending (TikTok's default order). */
  idsByAdvertiser: Map<string, { campaign: string[]; adgroup: string[]; ad: string[] }>;
}

interface AdvertiserSpec {
  prefix: string;
  name: string;
  currency: string;
  timezone: string;
  company: string;
  campaigns: number;
  hostileNames: number;
}

const OBJECTIVES = [
  'WEB_CONVERSIONS',
  'TRAFFIC',
  'APP_PROMOTION',
  'REACH',
  'VIDEO_VIEWS',
  'LEAD_GENERATION',
  'PRODUCT_SALES',
];
const CTAS = ['SHOP_NOW', 'LEARN_MORE', 'SIGN_UP', 'DOWNLOAD', 'ORDER_NOW'];
const GOALS = ['CONVERT', 'CLICK', 'REACH', 'INSTALL', 'VALUE'];
const DAY = 1440;

export function generateWorld(options: GenerateOptions): WorldData {
  const rng = createRng(options.seed);
  const specs: AdvertiserSpec[] = [
    {
      prefix: '75',
      name: 'Northwind Outfitters (US)',
      currency: 'USD',
      timezone: 'America/Los_Angeles',
      company: 'Northwind Outfitters LLC',
      campaigns: options.campaigns,
      hostileNames: HOSTILE_CAMPAIGN_NAMES.length,
    },
    {
      prefix: '76',
      name: 'Sakura Beauty 東京',
      currency: 'EUR',
      timezone: 'Asia/Tokyo',
      company: 'Sakura Beauty KK',
      campaigns: options.secondAdvertiserCampaigns,
      hostileNames: 4,
    },
  ];
  const data: WorldData = {
    advertisers: [],
    campaigns: new Map(),
    adgroups: new Map(),
    ads: new Map(),
    idsByAdvertiser: new Map(),
  };
  const startMinute = Math.floor(options.startMs / 60_000);
  specs.forEach((spec, index) => {
    const advertiser: Advertiser = {
      id: randomAdvertiserId(rng, spec.prefix),
      name: spec.name,
      currency: spec.currency,
      timezone: spec.timezone,
      company: spec.company,
      createMs: options.startMs - rng.int(200, 900) * 86_400_000,
    };
    data.advertisers.push(advertiser);
    const base = 1_800_000_000_000_000_000n + BigInt(index) * 40_000_000_000_000_000n;
    const ids = {
      campaign: new IdSource(rng, base),
      adgroup: new IdSource(rng, base + 10_000_000_000_000_000n),
      ad: new IdSource(rng, base + 20_000_000_000_000_000n),
    };
    generateCampaigns(rng, data, advertiser, spec, ids, startMinute);
  });
  for (const advertiser of data.advertisers) {
    const byId = (a: string, b: string): number => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0);
    const own = <T extends { advertiserId: string; id: string }>(m: Map<string, T>): string[] =>
      [...m.values()]
        .filter((o) => o.advertiserId === advertiser.id)
        .map((o) => o.id)
        .sort(byId);
    data.idsByAdvertiser.set(advertiser.id, {
      campaign: own(data.campaigns),
      adgroup: own(data.adgroups),
      ad: own(data.ads),
    });
  }
  return data;
}

function generateCampaigns(
  rng: Rng,
  data: WorldData,
  advertiser: Advertiser,
  spec: AdvertiserSpec,
  ids: Record<'campaign' | 'adgroup' | 'ad', IdSource>,
  startMinute: number,
): void {
  const n = spec.campaigns;
  const createMinutes = Array.from({ length: n }, () => startMinute - rng.int(30, 21 * DAY)).sort((a, b) => a - b);
  // Hostile names go to the newest campaigns (first page, ids descending), every third row.
  const hostileAt = new Map<number, string>();
  for (let k = 0; k < Math.min(spec.hostileNames, HOSTILE_CAMPAIGN_NAMES.length); k++) {
    const position = n - 1 - k * 3;
    const name = HOSTILE_CAMPAIGN_NAMES[k];
    if (position >= 0 && name !== undefined) hostileAt.set(position, name);
  }
  for (let i = 0; i < n; i++) {
    const createMinute = createMinutes[i] ?? startMinute - DAY;
    const campaign = makeCampaign(
      rng,
      advertiser,
      ids.campaign.next(),
      hostileAt.get(i) ?? campaignName(rng),
      createMinute,
    );
    data.campaigns.set(campaign.id, campaign);
    const groupCount = rng.int(1, 3);
    let campaignRate = 0;
    for (let g = 0; g < groupCount; g++) {
      const adgroup = makeAdGroup(rng, campaign, ids.adgroup.next(), g, startMinute);
      data.adgroups.set(adgroup.id, adgroup);
      campaign.adgroupIds.push(adgroup.id);
      const adCount = rng.int(1, 2);
      let groupRate = 0;
      for (let a = 0; a < adCount; a++) {
        const ad = makeAd(rng, adgroup, ids.ad.next(), a);
        data.ads.set(ad.id, ad);
        adgroup.adIds.push(ad.id);
        groupRate += ad.rateMinorPerMinute;
      }
      if (!campaign.cbo) setBudget(rng, adgroup, groupRate, createMinute, startMinute, 2_000);
      campaignRate += groupRate;
      scriptHistory(rng, campaign.accrual.history, 'adgroup', adgroup.id, createMinute, startMinute, 0.08);
      for (const adId of adgroup.adIds) {
        scriptHistory(rng, campaign.accrual.history, 'ad', adId, createMinute, startMinute, 0.08);
      }
    }
    if (campaign.cbo) setBudget(rng, campaign, campaignRate, createMinute, startMinute, 5_000);
    scriptHistory(rng, campaign.accrual.history, 'campaign', campaign.id, createMinute, startMinute, 0.15);
    campaign.accrual.history.sort((a, b) => a.minute - b.minute);
  }
}

function makeCampaign(rng: Rng, advertiser: Advertiser, id: string, name: string, createMinute: number): Campaign {
  const tz = advertiser.timezone;
  const dayStart = startOfLocalDay(tz, createMinute);
  return {
    level: 'campaign',
    id,
    advertiserId: advertiser.id,
    name,
    operationStatus: 'ENABLE',
    deleted: false,
    createMs: createMinute * 60_000,
    modifyMs: createMinute * 60_000,
    ghostSpend: false,
    objectiveType: rng.pick(OBJECTIVES),
    budgetMode: 'BUDGET_MODE_INFINITE',
    budgetMinor: 0,
    cbo: rng.chance(0.55),
    cpaDrift: rng.chance(0.1),
    adgroupIds: [],
    accrual: {
      syncedTo: createMinute,
      dayStart,
      nextMidnight: nextLocalMidnight(tz, createMinute),
      campaignToday: 0,
      campaignLifetime: 0,
      adgroupToday: new Map(),
      adgroupLifetime: new Map(),
      history: [],
    },
  };
}

function makeAdGroup(rng: Rng, campaign: Campaign, id: string, index: number, startMinute: number): AdGroup {
  const createMinute = campaign.createMs / 60_000;
  let scheduleType: AdGroup['scheduleType'] = 'SCHEDULE_FROM_NOW';
  let start = createMinute;
  let end: number | null = null;
  const roll = rng.next();
  if (roll < 0.1 && startMinute - createMinute > DAY + 60) {
    scheduleType = 'SCHEDULE_START_END';
    end = rng.int(createMinute + DAY, startMinute - 60);
  } else if (roll < 0.2) {
    scheduleType = 'SCHEDULE_START_END';
    end = startMinute + rng.int(1, 10) * DAY;
  } else if (roll < 0.25) {
    scheduleType = 'SCHEDULE_START_END';
    start = startMinute + rng.int(30, 360);
    end = start + 7 * DAY;
  }
  return {
    level: 'adgroup',
    id,
    advertiserId: campaign.advertiserId,
    campaignId: campaign.id,
    name: adgroupName(rng, index),
    operationStatus: 'ENABLE',
    deleted: false,
    createMs: campaign.createMs + index * 60_000,
    modifyMs: campaign.createMs + index * 60_000,
    ghostSpend: false,
    budgetMode: 'BUDGET_MODE_INFINITE',
    budgetMinor: 0,
    scheduleType,
    scheduleStartMinute: start,
    scheduleEndMinute: end,
    placementType: rng.pick(['PLACEMENT_TYPE_AUTOMATIC', 'PLACEMENT_TYPE_NORMAL']),
    optimizationGoal: rng.pick(GOALS),
    adIds: [],
  };
}

function makeAd(rng: Rng, adgroup: AdGroup, id: string, index: number): Ad {
  const r = rng.next();
  const impressionsPerDollar = rng.int(60, 250);
  const ctrBp = rng.int(40, 350);
  // Conversions stay well below clicks: cost per conversion at least four times the cost per click.
  const cpcMinor = 1_000_000 / (impressionsPerDollar * ctrBp);
  const cpaMinor = Math.max(rng.int(300, 4_000), Math.ceil(cpcMinor * 4));
  return {
    level: 'ad',
    id,
    advertiserId: adgroup.advertiserId,
    campaignId: adgroup.campaignId,
    adgroupId: adgroup.id,
    name: adName(rng, index),
    operationStatus: 'ENABLE',
    deleted: false,
    createMs: adgroup.createMs + (index + 1) * 60_000,
    modifyMs: adgroup.createMs + (index + 1) * 60_000,
    ghostSpend: false,
    adText: adText(rng),
    callToAction: rng.pick(CTAS),
    rateMinorPerMinute: 1 + Math.floor(r * r * 14),
    impressionsPerDollar,
    ctrBp,
    cpaMinor,
    driftFromMinor: null,
    track: new SpendTrack(),
  };
}

function setBudget(
  rng: Rng,
  target: Campaign | AdGroup,
  ratePerMinute: number,
  createMinute: number,
  startMinute: number,
  minimumMinor: number,
): void {
  const isTotal = rng.chance(0.25);
  let minor: number;
  if (isTotal) {
    const minutesSoFar = Math.max(DAY, startMinute - createMinute);
    minor = Math.round(ratePerMinute * minutesSoFar * (0.5 + rng.next() * 1.5));
  } else {
    minor = Math.round(ratePerMinute * DAY * (0.3 + rng.next() * 2.2));
  }
  const mode: BudgetMode = isTotal ? 'BUDGET_MODE_TOTAL' : 'BUDGET_MODE_DAY';
  target.budgetMode = mode;
  // Whole currency units, multiples of 5, as people type them.
  target.budgetMinor = Math.max(minimumMinor, Math.round(minor / 500) * 500);
}

function scriptHistory(
  rng: Rng,
  history: HistoryEvent[],
  level: HistoryEvent['level'],
  id: string,
  createMinute: number,
  startMinute: number,
  disableRate: number,
): void {
  const roll = rng.next();
  const at = (): number => rng.int(createMinute + 1, Math.max(createMinute + 1, startMinute - 1));
  if (roll < disableRate) history.push({ minute: at(), level, id, action: 'DISABLE' });
  else if (roll < disableRate + 0.02) history.push({ minute: at(), level, id, action: 'DELETE' });
  else if (level !== 'campaign' && roll < disableRate + 0.03)
    history.push({ minute: at(), level, id, action: 'FROZEN' });
}
