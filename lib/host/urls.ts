// Ads Manager's URLs: which level a page lists, and for which advertiser.
// `/i18n/manage/campaign|adgroup|ad|creative?aadvid=<advertiser id>&st=…&et=…&<filters>`; the page is a
// single-page app, so callers re-parse on every route change. The manifest decides where the content
// script runs; this accepts the store host and the local sandbox hosts (any port).

export type PageLevel = 'campaign' | 'adgroup' | 'ad';

export interface ManagePage {
  level: PageLevel;
  /** The `aadvid` query parameter: the advertiser ID, a 15-20 digit string. */
  advertiserId: string;
}

const STORE_HOST = 'ads.tiktok.com';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);
/** `creative` is an older name of the ads view (spec: "accept both"). */
const LEVEL_BY_SEGMENT: Record<string, PageLevel> = {
  campaign: 'campaign',
  adgroup: 'adgroup',
  ad: 'ad',
  creative: 'ad',
};
const MANAGE_PATH = /^\/i18n\/manage\/([a-z]+)\/?$/;
const ADVERTISER_ID = /^\d{15,20}$/;

function isAdsManagerOrigin(url: URL): boolean {
  if (url.hostname === STORE_HOST) return url.protocol === 'https:' && url.port === '';
  return LOCAL_HOSTS.has(url.hostname) && (url.protocol === 'http:' || url.protocol === 'https:');
}

/** The level and advertiser of an Ads Manager list page, or null for any other URL. */
export function parseManagePage(input: string | URL): ManagePage | null {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    return null;
  }
  if (!isAdsManagerOrigin(url)) return null;
  const segment = MANAGE_PATH.exec(url.pathname)?.[1];
  const level = segment === undefined ? undefined : LEVEL_BY_SEGMENT[segment];
  if (!level) return null;
  // Exactly one aadvid: two different ones would leave the advertiser in doubt.
  const ids = url.searchParams.getAll('aadvid');
  const advertiserId = ids.length === 1 ? ids[0] : undefined;
  if (advertiserId === undefined || !ADVERTISER_ID.test(advertiserId)) return null;
  return { level, advertiserId };
}

export function isCampaignPage(url: string | URL): boolean {
  return parseManagePage(url)?.level === 'campaign';
}

export function isAdGroupPage(url: string | URL): boolean {
  return parseManagePage(url)?.level === 'adgroup';
}

export function isAdPage(url: string | URL): boolean {
  return parseManagePage(url)?.level === 'ad';
}

/**
 * Example URLs per predicate (the advertiser ids are made up). A test proves each predicate true for
 * its own examples and false for every other list, `none` included.
 */
export const PAGE_EXAMPLES = {
  isCampaignPage: [
    'https://ads.tiktok.com/i18n/manage/campaign?aadvid=7012345678901234567&st=2026-11-21&et=2026-11-28',
    'https://ads.tiktok.com/i18n/manage/campaign?aadvid=7012345678901234567',
    'https://ads.tiktok.com/i18n/manage/campaign/?aadvid=701234567890123&st=2026-11-01&et=2026-11-28&sort=stat_cost',
    'https://ads.tiktok.com/i18n/manage/campaign?st=2026-11-21&et=2026-11-28&aadvid=70123456789012345678#top',
    'http://127.0.0.1:5173/i18n/manage/campaign?aadvid=7012345678901234567&st=2026-11-21&et=2026-11-28',
    'http://localhost:8787/i18n/manage/campaign?aadvid=7012345678901234567',
  ],
  isAdGroupPage: [
    'https://ads.tiktok.com/i18n/manage/adgroup?aadvid=7012345678901234567&st=2026-11-21&et=2026-11-28',
    'https://ads.tiktok.com/i18n/manage/adgroup?aadvid=7012345678901234567&st=2026-11-21&et=2026-11-28&keyword=spring',
    'http://127.0.0.1:4000/i18n/manage/adgroup?aadvid=7012345678901234567',
  ],
  isAdPage: [
    'https://ads.tiktok.com/i18n/manage/ad?aadvid=7012345678901234567&st=2026-11-21&et=2026-11-28',
    'https://ads.tiktok.com/i18n/manage/creative?aadvid=7012345678901234567&st=2026-11-21&et=2026-11-28',
    'http://localhost:3000/i18n/manage/ad?aadvid=7012345678901234567&campaign_id=1812345678901234567',
  ],
  none: [
    'https://ads.tiktok.com/i18n/dashboard?aadvid=7012345678901234567',
    'https://ads.tiktok.com/i18n/manage/campaign',
    'https://ads.tiktok.com/i18n/manage/campaign?aadvid=',
    'https://ads.tiktok.com/i18n/manage/campaign?aadvid=12345678901234',
    'https://ads.tiktok.com/i18n/manage/campaign?aadvid=701234567890123456789',
    'https://ads.tiktok.com/i18n/manage/campaign?aadvid=70123456789012345x7',
    'https://ads.tiktok.com/i18n/manage/campaign?aadvid=7012345678901234567&aadvid=7098765432109876543',
    'https://ads.tiktok.com/i18n/manage/campaigns?aadvid=7012345678901234567',
    'https://ads.tiktok.com/i18n/manage/campaign/edit?aadvid=7012345678901234567',
    'https://ads.tiktok.com/i18n/manage/audience?aadvid=7012345678901234567',
    'https://ads.tiktok.com/manage/campaign?aadvid=7012345678901234567',
    'http://ads.tiktok.com/i18n/manage/campaign?aadvid=7012345678901234567',
    'https://ads.tiktok.com.evil.example/i18n/manage/campaign?aadvid=7012345678901234567',
    'https://evil.example/i18n/manage/campaign?aadvid=7012345678901234567',
    'https://business-api.tiktok.com/open_api/v1.3/campaign/get/?advertiser_id=7012345678901234567',
    'file:///i18n/manage/campaign?aadvid=7012345678901234567',
    'not a url',
  ],
} as const;
