import { describe, expect, test } from 'vitest';
import {
  idSchema,
  isObjectId,
  isStatusAction,
  LEVEL_META,
  LEVELS,
  levelSchema,
  statusActionSchema,
  strictIdSchema,
} from '../../../lib/api/ids';
import { parseJsonLossless } from '../../../lib/api/json';

describe('idSchema', () => {
  test.each([
    ['1800000000000000001', '1800000000000000001'],
    ['7', '7'],
    ['18446744073709551615', '18446744073709551615'],
    [11, '11'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('accepts %j as %j', (input, expected) => {
    expect(idSchema.parse(input)).toBe(expected);
  });

  test.each([
    [''],
    ['12a'],
    [' 12'],
    ['-12'],
    ['1.5'],
    ['123456789012345678901'],
    [2 ** 60],
    [1.5],
    [-1],
    [null],
    [undefined],
  ])('refuses %j', (input) => {
    expect(idSchema.safeParse(input).success).toBe(false);
  });

  test('a bare 64-bit id only passes through the lossless parser, exactly', () => {
    const lossless = parseJsonLossless('{"id":7664548737817054485}') as { id: unknown };
    expect(idSchema.parse(lossless.id)).toBe('7664548737817054485');
    const lossy = JSON.parse('{"id":7664548737817054485}') as { id: unknown };
    expect(idSchema.safeParse(lossy.id).success).toBe(false);
  });

  test('strictIdSchema refuses numbers', () => {
    expect(strictIdSchema.safeParse(11).success).toBe(false);
    expect(strictIdSchema.parse('11')).toBe('11');
  });

  test.each([
    ['123', true],
    ['', false],
    [123, false],
  ])('isObjectId(%j) is %s', (value, expected) => {
    expect(isObjectId(value)).toBe(expected);
  });
});

describe('levels', () => {
  test.each([
    [
      'campaign',
      'campaign/get/',
      'campaign/status/update/',
      'campaign_id',
      'campaign_ids',
      'campaign_name',
      'AUCTION_CAMPAIGN',
    ],
    [
      'adgroup',
      'adgroup/get/',
      'adgroup/status/update/',
      'adgroup_id',
      'adgroup_ids',
      'adgroup_name',
      'AUCTION_ADGROUP',
    ],
    ['ad', 'ad/get/', 'ad/status/update/', 'ad_id', 'ad_ids', 'ad_name', 'AUCTION_AD'],
  ] as const)('%s metadata', (level, getPath, statusPath, idField, idsField, nameField, dataLevel) => {
    expect(LEVEL_META[level]).toMatchObject({
      level,
      getPath,
      statusUpdatePath: statusPath,
      idField,
      idsField,
      nameField,
      reportDataLevel: dataLevel,
      maxIdsPerStatusUpdate: 20,
      maxIdsPerFilter: 100,
      maxPageSize: 1000,
    });
  });

  test('exactly three levels', () => {
    expect(LEVELS).toEqual(['campaign', 'adgroup', 'ad']);
    expect(levelSchema.safeParse('advertiser').success).toBe(false);
  });

  test.each([
    ['ENABLE', true],
    ['DISABLE', true],
    ['DELETE', false],
    ['disable', false],
  ])('status action %s allowed: %s', (value, allowed) => {
    expect(isStatusAction(value)).toBe(allowed);
    expect(statusActionSchema.safeParse(value).success).toBe(allowed);
  });
});
