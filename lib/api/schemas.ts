/**
 * zod schemas for the envelope and every response SafePause reads, plus their normalised shapes.
 * Unknown enum values never crash: they are kept as strings and listed in `unrecognized`.
 * A missing required field becomes a BadResponseError naming the field and the endpoint.
 */
import { z } from '../zod';
import type { EndpointPath } from './endpoints';
import { BadResponseError } from './errors';
import { idSchema, type Level } from './ids';

// ---------------------------------------------------------------------------------------------
// Known enum values

export const OPERATION_STATUSES = ['ENABLE', 'DISABLE', 'FROZEN'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const BUDGET_MODES = [
  'BUDGET_MODE_INFINITE',
  'BUDGET_MODE_TOTAL',
  'BUDGET_MODE_DAY',
  'BUDGET_MODE_DYNAMIC_DAILY_BUDGET',
] as const;
export type BudgetMode = (typeof BUDGET_MODES)[number];

export const CAMPAIGN_SECONDARY_STATUSES = [
  'CAMPAIGN_STATUS_ENABLE',
  'CAMPAIGN_STATUS_DISABLE',
  'CAMPAIGN_STATUS_AWAITING_RELEASE',
  'CAMPAIGN_STATUS_DELETE',
  'CAMPAIGN_STATUS_BUDGET_EXCEED',
  'CAMPAIGN_STATUS_ADVERTISER_AUDIT_DENY',
  'CAMPAIGN_STATUS_ADVERTISER_AUDIT',
  'ADVERTISER_CONTRACT_PENDING',
  'ADVERTISER_ACCOUNT_PUNISH',
  'CAMPAIGN_STATUS_IDENTITY_USED_BY_GMV_MAX_AD',
  'CAMPAIGN_STATUS_TTS_TT_ASSET_UNAVAILABLE',
  'CAMPAIGN_STATUS_TTS_TT_IDENTITY_UNAVAILABLE',
  'CAMPAIGN_STATUS_TIKTOK_SHOP_UNAVAILABLE',
  'CAMPAIGN_STATUS_REVIEW_DISAPPROVED',
  'CAMPAIGN_STATUS_AD_UNAVAILABLE',
  'CAMPAIGN_STATUS_PRODUCT_UNAVAILABLE',
  'CAMPAIGN_STATUS_TTS_ACCOUNT_BALANCE_INSUFFICIENT',
  'CAMPAIGN_STATUS_LIVE_GMV_MAX_AUTHORIZATION_CANCEL',
  'CAMPAIGN_STATUS_PRODUCT_GMV_MAX_AUTHORIZATION_CANCEL',
  'CAMPAIGN_STATUS_IDENTITY_USED_BY_LIVE_GMV_MAX',
  'CAMPAIGN_STATUS_PRODUCT_USED_BY_PRODUCT_GMV_MAX',
] as const;

/** Ad group secondary statuses without their `ADGROUP_STATUS_` / `AD_STATUS_` prefix. */
const DELIVERY_STATUS_SUFFIXES = [
  'DELETE',
  'CAMPAIGN_DELETE',
  'DISABLE',
  'CAMPAIGN_DISABLE',
  'DELIVERY_OK',
  'PARTIAL_AUDIT_DELIVERY_OK',
  'SHADOW_ADGROUP_REAUDIT',
  'REVIEW_PARTIALLY_APPROVED',
  'SEARCH_KEYWORDS_PARTIAL_APPROVED',
  'ADVERTISER_AUDIT_DENY',
  'ADVERTISER_AUDIT',
  'BALANCE_EXCEED',
  'CREATE',
  'TRANSCODING_FAIL',
  'AUDIT',
  'REAUDIT',
  'AUDIT_DENY',
  'PARTIAL_AUDIT_NO_DELIVERY',
  'LIVE_NOT_START',
  'INDUSTRY_QUALIFICATION_MISSING',
  'INDUSTRY_QUALIFICATION_EXPIRED',
  'INDUSTRY_QUALIFICATION_DENY',
  'CAMPAIGN_EXCEED',
  'BUDGET_EXCEED',
  'FROZEN',
  'ADGROUP_PRE_ONLINE',
  'NOT_START',
  'ASSET_AUTHORIZATION_LOST',
  'PIXEL_UNBIND',
  'ADGROUP_QUOTA_LIMIT',
  'IDENTITY_USED_BY_GMV_MAX_AD',
  'SEARCH_KEYWORDS_IN_REVIEW',
  'SEARCH_KEYWORDS_NOT_AVAILABLE',
  'TIME_DONE',
  'RF_DEDUCTION_FAILED',
  'RF_NO_VALID_CREATIVE',
  'RF_CLOSED_OTHERS',
  'RF_AD_AUDIT_DENY',
  'RF_ADGROUP_INVALID',
  'RF_WITHDRAW_ORDER',
  'RF_TERMINATE',
  'RF_TIME_DONE',
  'RF_NO_DELIVERY_CREATIVE',
  'RF_SHORT_BALANCE',
  'RF_BOOKING',
  'RF_SCHEDULE',
] as const;

const ADVERTISER_WIDE_STATUSES = [
  'ADVERTISER_CONTRACT_PENDING',
  'ADVERTISER_ACCOUNT_PUNISH',
  'ADVERTISER_ACCOUNT_INVALID',
] as const;

export const ADGROUP_SECONDARY_STATUSES: readonly string[] = [
  ...DELIVERY_STATUS_SUFFIXES.map((s) => `ADGROUP_STATUS_${s}`),
  ...ADVERTISER_WIDE_STATUSES,
];

export const AD_SECONDARY_STATUSES: readonly string[] = [
  ...DELIVERY_STATUS_SUFFIXES.map((s) => `AD_STATUS_${s}`),
  'AD_STATUS_ADGROUP_DISABLE',
  'AD_STATUS_ADGROUP_DELETE',
  'AD_STATUS_DONE',
  ...ADVERTISER_WIDE_STATUSES,
];

const KNOWN_SECONDARY: Readonly<Record<Level, ReadonlySet<string>>> = {
  campaign: new Set(CAMPAIGN_SECONDARY_STATUSES),
  adgroup: new Set(ADGROUP_SECONDARY_STATUSES),
  ad: new Set(AD_SECONDARY_STATUSES),
};
const KNOWN_OPERATION: ReadonlySet<string> = new Set(OPERATION_STATUSES);
const KNOWN_BUDGET_MODES: ReadonlySet<string> = new Set(BUDGET_MODES);

export function isKnownOperationStatus(value: string): value is OperationStatus {
  return KNOWN_OPERATION.has(value);
}

/** A field whose value is not one SafePause knows: kept as-is and shown as "unrecognised". */
export interface UnrecognizedValue {
  field: string;
  value: string;
}

// ---------------------------------------------------------------------------------------------
// Scalars

const numberLike = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'expected a number')
    .transform((s) => Number(s)),
]);

