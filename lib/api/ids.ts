/**
 * IDs and levels. IDs are digit strings end to end (TikTok IDs are 64-bit, above 2^53).
 */
import { z } from '../zod';
import type { EndpointPath } from './endpoints';

/** 1–20 ASCII digits: every unsigned 64-bit integer fits. */
export const ID_PATTERN = /^\d{1,20}$/;

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/**
 * An ID as it may appear in a parsed TikTok response. Strings must be digit strings. A bare JSON
 * number is accepted only as the lossless parser delivers it: integers above 2^53 already arrive as
 * their exact digit string, and a safe non-negative integer is converted to its digits here. A
 * number that is not a safe integer could have been rounded, so it is refused.
 */
export const idSchema = z.union([
  z.string().regex(ID_PATTERN, 'expected a digit-string ID'),
  z
    .number()
    .int()
    .nonnegative()
    .refine((n) => Number.isSafeInteger(n), 'a numeric ID above 2^53 was rounded; parse JSON losslessly')
    .transform((n) => String(n)),
]);

/** An ID from our own code or a message: strings only, never numbers. */
export const strictIdSchema = z.string().regex(ID_PATTERN, 'expected a digit-string ID');

export const advertiserIdSchema = idSchema;
export const strictAdvertiserIdSchema = strictIdSchema;

export const LEVELS = ['campaign', 'adgroup', 'ad'] as const;
export type Level = (typeof LEVELS)[number];
export const levelSchema = z.enum(LEVELS);

export const MAX_IDS_PER_STATUS_UPDATE = 20;
export const MAX_IDS_PER_FILTER = 100;
export const MAX_PAGE_SIZE = 1000;

export interface LevelMeta {
  readonly level: Level;
  /** Plain-words name for messages. */
  readonly label: string;
  readonly getPath: EndpointPath;
  readonly statusUpdatePath: EndpointPath;
  readonly idField: 'campaign_id' | 'adgroup_id' | 'ad_id';
  readonly idsField: 'campaign_ids' | 'adgroup_ids' | 'ad_ids';
  readonly nameField: 'campaign_name' | 'adgroup_name' | 'ad_name';
  readonly reportDataLevel: 'AUCTION_CAMPAIGN' | 'AUCTION_ADGROUP' | 'AUCTION_AD';
  readonly secondaryStatusPrefix: 'CAMPAIGN_STATUS_' | 'ADGROUP_STATUS_' | 'AD_STATUS_';
  readonly maxIdsPerStatusUpdate: number;
  readonly maxIdsPerFilter: number;
  readonly maxPageSize: number;
}

export const LEVEL_META: Readonly<Record<Level, LevelMeta>> = {
  campaign: {
    level: 'campaign',
    label: 'campaign',
    getPath: 'campaign/get/',
    statusUpdatePath: 'campaign/status/update/',
    idField: 'campaign_id',
    idsField: 'campaign_ids',
    nameField: 'campaign_name',
    reportDataLevel: 'AUCTION_CAMPAIGN',
    secondaryStatusPrefix: 'CAMPAIGN_STATUS_',
    maxIdsPerStatusUpdate: MAX_IDS_PER_STATUS_UPDATE,
    maxIdsPerFilter: MAX_IDS_PER_FILTER,
    maxPageSize: MAX_PAGE_SIZE,
  },
  adgroup: {
    level: 'adgroup',
    label: 'ad group',
    getPath: 'adgroup/get/',
    statusUpdatePath: 'adgroup/status/update/',
    idField: 'adgroup_id',
    idsField: 'adgroup_ids',
    nameField: 'adgroup_name',
    reportDataLevel: 'AUCTION_ADGROUP',
    secondaryStatusPrefix: 'ADGROUP_STATUS_',
    maxIdsPerStatusUpdate: MAX_IDS_PER_STATUS_UPDATE,
    maxIdsPerFilter: MAX_IDS_PER_FILTER,
    maxPageSize: MAX_PAGE_SIZE,
  },
  ad: {
    level: 'ad',
    label: 'ad',
    getPath: 'ad/get/',
    statusUpdatePath: 'ad/status/update/',
    idField: 'ad_id',
    idsField: 'ad_ids',
    nameField: 'ad_name',
    reportDataLevel: 'AUCTION_AD',
    secondaryStatusPrefix: 'AD_STATUS_',
    maxIdsPerStatusUpdate: MAX_IDS_PER_STATUS_UPDATE,
    maxIdsPerFilter: MAX_IDS_PER_FILTER,
    maxPageSize: MAX_PAGE_SIZE,
  },
};

/** The only statuses SafePause ever sends. DELETE is deliberately absent. */
export const STATUS_ACTIONS = ['ENABLE', 'DISABLE'] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];
export const statusActionSchema = z.enum(STATUS_ACTIONS);

export function isStatusAction(value: unknown): value is StatusAction {
  return value === 'ENABLE' || value === 'DISABLE';
}
