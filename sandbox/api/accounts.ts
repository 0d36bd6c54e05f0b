import type { Advertiser } from '../world/types';
import type { ApiRequest, Handler } from './context';
import { ApiError } from './envelope';
import { jsonParam, stringArray } from './params';

/** advertiser/info, user/info, oauth2/advertiser/get. */

const COUNTRY: Record<string, string> = { 'America/Los_Angeles': 'US', 'Asia/Tokyo': 'JP' };

function advertiserInfo(a: Advertiser): Record<string, unknown> {
  return {
    advertiser_id: a.id,
    name: a.name,
    company: a.company,
    status: 'STATUS_ENABLE',
    role: 'ROLE_ADVERTISER',
    currency: a.currency,
    timezone: a.timezone,
    display_timezone: a.timezone,
    country: COUNTRY[a.timezone] ?? 'US',
    language: 'en',
    industry: '291905',
    balance: 0,
    create_time: Math.floor(a.createMs / 1000),
  };
}

export const advertiserInfoHandler: Handler = (req: ApiRequest) => {
  const raw = jsonParam(req.query, 'advertiser_ids');
  if (raw === undefined) throw new ApiError(40002, 'advertiser_ids: Missing data for required field.');
  const ids = stringArray(raw, 'advertiser_ids', 100, 1);
  const list = ids.map((id) => {
    const a = req.state.world.advertiser(id);
    if (!a || !req.grant.advertiserIds.includes(id))
      throw new ApiError(40001, `No permission to operate advertiser ${id}.`);
    return advertiserInfo(a);
  });
  return { list };
};

export const userInfoHandler: Handler = (req: ApiRequest) => ({
  core_user_id: req.grant.userId,
  display_name: req.grant.displayName,
  email: req.grant.email,
  avatar_url: '',
  create_time: Math.floor(Date.parse('2024-03-01T09:30:00Z') / 1000),
});

export const oauthAdvertisersHandler: Handler = (req: ApiRequest) => ({
  list: req.grant.advertiserIds.map((id) => ({
    advertiser_id: id,
    advertiser_name: req.state.world.advertiser(id)?.name ?? '',
  })),
});