/** Times come as "YYYY-MM-DD HH:MM:SS" strings; some clients have seen epoch numbers. Kept as text. */
const timeText = z.union([z.string(), z.number().transform((n) => String(n))]);

/** Metric and dimension values are strings ("14.68", "-", "<5"); numbers are turned into text. */
const reportValue = z.union([z.string(), z.number().transform((n) => String(n)), z.null().transform(() => '-')]);

const count = z.number().int().nonnegative();

export const pageInfoSchema = z.object({
  page: count,
  page_size: count,
  total_number: count,
  total_page: count,
});
export type PageInfo = z.output<typeof pageInfoSchema>;

// ---------------------------------------------------------------------------------------------
// Envelope

export const envelopeSchema = z.object({
  code: z.number().int(),
  message: z.string().optional().default(''),
  request_id: z
    .union([z.string(), z.number().transform((n) => String(n))])
    .optional()
    .default(''),
  data: z.unknown().optional(),
});
export type Envelope = z.output<typeof envelopeSchema>;

// ---------------------------------------------------------------------------------------------
// Campaign / ad group / ad reads

const commonObjectFields = {
  advertiser_id: idSchema.nullish(),
  operation_status: z.string(),
  secondary_status: z.string().nullish(),
  budget: numberLike.nullish(),
  budget_mode: z.string().nullish(),
  create_time: timeText.nullish(),
  modify_time: timeText.nullish(),
};

export const campaignSchema = z.object({
  campaign_id: idSchema,
  campaign_name: z.string(),
  ...commonObjectFields,
  objective_type: z.string().nullish(),
  campaign_type: z.string().nullish(),
});

export const adgroupSchema = z.object({
  adgroup_id: idSchema,
  adgroup_name: z.string(),
  campaign_id: idSchema.nullish(),
  campaign_name: z.string().nullish(),
  ...commonObjectFields,
  schedule_type: z.string().nullish(),
  schedule_start_time: timeText.nullish(),
  schedule_end_time: timeText.nullish(),
});

export const adSchema = z.object({
  ad_id: idSchema,
  ad_name: z.string(),
  adgroup_id: idSchema.nullish(),
  adgroup_name: z.string().nullish(),
  campaign_id: idSchema.nullish(),
  campaign_name: z.string().nullish(),
  ...commonObjectFields,
});

export const OBJECT_SCHEMAS = { campaign: campaignSchema, adgroup: adgroupSchema, ad: adSchema } as const;

