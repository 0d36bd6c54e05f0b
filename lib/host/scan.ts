// One pass over the page: the name links in the table, what they show, and the candidate ids behind them;
// then identity for each (identity.ts), and a plain-words reason when the page has rows but none can be
// identified (a visible notice, no controls: the adapter never guesses).

import { type Candidate, probeElement } from './bridge-protocol';
import { type AdvertiserCatalog, corroborate, type IdentityFailureReason } from './identity';
import { countBodyCells, findTable, nameLinkElements, type Rect, readNameLink } from './table';
import type { PageLevel } from './urls';

export interface PageContext {
  level: PageLevel;
  advertiserId: string;
}

export interface ScannedRow extends PageContext {
  link: HTMLElement;
  visibleName: string;
  candidates: Candidate[];
  /** The name link's rectangle at scan time. */
  rect: Rect;
}

/** The row model the rest of the extension sees: the id is corroborated. */
export interface IdentifiedRow extends PageContext {
  id: string;
  /** The API's name for the id (equal to the visible name after normalisation). */
  name: string;
  link: HTMLElement;
  anchorRect: Rect;
}

export interface Identification {
  rows: IdentifiedRow[];
  failures: { row: ScannedRow; reason: IdentityFailureReason }[];
}

export type Probe = (el: Element) => Candidate[];

export function scanRows(doc: Document, context: PageContext, probe: Probe = probeElement): ScannedRow[] {
  const table = findTable(doc);
  return table ? nameLinkElements(table).map((link) => readRow(link, context, probe)) : [];
}

/**
 * Reads one name link again: what it shows and the ids behind it now. At click time the caller reads the
 * row again with this and corroborates afresh; a recycled element then no longer matches and nothing is sent.
 */
export function readRow(link: HTMLElement, context: PageContext, probe: Probe = probeElement): ScannedRow {
  const { rect, visibleName } = readNameLink(link);
  return {
    level: context.level,
    advertiserId: context.advertiserId,
    link,
    visibleName,
    candidates: probe(link),
    rect,
  };
}

export function identifyRows(rows: readonly ScannedRow[], catalog: AdvertiserCatalog): Identification {
  const result: Identification = { rows: [], failures: [] };
  for (const row of rows) {
    const verdict = corroborate(row, catalog);
    if (verdict.ok) {
      result.rows.push({
        level: row.level,
        advertiserId: row.advertiserId,
        id: verdict.id,
        name: verdict.apiName,
        link: row.link,
        anchorRect: row.rect,
      });
    } else {
      result.failures.push({ row, reason: verdict.reason });
    }
  }
  return result;
}

const PLURAL: Record<PageLevel, string> = { campaign: 'campaigns', adgroup: 'ad groups', ad: 'ads' };
const OTHER_LEVEL: Record<PageLevel, string> = {
  campaign: 'ad groups or ads',
  adgroup: 'campaigns or ads',
  ad: 'campaigns or ad groups',
};

/** The most frequent reason wins; ties go to the reason listed first here (the most actionable). */
const REASON_ORDER: readonly IdentityFailureReason[] = [
  'no-catalog',
  'no-candidates',
  'wrong-level',
  'unknown-id',
  'name-mismatch',
  'ambiguous',
];

function mainReason(reasons: readonly IdentityFailureReason[]): IdentityFailureReason | undefined {
  let best: IdentityFailureReason | undefined;
  let bestCount = 0;
  for (const reason of REASON_ORDER) {
    const count = reasons.filter((r) => r === reason).length;
    if (count > bestCount) {
      best = reason;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Why no row on this page can be identified, in plain words for a visible notice. Call it when the page
 * has rows (or should have) and no row was identified. `reasons` are the identity failures, if any row
 * got that far.
 */
export function describeUnidentified(
  doc: Document,
  context: PageContext,
  rows: readonly ScannedRow[],
  reasons: readonly IdentityFailureReason[] = [],
): string {
  const lead = "SafePause can't identify the rows on this page, so it shows no pause controls";
  const things = PLURAL[context.level];
  const table = findTable(doc);
  if (!table) return `${lead}: the page's markup has changed (no table of ${things} found).`;
  if (rows.length === 0) {
    return countBodyCells(table) === 0
      ? `${lead} yet: the table has no rows yet. Wait for the page to finish loading.`
      : `${lead}: the page's markup has changed (no name links found in the table).`;
  }
  if (rows.every((row) => row.candidates.length === 0)) {
    return `${lead}: no IDs were found behind the rows. The page's internals may have changed, or SafePause's page script is not running; reload the page.`;
  }
  switch (mainReason(reasons)) {
    case 'no-catalog':
      return `${lead} yet: the list of ${things} for this advertiser hasn't been loaded from TikTok. Check the account settings.`;
    case 'wrong-level':
      return `${lead}: the IDs behind the rows belong to ${OTHER_LEVEL[context.level]}, not to ${things}.`;
    case 'unknown-id':
      return `${lead}: the IDs behind the rows are not ${things} of this advertiser according to TikTok. The list may be out of date; reload the page.`;
    case 'name-mismatch':
      return `${lead}: the names shown don't match TikTok's names for the IDs behind the rows. A name may have just changed; reload the page.`;
    case 'ambiguous':
      return `${lead}: each row carries more than one ID of ${things}, so SafePause can't tell which one the row shows.`;
    default:
      return `${lead}: no IDs were found behind the rows.`;
  }
}
