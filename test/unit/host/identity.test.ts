import { describe, expect, test } from 'vitest';
import type { Candidate } from '../../../lib/host/bridge-events';
import { type AdvertiserCatalog, corroborate, type RowEvidence } from '../../../lib/host/identity';

const ADV = '7012345678901234567';
// Two ids that are the same double (both round to 7301234567890123456 as a Number).
const A = '7301234567890123456';
const B = '7301234567890123457';
const SPRING_EN = '1812345678901234561';
const SPRING_HYPHEN = '1812345678901234562';
const ADGROUP = '1823456789012345671';
const AD = '1834567890123456781';

const catalog: AdvertiserCatalog = {
  advertiserId: ADV,
  campaign: new Map([
    [A, { name: 'Retargeting 7d' }],
    [B, { name: 'Retargeting 7d' }],
    [SPRING_EN, { name: 'Spring Sale – US' }],
    [SPRING_HYPHEN, { name: 'Spring Sale - US' }],
    ['1812345678901234563', { name: 'Broad\u200BAudience' }],
  ]),
  adgroup: new Map([[ADGROUP, { name: 'US · 18-34 · Broad' }]]),
  ad: new Map([[AD, { name: 'Café video 01' }]]),
};

function c(id: string, field = 'campaign_id'): Candidate {
  return { id, field };
}

function row(candidates: Candidate[], visibleName: string, level: RowEvidence['level'] = 'campaign'): RowEvidence {
  return { level, advertiserId: ADV, candidates, visibleName };
}

test('ids above 2^53 that are equal as numbers stay apart', () => {
  expect(Number(A)).toBe(Number(B));
  expect(corroborate(row([c(A)], 'Retargeting 7d'), catalog)).toEqual({ ok: true, id: A, apiName: 'Retargeting 7d' });
  expect(corroborate(row([c(B)], 'Retargeting 7d'), catalog)).toEqual({ ok: true, id: B, apiName: 'Retargeting 7d' });
});

describe('corroborate', () => {
  test.each([
    [
      'a known id whose API name is the visible name',
      row([c(SPRING_EN), c(ADV, 'advertiser_id')], 'Spring Sale – US'),
      { ok: true, id: SPRING_EN, apiName: 'Spring Sale – US' },
    ],
    [
      'duplicate names: the first row resolves to its own id',
      row([c(A)], 'Retargeting 7d'),
      { ok: true, id: A, apiName: 'Retargeting 7d' },
    ],
    [
      'duplicate names: the second row resolves to its own id',
      row([c(B)], 'Retargeting 7d'),
      { ok: true, id: B, apiName: 'Retargeting 7d' },
    ],
    [
      'the visible name needs only normalisation (NFD, indentation)',
      row([c(AD, 'ad_id')], '\n  Cafe\u0301 video 01 ', 'ad'),
      { ok: true, id: AD, apiName: 'Café video 01' },
    ],
    [
      'an ad row carrying its ad group and campaign ids too',
      row([c(AD, 'ad_id'), c(ADGROUP, 'adgroup_id'), c(SPRING_EN)], 'Café video 01', 'ad'),
      { ok: true, id: AD, apiName: 'Café video 01' },
    ],
    [
      'the advertiser id among the candidates is ignored',
      row([c(ADV, 'advertiser_id'), c(SPRING_HYPHEN)], 'Spring Sale - US'),
      { ok: true, id: SPRING_HYPHEN, apiName: 'Spring Sale - US' },
    ],
    [
      'the same id under two fields counts once',
      row([c(A), c(A, 'id')], 'Retargeting 7d'),
      { ok: true, id: A, apiName: 'Retargeting 7d' },
    ],
    ['no candidates', row([], 'Spring Sale – US'), { ok: false, reason: 'no-candidates' }],
    [
      'only the advertiser id',
      row([c(ADV, 'advertiser_id')], 'Spring Sale – US'),
      { ok: false, reason: 'no-candidates' },
    ],
    [
      'an id unknown at every level',
      row([c('1899999999999999999')], 'Spring Sale – US'),
      { ok: false, reason: 'unknown-id' },
    ],
    [
      'a campaign id on an ad-group row',
      row([c(SPRING_EN)], 'Spring Sale – US', 'adgroup'),
      { ok: false, reason: 'wrong-level' },
    ],
    [
      'an ad-group id on a campaign row',
      row([c(ADGROUP, 'adgroup_id')], 'US · 18-34 · Broad'),
      { ok: false, reason: 'wrong-level' },
    ],
    [
      'lookalike dash: hyphen shown, en-dash campaign behind the row',
      row([c(SPRING_EN)], 'Spring Sale - US'),
      { ok: false, reason: 'name-mismatch' },
    ],
    [
      'zero-width: plain name shown, zero-width name behind the row',
      row([c('1812345678901234563')], 'BroadAudience'),
      { ok: false, reason: 'name-mismatch' },
    ],
    ['a recycled row: new name, old id', row([c(SPRING_EN)], 'Retargeting 7d'), { ok: false, reason: 'name-mismatch' }],
    [
      'an HTML-like visible name against a plain API name',
      row([c(A)], '<b>Retargeting 7d</b>'),
      { ok: false, reason: 'name-mismatch' },
    ],
    [
      'two known campaign ids behind one row, even with one name matching',
      row([c(SPRING_EN), c(SPRING_HYPHEN)], 'Spring Sale – US'),
      { ok: false, reason: 'ambiguous' },
    ],
    [
      'two duplicate-named campaigns behind one row',
      row([c(A), c(B)], 'Retargeting 7d'),
      { ok: false, reason: 'ambiguous' },
    ],
  ])('%s', (_, evidence, expected) => {
    expect(corroborate(evidence, catalog)).toEqual(expected);
  });

  test('without the catalog of the page level nothing is identified', () => {
    const { adgroup: _adgroup, ...withoutAdGroups } = catalog;
    expect(corroborate(row([c(ADGROUP, 'adgroup_id')], 'US · 18-34 · Broad', 'adgroup'), withoutAdGroups)).toEqual({
      ok: false,
      reason: 'no-catalog',
    });
  });

  test('a catalog of another advertiser identifies nothing', () => {
    expect(corroborate(row([c(A)], 'Retargeting 7d'), { ...catalog, advertiserId: '7098765432109876543' })).toEqual({
      ok: false,
      reason: 'no-catalog',
    });
  });

  test('without the other levels’ catalogs a wrong-level id reads as unknown', () => {
    const onlyAdGroups: AdvertiserCatalog = { advertiserId: ADV, adgroup: catalog.adgroup };
    expect(corroborate(row([c(SPRING_EN)], 'Spring Sale – US', 'adgroup'), onlyAdGroups)).toEqual({
      ok: false,
      reason: 'unknown-id',
    });
  });
});
