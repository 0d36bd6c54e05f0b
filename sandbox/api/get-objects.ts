import type { AnyObject, Level } from '../world/types';
import type { World } from '../world/world';
import { type ApiRequest, type Handler, requireAdvertiser } from './context';
import { ApiError } from './envelope';
import { adgroupView, adView, campaignView } from './object-view';
import { asRecord, intParam, jsonParam, paginate, stringArray } from './params';

/** campaign/get, adgroup/get, ad/get: filtering, fields, paging, id-descending order. */

interface LevelSpec {
  idFilters: Record<string, (o: AnyObject) => string>;
  nameFilter: string;
  view: (world: World, o: AnyObject) => Record<string, unknown>;
}

const campaignIdOf = (o: AnyObject): string => (o.level === 'campaign' ? o.id : o.campaignId);
const adgroupIdOf = (o: AnyObject): string => (o.level === 'ad' ? o.adgroupId : o.id);

const SPECS: Record<Level, LevelSpec> = {
  campaign: {
    idFilters: { campaign_ids: campaignIdOf },
    nameFilter: 'campaign_name',
    view: (w, o) => (o.level === 'campaign' ? campaignView(w, o) : {}),
  },
  adgroup: {
    idFilters: { campaign_ids: campaignIdOf, adgroup_ids: adgroupIdOf },
    nameFilter: 'adgroup_name',
    view: (w, o) => (o.level === 'adgroup' ? adgroupView(w, o) : {}),
  },
  ad: {
    idFilters: { campaign_ids: campaignIdOf, adgroup_ids: adgroupIdOf, ad_ids: (o) => o.id },
    nameFilter: 'ad_name',
    view: (w, o) => (o.level === 'ad' ? adView(w, o) : {}),
  },
};

export const MAX_FILTER_IDS = 100;

/** Primary status group of a secondary status (spec 5.2-5.4). */
export function primaryOf(secondary: string): string {
  if (secondary.endsWith('_DELETE')) return 'STATUS_DELETE';
  if (secondary.endsWith('DISABLE')) return 'STATUS_DISABLE';
  if (secondary.endsWith('_ENABLE') || secondary.endsWith('_DELIVERY_OK')) return 'STATUS_DELIVERY_OK';
  if (secondary.endsWith('TIME_DONE') || secondary.endsWith('_DONE')) return 'STATUS_TIME_DONE';
  if (secondary.endsWith('_FROZEN')) return 'STATUS_FROZEN';
  return 'STATUS_NOT_DELIVERY';
}

function statusMatches(world: World, o: AnyObject, primary: unknown, secondary: unknown): boolean {
  const deleted = world.isDeleted(o);
  const wantsDeleted =
    primary === 'STATUS_DELETE' ||
    primary === 'STATUS_ALL' ||
    (typeof secondary === 'string' && (secondary.endsWith('_DELETE') || secondary.endsWith('_ALL')));
  if (deleted && !wantsDeleted) return false;
  if (typeof primary === 'string' && primary !== 'STATUS_ALL' && primary !== 'STATUS_NOT_DELETE') {
    if (primaryOf(world.secondaryStatus(o)) !== primary) return false;
  }
  if (primary === 'STATUS_NOT_DELETE' && deleted) return false;
  if (typeof secondary === 'string' && !secondary.endsWith('_ALL')) {
    if (secondary.endsWith('_NOT_DELETE')) return !deleted;
    if (world.secondaryStatus(o) !== secondary) return false;
  }
  return true;
}

export function makeGetHandler(level: Level): Handler {
  const spec = SPECS[level];
  return (req: ApiRequest) => {
    const world = req.state.world;
    const advertiser = requireAdvertiser(req);
    const filtering = asRecord(jsonParam(req.query, 'filtering'), 'filtering');
    const page = intParam(req.query, 'page', 1, 1, 1_000_000);
    const pageSize = intParam(req.query, 'page_size', 10, 1, 1_000);
    const rawFields = jsonParam(req.query, 'fields');
    const fields = rawFields === undefined ? undefined : stringArray(rawFields, 'fields', 200);
    const excludeTypes = jsonParam(req.query, 'exclude_field_types_in_response');
    const dropNull = Array.isArray(excludeTypes) && excludeTypes.includes('NULL_FIELD');

    const idSets: [(o: AnyObject) => string, Set<string>][] = [];
    for (const [key, pick] of Object.entries(spec.idFilters)) {
      if (filtering[key] === undefined) continue;
      idSets.push([pick, new Set(stringArray(filtering[key], `filtering.${key}`, MAX_FILTER_IDS))]);
    }
    const nameFilter = filtering[spec.nameFilter];
    const needle = typeof nameFilter === 'string' ? nameFilter.toLowerCase() : undefined;
    const objective = level === 'campaign' ? filtering.objective_type : undefined;

    const matches: AnyObject[] = [];
    for (const id of world.ids(level, advertiser.id)) {
      const o = world.get(level, id);
      if (!o) continue;
      if (idSets.some(([pick, set]) => !set.has(pick(o)))) continue;
      if (needle !== undefined && !o.name.toLowerCase().includes(needle)) continue;
      if (typeof objective === 'string' && o.level === 'campaign' && o.objectiveType !== objective) continue;
      if (!statusMatches(world, o, filtering.primary_status, filtering.secondary_status)) continue;
      matches.push(o);
    }
    const { slice, pageInfo } = paginate(matches, page, pageSize);
    const list = slice.map((o) => {
      const view = spec.view(world, o);
      if (fields) {
        for (const f of fields) {
          if (!(f in view) && f !== 'budget_optimize_on') throw new ApiError(40002, `fields: Invalid field ${f}.`);
        }
      }
      const picked = fields ? Object.fromEntries(Object.entries(view).filter(([k]) => fields.includes(k))) : view;
      return dropNull ? Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== null)) : picked;
    });
    return { list, page_info: pageInfo };
  };
}
