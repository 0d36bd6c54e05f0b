import { describe, expect, test } from 'vitest';
import { parseJsonLossless, parseJsonNumber } from '../../../lib/api/json';

describe('parseJsonNumber', () => {
  test.each([
    ['7664548737817054485', '7664548737817054485'],
    ['9007199254740993', '9007199254740993'],
    ['-9223372036854775808', '-9223372036854775808'],
    ['18446744073709551615', '18446744073709551615'],
  ])('keeps the unsafe integer %s as its exact digits', (source, expected) => {
    expect(parseJsonNumber(source)).toBe(expected);
  });

  test.each([
    ['9007199254740991', 9007199254740991],
    ['40100', 40100],
    ['0', 0],
    ['50.5', 50.5],
    ['100.0', 100],
    ['-3', -3],
    ['1e3', 1000],
    ['0.1234567890123456789', 0.12345678901234568],
  ])('turns the ordinary number %s into a JS number', (source, expected) => {
    expect(parseJsonNumber(source)).toBe(expected);
  });
});

describe('parseJsonLossless', () => {
  test('a bare 64-bit campaign_id parses to the exact digit string', () => {
    expect(parseJsonLossless('{"campaign_id": 7664548737817054485}')).toEqual({ campaign_id: '7664548737817054485' });
    // What plain JSON.parse would have produced instead:
    expect(String(JSON.parse('{"campaign_id": 7664548737817054485}').campaign_id)).not.toBe('7664548737817054485');
  });

  test('string IDs, budgets, codes and report strings are untouched', () => {
    const text =
      '{"code":40100,"data":{"budget":50.5,"ids":["7556508952121393153",11,7556508952121393153],"metrics":{"spend":"-","impressions":"<5","cpc":"0.00"}}}';
    expect(parseJsonLossless(text)).toEqual({
      code: 40100,
      data: {
        budget: 50.5,
        ids: ['7556508952121393153', 11, '7556508952121393153'],
        metrics: { spend: '-', impressions: '<5', cpc: '0.00' },
      },
    });
  });

  test('scope arrays above 2^53 stay exact', () => {
    expect(parseJsonLossless('{"scope":[4,7294180478502830081]}')).toEqual({ scope: [4, '7294180478502830081'] });
  });

  test.each([['{"a":'], ['<html>502 Bad Gateway</html>'], [''], ['{"a":1}x'], ['{"a":1,"a":2}']])(
    'throws SyntaxError on %j',
    (text) => {
      expect(() => parseJsonLossless(text)).toThrow(SyntaxError);
    },
  );

  test('a "__proto__" key stays an own property', () => {
    const parsed = parseJsonLossless('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
