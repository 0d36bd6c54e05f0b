import { describe, expect, test } from 'vitest';
import { BadResponseError } from '../../../lib/api/errors';
import { parseJsonLossless } from '../../../lib/api/json';
import {
  advertiserInfoListSchema,
  envelopeSchema,
  OBJECT_LIST_SCHEMAS,
  parseResponsePart,
  readMetric,
  reportSchema,
  STATUS_UPDATE_SCHEMAS,
  toApiObject,
  toStatusUpdateResult,
  userInfoSchema,
} from '../../../lib/api/schemas';

const PAGE = { page: 1, page_size: 10, total_number: 1, total_page: 1 };
const ctx = { endpoint: 'campaign/get/', write: false, root: 'data' } as const;

describe('envelope', () => {
  test('parses code, message, request_id and data', () => {
    expect(envelopeSchema.parse({ code: 0, message: 'OK', request_id: '2019', data: { a: 1 } })).toEqual({
      code: 0,
      message: 'OK',
      request_id: '2019',
      data: { a: 1 },
    });
  });

  test('tolerates a missing message and request_id', () => {
    expect(envelopeSchema.parse({ code: 40105 })).toMatchObject({ code: 40105, message: '', request_id: '' });
  });

  test('a missing code is a BadResponseError naming the field', () => {
    expect(() => parseResponsePart(envelopeSchema, { message: 'OK' }, { ...ctx, root: '' })).toThrow(
      /campaign\/get\/.*required field code is missing/,
    );
  });
});

