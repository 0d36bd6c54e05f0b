import { ruleSchema } from '../rules/schema';
import { z } from '../zod';

/**
 * Every message that crosses into the background worker, as zod schemas. `area:verb` names.
 * Content scripts may name only an advertiser, a level and object IDs (plus the visible names they read):
 * never a URL, a token, or anything the worker would pass to an API as-is.
 */
export const objectId = z.string().regex(/^\d{6,20}$/, 'object IDs are 6-20 digit strings');
export const advertiserId = z.string().regex(/^\d{6,20}$/, 'advertiser IDs are 6-20 digit strings');
export const level = z.enum(['campaign', 'adgroup', 'ad']);
export const visibleName = z.string().max(1024);
const shortKey = z.string().min(1).max(64);

export const candidate = z.strictObject({ id: z.string().regex(/^\d{15,20}$/), field: z.string().max(40) });

/** From content scripts (the overlay on Ads Manager). */
export const contentMessages = {
  'rows:identify': z.strictObject({
    type: z.literal('rows:identify'),
    advertiserId,
    level,
    /** Set for the rows of a page just opened: TikTok's status is read again unless read in the last few seconds. */
    fresh: z.boolean().optional(),
    rows: z
      .array(z.strictObject({ key: shortKey, name: visibleName, candidates: z.array(candidate).max(32) }))
      .max(400),
  }),
  'prompt:open': z.strictObject({
    type: z.literal('prompt:open'),
    advertiserId,
    level,
    action: z.enum(['DISABLE', 'ENABLE']),
    targets: z
      .array(z.strictObject({ id: objectId, name: visibleName }))
      .min(1)
      .max(1000),
  }),
  'jobs:query': z.strictObject({
    type: z.literal('jobs:query'),
    advertiserId,
    level,
    ids: z.array(objectId).max(2000),
  }),
  /** Rule flags for rows on screen: answered from the worker's stored evaluations, as text. */
  'flags:query': z.strictObject({
    type: z.literal('flags:query'),
    advertiserId,
    level,
    ids: z.array(objectId).max(2000),
  }),
} as const;

/** One mark on a row (a rule's breach, or its data guard holding it back), as text made by the worker. */
export interface RowFlag {
  kind: 'breach' | 'data';
  /** Short text shown on the row. */
  label: string;
  /** Rule, value, threshold and window: the tooltip and accessible description. */
  text: string;
}

export type FlagsQueryResult =
  | { ok: true; flags: { objectId: string; flags: RowFlag[] }[] }
  | { ok: false; error: string };

/** From extension pages only (confirm frame, popup, options). */
export const pageMessages = {
  'prompt:get': z.strictObject({ type: z.literal('prompt:get'), promptId: shortKey }),
  'prompt:confirm': z.strictObject({ type: z.literal('prompt:confirm'), promptId: shortKey }),
  'prompt:cancel': z.strictObject({ type: z.literal('prompt:cancel'), promptId: shortKey }),
  'job:retry': z.strictObject({ type: z.literal('job:retry'), jobId: shortKey }),
  'job:undo': z.strictObject({ type: z.literal('job:undo'), jobId: shortKey }),
  'emergency:preview': z.strictObject({ type: z.literal('emergency:preview'), advertiserId }),
  'emergency:start': z.strictObject({
    type: z.literal('emergency:start'),
    previewId: shortKey,
    typed: z.string().max(512),
  }),
  'emergency:restore-preview': z.strictObject({ type: z.literal('emergency:restore-preview'), stopId: shortKey }),
  'emergency:restore': z.strictObject({ type: z.literal('emergency:restore'), previewId: shortKey }),
  /** Dry run of a rule (saved or not) now: what it would act on. Nothing is sent. */
  'rules:preview': z.strictObject({ type: z.literal('rules:preview'), rule: ruleSchema }),
  /** Replay of a rule over the last 7-30 days of daily or hourly reports. Nothing is sent. */
  'rules:backtest': z.strictObject({
    type: z.literal('rules:backtest'),
    rule: ruleSchema,
    days: z.number().int().min(7).max(30),
    granularity: z.enum(['day', 'hour']),
  }),
} as const;

export type ContentMessage = {
  [K in keyof typeof contentMessages]: z.infer<(typeof contentMessages)[K]>;
}[keyof typeof contentMessages];
export type PageMessage = {
  [K in keyof typeof pageMessages]: z.infer<(typeof pageMessages)[K]>;
}[keyof typeof pageMessages];
export type Level = z.infer<typeof level>;

export type Parsed =
  | { ok: true; from: 'content'; message: ContentMessage }
  | { ok: true; from: 'page'; message: PageMessage }
  | { ok: false; error: string };

/** Parses a message for the given sender kind. Unknown types, extra fields and bad values are refused. */
export function parseMessage(raw: unknown, from: 'content' | 'page'): Parsed {
  if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') {
    return { ok: false, error: 'A message without a type was refused.' };
  }
  const type = (raw as { type: string }).type;
  const table: Record<string, z.ZodType> = from === 'content' ? contentMessages : pageMessages;
  const schema = Object.hasOwn(table, type) ? table[type] : undefined;
  if (!schema) return { ok: false, error: `Message type "${type.slice(0, 40)}" is not accepted from this sender.` };
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      ok: false,
      error: `Message "${type}" refused: ${issue?.path.join('.') || 'value'} ${issue?.message ?? ''}`.trim(),
    };
  }
  return from === 'content'
    ? { ok: true, from, message: result.data as ContentMessage }
    : { ok: true, from, message: result.data as PageMessage };
}
