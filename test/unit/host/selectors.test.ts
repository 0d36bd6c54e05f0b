// @vitest-environment happy-dom
// Each selector's declared match count in each fixture. A count that moves means the fixture (or the markup
// it stands for) changed: update the fixture's date and the declaration together.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  BODY_CELL,
  FIXTURE_MATCHES,
  FIXTURES,
  NAME_LINK_INHERIT,
  NAME_LINK_PLAIN,
  VIRTUAL_TABLE,
} from '../../../lib/host/selectors';
import { fixtureHtml, loadFixture } from './fixture-dom';

const SELECTORS = { VIRTUAL_TABLE, BODY_CELL, NAME_LINK_INHERIT, NAME_LINK_PLAIN };

describe.each(FIXTURES)('%s', (fixture) => {
  test.each(Object.entries(FIXTURE_MATCHES[fixture]))('%s matches %i elements', (name, expected) => {
    const doc = loadFixture(fixture);
    expect(doc.querySelectorAll(SELECTORS[name as keyof typeof SELECTORS])).toHaveLength(expected);
  });

  test('the first line says where the fixture came from and what was scrubbed', () => {
    expect(fixtureHtml(fixture).split('\n')[0]).toMatch(
      /^<!-- .*hand-built from the facts in spec\/ads-manager-page\.md and the sandbox page; no real account data\. Scrubbed: .* -->$/,
    );
  });
});

test('every fixture file in test/fixtures/host declares its expected counts', () => {
  const files = readdirSync(join(process.cwd(), 'test/fixtures/host')).filter((f) => f.endsWith('.html'));
  expect(files.map((f) => f.replace(/\.html$/, '')).sort()).toEqual([...FIXTURES].sort());
});

test('the KsLink--inherit class alone matches links outside the table too, so it is never used unscoped', () => {
  const doc = loadFixture('campaign.2026-11-28');
  expect(doc.querySelectorAll('a.KsLink--inherit').length).toBeGreaterThan(
    doc.querySelectorAll(NAME_LINK_INHERIT).length,
  );
});
