// Every selector SafePause uses on Ads Manager, in one place. Each says where it applies; variants sit side
// by side; FIXTURE_MATCHES declares how many matches each selector has in each fixture of
// test/fixtures/host/, and a test checks them, so a markup change shows up as a count that moved.

/**
 * The virtualised table of the campaign / ad group / ad views (tag `KS-VIRTUAL-TABLE`). Only rows near the
 * viewport exist; rows move with translateY and elements are recycled.
 */
export const VIRTUAL_TABLE = 'ks-virtual-table';
/** The table's tag, for tag-prefix predicates in a deep query (it may sit inside a component's shadow root). */
export const VIRTUAL_TABLE_TAG = 'ks-virtual-table';

/**
 * A body cell of the virtual table: a direct child of the table, absolutely positioned, `overflow: hidden`
 * (clips anything inserted into it). There is no row element: cells of one row share a vertical position.
 */
export const BODY_CELL = '.ks-virtual-table__cell';

/**
 * The name link inside a body cell, current variant: `<a class="KsLink KsLink--inherit">`. The same classes
 * are used by links outside the table (breadcrumbs, notices), so it only counts inside a body cell.
 */
export const NAME_LINK_INHERIT = `${BODY_CELL} a.KsLink--inherit`;
/**
 * The name link, variant without the modifier: `<a class="KsLink">`. 2026-11-28: the spec records that a
 * component-library upgrade dropped `KsLink--inherit` before; no current page is known to lack it. Used only
 * when the current variant matches nothing. Review on 2027-05-28: drop it if the modifier has stayed,
 * or make it the only variant if the modifier is gone.
 */
export const NAME_LINK_PLAIN = `${BODY_CELL} a.KsLink`;
/** Tried in this order; the first that matches anything inside the table wins. */
export const NAME_LINK_VARIANTS = [NAME_LINK_INHERIT, NAME_LINK_PLAIN] as const;

export const FIXTURES = [
  'campaign.2026-11-28',
  'adgroup.2026-11-28',
  'ad.2026-11-28',
  'campaign-plain-link.2026-11-28',
  'campaign-no-table.2026-11-28',
] as const;
export type FixtureName = (typeof FIXTURES)[number];

/** Expected `querySelectorAll` matches per fixture (from the document; body cells and links inside the table). */
export const FIXTURE_MATCHES: Record<
  FixtureName,
  Record<'VIRTUAL_TABLE' | 'BODY_CELL' | 'NAME_LINK_INHERIT' | 'NAME_LINK_PLAIN', number>
> = {
  'campaign.2026-11-28': { VIRTUAL_TABLE: 1, BODY_CELL: 24, NAME_LINK_INHERIT: 6, NAME_LINK_PLAIN: 6 },
  'adgroup.2026-11-28': { VIRTUAL_TABLE: 1, BODY_CELL: 16, NAME_LINK_INHERIT: 4, NAME_LINK_PLAIN: 4 },
  'ad.2026-11-28': { VIRTUAL_TABLE: 1, BODY_CELL: 12, NAME_LINK_INHERIT: 3, NAME_LINK_PLAIN: 3 },
  'campaign-plain-link.2026-11-28': { VIRTUAL_TABLE: 1, BODY_CELL: 12, NAME_LINK_INHERIT: 0, NAME_LINK_PLAIN: 3 },
  'campaign-no-table.2026-11-28': { VIRTUAL_TABLE: 0, BODY_CELL: 0, NAME_LINK_INHERIT: 0, NAME_LINK_PLAIN: 0 },
};
