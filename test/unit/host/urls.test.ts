import { describe, expect, test } from 'vitest';
import { isAdGroupPage, isAdPage, isCampaignPage, PAGE_EXAMPLES, parseManagePage } from '../../../lib/host/urls';

const PREDICATES = { isCampaignPage, isAdGroupPage, isAdPage } as const;
type PredicateName = keyof typeof PREDICATES;

describe('each page predicate is true for its own examples and false for every other example', () => {
  const all = Object.entries(PAGE_EXAMPLES).flatMap(([owner, urls]) => urls.map((url) => [owner, url] as const));
  for (const name of Object.keys(PREDICATES) as PredicateName[]) {
    test.each(all)(`${name}: examples of %s — %s`, (owner, url) => {
      expect(PREDICATES[name](url)).toBe(owner === name);
    });
  }
});

describe('parseManagePage', () => {
  test.each([
    [
      'https://ads.tiktok.com/i18n/manage/campaign?aadvid=7012345678901234567&st=2026-11-21&et=2026-11-28',
      { level: 'campaign', advertiserId: '7012345678901234567' },
    ],
    [
      'https://ads.tiktok.com/i18n/manage/adgroup?aadvid=701234567890123',
      { level: 'adgroup', advertiserId: '701234567890123' },
    ],
    [
      'https://ads.tiktok.com/i18n/manage/ad?aadvid=70123456789012345678',
      { level: 'ad', advertiserId: '70123456789012345678' },
    ],
    [
      'https://ads.tiktok.com/i18n/manage/creative?aadvid=7012345678901234567',
      { level: 'ad', advertiserId: '7012345678901234567' },
    ],
    [
      'http://127.0.0.1:5173/i18n/manage/adgroup?aadvid=7012345678901234567',
      { level: 'adgroup', advertiserId: '7012345678901234567' },
    ],
  ])('%s', (url, expected) => {
    expect(parseManagePage(url)).toEqual(expected);
  });

  test('keeps an advertiser id above 2^53 exactly', () => {
    expect(
      parseManagePage('https://ads.tiktok.com/i18n/manage/campaign?aadvid=9007199254740993123')?.advertiserId,
    ).toBe('9007199254740993123');
  });

  test('accepts a URL object as well as a string', () => {
    expect(parseManagePage(new URL('https://ads.tiktok.com/i18n/manage/ad?aadvid=7012345678901234567'))).toEqual({
      level: 'ad',
      advertiserId: '7012345678901234567',
    });
  });

  test.each(PAGE_EXAMPLES.none)('is null for %s', (url) => {
    expect(parseManagePage(url)).toBeNull();
  });
});