describe('object lists', () => {
  const campaign = {
    campaign_id: '1800000000000000001',
    campaign_name: 'Summer sale',
    advertiser_id: '7000000000000000001',
    operation_status: 'ENABLE',
    secondary_status: 'CAMPAIGN_STATUS_ENABLE',
    budget_mode: 'BUDGET_MODE_DAY',
    budget: 50.5,
    objective_type: 'TRAFFIC',
    create_time: '2025-01-01 00:00:00',
    modify_time: '2025-01-02 10:00:00',
  };

  test('a campaign normalises to ApiObject with string IDs', () => {
    const parsed = OBJECT_LIST_SCHEMAS.campaign.parse({ list: [campaign], page_info: PAGE });
    expect(toApiObject('campaign', parsed.list[0] as (typeof parsed.list)[number])).toEqual({
      level: 'campaign',
      id: '1800000000000000001',
      name: 'Summer sale',
      advertiserId: '7000000000000000001',
      campaignId: '1800000000000000001',
      adgroupId: null,
      operationStatus: 'ENABLE',
      secondaryStatus: 'CAMPAIGN_STATUS_ENABLE',
      budget: 50.5,
      budgetMode: 'BUDGET_MODE_DAY',
      createTime: '2025-01-01 00:00:00',
      modifyTime: '2025-01-02 10:00:00',
      unrecognized: [],
    });
  });

  test('bare 64-bit IDs in a raw body survive the lossless path', () => {
    const json = parseJsonLossless(
      '{"list":[{"campaign_id":7664548737817054485,"campaign_name":"x","operation_status":"DISABLE","advertiser_id":7556508952121393153}],"page_info":{"page":1,"page_size":10,"total_number":1,"total_page":1}}',
    );
    const parsed = parseResponsePart(OBJECT_LIST_SCHEMAS.campaign, json, ctx);
    expect(parsed.list[0]?.campaign_id).toBe('7664548737817054485');
    expect(parsed.list[0]?.advertiser_id).toBe('7556508952121393153');
  });

  test.each([
    ['operation_status', { operation_status: 'PAUSED_BY_MAGIC' }],
    ['secondary_status', { secondary_status: 'CAMPAIGN_STATUS_SOMETHING_NEW' }],
    ['budget_mode', { budget_mode: 'BUDGET_MODE_HOURLY' }],
  ])('an unknown %s is kept and flagged', (field, patch) => {
    const parsed = OBJECT_LIST_SCHEMAS.campaign.parse({ list: [{ ...campaign, ...patch }], page_info: PAGE });
    const object = toApiObject('campaign', parsed.list[0] as (typeof parsed.list)[number]);
    const value = Object.values(patch)[0];
    expect(object.unrecognized).toEqual([{ field, value }]);
  });

  test('Promote-style campaigns with only a few fields parse', () => {
    const parsed = OBJECT_LIST_SCHEMAS.campaign.parse({
      list: [{ campaign_id: '1', campaign_name: 'p', operation_status: 'ENABLE', advertiser_id: '2' }],
      page_info: PAGE,
    });
    const object = toApiObject('campaign', parsed.list[0] as (typeof parsed.list)[number]);
    expect(object).toMatchObject({ modifyTime: null, budget: null, secondaryStatus: null });
  });

  test.each([
    ['campaign_id', 'data.list[0].campaign_id'],
    ['campaign_name', 'data.list[0].campaign_name'],
    ['operation_status', 'data.list[0].operation_status'],
  ])('missing %s → BadResponseError naming %s and the endpoint', (field, path) => {
    const broken: Record<string, unknown> = { ...campaign };
    delete broken[field];
    let caught: unknown;
    try {
      parseResponsePart(OBJECT_LIST_SCHEMAS.campaign, { list: [broken], page_info: PAGE }, ctx);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BadResponseError);
    const error = caught as BadResponseError;
    expect(error.field).toBe(path);
    expect(error.message).toContain('campaign/get/');
    expect(error.message).toContain(`required field ${path} is missing`);
  });

  test('missing page_info is named', () => {
    expect(() => parseResponsePart(OBJECT_LIST_SCHEMAS.ad, { list: [] }, { ...ctx, endpoint: 'ad/get/' })).toThrow(
      /ad\/get\/.*data\.page_info is missing/,
    );
  });

  test('an invalid value is reported as invalid, not missing', () => {
    expect(() =>
      parseResponsePart(
        OBJECT_LIST_SCHEMAS.campaign,
        { list: [{ ...campaign, campaign_id: 'abc' }], page_info: PAGE },
        ctx,
      ),
    ).toThrow(/field data\.list\[0\]\.campaign_id is invalid/);
  });

  test('ad groups and ads carry their parents', () => {
    const g = OBJECT_LIST_SCHEMAS.adgroup.parse({
      list: [{ adgroup_id: '3', adgroup_name: 'g', campaign_id: '1', operation_status: 'FROZEN' }],
      page_info: PAGE,
    }).list[0];
    const a = OBJECT_LIST_SCHEMAS.ad.parse({
      list: [{ ad_id: '4', ad_name: 'a', adgroup_id: '3', campaign_id: '1', operation_status: 'DISABLE' }],
      page_info: PAGE,
    }).list[0];
    expect(toApiObject('adgroup', g as NonNullable<typeof g>)).toMatchObject({
      id: '3',
      campaignId: '1',
      adgroupId: '3',
      unrecognized: [],
    });
    expect(toApiObject('ad', a as NonNullable<typeof a>)).toMatchObject({ id: '4', campaignId: '1', adgroupId: '3' });
  });

  test('known ad group and ad secondary statuses are not flagged', () => {
    const g = OBJECT_LIST_SCHEMAS.adgroup.parse({
      list: [
        {
          adgroup_id: '3',
          adgroup_name: 'g',
          operation_status: 'ENABLE',
          secondary_status: 'ADGROUP_STATUS_CAMPAIGN_DISABLE',
        },
      ],
      page_info: PAGE,
    }).list[0];
    const a = OBJECT_LIST_SCHEMAS.ad.parse({
      list: [{ ad_id: '4', ad_name: 'a', operation_status: 'ENABLE', secondary_status: 'AD_STATUS_ADGROUP_DISABLE' }],
      page_info: PAGE,
    }).list[0];
    expect(toApiObject('adgroup', g as NonNullable<typeof g>).unrecognized).toEqual([]);
    expect(toApiObject('ad', a as NonNullable<typeof a>).unrecognized).toEqual([]);
  });
});

