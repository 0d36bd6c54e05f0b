// Row identity (design.md, Invariant 1), pure: a candidate id found behind a row becomes the row's
// identity only when
//   1. it is a known object of the page's level for this advertiser (the API's own list), and
//   2. the row's visible name equals that object's API name (names.ts).
// The id decides and the name corroborates: two campaigns with the same name still resolve each row to
// its own id, because each row's props carry only its own id.
//
// Stricter than "one candidate passes both checks": if the props behind one row carry SEVERAL known ids of
// the level (a parent's data source, a recycled element mid-update), the props describe more than one
// object and nothing tells which is the row's, even if only one name matches. That is `ambiguous`: the
// alternative would let a duplicate-named sibling's id win whenever the row's own id is missing.

import type { Candidate } from './bridge-events';
import { namesMatch } from './names';
import type { PageLevel } from './urls';

export interface CatalogEntry {
  /** The object's name as the API returns it. */
  name: string;
}

/**
 * The API's own lists for ONE advertiser, by level, keyed by id (string; ids exceed 2^53). The level being
 * corroborated must be present; the others are optional and only serve to tell `wrong-level` from
 * `unknown-id` (a campaign id behind an ad-group row).
 */
export interface AdvertiserCatalog {
  advertiserId: string;
  campaign?: ReadonlyMap<string, CatalogEntry>;
  adgroup?: ReadonlyMap<string, CatalogEntry>;
  ad?: ReadonlyMap<string, CatalogEntry>;
}

export interface RowEvidence {
  level: PageLevel;
  advertiserId: string;
  candidates: readonly Candidate[];
  /** The row's visible name as read from the page (any normalisation is applied again here). */
  visibleName: string;
}

export type IdentityFailureReason =
  /** No catalog of this level for this advertiser: the API list is not loaded (or is another advertiser's). */
  | 'no-catalog'
  /** Nothing behind the row but (at most) the advertiser's own id. */
  | 'no-candidates'
  /** No candidate is known at any level of this advertiser. */
  | 'unknown-id'
  /** Candidates are known, but only at another level (a campaign id on an ad-group row). */
  | 'wrong-level'
  /** Exactly one known id of this level, and the visible name is not its API name. */
  | 'name-mismatch'
  /** Several known ids of this level behind one row. */
  | 'ambiguous';

export type Corroboration = { ok: true; id: string; apiName: string } | { ok: false; reason: IdentityFailureReason };

const LEVELS: readonly PageLevel[] = ['campaign', 'adgroup', 'ad'];

export function corroborate(row: RowEvidence, catalog: AdvertiserCatalog): Corroboration {
  const own = catalog.advertiserId === row.advertiserId ? catalog[row.level] : undefined;
  if (!own) return { ok: false, reason: 'no-catalog' };
  // The advertiser's own id sits in most records; it is never a row's identity.
  const ids = new Set(row.candidates.map((c) => c.id).filter((id) => id !== row.advertiserId));
  if (ids.size === 0) return { ok: false, reason: 'no-candidates' };

  const known = [...ids].filter((id) => own.has(id));
  if (known.length > 1) return { ok: false, reason: 'ambiguous' };
  const [id] = known;
  if (id === undefined) {
    const otherLevel = LEVELS.some(
      (level) => level !== row.level && [...ids].some((candidate) => catalog[level]?.has(candidate)),
    );
    return { ok: false, reason: otherLevel ? 'wrong-level' : 'unknown-id' };
  }
  const apiName = own.get(id)?.name ?? '';
  return namesMatch(row.visibleName, apiName) ? { ok: true, id, apiName } : { ok: false, reason: 'name-mismatch' };
}
