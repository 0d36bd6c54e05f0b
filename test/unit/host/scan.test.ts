// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { installBridge } from '../../../lib/host/bridge';
import type { Candidate } from '../../../lib/host/bridge-events';
import { corroborate, type IdentityFailureReason } from '../../../lib/host/identity';
import { describeUnidentified, identifyRows, type PageContext, readRow, scanRows } from '../../../lib/host/scan';
import type { FixtureName } from '../../../lib/host/selectors';
import { decorateNameLinks, fixtureNameLinks, loadFixture, type RowRecord, recycleNameLink } from './fixture-dom';
import {
  AD_RECORDS,
  ADGROUP_RECORDS,
  ADVERTISER_ID,
  CAMPAIGN_RECORDS,
  CATALOG,
  PLAIN_LINK_RECORDS,
  RETARGETING_A,
  RETARGETING_B,
} from './fixture-records';

let uninstall: (() => void) | undefined;
afterEach(() => {
  uninstall?.();
  uninstall = undefined;
});

function page(fixture: FixtureName, records: readonly RowRecord[]): Document {
  const doc = loadFixture(fixture);
  decorateNameLinks(fixtureNameLinks(doc), records, { suffix: Math.random().toString(36).slice(2), shape: 'both' });
  uninstall = installBridge(doc);
  return doc;
}

const campaigns: PageContext = { level: 'campaign', advertiserId: ADVERTISER_ID };

describe('scanRows + identifyRows on the fixtures, with the bridge answering', () => {
  test.each([
    [
      'campaign.2026-11-28',
      campaigns,
      CAMPAIGN_RECORDS,
      [
        '1812345678901234561',
        '1812345678901234562',
        RETARGETING_A,
        RETARGETING_B,
        '1812345678901234565',
        '7664548737817054485',
      ],
    ],
    [
      'adgroup.2026-11-28',
      { level: 'adgroup', advertiserId: ADVERTISER_ID },
      ADGROUP_RECORDS,
      ['1823456789012345671', '1823456789012345672', '1823456789012345673', '1823456789012345'],
    ],
    [
      'ad.2026-11-28',
      { level: 'ad', advertiserId: ADVERTISER_ID },
      AD_RECORDS,
      ['1834567890123456781', '1834567890123456782', '1834567890123456783'],
    ],
    [
      'campaign-plain-link.2026-11-28',
      campaigns,
      PLAIN_LINK_RECORDS,
      ['1812345678901234561', RETARGETING_A, '1812345678901234567'],
    ],
  ] as const)('%s: every row is identified as its own object', (fixture, context, records, ids) => {
    const doc = page(fixture, records);
    const { rows, failures } = identifyRows(scanRows(doc, context), CATALOG);
    expect(failures).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.every((r) => r.level === context.level && r.advertiserId === ADVERTISER_ID)).toBe(true);
  });

  test('a scanned row carries the link, the visible name, the candidates and the link’s rectangle', () => {
    const doc = page('campaign.2026-11-28', CAMPAIGN_RECORDS);
    const [first] = scanRows(doc, campaigns);
    expect(first).toMatchObject({
      level: 'campaign',
      advertiserId: ADVERTISER_ID,
      link: fixtureNameLinks(doc)[0],
      visibleName: 'Spring Sale – US',
      rect: { width: 180, height: 20 },
    });
    expect(first?.candidates).toContainEqual({ id: '1812345678901234561', field: 'campaign_id' });
  });

  test('the two duplicate-named campaigns resolve to two different ids', () => {
    const doc = page('campaign.2026-11-28', CAMPAIGN_RECORDS);
    const { rows } = identifyRows(scanRows(doc, campaigns), CATALOG);
    const retargeting = rows.filter((r) => r.name === 'Retargeting 7d');
    expect(retargeting.map((r) => r.id)).toEqual([RETARGETING_A, RETARGETING_B]);
    expect(retargeting[0]?.link).not.toBe(retargeting[1]?.link);
  });

  test.each([
    ['props and text updated together: the new row', { text: 'Retargeting 7d' }, { id: RETARGETING_B }],
    ['props updated, text not yet: no identity (name mismatch)', {}, { reason: 'name-mismatch' }],
    [
      'old and new props both present: no identity (ambiguous)',
      { text: 'Retargeting 7d', keepStale: true },
      { reason: 'ambiguous' },
    ],
  ] as const)('a recycled link, %s', (_, change, expected) => {
    const doc = page('campaign.2026-11-28', CAMPAIGN_RECORDS);
    const link = fixtureNameLinks(doc)[0] as HTMLElement;
    recycleNameLink(link, CAMPAIGN_RECORDS[3] as RowRecord, change);
    const { rows, failures } = identifyRows(scanRows(doc, campaigns), CATALOG);
    const outcome = rows.find((r) => r.link === link) ?? failures.find((f) => f.row.link === link);
    expect(outcome).toMatchObject(expected);
    expect(rows).toHaveLength('id' in expected ? 6 : 5);
  });

  test('readRow at click time sees a recycle that happened after the scan', () => {
    const doc = page('campaign.2026-11-28', CAMPAIGN_RECORDS);
    const [scanned] = identifyRows(scanRows(doc, campaigns), CATALOG).rows;
    const link = scanned?.link as HTMLElement;
    recycleNameLink(link, CAMPAIGN_RECORDS[4] as RowRecord, { text: '<img src=x onerror=alert(1)> Promo' });
    const again = corroborate(readRow(link, campaigns), CATALOG);
    expect(scanned?.id).toBe('1812345678901234561');
    expect(again).toEqual({ ok: true, id: '1812345678901234565', apiName: '<img src=x onerror=alert(1)> Promo' });
  });

  test('a probe can be injected (the isolated world does not need the bridge in tests)', () => {
    const doc = loadFixture('campaign.2026-11-28');
    const probe = (el: Element): Candidate[] =>
      el.textContent?.includes('Spring Sale –') ? [{ id: '1812345678901234561', field: 'id' }] : [];
    const rows = scanRows(doc, campaigns, probe);
    expect(rows.map((r) => r.candidates.length)).toEqual([1, 0, 0, 0, 0, 0]);
  });

  test('a page without the table yields no rows', () => {
    expect(scanRows(page('campaign-no-table.2026-11-28', []), campaigns)).toEqual([]);
  });
});

