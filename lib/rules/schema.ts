/**
 * What a rule is: zod schemas and types for threshold rules, dayparting schedules and the flap
 * limit, with messages a person can act on. `parseRules` never throws: a stored list with one bad
 * rule still yields the good ones, and says what is wrong with the others.
 *
 * Units follow what Ads Manager shows (and what TikTok's report strings hold):
 * - money (spend, CPA, CPC, CPM, minimum spend) in the advertiser's currency, e.g. 30 = 30.00;
 * - CTR, conversion rate and budget share in percent (1.5 = 1.5 %);
 * - ROAS as a plain ratio (2 = purchase value twice the spend).
 */
import { LEVELS, type Level } from '../api/ids';
import { z } from '../zod';

// ---------------------------------------------------------------------------------------------
// Metrics, comparisons, windows

/**
 * Condition metrics. `cpa` is TikTok's `cost_per_conversion`; `conversions` is `conversion`;
 * `conversion_rate` is conversions / clicks; `roas` needs a purchase-value metric
 * (`total_complete_payment_rate`, `total_purchase_value`) or `complete_payment_roas` in the report
 * and is not evaluable where none is reported; `budget_share` is the share of the object's budget
 * spent: today's spend over a daily budget (window `today`) or lifetime spend over a total budget
 * (window `lifetime`), like TikTok's own "Daily/Lifetime budget spend rate".
 */
export const RULE_METRICS = [
  'spend',
  'cpa',
  'ctr',
  'cpc',
  'cpm',
  'conversions',
  'conversion_rate',
  'roas',
  'budget_share',
] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];

export const METRIC_LABELS: Readonly<Record<RuleMetric, string>> = {
  spend: 'Spend',
  cpa: 'CPA',
  ctr: 'CTR',
  cpc: 'CPC',
  cpm: 'CPM',
  conversions: 'Conversions',
  conversion_rate: 'Conversion rate',
  roas: 'ROAS',
  budget_share: 'Budget spent',
};

/** Metrics whose values are percentages (1.5 means 1.5 %). */
export const PERCENT_METRICS: ReadonlySet<RuleMetric> = new Set(['ctr', 'conversion_rate', 'budget_share']);
/** Metrics that are amounts of money. */
export const MONEY_METRICS: ReadonlySet<RuleMetric> = new Set(['spend', 'cpa', 'cpc', 'cpm']);

export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const FIXED_WINDOWS = ['today', 'yesterday', 'last_3_days', 'last_7_days', 'lifetime'] as const;
export type FixedWindow = (typeof FIXED_WINDOWS)[number];
/**
 * A report window, also the key of `metricsByWindow`. `last_N_hours` (N = 1…24) is the current
 * hour and the N − 1 hours before it, as TikTok's hour rows in the advertiser's zone.
 * `last_3_days` and `last_7_days` include today (today and the 2 or 6 days before it).
 */
export type WindowKey = FixedWindow | `last_${number}_hours`;

export const MAX_WINDOW_HOURS = 24;
const LAST_HOURS = /^last_([1-9]|1\d|2[0-4])_hours$/;

export function isWindowKey(value: unknown): value is WindowKey {
  return typeof value === 'string' && ((FIXED_WINDOWS as readonly string[]).includes(value) || LAST_HOURS.test(value));
}

/** N of a `last_N_hours` window, or undefined for the fixed windows. */
export function windowHours(window: WindowKey): number | undefined {
  const m = LAST_HOURS.exec(window);
  return m ? Number(m[1]) : undefined;
}

/** `last_N_hours` for N = 1…24. */
export function lastHoursWindow(hours: number): WindowKey {
  const key = `last_${hours}_hours`;
  if (!isWindowKey(key)) throw new RangeError(`last N hours takes N from 1 to ${MAX_WINDOW_HOURS}, not ${hours}`);
  return key;
}

/** Plain words for a window: "today", "last 6 hours". */
export function windowLabel(window: WindowKey): string {
  const hours = windowHours(window);
  if (hours !== undefined) return hours === 1 ? 'this hour' : `last ${hours} hours`;
  switch (window) {
    case 'last_3_days':
      return 'last 3 days';
    case 'last_7_days':
      return 'last 7 days';
    default:
      return window;
  }
}

