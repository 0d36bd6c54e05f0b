// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { findTable, nameLinkElements, readNameLinks, rowRectFor } from '../../../lib/host/table';
import { fixtureNameLinks, loadFixture, scrollCells, TABLE_ORIGIN } from './fixture-dom';

describe('findTable', () => {
  test.each([
    ['campaign.2026-11-28', true],
    ['adgroup.2026-11-28', true],
    ['ad.2026-11-28', true],
    ['campaign-plain-link.2026-11-28', true],
    ['campaign-no-table.2026-11-28', false],
  ] as const)('%s has a table: %s', (fixture, expected) => {
    const doc = loadFixture(fixture);
    expect(findTable(doc)?.localName === 'ks-virtual-table').toBe(expected);
  });

  test('finds a versioned table inside an open shadow root', () => {
    const doc = loadFixture('campaign-no-table.2026-11-28');
    const host = doc.createElement('ks-page-1-0-0');
    const table = doc.createElement('ks-virtual-table-2-0-1');
    host.attachShadow({ mode: 'open' }).append(table);
    doc.body.append(host);
    expect(findTable(doc)).toBe(table);
  });
});

describe('readNameLinks', () => {
  test.each([
    [
      'campaign.2026-11-28',
      [
        'Spring Sale – US',
        'Spring Sale - US',
        'Retargeting 7d',
        'Retargeting 7d',
        '<img src=x onerror=alert(1)> Promo',
        'Holiday Push-7664548737817054485',
      ],
    ],
    ['adgroup.2026-11-28', ['US · 18-34 · Broad', 'Broad\u200BAudience', 'BroadAudience', 'Lookalike 1%']],
    ['ad.2026-11-28', ['Café video 01', 'Café video 02', 'UGC 🔥 hook A']],
    ['campaign-plain-link.2026-11-28', ['Spring Sale – US', 'Retargeting 7d', 'Always On']],
  ] as const)('%s: the table’s name links with their normalised visible names', (fixture, names) => {
    const doc = loadFixture(fixture);
    const links = readNameLinks(findTable(doc) as Element);
    expect(links.map((l) => l.visibleName)).toEqual(names);
    expect(links.map((l) => l.link)).toEqual(fixtureNameLinks(doc));
  });

  test('breadcrumb and announcement links with the same classes are excluded', () => {
    const doc = loadFixture('campaign.2026-11-28');
    const links = nameLinkElements(findTable(doc) as Element);
    expect(links).not.toContain(doc.querySelector('.ks-breadcrumb a'));
    expect(links).not.toContain(doc.querySelector('.vi-dialog a'));
  });

  test('the plain KsLink variant is used only when no link has the modifier', () => {
    const doc = loadFixture('campaign.2026-11-28');
    const table = findTable(doc) as Element;
    const extra = doc.createElement('a');
    extra.className = 'KsLink';
    extra.textContent = 'View report';
    const cells = table.querySelectorAll('.ks-virtual-table__cell');
    cells[cells.length - 1]?.append(extra);
    expect(table.contains(extra)).toBe(true);
    expect(nameLinkElements(table)).not.toContain(extra);
    expect(nameLinkElements(table)).toHaveLength(6);
  });

  test('each link carries its rectangle', () => {
    const doc = loadFixture('campaign.2026-11-28');
    const [first] = readNameLinks(findTable(doc) as Element);
    // The first name cell in DOM order is shown in the first body row (translateY 40px below the header).
    expect(first?.rect).toEqual({
      top: TABLE_ORIGIN.y + 40 + 14,
      left: TABLE_ORIGIN.x + 12,
      right: TABLE_ORIGIN.x + 12 + 180,
      bottom: TABLE_ORIGIN.y + 40 + 14 + 20,
      width: 180,
      height: 20,
    });
  });

  test('a table without name links yields none (the notice path)', () => {
    const doc = loadFixture('campaign.2026-11-28');
    for (const a of doc.querySelectorAll('ks-virtual-table a')) a.remove();
    expect(readNameLinks(findTable(doc) as Element)).toEqual([]);
  });
});

describe('rowRectFor', () => {
  test.each([0, 1, 2, 3, 4, 5])('campaign row %i spans its four cells at its own vertical position', (index) => {
    const doc = loadFixture('campaign.2026-11-28');
    const link = fixtureNameLinks(doc)[index] as HTMLElement;
    const cell = link.parentElement as Element;
    const top = cell.getBoundingClientRect().top;
    expect(rowRectFor(link)).toEqual({
      top,
      left: TABLE_ORIGIN.x,
      right: TABLE_ORIGIN.x + 680,
      bottom: top + 48,
      width: 680,
      height: 48,
    });
  });

  test('follows the row after the table scrolls (translateY)', () => {
    const doc = loadFixture('adgroup.2026-11-28');
    const link = fixtureNameLinks(doc)[1] as HTMLElement;
    const before = rowRectFor(link);
    scrollCells(doc, -48);
    expect(rowRectFor(link)?.top).toBe((before?.top ?? 0) - 48);
  });

  test('is null for a link outside a body cell', () => {
    const doc = loadFixture('campaign.2026-11-28');
    expect(rowRectFor(doc.querySelector('.ks-breadcrumb a') as Element)).toBeNull();
  });
});