/** One campaign, ad group or ad, normalised across levels. IDs are digit strings. */
export interface ApiObject {
  level: Level;
  id: string;
  name: string;
  advertiserId: string | null;
  /** The campaign this object is or belongs to, when known. */
  campaignId: string | null;
  /** The ad group this object is or belongs to, when known (null for campaigns). */
  adgroupId: string | null;
  operationStatus: OperationStatus | (string & {});
  secondaryStatus: string | null;
  budget: number | null;
  budgetMode: BudgetMode | (string & {}) | null;
  createTime: string | null;
  modifyTime: string | null;
  /** Enum values SafePause does not know; the UI shows them as "unrecognised". */
  unrecognized: UnrecognizedValue[];
}

function collectUnrecognized(
  level: Level,
  raw: { operation_status: string; secondary_status?: string | null; budget_mode?: string | null },
): UnrecognizedValue[] {
  const out: UnrecognizedValue[] = [];
  if (!KNOWN_OPERATION.has(raw.operation_status)) {
    out.push({ field: 'operation_status', value: raw.operation_status });
  }
  if (raw.secondary_status != null && !KNOWN_SECONDARY[level].has(raw.secondary_status)) {
    out.push({ field: 'secondary_status', value: raw.secondary_status });
  }
  if (raw.budget_mode != null && !KNOWN_BUDGET_MODES.has(raw.budget_mode)) {
    out.push({ field: 'budget_mode', value: raw.budget_mode });
  }
  return out;
}

type RawObject<L extends Level> = z.output<(typeof OBJECT_SCHEMAS)[L]>;

export function toApiObject<L extends Level>(level: L, raw: RawObject<L>): ApiObject {
  const common = {
    level,
    advertiserId: raw.advertiser_id ?? null,
    operationStatus: raw.operation_status,
    secondaryStatus: raw.secondary_status ?? null,
    budget: raw.budget ?? null,
    budgetMode: raw.budget_mode ?? null,
    createTime: raw.create_time ?? null,
    modifyTime: raw.modify_time ?? null,
    unrecognized: collectUnrecognized(level, raw),
  };
  if (level === 'campaign') {
    const c = raw as RawObject<'campaign'>;
    return { ...common, id: c.campaign_id, name: c.campaign_name, campaignId: c.campaign_id, adgroupId: null };
  }
  if (level === 'adgroup') {
    const g = raw as RawObject<'adgroup'>;
    return {
      ...common,
      id: g.adgroup_id,
      name: g.adgroup_name,
      campaignId: g.campaign_id ?? null,
      adgroupId: g.adgroup_id,
    };
  }
  const a = raw as RawObject<'ad'>;
  return {
    ...common,
    id: a.ad_id,
    name: a.ad_name,
    campaignId: a.campaign_id ?? null,
    adgroupId: a.adgroup_id ?? null,
  };
}

export const OBJECT_LIST_SCHEMAS = {
  campaign: z.object({ list: z.array(campaignSchema), page_info: pageInfoSchema }),
  adgroup: z.object({ list: z.array(adgroupSchema), page_info: pageInfoSchema }),
  ad: z.object({ list: z.array(adSchema), page_info: pageInfoSchema }),
} as const;

export interface ObjectPage {
  list: ApiObject[];
  pageInfo: PageInfo;
}

// ---------------------------------------------------------------------------------------------
// Status updates

export const STATUS_UPDATE_SCHEMAS = {
  campaign: z.object({
    campaign_ids: z.array(idSchema),
    status: z.string().nullish(),
    campaign_list: z.array(z.object({ campaign_id: idSchema, status: z.string().nullish() })).nullish(),
  }),
  adgroup: z.object({
    adgroup_ids: z.array(idSchema),
    status: z.string().nullish(),
    error_list: z.array(z.object({ adgroup_id: idSchema, error_message: z.string().nullish() })).nullish(),
  }),
  ad: z.object({
    ad_ids: z.array(idSchema),
    aco_ad_ids: z.array(idSchema).nullish(),
    status: z.string().nullish(),
  }),
} as const;

export interface StatusUpdateResult {
  /** IDs TikTok reports as modified. */
  ids: string[];
  /** The operation TikTok says it executed (ENABLE / DISABLE). */
  status: string | null;
  /** Per-object current status, where TikTok returns it (campaigns). */
  objects: { id: string; status: string | null }[];
  /** Per-object errors, where TikTok returns them (ad groups with partial success). */
  errors: { id: string; message: string }[];
}

