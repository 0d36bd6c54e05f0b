import { z } from 'zod';

/** Fault plans: the next matching calls fail (or misbehave) in a chosen way. */

export const FAULT_KINDS = [
  'code',
  'hang',
  'malformed',
  'http',
  'apply-then-hang',
  'apply-then-code',
  'keep-spending',
  'numeric-ids',
  'missing-fields',
  'replace-fields',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultPlanInput = z.object({
  /** Endpoint, e.g. `campaign/status/update` (slashes and the /open_api/v1.3 prefix are optional). */
  path: z.string().min(1),
  kind: z.enum(FAULT_KINDS),
  advertiserId: z.string().optional(),
  /** Fires only for calls that name one of these ids. */
  ids: z.array(z.string()).optional(),
  /** How many matching calls fire (default 1). */
  times: z.number().int().min(1).default(1),
  /** Matching calls to let through before firing (default 0). */
  after: z.number().int().min(0).default(0),
  code: z.number().int().optional(),
  message: z.string().optional(),
  /** hang: answer normally after this many ms; null or absent: never answer. */
  delayMs: z.number().int().min(0).nullable().optional(),
  /** http: the status to send (default 500). */
  status: z.number().int().min(100).max(599).optional(),
  /** missing-fields: field names to drop anywhere in `data`. */
  fields: z.array(z.string()).optional(),
  /** replace-fields: field name → the value to write instead, anywhere in `data` (unknown enums, wrong types, "-"). */
  values: z.record(z.string(), z.unknown()).optional(),
});
export type FaultPlanInput = z.input<typeof faultPlanInput>;

export interface FaultPlan extends z.output<typeof faultPlanInput> {
  id: number;
  seen: number;
  fired: number;
}

export interface FiredFault {
  planId: number;
  kind: FaultKind;
}

export const DEFAULT_MISSING_FIELDS = ['operation_status', 'secondary_status', 'page_info', 'spend', 'status'];

export function normalisePath(path: string): string {
  return path
    .replace(/^\/?open_api\/v1\.3\//, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
}

export class FaultBook {
  private plans: FaultPlan[] = [];
  private nextId = 1;

  add(inputs: FaultPlanInput[]): FaultPlan[] {
    const added = inputs.map((input) => {
      const parsed = faultPlanInput.parse(input);
      return { ...parsed, path: normalisePath(parsed.path), id: this.nextId++, seen: 0, fired: 0 };
    });
    this.plans.push(...added);
    return added;
  }

  list(): FaultPlan[] {
    return this.plans.map((p) => ({ ...p }));
  }

  clear(): void {
    this.plans = [];
  }

  /** The plan that fires for this call, if any (counts the call against every matching plan). */
  match(endpoint: string, advertiserId: string | undefined, ids: string[]): FaultPlan | undefined {
    let firing: FaultPlan | undefined;
    for (const plan of this.plans) {
      if (plan.path !== endpoint || plan.fired >= plan.times) continue;
      if (plan.advertiserId && plan.advertiserId !== advertiserId) continue;
      if (plan.ids && !plan.ids.some((id) => ids.includes(id))) continue;
      plan.seen += 1;
      if (!firing && plan.seen > plan.after) {
        plan.fired += 1;
        firing = plan;
      }
    }
    return firing;
  }
}

/** Writes the given values over the named fields anywhere inside a value. */
export function replaceFields(value: unknown, values: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceFields(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, Object.hasOwn(values, k) ? values[k] : replaceFields(v, values)]),
    );
  }
  return value;
}

/** Removes the named fields anywhere inside a value. */
export function dropFields(value: unknown, fields: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => dropFields(v, fields));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !fields.includes(k))
        .map(([k, v]) => [k, dropFields(v, fields)]),
    );
  }
  return value;
}
