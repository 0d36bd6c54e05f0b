import type { SandboxState } from '../state';
import type { TokenGrant } from '../tokens';
import type { Advertiser } from '../world/types';
import { ApiError } from './envelope';

/** What an endpoint handler gets: the parsed request, the caller's grant, the sandbox state. */
export interface ApiRequest {
  state: SandboxState;
  endpoint: string;
  method: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  grant: TokenGrant;
  /** Set when the keep-spending fault fires on this call. */
  keepSpending: boolean;
}

export type Handler = (req: ApiRequest) => unknown;

/** The advertiser named by advertiser_id (query or body), checked against the token's grant. */
export function requireAdvertiser(req: ApiRequest): Advertiser {
  const raw = req.method === 'GET' ? req.query.get('advertiser_id') : req.body.advertiser_id;
  if (raw === undefined || raw === null || raw === '') {
    throw new ApiError(40002, 'advertiser_id: Missing data for required field.');
  }
  if (typeof raw !== 'string') throw new ApiError(40002, 'advertiser_id: Not a valid string.');
  const advertiser = req.state.world.advertiser(raw);
  if (!advertiser || !req.grant.advertiserIds.includes(raw)) {
    throw new ApiError(40001, `No permission to operate advertiser ${raw}.`);
  }
  return advertiser;
}