export function toStatusUpdateResult(
  level: Level,
  raw: z.output<(typeof STATUS_UPDATE_SCHEMAS)[Level]>,
): StatusUpdateResult {
  const status = raw.status ?? null;
  if (level === 'campaign') {
    const c = raw as z.output<(typeof STATUS_UPDATE_SCHEMAS)['campaign']>;
    return {
      ids: c.campaign_ids,
      status,
      objects: (c.campaign_list ?? []).map((o) => ({ id: o.campaign_id, status: o.status ?? null })),
      errors: [],
    };
  }
  if (level === 'adgroup') {
    const g = raw as z.output<(typeof STATUS_UPDATE_SCHEMAS)['adgroup']>;
    return {
      ids: g.adgroup_ids,
      status,
      objects: [],
      errors: (g.error_list ?? []).map((e) => ({ id: e.adgroup_id, message: e.error_message ?? '' })),
    };
  }
  const a = raw as z.output<(typeof STATUS_UPDATE_SCHEMAS)['ad']>;
  return { ids: a.ad_ids, status, objects: [], errors: [] };
}

// ---------------------------------------------------------------------------------------------
// Reports

export const reportRowSchema = z.object({
  dimensions: z.record(z.string(), reportValue),
  metrics: z.record(z.string(), reportValue),
});
export type ReportRow = z.output<typeof reportRowSchema>;

export const reportSchema = z.object({
  list: z.array(reportRowSchema),
  page_info: pageInfoSchema,
  total_metrics: z.record(z.string(), reportValue).nullish(),
});

export interface ReportPage {
  list: ReportRow[];
  pageInfo: PageInfo;
  totalMetrics: Record<string, string> | null;
}

/** A metric value read for arithmetic. */
export type MetricValue =
  | { kind: 'number'; value: number }
  /** "-": not applicable or aggregated away. */
  | { kind: 'not-applicable' }
  /** "<5" and similar: a value below a bound TikTok will not disclose. */
  | { kind: 'below'; bound: number }
  | { kind: 'unparsed'; raw: string };

export function readMetric(raw: string | undefined | null): MetricValue {
  if (raw == null) return { kind: 'not-applicable' };
  const text = raw.trim();
  if (text === '-' || text === '') return { kind: 'not-applicable' };
  const below = /^<\s*(\d+(?:\.\d+)?)$/.exec(text);
  if (below?.[1] !== undefined) return { kind: 'below', bound: Number(below[1]) };
  const plain = text.replace(/,/g, '').replace(/%$/, '');
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(plain)) return { kind: 'number', value: Number(plain) };
  return { kind: 'unparsed', raw };
}

// ---------------------------------------------------------------------------------------------
// advertiser/info and user/info

export const advertiserInfoSchema = z.object({
  advertiser_id: idSchema,
  name: z.string().nullish(),
  currency: z.string(),
  timezone: z.string(),
  display_timezone: z.string().nullish(),
  status: z.string().nullish(),
});
export const advertiserInfoListSchema = z.object({ list: z.array(advertiserInfoSchema) });

export interface AdvertiserInfo {
  advertiserId: string;
  name: string | null;
  currency: string;
  timezone: string;
  displayTimezone: string | null;
  status: string | null;
}

export function toAdvertiserInfo(raw: z.output<typeof advertiserInfoSchema>): AdvertiserInfo {
  return {
    advertiserId: raw.advertiser_id,
    name: raw.name ?? null,
    currency: raw.currency,
    timezone: raw.timezone,
    displayTimezone: raw.display_timezone ?? null,
    status: raw.status ?? null,
  };
}

export const userInfoSchema = z.object({
  core_user_id: idSchema,
  display_name: z.string().nullish(),
  email: z.string().nullish(),
  avatar_url: z.string().nullish(),
  create_time: timeText.nullish(),
});

export interface UserInfo {
  coreUserId: string;
  displayName: string | null;
  /** Masked by TikTok. */
  email: string | null;
}

export function toUserInfo(raw: z.output<typeof userInfoSchema>): UserInfo {
  return { coreUserId: raw.core_user_id, displayName: raw.display_name ?? null, email: raw.email ?? null };
}

// ---------------------------------------------------------------------------------------------
// Parsing with endpoint-aware errors

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Validates `value` (found at `root` in the response, usually "data") and returns the parsed output,
 * or throws a BadResponseError naming the first field at fault and the endpoint.
 */
export function parseResponsePart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  ctx: { endpoint: EndpointPath; write: boolean; root: string },
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = formatPath([ctx.root, ...(issue?.path ?? [])]);
  const missing = issue !== undefined && valueAt(value, issue.path) === undefined;
  const problem = missing
    ? `required field ${field} is missing`
    : `field ${field} is invalid (${issue?.message ?? 'unknown problem'})`;
  throw new BadResponseError({ endpoint: ctx.endpoint, write: ctx.write, problem, field });
}