describe('status update data', () => {
  test('campaign: ids, status and per-campaign list', () => {
    const raw = STATUS_UPDATE_SCHEMAS.campaign.parse({
      campaign_ids: ['1'],
      status: 'DISABLE',
      campaign_list: [{ campaign_id: '1', status: 'DISABLE' }],
    });
    expect(toStatusUpdateResult('campaign', raw)).toEqual({
      ids: ['1'],
      status: 'DISABLE',
      objects: [{ id: '1', status: 'DISABLE' }],
      errors: [],
    });
  });

  test('v1.2-style numeric IDs are turned into strings', () => {
    const raw = STATUS_UPDATE_SCHEMAS.campaign.parse({ campaign_ids: [11, 22], status: 'ENABLE' });
    expect(toStatusUpdateResult('campaign', raw).ids).toEqual(['11', '22']);
  });

  test('ad group error_list is kept', () => {
    const raw = STATUS_UPDATE_SCHEMAS.adgroup.parse({
      adgroup_ids: ['3'],
      status: 'DISABLE',
      error_list: [{ adgroup_id: '4', error_message: 'deleted' }],
    });
    expect(toStatusUpdateResult('adgroup', raw).errors).toEqual([{ id: '4', message: 'deleted' }]);
  });

  test('ad: missing ad_ids is named', () => {
    expect(() =>
      parseResponsePart(
        STATUS_UPDATE_SCHEMAS.ad,
        { status: 'DISABLE' },
        { ...ctx, endpoint: 'ad/status/update/', write: true },
      ),
    ).toThrow(/data\.ad_ids is missing/);
  });
});

describe('reports', () => {
  const body = {
    page_info: { page: 1, page_size: 1000, total_number: 2, total_page: 1 },
    list: [
      {
        dimensions: { campaign_id: '1800000000000000001', stat_time_day: '2025-12-03 00:00:00' },
        metrics: { spend: '14.68', impressions: '1079', cpc: '-', reach: '<5' },
      },
    ],
  };

  test('string metrics are kept, including "-" and "<5"', () => {
    const parsed = reportSchema.parse(body);
    expect(parsed.list[0]?.metrics).toEqual({ spend: '14.68', impressions: '1079', cpc: '-', reach: '<5' });
  });

  test('numbers become text and null becomes "-"', () => {
    const text =
      '{"page_info":{"page":1,"page_size":10,"total_number":1,"total_page":1},"list":[{"dimensions":{"campaign_id":7664548737817054485},"metrics":{"spend":3,"ctr":null}}]}';
    const parsed = reportSchema.parse(parseJsonLossless(text));
    expect(parsed.list[0]).toEqual({
      dimensions: { campaign_id: '7664548737817054485' },
      metrics: { spend: '3', ctr: '-' },
    });
  });

  test.each([
    ['14.68', { kind: 'number', value: 14.68 }],
    ['0.00', { kind: 'number', value: 0 }],
    ['1,079', { kind: 'number', value: 1079 }],
    ['2.5%', { kind: 'number', value: 2.5 }],
    ['-', { kind: 'not-applicable' }],
    ['', { kind: 'not-applicable' }],
    [undefined, { kind: 'not-applicable' }],
    ['<5', { kind: 'below', bound: 5 }],
    ['N/A', { kind: 'unparsed', raw: 'N/A' }],
  ])('readMetric(%j)', (raw, expected) => {
    expect(readMetric(raw)).toEqual(expected);
  });
});

describe('advertiser/info and user/info', () => {
  test('advertiser info requires currency and timezone', () => {
    expect(
      advertiserInfoListSchema.parse({
        list: [{ advertiser_id: '7', name: 'Shop', currency: 'EUR', timezone: 'Europe/Paris' }],
      }).list[0],
    ).toMatchObject({ advertiser_id: '7', currency: 'EUR' });
    expect(() =>
      parseResponsePart(
        advertiserInfoListSchema,
        { list: [{ advertiser_id: '7', currency: 'EUR' }] },
        { ...ctx, endpoint: 'advertiser/info/' },
      ),
    ).toThrow(/advertiser\/info\/.*data\.list\[0\]\.timezone is missing/);
  });

  test('user info keeps a 64-bit core_user_id as a string', () => {
    const json = parseJsonLossless('{"core_user_id":7556508952121393153,"display_name":"Ana"}');
    expect(userInfoSchema.parse(json)).toMatchObject({ core_user_id: '7556508952121393153', display_name: 'Ana' });
  });
});