const WINDOW_MESSAGE =
  'Pick a time window: today, last N hours (N from 1 to 24), yesterday, last 3 days, last 7 days or lifetime';

export const windowSchema = z.custom<WindowKey>(isWindowKey, { error: WINDOW_MESSAGE });

// ---------------------------------------------------------------------------------------------
// Pieces of a rule

const objectIdSchema = z.string({ error: 'An object ID is a number written as text' }).regex(/^\d{1,20}$/, {
  error: 'An object ID has digits only (up to 20)',
});
const advertiserIdSchema = z
  .string({ error: 'An advertiser ID is a number written as text' })
  .regex(/^\d{6,20}$/, { error: 'An advertiser ID is a number of 6 to 20 digits' });

const thresholdValue = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .min(0, { error: `${what} must be 0 or more` })
    .max(1e12, { error: `${what} is too large` });

export const conditionSchema = z
  .object({
    metric: z.enum(RULE_METRICS, {
      error:
        'Pick a metric: spend, CPA, CTR, CPC, CPM, conversions, conversion rate, ROAS or budget spent (budget_share)',
    }),
    op: z.enum(COMPARISONS, { error: 'Pick a comparison: >, >=, < or <=' }),
    value: thresholdValue('The threshold'),
    window: windowSchema,
  })
  .superRefine((c, ctx) => {
    if (c.metric === 'budget_share' && c.window !== 'today' && c.window !== 'lifetime') {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: 'Budget spent is measured today (daily budgets) or over the lifetime (total budgets)',
      });
    }
    if (c.metric === 'ctr' && c.value > 100) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'CTR is a percentage: use a value from 0 to 100' });
    }
  });
export type Condition = z.infer<typeof conditionSchema>;

export const guardsSchema = z.object({
  minSpend: z
    .number({ error: 'Minimum spend must be a number' })
    .positive({ error: 'Minimum spend must be a positive amount' })
    .optional(),
  minImpressions: z
    .number({ error: 'Minimum impressions must be a number' })
    .int({ error: 'Minimum impressions must be a whole number' })
    .positive({ error: 'Minimum impressions must be 1 or more' })
    .optional(),
  minConversions: z
    .number({ error: 'Minimum conversions must be a number' })
    .int({ error: 'Minimum conversions must be a whole number' })
    .positive({ error: 'Minimum conversions must be 1 or more' })
    .optional(),
});
export type Guards = z.infer<typeof guardsSchema>;

export const scopeMatchSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('all') }),
    z.object({
      kind: z.literal('nameContains'),
      text: z
        .string({ error: 'Name text must be text' })
        .trim()
        .min(1, { error: 'Type the part of the name to match' })
        .max(512, { error: 'Name text is too long (512 characters at most)' }),
    }),
    z.object({
      kind: z.literal('ids'),
      ids: z
        .array(objectIdSchema, { error: 'IDs must be a list' })
        .min(1, { error: 'List at least one ID' })
        .max(10_000, { error: 'At most 10,000 IDs per rule' }),
    }),
  ],
  { error: 'Choose what the rule applies to: all objects, names containing a text, or a list of IDs' },
);
export type ScopeMatch = z.infer<typeof scopeMatchSchema>;

export const scopeSchema = z.object({
  level: z.enum(LEVELS, { error: 'Pick a level: campaign, ad group or ad' }),
  match: scopeMatchSchema,
});
export type Scope = z.infer<typeof scopeSchema>;

