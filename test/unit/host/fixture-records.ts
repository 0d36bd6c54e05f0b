// The made-up API objects behind each fixture's rows, in the DOM order of the fixture's name links, and the
// API catalogs (what the API's own lists would return for the advertiser).

import type { AdvertiserCatalog, CatalogEntry } from '../../../lib/host/identity';
import type { RowRecord } from './fixture-dom';

export const ADVERTISER_ID = '7012345678901234567';

// Two ids above 2^53 that are the same double: they must stay two campaigns.
export const RETARGETING_A = '7301234567890123456';
export const RETARGETING_B = '7301234567890123457';

export const CAMPAIGN_RECORDS: RowRecord[] = [
  { campaign_id: '1812345678901234561', advertiser_id: ADVERTISER_ID, campaign_name: 'Spring Sale – US' },
  { campaign_id: '1812345678901234562', advertiser_id: ADVERTISER_ID, campaign_name: 'Spring Sale - US' },
  { campaign_id: RETARGETING_A, advertiser_id: ADVERTISER_ID, campaign_name: 'Retargeting 7d' },
  { campaign_id: RETARGETING_B, advertiser_id: ADVERTISER_ID, campaign_name: 'Retargeting 7d' },
  {
    campaign_id: '1812345678901234565',
    advertiser_id: ADVERTISER_ID,
    campaign_name: '<img src=x onerror=alert(1)> Promo',
  },
  {
    campaign_id: '7664548737817054485',
    advertiser_id: ADVERTISER_ID,
    campaign_name: 'Holiday Push-7664548737817054485',
  },
];

export const ADGROUP_RECORDS: RowRecord[] = [
  { adgroup_id: '1823456789012345671', campaign_id: '1812345678901234561', advertiser_id: ADVERTISER_ID },
  { adgroup_id: '1823456789012345672', campaign_id: '1812345678901234561', advertiser_id: ADVERTISER_ID },
  { adgroup_id: '1823456789012345673', campaign_id: '1812345678901234562', advertiser_id: ADVERTISER_ID },
  // A safe-integer number id (16 digits) as some endpoints return them.
  { adgroup_id: 1823456789012345, campaign_id: RETARGETING_A, advertiser_id: ADVERTISER_ID },
];

export const AD_RECORDS: RowRecord[] = [
  { ad_id: '1834567890123456781', adgroup_id: '1823456789012345671', campaign_id: '1812345678901234561' },
  { ad_id: '1834567890123456782', adgroup_id: '1823456789012345671', campaign_id: '1812345678901234561' },
  { ad_id: '1834567890123456783', adgroup_id: '1823456789012345672', campaign_id: '1812345678901234561' },
];

export const PLAIN_LINK_RECORDS: RowRecord[] = [
  { campaign_id: '1812345678901234561', advertiser_id: ADVERTISER_ID },
  { campaign_id: RETARGETING_A, advertiser_id: ADVERTISER_ID },
  { campaign_id: '1812345678901234567', advertiser_id: ADVERTISER_ID },
];

function entries(list: [string, string][]): ReadonlyMap<string, CatalogEntry> {
  return new Map(list.map(([id, name]) => [id, { name }]));
}

export const CATALOG: AdvertiserCatalog = {
  advertiserId: ADVERTISER_ID,
  campaign: entries([
    ['1812345678901234561', 'Spring Sale – US'],
    ['1812345678901234562', 'Spring Sale - US'],
    [RETARGETING_A, 'Retargeting 7d'],
    [RETARGETING_B, 'Retargeting 7d'],
    ['1812345678901234565', '<img src=x onerror=alert(1)> Promo'],
    ['7664548737817054485', 'Holiday Push-7664548737817054485'],
    ['1812345678901234567', 'Always On'],
  ]),
  adgroup: entries([
    ['1823456789012345671', 'US · 18-34 · Broad'],
    ['1823456789012345672', 'Broad\u200BAudience'],
    ['1823456789012345673', 'BroadAudience'],
    ['1823456789012345', 'Lookalike 1%'],
  ]),
  ad: entries([
    ['1834567890123456781', 'Café video 01'],
    ['1834567890123456782', 'Café video 02'],
    ['1834567890123456783', 'UGC 🔥 hook A'],
  ]),
};
