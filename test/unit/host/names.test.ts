import { describe, expect, test } from 'vitest';
import { namesMatch, normaliseName } from '../../../lib/host/names';

describe('normaliseName', () => {
  test.each([
    ['NFD becomes NFC', 'Cafe\u0301 video 01', 'Caf\u00e9 video 01'],
    ['markup indentation around the text is dropped', '\n      Spring Sale – US\n    ', 'Spring Sale – US'],
    ['tabs, form feeds and CRs at the edges are dropped', '\t\f\rPromo\r\n', 'Promo'],
    ['inner runs of spaces stay', 'Promo  A', 'Promo  A'],
    ['a non-breaking space at the edge stays', '\u00a0Promo', '\u00a0Promo'],
    ['a zero-width space stays', 'Broad\u200BAudience', 'Broad\u200BAudience'],
    ['compatibility forms are not folded (no NFKC)', '\uFB01nal ﬁ', '\uFB01nal ﬁ'],
    ['fullwidth letters are not folded', 'ＰＲＯＭＯ', 'ＰＲＯＭＯ'],
  ])('%s', (_, input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });
});

describe('namesMatch', () => {
  test.each([
    ['the same name', 'Retargeting 7d', 'Retargeting 7d', true],
    ['duplicate names match each other (the id decides between them)', 'Retargeting 7d', 'Retargeting 7d', true],
    ['NFD visible and NFC API name', 'Cafe\u0301 video 01', 'Caf\u00e9 video 01', true],
    ['NFC visible and NFD API name', 'Caf\u00e9 video 01', 'Cafe\u0301 video 01', true],
    ['visible text with markup indentation', '\n   Spring Sale – US\n ', 'Spring Sale – US', true],
    [
      'an HTML-like name compared as text',
      '<img src=x onerror=alert(1)> Promo',
      '<img src=x onerror=alert(1)> Promo',
      true,
    ],
    ['an HTML-like name against its escaped form', '<b>Promo</b>', '&lt;b&gt;Promo&lt;/b&gt;', false],
    ['en dash against hyphen', 'Spring Sale – US', 'Spring Sale - US', false],
    ['minus sign against hyphen', 'Spring Sale − US', 'Spring Sale - US', false],
    ['zero-width space against none', 'foo\u200Bbar', 'foobar', false],
    ['zero-width joiner against none', 'foo\u200Dbar', 'foobar', false],
    ['different inner spacing', 'Promo  A', 'Promo A', false],
    ['non-breaking space against space', 'Promo\u00a0A', 'Promo A', false],
    ['case differs', 'promo', 'Promo', false],
    ['ligature against letters (NFKC would fold it)', '\uFB01nal', 'final', false],
    ['Cyrillic lookalike', 'Pr\u043emo', 'Promo', false],
    ['an id appended to one name only', 'Holiday Push-7664548737817054485', 'Holiday Push', false],
    ['empty visible name', '', '', false],
    ['whitespace-only visible name', '  \n ', '', false],
  ])('%s', (_, visible, apiName, expected) => {
    expect(namesMatch(visible, apiName)).toBe(expected);
  });
});