const hourOfDay = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole hour` })
    .min(0, { error: `${what} must be from 0 to ${max}` })
    .max(max, { error: `${what} must be from 0 to ${max}` });

/**
 * Hours `[start, end)` on the advertiser's wall clock. `start > end` wraps past midnight
 * (`[22, 6]` is 22:00–06:00); each hour counts on the weekday it falls on.
 */
export const hoursSchema = z
  .tuple([hourOfDay('The start hour', 23), hourOfDay('The end hour', 24)], {
    error: 'Hours are a pair [start, end), e.g. [9, 17]',
  })
  .refine(([start, end]) => start !== end, { error: 'The start and end hour must differ (use [0, 24] for all day)' });
export type Hours = z.infer<typeof hoursSchema>;

export const daysSchema = z
  .array(
    z
      .number({ error: 'A day is a number from 0 (Sunday) to 6 (Saturday)' })
      .int({ error: 'A day is a number from 0 (Sunday) to 6 (Saturday)' })
      .min(0, { error: 'A day is a number from 0 (Sunday) to 6 (Saturday)' })
      .max(6, { error: 'A day is a number from 0 (Sunday) to 6 (Saturday)' }),
    { error: 'Days must be a list' },
  )
  .min(1, { error: 'Pick at least one day' })
  .refine((days) => new Set(days).size === days.length, { error: 'Each day may be listed once' });

/**
 * Chrome clamps alarms to 30 seconds in packed extensions, and TikTok's reports lag about 30
 * minutes, so checking more often than once a minute gains nothing: 1 minute is the floor.
 */
export const MIN_EVERY_MINUTES = 1;
export const MAX_EVERY_MINUTES = 1440;

export const scheduleSchema = z.object({
  everyMinutes: z
    .number({ error: 'How often to check must be a number of minutes' })
    .int({ error: 'How often to check must be a whole number of minutes' })
    .min(MIN_EVERY_MINUTES, {
      error: 'Check at most once a minute: browser alarms do not run more often in a packed extension',
    })
    .max(MAX_EVERY_MINUTES, { error: 'Check at least once a day (1440 minutes)' }),
  days: daysSchema,
  hours: hoursSchema,
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** Per-object targets (benchmarks): a value here replaces the condition's threshold for that object. */
export const objectTargetSchema = z.object(
  Object.fromEntries(
    RULE_METRICS.map((m) => [m, thresholdValue(`The ${METRIC_LABELS[m]} target`).optional()]),
  ) as Record<RuleMetric, z.ZodOptional<ReturnType<typeof thresholdValue>>>,
);
export type ObjectTarget = Partial<Record<RuleMetric, number>>;

export const RULE_ACTIONS = ['flag', 'pause', 'resume'] as const;
/** `flag`: mark the row in the page and notify. `pause`/`resume` go through the safe pipeline. */
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const MAX_CONDITIONS = 5;
export const MAX_COOLDOWN_MINUTES = 7 * 1440;

export const ruleSchema = z
  .object({
    id: z
      .string({ error: 'A rule needs an ID' })
      .min(1, { error: 'A rule needs an ID' })
      .max(100, { error: 'A rule ID is at most 100 characters' }),
    name: z
      .string({ error: 'A rule needs a name' })
      .trim()
      .min(1, { error: 'Give the rule a name' })
      .max(100, { error: 'A rule name is at most 100 characters' }),
    enabled: z.boolean({ error: 'Enabled must be on or off' }),
    /** Empty: every connected advertiser. */
    advertiserIds: z.array(advertiserIdSchema, { error: 'Advertiser IDs must be a list' }).max(100, {
      error: 'At most 100 advertisers per rule',
    }),
    scope: scopeSchema,
    conditions: z
      .array(conditionSchema, { error: 'Conditions must be a list' })
      .max(MAX_CONDITIONS, { error: `A rule has at most ${MAX_CONDITIONS} conditions` }),
    guards: guardsSchema,
    action: z.enum(RULE_ACTIONS, { error: 'Pick an action: flag, pause or resume' }),
    schedule: scheduleSchema,
    cooldownMinutes: z
      .number({ error: 'Cooldown must be a number of minutes' })
      .int({ error: 'Cooldown must be a whole number of minutes' })
      .min(0, { error: 'Cooldown cannot be negative' })
      .max(MAX_COOLDOWN_MINUTES, { error: 'Cooldown is at most 7 days (10080 minutes)' }),
    targets: z
      .record(z.string(), objectTargetSchema, { error: 'Targets map object IDs to thresholds' })
      .superRefine((targets, ctx) => {
        for (const key of Object.keys(targets)) {
          if (!objectIdSchema.safeParse(key).success) {
            ctx.addIssue({ code: 'custom', path: [key], message: 'An object ID has digits only (up to 20)' });
          }
        }
      }),
  })
  .superRefine((rule, ctx) => {
    if (rule.conditions.length === 0 && rule.action !== 'resume') {
      ctx.addIssue({
        code: 'custom',
        path: ['conditions'],
        message:
          rule.action === 'pause'
            ? 'A pause rule needs at least one condition (to pause by time of day, use a dayparting schedule)'
            : 'A flag rule needs at least one condition',
      });
    }
  });
export type Rule = z.infer<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;

// ---------------------------------------------------------------------------------------------
// Dayparting and flap limit

/** Objects that run only inside chosen days and hours of the advertiser's wall clock. */
export const daypartScheduleSchema = z.object({
  id: z.string({ error: 'A schedule needs an ID' }).min(1, { error: 'A schedule needs an ID' }).max(100),
  name: z
    .string({ error: 'A schedule needs a name' })
    .trim()
    .min(1, { error: 'Give the schedule a name' })
    .max(100, { error: 'A schedule name is at most 100 characters' }),
  enabled: z.boolean({ error: 'Enabled must be on or off' }),
  advertiserId: advertiserIdSchema,
  level: z.enum(LEVELS, { error: 'Pick a level: campaign, ad group or ad' }),
  objectIds: z
    .array(objectIdSchema, { error: 'Object IDs must be a list' })
    .min(1, { error: 'Pick at least one object to schedule' })
    .max(1000, { error: 'At most 1,000 objects per schedule' }),
  days: daysSchema,
  hours: hoursSchema,
});
export type DaypartSchedule = z.infer<typeof daypartScheduleSchema>;

/** At most `maxToggles` pauses or resumes of one object by rules within `perHours`. */
export const flapLimitSchema = z.object({
  maxToggles: z
    .number({ error: 'The toggle limit must be a number' })
    .int({ error: 'The toggle limit must be a whole number' })
    .min(1, { error: 'Allow at least one toggle' })
    .max(100, { error: 'The toggle limit is at most 100' }),
  perHours: z
    .number({ error: 'The flap window must be a number of hours' })
    .int({ error: 'The flap window must be a whole number of hours' })
    .min(1, { error: 'The flap window is at least 1 hour' })
    .max(168, { error: 'The flap window is at most 168 hours (a week)' }),
});
export type FlapLimit = z.infer<typeof flapLimitSchema>;

export const DEFAULT_FLAP_LIMIT: FlapLimit = { maxToggles: 4, perHours: 24 };

// ---------------------------------------------------------------------------------------------
// Parsing

/** One problem in a stored or typed rule, in words. */
export interface RuleError {
  /** Position in the list (-1 for the list itself). */
  index: number;
  ruleId?: string;
  /** Dotted path of the field, e.g. `conditions.0.value`; empty for the whole rule. */
  path: string;
  message: string;
}

function issuesToErrors(index: number, ruleId: string | undefined, issues: readonly z.core.$ZodIssue[]): RuleError[] {
  return issues.map((issue) => ({
    index,
    ...(ruleId === undefined ? {} : { ruleId }),
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

function idOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}

/** Validates one rule. */
export function parseRule(input: unknown): { ok: true; rule: Rule } | { ok: false; errors: RuleError[] } {
  const parsed = ruleSchema.safeParse(input);
  if (parsed.success) return { ok: true, rule: parsed.data };
  return { ok: false, errors: issuesToErrors(0, idOf(input), parsed.error.issues) };
}

/**
 * Validates a list of rules without throwing. Bad rules are left out and explained; a repeated ID
 * keeps the first rule with it.
 */
export function parseRules(input: unknown): { rules: Rule[]; errors: RuleError[] } {
  if (!Array.isArray(input)) {
    return { rules: [], errors: [{ index: -1, path: '', message: 'Rules must be a list' }] };
  }
  const rules: Rule[] = [];
  const errors: RuleError[] = [];
  const seen = new Set<string>();
  input.forEach((item: unknown, index) => {
    const parsed = ruleSchema.safeParse(item);
    if (!parsed.success) {
      errors.push(...issuesToErrors(index, idOf(item), parsed.error.issues));
      return;
    }
    if (seen.has(parsed.data.id)) {
      errors.push({
        index,
        ruleId: parsed.data.id,
        path: 'id',
        message: `Another rule already has the ID ${parsed.data.id}`,
      });
      return;
    }
    seen.add(parsed.data.id);
    rules.push(parsed.data);
  });
  return { rules, errors };
}

/** Levels in words, for messages. */
export const LEVEL_PLURAL: Readonly<Record<Level, string>> = { campaign: 'campaigns', adgroup: 'ad groups', ad: 'ads' };
