import { describe, expect, test } from 'vitest';
import {
  addMoney,
  currencyExponent,
  formatMoney,
  isCurrencyCode,
  minorToDecimal,
  multiplyMoney,
  parseMoney,
  readMoney,
  subMoney,
  sumMoney,
} from '../../../lib/ledger/money';

describe('currencyExponent', () => {
  test.each([
    ['USD', 2],
    ['EUR', 2],
    ['HUF', 2],
    ['IDR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['VND', 0],
    ['CLP', 0],
    ['ISK', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['OMR', 3],
    ['JOD', 3],
    ['TND', 3],
    [' jpy ', 0],
    ['kwd', 3],
    ['XYZ', 2],
    ['not a code', 2],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  test.each([
    ['USD', true],
    ['usd', true],
    ['US', false],
    ['US$', false],
    ['', false],
  ])('isCurrencyCode(%j) is %s', (code, ok) => {
    expect(isCurrencyCode(code)).toBe(ok);
  });
});

describe('parseMoney', () => {
  test.each([
    // value, currency, minor units
    ['14.68', 'USD', 1468],
    ['0.00', 'USD', 0],
    ['0', 'USD', 0],
    ['  14.68  ', 'USD', 1468],
    ['1,234.50', 'USD', 123450],
    ['1,234,567', 'USD', 123456700],
    ['14', 'USD', 1400],
    ['14.5', 'USD', 1450],
    ['.5', 'USD', 50],
    ['+2.5', 'USD', 250],
    ['-3.2', 'USD', -320],
    ['14.675', 'USD', 1468],
    ['14.665', 'USD', 1467],
    ['14.6749999', 'USD', 1467],
    ['-14.675', 'USD', -1468],
    ['0.005', 'USD', 1],
    ['0.0049', 'USD', 0],
    ['-0.004', 'USD', 0],
    ['1e-7', 'USD', 0],
    ['1.5e2', 'USD', 15000],
    ['1234.5', 'JPY', 1235],
    ['1234.4', 'JPY', 1234],
    ['-1234.5', 'JPY', -1235],
    ['1.2345', 'KWD', 1235],
    ['1.2344', 'KWD', 1234],
    ['987654321012.34', 'USD', 98765432101234],
    ['1000000000000.00', 'USD', 100000000000000],
    ['1000000000000', 'KWD', 1000000000000000],
    ['1000000000000', 'JPY', 1000000000000],
    ['90071992547409.91', 'USD', 9007199254740991],
  ])('%j %s → %i', (value, currency, minor) => {
    expect(parseMoney(value, currency)).toBe(minor);
  });

  test.each([
    // numbers are read by their shortest decimal, so float noise rounds away instead of drifting
    [0.1 + 0.2, 'USD', 30],
    [14.68, 'USD', 1468],
    [1.005, 'USD', 101],
    [14.675, 'USD', 1468],
    [987654321012.34, 'USD', 98765432101234],
    [1e-7, 'USD', 0],
    [-0, 'USD', 0],
    [1234.5, 'JPY', 1235],
  ])('number %f %s → %i', (value, currency, minor) => {
    expect(parseMoney(value, currency)).toBe(minor);
  });

  test('1.005 is 101 cents, where Math.round(1.005 * 100) drifts to 100', () => {
    expect(Math.round(1.005 * 100)).toBe(100);
    expect(parseMoney(1.005, 'USD')).toBe(101);
  });

  test('ten additions of 0.1 stay exactly one unit', () => {
    const tenth = parseMoney('0.1', 'USD') ?? Number.NaN;
    const sum = sumMoney(Array.from({ length: 10 }, () => tenth));
    expect(sum).toBe(100);
    expect(minorToDecimal(sum, 'USD')).toBe('1.00');
  });

  test.each([
    ['-'],
    [''],
    ['   '],
    ['--'],
    ['N/A'],
    ['n/a'],
    ['NaN'],
    ['Infinity'],
    ['-Infinity'],
    [null],
    [undefined],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY],
  ])('%j is not applicable: null, never NaN', (value) => {
    expect(readMoney(value, 'USD')).toEqual({ kind: 'not-applicable' });
    expect(parseMoney(value, 'USD')).toBeNull();
  });

  test('"<5" is a bound, not an amount', () => {
    expect(readMoney('<5', 'USD')).toEqual({ kind: 'below', bound: 500 });
    expect(parseMoney('<5', 'USD')).toBeNull();
  });

  test.each([['14.68%'], ['$14.68'], ['14,68'], ['1,23'], ['1 234'], ['abc'], ['1.2.3'], ['0x10'], ['.'], ['e5']])(
    '%j is refused, not guessed',
    (value) => {
      expect(readMoney(value, 'USD')).toMatchObject({ kind: 'invalid', raw: value, reason: 'not a decimal number' });
      expect(parseMoney(value, 'USD')).toBeNull();
    },
  );

  test.each([['90071992547409.92'], ['1e21'], [1e21], ['10000000000000000000000']])(
    '%j is beyond exact range and refused',
    (value) => {
      expect(readMoney(value, 'USD')).toMatchObject({ kind: 'invalid', reason: 'amount out of range' });
    },
  );
});

describe('minorToDecimal and formatMoney', () => {
  test.each([
    [1468, 'USD', '14.68'],
    [5, 'USD', '0.05'],
    [-5, 'USD', '-0.05'],
    [0, 'USD', '0.00'],
    [98765432101234, 'USD', '987654321012.34'],
    [1235, 'JPY', '1235'],
    [1250, 'KWD', '1.250'],
    [-1, 'KWD', '-0.001'],
  ])('%i %s → %s', (minor, currency, text) => {
    expect(minorToDecimal(minor, currency)).toBe(text);
  });

  test.each([
    [1468, 'USD', 'en-US', '$14.68'],
    [98765432101234, 'USD', 'en-US', '$987,654,321,012.34'],
    [1235, 'JPY', 'en-US', '¥1,235'],
    [1250, 'KWD', 'en-US', 'KWD 1.250'],
    [12345, 'HUF', 'en-US', 'HUF 123.45'],
    [-320, 'USD', 'en-US', '-$3.20'],
    [123456, 'EUR', 'de-DE', '1.234,56 €'],
  ])('formatMoney(%i, %s, %s) → %s', (minor, currency, locale, text) => {
    expect(formatMoney(minor, currency, locale).replace(/\u00a0/g, ' ')).toBe(text);
  });

  test('a code Intl refuses falls back to decimal and code', () => {
    expect(formatMoney(1468, 'US$', 'en-US')).toBe('14.68 US$');
  });

  test('a non-integer amount is refused', () => {
    expect(() => minorToDecimal(14.68, 'USD')).toThrow(RangeError);
  });
});

describe('arithmetic', () => {
  test('add and subtract are exact', () => {
    expect(addMoney(10, 20)).toBe(30);
    expect(subMoney(1468, 1500)).toBe(-32);
    expect(sumMoney([])).toBe(0);
    expect(multiplyMoney(5000, 3)).toBe(15000);
  });

  test('results outside the safe range throw instead of rounding', () => {
    expect(() => addMoney(Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
    expect(() => subMoney(-Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
    expect(() => addMoney(0.5, 1)).toThrow(RangeError);
    expect(() => multiplyMoney(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
  });
});
