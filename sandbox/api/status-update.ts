import type { Level, RequestedStatus } from '../world/types';
import { type ApiRequest, type Handler, requireAdvertiser } from './context';
import { ApiError } from './envelope';
import { stringArray } from './params';

/** campaign/status/update, adgroup/status/update, ad/status/update. */

export const MAX_UPDATE_IDS = 20;
const OPERATIONS: readonly RequestedStatus[] = ['ENABLE', 'DISABLE', 'DELETE'];
const LABEL: Record<Level, string> = { campaign: 'Campaign', adgroup: 'Ad group', ad: 'Ad' };

interface Rejected {
  id: string;
  error: ApiError;
}

function check(req: ApiRequest, level: Level, advertiserId: string, id: string, op: RequestedStatus): Rejected | null {
  const world = req.state.world;
  const o = world.get(level, id);
  if (!o) return { id, error: new ApiError(40002, `${LABEL[level]} ${id} does not exist.`) };
  if (o.advertiserId !== advertiserId) {
    return {
      id,
      error: new ApiError(
        40001,
        `No permission to operate ${LABEL[level].toLowerCase()} ${id}: it does not belong to advertiser ${advertiserId}.`,
      ),
    };
  }
  if (o.deleted)
    return { id, error: new ApiError(40002, `${LABEL[level]} ${id} has been deleted and cannot be changed.`) };
  if (world.isDeleted(o)) {
    return {
      id,
      error: new ApiError(40002, `${LABEL[level]} ${id} belongs to a deleted parent and cannot be changed.`),
    };
  }
  if (op === 'ENABLE' && o.operationStatus === 'FROZEN') {
    return { id, error: new ApiError(40002, `${LABEL[level]} ${id} is frozen and cannot be enabled.`) };
  }
  return null;
}

export function makeStatusUpdateHandler(level: Level): Handler {
  const key = `${level}_ids`;
  return (req: ApiRequest) => {
    const advertiser = requireAdvertiser(req);
    if (req.body[key] === undefined) throw new ApiError(40002, `${key}: Missing data for required field.`);
    const ids = [...new Set(stringArray(req.body[key], key, MAX_UPDATE_IDS, 1))];
    const op = req.body.operation_status;
    if (typeof op !== 'string' || !OPERATIONS.includes(op as RequestedStatus)) {
      throw new ApiError(40002, 'operation_status: Must be one of ENABLE, DISABLE, DELETE.');
    }
    const status = op as RequestedStatus;
    const partial = level === 'adgroup' && req.body.allow_partial_success === true;
    const rejected = ids.map((id) => check(req, level, advertiser.id, id, status)).filter((r) => r !== null);
    if (rejected.length > 0 && !partial) throw rejected[0]?.error;
    const failed = new Set(rejected.map((r) => r.id));
    const accepted = ids.filter((id) => !failed.has(id));
    for (const id of accepted) req.state.world.requestStatus(level, id, status, req.keepSpending);

    if (level === 'campaign') {
      return {
        campaign_ids: accepted,
        status,
        campaign_list: accepted.map((id) => ({ campaign_id: id, status })),
      };
    }
    if (level === 'adgroup') {
      const data: Record<string, unknown> = { adgroup_ids: accepted, status };
      if (partial) data.error_list = rejected.map((r) => ({ adgroup_id: r.id, error_message: r.error.message }));
      return data;
    }
    return { ad_ids: accepted, aco_ad_ids: [], status };
  };
}