describe('describeUnidentified', () => {
  test('no table: the markup has changed', () => {
    const doc = loadFixture('campaign-no-table.2026-11-28');
    expect(describeUnidentified(doc, campaigns, scanRows(doc, campaigns))).toBe(
      "SafePause can't identify the rows on this page, so it shows no pause controls: the page's markup has changed (no table of campaigns found).",
    );
  });

  test('cells but no name links: the markup has changed', () => {
    const doc = loadFixture('campaign.2026-11-28');
    for (const a of doc.querySelectorAll('ks-virtual-table a')) a.remove();
    expect(describeUnidentified(doc, campaigns, scanRows(doc, campaigns))).toBe(
      "SafePause can't identify the rows on this page, so it shows no pause controls: the page's markup has changed (no name links found in the table).",
    );
  });

  test('a table without cells is still loading', () => {
    const doc = loadFixture('campaign.2026-11-28');
    for (const cell of doc.querySelectorAll('.ks-virtual-table__cell')) cell.remove();
    expect(describeUnidentified(doc, campaigns, [])).toMatch(/the table has no rows yet/);
  });

  test('name links without ids behind them (no props, or no bridge)', () => {
    const doc = loadFixture('campaign.2026-11-28');
    uninstall = installBridge(doc);
    expect(describeUnidentified(doc, campaigns, scanRows(doc, campaigns))).toMatch(/no IDs were found behind the rows/);
  });

  test.each([
    [['no-catalog', 'no-catalog'], /list of ad groups for this advertiser hasn't been loaded/],
    [['wrong-level', 'wrong-level', 'unknown-id'], /belong to campaigns or ads, not to ad groups/],
    [['unknown-id'], /are not ad groups of this advertiser/],
    [['name-mismatch', 'name-mismatch', 'ambiguous'], /names shown don't match TikTok's names/],
    [['ambiguous', 'ambiguous', 'name-mismatch'], /more than one ID of ad groups/],
  ] as [IdentityFailureReason[], RegExp][])('identity failures %j', (reasons, expected) => {
    const context: PageContext = { level: 'adgroup', advertiserId: ADVERTISER_ID };
    const doc = page('adgroup.2026-11-28', ADGROUP_RECORDS);
    expect(describeUnidentified(doc, context, scanRows(doc, context), reasons)).toMatch(expected);
  });

  test('the reason for an ad-group page whose rows carry campaign ids says so, end to end', () => {
    const context: PageContext = { level: 'adgroup', advertiserId: ADVERTISER_ID };
    const doc = page(
      'adgroup.2026-11-28',
      ADGROUP_RECORDS.map(({ campaign_id, advertiser_id }) => ({ campaign_id, advertiser_id }) as RowRecord),
    );
    const rows = scanRows(doc, context);
    const { rows: identified, failures } = identifyRows(rows, CATALOG);
    expect(identified).toEqual([]);
    expect(
      describeUnidentified(
        doc,
        context,
        rows,
        failures.map((f) => f.reason),
      ),
    ).toBe(
      "SafePause can't identify the rows on this page, so it shows no pause controls: the IDs behind the rows belong to campaigns or ads, not to ad groups.",
    );
  });
});
