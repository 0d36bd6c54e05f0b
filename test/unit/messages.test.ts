import { describe, expect, test } from 'vitest';
import { matchesPagePattern, SANDBOX_PAGE_MATCHES, STORE_PAGE_MATCHES } from '../../lib/manifest-policy';
import { parseMessage } from '../../lib/messages/schema';
import { classifySender } from '../../lib/messages/sender';

const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const EXT_ORIGIN = `chrome-extension://${EXT_ID}`;
const ADV = '7560599267494414214';
const PAGE = `https://ads.tiktok.com/i18n/manage/campaign?aadvid=${ADV}&st=2026-11-01&et=2026-11-28`;
const allowed = (url: URL) => STORE_PAGE_MATCHES.some((p) => matchesPagePattern(p, url));

describe('classifySender', () => {
  test('a content script in the top frame of an Ads Manager tab, with the advertiser from its URL', () => {
    expect(
      classifySender(
        { id: EXT_ID, url: PAGE, origin: 'https://ads.tiktok.com', frameId: 0, tab: { id: 7 } },
        EXT_ID,
        EXT_ORIGIN,
        allowed,
      ),
    ).toEqual({
      kind: 'content',
      tabId: 7,
      advertiserId: ADV,
      level: 'campaign',
    });
  });

  test('an extension page is recognised by its origin', () => {
    expect(
      classifySender(
        { id: EXT_ID, url: `${EXT_ORIGIN}/confirm.html#x`, origin: EXT_ORIGIN, frameId: 3, tab: { id: 7 } },
        EXT_ID,
        EXT_ORIGIN,
        allowed,
      ),
    ).toEqual({ kind: 'page' });
  });

  test.each([
    ['another extension', { id: 'zzzz', url: PAGE, frameId: 0, tab: { id: 1 } }, 'another extension'],
    ['a sub-frame', { id: EXT_ID, url: PAGE, frameId: 2, tab: { id: 1 } }, 'sub-frame'],
    [
      'a page SafePause does not run on',
      {
        id: EXT_ID,
        url: 'https://evil.example/i18n/manage/campaign?aadvid=1234567890123456',
        frameId: 0,
        tab: { id: 1 },
      },
      'does not run on',
    ],
    [
      'an Ads Manager page that is not a list',
      { id: EXT_ID, url: 'https://ads.tiktok.com/i18n/manage/settings', frameId: 0, tab: { id: 1 } },
      'not an Ads Manager list',
    ],
    [
      'a frame whose origin differs from its URL (sandboxed or about:blank)',
      { id: EXT_ID, url: PAGE, origin: 'null', frameId: 0, tab: { id: 1 } },
      'does not run on',
    ],
    ['no tab', { id: EXT_ID, url: PAGE, frameId: 0 }, 'outside a tab'],
    ['no URL', { id: EXT_ID, frameId: 0, tab: { id: 1 } }, 'no URL'],
  ])('refuses %s', (_name, sender, reason) => {
    const result = classifySender(sender, EXT_ID, EXT_ORIGIN, allowed);
    expect(result.kind).toBe('refused');
    expect(result.kind === 'refused' && result.reason).toContain(reason);
  });
});

describe('parseMessage', () => {
  const good = {
    type: 'prompt:open',
    advertiserId: ADV,
    level: 'campaign',
    action: 'DISABLE',
    targets: [{ id: '1800041999401322954', name: 'A' }],
  };

  test('accepts a well-formed content message', () => {
    expect(parseMessage(good, 'content').ok).toBe(true);
  });

  test.each([
    ['an extra field (a URL)', { ...good, url: 'https://evil.example' }],
    ['a token field', { ...good, accessToken: 'x' }],
    ['a numeric id', { ...good, targets: [{ id: 1234567890123, name: 'A' }] }],
    ['DELETE', { ...good, action: 'DELETE' }],
    ['an unknown level', { ...good, level: 'advertiser' }],
    [
      'too many targets',
      { ...good, targets: Array.from({ length: 1001 }, () => ({ id: '1800041999401322954', name: 'A' })) },
    ],
    ['a page-only type from a content script', { type: 'prompt:confirm', promptId: 'abc' }],
    ['no type', { advertiserId: ADV }],
    ['a prototype key as type', { type: '__proto__' }],
  ])('refuses %s', (_name, raw) => {
    const result = parseMessage(raw, 'content');
    expect(result.ok).toBe(false);
  });

  test('a content message type is not accepted from an extension page either way round', () => {
    expect(parseMessage({ type: 'prompt:confirm', promptId: 'abc' }, 'page').ok).toBe(true);
    expect(parseMessage(good, 'page').ok).toBe(false);
  });
});

test('sandbox patterns match any port, store patterns only the store host', () => {
  expect(
    SANDBOX_PAGE_MATCHES.some((p) => matchesPagePattern(p, new URL('http://127.0.0.1:41234/i18n/manage/ad?aadvid=1'))),
  ).toBe(true);
  expect(STORE_PAGE_MATCHES.some((p) => matchesPagePattern(p, new URL('http://127.0.0.1:41234/i18n/manage/ad')))).toBe(
    false,
  );
  expect(
    STORE_PAGE_MATCHES.some((p) =>
      matchesPagePattern(p, new URL('https://ads.tiktok.com.evil.example/i18n/manage/ad')),
    ),
  ).toBe(false);
});
