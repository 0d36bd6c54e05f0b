/**
 * Rule evaluation, pure: rules × objects × report metrics × time → one decision per rule and
 * object in the rule's scope. No I/O, no clock (`ctx.now`), deterministic.
 *
 * Order of checks for each enabled rule and each object in its scope (level, advertiser, match):
 *  1. schedule: outside the rule's days/hours in the advertiser's zone → `outside-schedule`
 *     (`not-evaluable` if the zone is unknown and the schedule is not all week);
 *  2. data guards, in every window the conditions use: unmet or unreported → `not-enough-data`;
 *  3. conditions (all must hold; a per-object target replaces the threshold): one false →
 *     `no-breach`; none false but one unreported → `not-evaluable`; all true → a breach;
 *  4. on a breach: `flag` rules → `flag` (or `cooldown`); pause/resume rules →
 *     `already-in-state`, `protected` (a resume never touches what a person or the emergency stop
 *     paused, what was paused outside SafePause, or a FROZEN object), `cooldown`, `flap-limited`,
 *     else `act`.
 * Disabled rules yield nothing. `breached` says whether all conditions held (for in-page flags),
 * whatever the decision.
 *
 * Speed (20 rules × 10,000 objects is the design load): rules are compiled once per call (sets,
 * folded name text, week masks, schedule state per advertiser); objects are indexed by level once;
 * each object's metrics are derived once per window and shared by all rules; results go into typed
 * arrays (`RuleEvaluations`) and become objects, with their reason in words, only when read.
 */
import type { Level } from '../api/ids';
import { flapLimited, recentToggles } from './conflicts';
import { budgetShareProblem, type DerivedMetrics, deriveMetrics, metricValue, type RawMetrics } from './metrics';
import { isAlways, isInside, weekMask } from './schedule';
import {
  type Comparison,
  DEFAULT_FLAP_LIMIT,
  type FlapLimit,
  METRIC_LABELS,
  type ObjectTarget,
  PERCENT_METRICS,
  type Rule,
  type RuleAction,
  type RuleMetric,
  type WindowKey,
  windowLabel,
} from './schema';
import { isValidTimeZone, type ZonedTime, zonedTime } from './zone';

/** Who paused an object last, as SafePause recorded it. null/undefined: not known (not by SafePause). */
export type PausedBy = 'user' | 'rule' | 'emergency';

/** An object as the rules see it. */
export interface RuleObject {
  id: string;
  name: string;
  level: Level;
  advertiserId: string;
  /** `ENABLE`, `DISABLE` or `FROZEN` (TikTok's operation_status). */
  operationStatus: string;
  budget?: number | null;
  budgetMode?: string | null;
  /** Report metrics per window (TikTok's strings, or sums of hour rows). A missing window is no data. */
  metricsByWindow: Readonly<Partial<Record<WindowKey, RawMetrics>>>;
  pausedBy?: PausedBy | null;
  /** When rules or people toggled it (ms), for the flap limit. */
  lastToggles?: readonly number[];
}

export interface EvaluationContext {
  now: number;
  /** IANA zone per advertiser ID, from advertiser/info. */
  timeZoneByAdvertiser: Readonly<Record<string, string>>;
  /** Last time each rule acted on or flagged an object, keyed `${ruleId}:${objectId}` (ms). */
  lastFiredAt: Readonly<Record<string, number>>;
  flapLimit?: FlapLimit;
  /** Preview: evaluate as if every rule were inside its schedule. */
  ignoreSchedule?: boolean;
}

export const DECISIONS = [
  'act',
  'flag',
  'not-enough-data',
  'no-breach',
  'not-evaluable',
  'cooldown',
  'outside-schedule',
  'flap-limited',
  'protected',
  'already-in-state',
] as const;
export type Decision = (typeof DECISIONS)[number];

export type GuardName = 'minSpend' | 'minImpressions' | 'minConversions';

export const GUARD_LABELS: Readonly<Record<GuardName, string>> = {
  minSpend: 'spend',
  minImpressions: 'impressions',
  minConversions: 'conversions',
};

/** The key of `ctx.lastFiredAt`. */
export function firedKey(ruleId: string, objectId: string): string {
  return `${ruleId}:${objectId}`;
}

// ---------------------------------------------------------------------------------------------
// Compilation (also used by the backtest)

const OP_GT = 0;
const OP_GE = 1;
const OP_LT = 2;
const OP_LE = 3;
const OP_CODES: Readonly<Record<Comparison, number>> = { '>': OP_GT, '>=': OP_GE, '<': OP_LT, '<=': OP_LE };

/** `value op threshold`; false for undefined is the caller's job. Infinity compares as expected. */
export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (OP_CODES[op]) {
    case OP_GT:
      return value > threshold;
    case OP_GE:
      return value >= threshold;
    case OP_LT:
      return value < threshold;
    default:
      return value <= threshold;
  }
}

/** @internal One condition, ready to run. */
export interface CompiledCondition {
  metric: RuleMetric;
  op: Comparison;
  opCode: number;
  value: number;
  window: WindowKey;
  /** Index into the window list the compiled rule was built against. */
  windowIndex: number;
}

/** @internal A rule, ready to run. */
export interface CompiledRule {
  rule: Rule;
  conditions: CompiledCondition[];
  /** Window indexes the conditions use, each once (guards are checked in each). */
  windowIndexes: number[];
  /** The windows of `windowIndexes`, same order. */
  windowKeys: WindowKey[];
  targets: Map<string, ObjectTarget> | null;
  advertisers: Set<string> | null;
  ids: Set<string> | null;
  /** Lower-cased NFC name text, for `nameContains`. */
  needle: string | null;
  mask: Uint8Array;
  always: boolean;
  cooldownMs: number;
  hasGuards: boolean;
}

/** @internal Builds the run-ready form of a rule; `windows` collects the windows it uses. */
export function compileRule(rule: Rule, windows: WindowKey[]): CompiledRule {
  const windowIndexes: number[] = [];
  const windowKeys: WindowKey[] = [];
  const conditions = rule.conditions.map((c) => {
    let windowIndex = windows.indexOf(c.window);
    if (windowIndex < 0) windowIndex = windows.push(c.window) - 1;
    if (!windowIndexes.includes(windowIndex)) {
      windowIndexes.push(windowIndex);
      windowKeys.push(c.window);
    }
    return { metric: c.metric, op: c.op, opCode: OP_CODES[c.op], value: c.value, window: c.window, windowIndex };
  });
  const targetEntries = Object.entries(rule.targets);
  const match = rule.scope.match;
  const mask = weekMask(rule.schedule.days, rule.schedule.hours);
  return {
    rule,
    conditions,
    windowIndexes,
    windowKeys,
    targets: targetEntries.length > 0 ? new Map(targetEntries as [string, ObjectTarget][]) : null,
    advertisers: rule.advertiserIds.length > 0 ? new Set(rule.advertiserIds) : null,
    ids: match.kind === 'ids' ? new Set(match.ids) : null,
    needle: match.kind === 'nameContains' ? foldName(match.text) : null,
    mask,
    always: isAlways(mask),
    cooldownMs: rule.cooldownMinutes * 60_000,
    hasGuards:
      rule.guards.minSpend !== undefined ||
      rule.guards.minImpressions !== undefined ||
      rule.guards.minConversions !== undefined,
  };
}

/** Case-insensitive, canonically equivalent form of a name (NFC, then lower case). */
export function foldName(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** The threshold of condition `c` for `objectId` (its per-object target, else the rule's value). */
export function thresholdFor(compiled: CompiledRule, c: CompiledCondition, objectId: string): number {
  if (compiled.targets === null) return c.value;
  const t = compiled.targets.get(objectId)?.[c.metric];
  return t === undefined ? c.value : t;
}

export const OUTCOME_BREACH = 0;
export const OUTCOME_NO_BREACH = 1;
export const OUTCOME_NOT_EVALUABLE = 2;
export const OUTCOME_NOT_ENOUGH_DATA = 3;

/** @internal What `assess` found; reused between calls to avoid allocations. */
export interface Assessment {
  outcome: number;
  /** Condition index (breach: the first; no-breach: the false one; not-evaluable: the unknown one). */
  condition: number;
  guard: GuardName | null;
  window: WindowKey | undefined;
  value: number | undefined;
  threshold: number | undefined;
}

export function newAssessment(): Assessment {
  return {
    outcome: OUTCOME_NO_BREACH,
    condition: -1,
    guard: null,
    window: undefined,
    value: undefined,
    threshold: undefined,
  };
}

function guardFails(
  out: Assessment,
  guard: GuardName,
  measured: number | undefined,
  min: number,
  window: WindowKey,
): boolean {
  if (measured !== undefined && measured >= min) return false;
  out.outcome = OUTCOME_NOT_ENOUGH_DATA;
  out.guard = guard;
  out.window = window;
  out.value = measured;
  out.threshold = min;
  out.condition = -1;
  return true;
}

/**
 * @internal Guards, then conditions, of one rule for one object. `derived[base + windowIndex]` is
 * the object's metrics for that window (null: no data). Writes into `out` and returns its outcome.
 */
export function assess(
  compiled: CompiledRule,
  objectId: string,
  budget: number | null | undefined,
  budgetMode: string | null | undefined,
  derived: readonly (DerivedMetrics | null | undefined)[],
  base: number,
  out: Assessment,
): number {
  out.guard = null;
  if (compiled.hasGuards) {
    const guards = compiled.rule.guards;
    const indexes = compiled.windowIndexes;
    for (let k = 0; k < indexes.length; k++) {
      const d = derived[base + (indexes[k] as number)] ?? null;
      const window = compiled.windowKeys[k] as WindowKey;
      if (guards.minSpend !== undefined && guardFails(out, 'minSpend', d?.spend, guards.minSpend, window)) {
        return out.outcome;
      }
      if (
        guards.minImpressions !== undefined &&
        guardFails(out, 'minImpressions', d?.impressions, guards.minImpressions, window)
      ) {
        return out.outcome;
      }
      if (
        guards.minConversions !== undefined &&
        guardFails(out, 'minConversions', d?.conversions, guards.minConversions, window)
      ) {
        return out.outcome;
      }
    }
  }
  let unknown = -1;
  const conditions = compiled.conditions;
  for (let i = 0; i < conditions.length; i++) {
    const c = conditions[i] as CompiledCondition;
    const d = derived[base + c.windowIndex];
    const value = d ? metricValue(d, c.metric, c.window, budget, budgetMode) : undefined;
    if (value === undefined) {
      if (unknown < 0) unknown = i;
      continue;
    }
    const threshold = thresholdFor(compiled, c, objectId);
    let holds: boolean;
    switch (c.opCode) {
      case OP_GT:
        holds = value > threshold;
        break;
      case OP_GE:
        holds = value >= threshold;
        break;
      case OP_LT:
        holds = value < threshold;
        break;
      default:
        holds = value <= threshold;
    }
    if (!holds) {
      out.outcome = OUTCOME_NO_BREACH;
      out.condition = i;
      out.window = c.window;
      out.value = value;
      out.threshold = threshold;
      return out.outcome;
    }
  }
  if (unknown >= 0) {
    const c = conditions[unknown] as CompiledCondition;
    out.outcome = OUTCOME_NOT_EVALUABLE;
    out.condition = unknown;
    out.window = c.window;
    out.value = undefined;
    out.threshold = thresholdFor(compiled, c, objectId);
    return out.outcome;
  }
  out.outcome = OUTCOME_BREACH;
  out.condition = conditions.length > 0 ? 0 : -1;
  const first = conditions[0];
  if (first) {
    const d = derived[base + first.windowIndex];
    out.window = first.window;
    out.value = d ? metricValue(d, first.metric, first.window, budget, budgetMode) : undefined;
    out.threshold = thresholdFor(compiled, first, objectId);
  } else {
    out.window = undefined;
    out.value = undefined;
    out.threshold = undefined;
  }
  return out.outcome;
}

// ---------------------------------------------------------------------------------------------
// Words

/** A metric value as Ads Manager would show it: "42.10", "1.25%", "∞", "3". */
export function formatMetric(metric: RuleMetric | GuardName, value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (metric === 'conversions' || metric === 'minImpressions' || metric === 'minConversions') {
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
  if (PERCENT_METRICS.has(metric as RuleMetric)) return `${value.toFixed(2)}%`;
  return value.toFixed(2);
}

/** "CPA 42.10 > target 30.00 (today)", or with `negate` "CPA 12.00 is not > target 30.00 (today)". */
export function describeCondition(
  c: { metric: RuleMetric; op: Comparison; window: WindowKey },
  value: number,
  threshold: number,
  options: { negate?: boolean; ownTarget?: boolean; spend?: number | undefined } = {},
): string {
  const label = METRIC_LABELS[c.metric];
  let shown = formatMetric(c.metric, value);
  if (c.metric === 'cpa' && value === Number.POSITIVE_INFINITY) {
    shown = `∞ (spend ${options.spend === undefined ? '?' : options.spend.toFixed(2)}, no conversions)`;
  }
  const op = options.negate ? `is not ${c.op}` : c.op;
  const target = `target ${formatMetric(c.metric, threshold)}${options.ownTarget ? ' for this object' : ''}`;
  return `${label} ${shown} ${op} ${target} (${windowLabel(c.window)})`;
}

const ACTION_WORDS: Readonly<Record<RuleAction, string>> = { flag: 'flag', pause: 'pause', resume: 'resume' };
const DAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const GUARD_CODES: readonly GuardName[] = ['minSpend', 'minImpressions', 'minConversions'];

/** Packs what the decision turned on into one number: -1 nothing, 0–4 a condition, ≥ 10 a guard. */
function detailCode(compiled: CompiledRule, a: Assessment | null): number {
  if (a === null) return -1;
  if (a.guard !== null) {
    const k = a.window === undefined ? 0 : Math.max(0, compiled.windowKeys.indexOf(a.window));
    return 10 + GUARD_CODES.indexOf(a.guard) * 10 + k;
  }
  return a.condition;
}

function protectionNote(o: RuleObject): string | null {
  if (o.operationStatus === 'FROZEN') return 'frozen by TikTok: it cannot be turned back on';
  if (o.operationStatus !== 'DISABLE') return `its status is ${o.operationStatus}, not paused`;
  switch (o.pausedBy) {
    case 'rule':
      return null;
    case 'user':
      return 'paused by a person: a rule never resumes it';
    case 'emergency':
      return 'stopped by the emergency stop: a rule never resumes it';
    default:
      return 'paused outside SafePause (perhaps by a person): a rule resumes only what a rule paused';
  }
}

/**
 * One decision of one rule about one object, as a plain-looking object: identifiers are read from
 * the rule and object, and `reason` is put into words when first read. `toJSON` gives a plain copy.
 */
export class RuleEvaluation {
  readonly decision: Decision;
  /** Whether every condition held (and the data guards were met), whatever was then decided. */
  readonly breached: boolean;
  /** Measured value of the metric (or data guard) the decision turned on; undefined if not reported. CPA may be +Infinity. */
  readonly value: number | undefined;
  readonly threshold: number | undefined;
  private readonly compiled: CompiledRule;
  private readonly object: RuleObject;
  private readonly ctx: EvaluationContext;
  private readonly code: number;
  private cachedReason: string | undefined;

  /** @internal Made by `RuleEvaluations`. */
  constructor(
    decision: Decision,
    compiled: CompiledRule,
    object: RuleObject,
    ctx: EvaluationContext,
    detail: { breached: boolean; value: number | undefined; threshold: number | undefined; code: number },
  ) {
    this.decision = decision;
    this.breached = detail.breached;
    this.value = detail.value;
    this.threshold = detail.threshold;
    this.compiled = compiled;
    this.object = object;
    this.ctx = ctx;
    this.code = detail.code;
    this.cachedReason = undefined;
  }

  get ruleId(): string {
    return this.compiled.rule.id;
  }
  get ruleName(): string {
    return this.compiled.rule.name;
  }
  get objectId(): string {
    return this.object.id;
  }
  get advertiserId(): string {
    return this.object.advertiserId;
  }
  get level(): Level {
    return this.object.level;
  }
  get action(): RuleAction {
    return this.compiled.rule.action;
  }
  /** The metric (or data guard) the decision turned on. */
  get metric(): RuleMetric | GuardName | undefined {
    if (this.code < 0) return undefined;
    if (this.code >= 10) return GUARD_CODES[Math.floor((this.code - 10) / 10)];
    return this.compiled.conditions[this.code]?.metric;
  }
  get window(): WindowKey | undefined {
    if (this.code < 0) return undefined;
    if (this.code >= 10) return this.compiled.windowKeys[(this.code - 10) % 10];
    return this.compiled.conditions[this.code]?.window;
  }
  get op(): Comparison | undefined {
    if (this.code < 0) return undefined;
    if (this.code >= 10) return '>=';
    return this.compiled.conditions[this.code]?.op;
  }

  /** Why, in words: "CPA 42.10 > target 30.00 (today)". */
  get reason(): string {
    if (this.cachedReason === undefined) this.cachedReason = this.buildReason();
    return this.cachedReason;
  }

  /** A plain object (for messages and storage); a value of Infinity becomes null in JSON. */
  toJSON(): Record<string, unknown> {
    return {
      ruleId: this.ruleId,
      objectId: this.objectId,
      advertiserId: this.advertiserId,
      level: this.level,
      action: this.action,
      decision: this.decision,
      breached: this.breached,
      metric: this.metric,
      window: this.window,
      op: this.op,
      value: this.value,
      threshold: this.threshold,
      reason: this.reason,
    };
  }

  private breachWords(): string {
    const compiled = this.compiled;
    if (compiled.conditions.length === 0) return 'Inside the rule schedule';
    const o = this.object;
    return compiled.conditions
      .map((c) => {
        const d = deriveMetrics(o.metricsByWindow[c.window]);
        const v = metricValue(d, c.metric, c.window, o.budget, o.budgetMode) ?? 0;
        const t = thresholdFor(compiled, c, o.id);
        return describeCondition(c, v, t, { ownTarget: t !== c.value, spend: d.spend });
      })
      .join(' and ');
  }

  private note(): string {
    const o = this.object;
    const ctx = this.ctx;
    const now = ctx.now;
    switch (this.decision) {
      case 'already-in-state':
        if (this.action === 'resume') return 'already on';
        return o.operationStatus === 'DISABLE' ? 'already paused' : `not on (status ${o.operationStatus})`;
      case 'protected':
        return protectionNote(o) ?? 'left alone';
      case 'cooldown': {
        const last = ctx.lastFiredAt[firedKey(this.ruleId, o.id)] ?? now;
        const left = Math.ceil((this.compiled.cooldownMs - (now - last)) / 60_000);
        return `in cooldown: this rule fired on it ${Math.floor((now - last) / 60_000)} min ago, ${left} min to go`;
      }
      case 'flap-limited': {
        const limit = ctx.flapLimit ?? DEFAULT_FLAP_LIMIT;
        const count = recentToggles(o.lastToggles, now, limit.perHours);
        return `switched ${count} times in the last ${limit.perHours} h (limit ${limit.maxToggles}): left alone to stop flapping`;
      }
      default:
        return '';
    }
  }

  private buildReason(): string {
    const o = this.object;
    switch (this.decision) {
      case 'outside-schedule': {
        const tz = this.ctx.timeZoneByAdvertiser[o.advertiserId] ?? 'UTC';
        const t = zonedTime(this.ctx.now, tz);
        const hm = `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
        return `Outside the rule's days and hours (${DAY_SHORT[t.weekday]} ${hm} in ${tz})`;
      }
      case 'not-enough-data': {
        const guard = this.metric as GuardName;
        const shownAs = guard === 'minSpend' ? 'spend' : guard;
        const min = formatMetric(shownAs, this.threshold ?? 0);
        const win = this.window ? ` (${windowLabel(this.window)})` : '';
        const what = GUARD_LABELS[guard];
        if (this.value === undefined) return `Not enough data yet: ${what} not reported${win}, minimum ${min}`;
        return `Not enough data yet: ${what} ${formatMetric(shownAs, this.value)} < minimum ${min}${win}`;
      }
      case 'not-evaluable': {
        if (this.code < 0) return `The time zone of advertiser ${o.advertiserId} is not known yet`;
        const metric = this.metric as RuleMetric;
        const win = this.window ? windowLabel(this.window) : '';
        if (this.window && o.metricsByWindow[this.window] === undefined) return `No report data for ${win}`;
        if (metric === 'budget_share' && this.window) {
          return `Budget spent cannot be measured: ${budgetShareProblem(o.budget, o.budgetMode, this.window)}`;
        }
        return `${METRIC_LABELS[metric]} is not reported or not applicable (${win})`;
      }
      case 'no-breach': {
        const c = this.code >= 0 && this.code < 10 ? this.compiled.conditions[this.code] : undefined;
        if (!c || this.value === undefined || this.threshold === undefined) return 'No condition breached';
        const spend = deriveMetrics(o.metricsByWindow[c.window]).spend;
        return describeCondition(c, this.value, this.threshold, {
          negate: true,
          ownTarget: this.threshold !== c.value,
          spend,
        });
      }
      case 'flag':
        return this.breachWords();
      case 'act':
        return `${this.breachWords()}: ${ACTION_WORDS[this.action]}`;
      default:
        return `${this.breachWords()}; ${this.note()}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

const DECISION_CODES: Readonly<Record<Decision, number>> = Object.fromEntries(
  DECISIONS.map((d, i) => [d, i]),
) as Record<Decision, number>;
const D_ACT = DECISION_CODES.act;
const D_FLAG = DECISION_CODES.flag;
const D_NOT_ENOUGH = DECISION_CODES['not-enough-data'];
const D_NO_BREACH = DECISION_CODES['no-breach'];
const D_NOT_EVALUABLE = DECISION_CODES['not-evaluable'];
const D_COOLDOWN = DECISION_CODES.cooldown;
const D_OUTSIDE = DECISION_CODES['outside-schedule'];
const D_FLAP = DECISION_CODES['flap-limited'];
const D_PROTECTED = DECISION_CODES.protected;
const D_ALREADY = DECISION_CODES['already-in-state'];

const FLAG_BREACHED = 1;
const FLAG_VALUE = 2;
const FLAG_THRESHOLD = 4;

/**
 * The results of one evaluation, stored in typed arrays (a run over 10,000 objects makes tens of
 * thousands of results; objects are made only for the ones read). Rows come rule by rule, objects
 * in input order. `get(i)`, iteration and `toArray()` give `RuleEvaluation`s; `decisionAt`,
 * `counts` and `indexesOf` read without allocating.
 */
export class RuleEvaluations implements Iterable<RuleEvaluation> {
  #length = 0;
  readonly #rule: Uint16Array;
  readonly #object: Uint32Array;
  readonly #decision: Uint8Array;
  readonly #flags: Uint8Array;
  readonly #code: Int8Array;
  readonly #value: Float64Array;
  readonly #threshold: Float64Array;

  /** @internal */
  constructor(
    private readonly compiled: readonly CompiledRule[],
    private readonly objects: readonly RuleObject[],
    private readonly ctx: EvaluationContext,
    capacity: number,
  ) {
    this.#rule = new Uint16Array(capacity);
    this.#object = new Uint32Array(capacity);
    this.#decision = new Uint8Array(capacity);
    this.#flags = new Uint8Array(capacity);
    this.#code = new Int8Array(capacity);
    this.#value = new Float64Array(capacity);
    this.#threshold = new Float64Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** @internal */
  push(rule: number, object: number, decision: number, compiled: CompiledRule, a: Assessment | null): void {
    const i = this.#length++;
    this.#rule[i] = rule;
    this.#object[i] = object;
    this.#decision[i] = decision;
    this.#code[i] = detailCode(compiled, a);
    let flags = 0;
    if (a !== null) {
      if (a.outcome === OUTCOME_BREACH) flags |= FLAG_BREACHED;
      if (a.value !== undefined) {
        flags |= FLAG_VALUE;
        this.#value[i] = a.value;
      }
      if (a.threshold !== undefined) {
        flags |= FLAG_THRESHOLD;
        this.#threshold[i] = a.threshold;
      }
    }
    this.#flags[i] = flags;
  }

  decisionAt(i: number): Decision {
    return DECISIONS[this.#decision[i] ?? D_NO_BREACH] as Decision;
  }

  /** The i-th result. */
  get(i: number): RuleEvaluation {
    if (!Number.isInteger(i) || i < 0 || i >= this.#length) throw new RangeError(`No result ${i}`);
    const flags = this.#flags[i] as number;
    const compiled = this.compiled[this.#rule[i] as number] as CompiledRule;
    return new RuleEvaluation(
      this.decisionAt(i),
      compiled,
      this.objects[this.#object[i] as number] as RuleObject,
      this.ctx,
      {
        breached: (flags & FLAG_BREACHED) !== 0,
        value: flags & FLAG_VALUE ? this.#value[i] : undefined,
        threshold: flags & FLAG_THRESHOLD ? this.#threshold[i] : undefined,
        code: this.#code[i] as number,
      },
    );
  }

  /** How many results have each decision. */
  counts(): Record<Decision, number> {
    const counts = Object.fromEntries(DECISIONS.map((d) => [d, 0])) as Record<Decision, number>;
    for (let i = 0; i < this.#length; i++) counts[DECISIONS[this.#decision[i] as number] as Decision]++;
    return counts;
  }

  /** Row indexes with one of the decisions, e.g. `indexesOf('act', 'flag')`. */
  indexesOf(...decisions: Decision[]): number[] {
    const wanted = new Set(decisions.map((d) => DECISION_CODES[d]));
    const out: number[] = [];
    for (let i = 0; i < this.#length; i++) if (wanted.has(this.#decision[i] as number)) out.push(i);
    return out;
  }

  /** The results with one of the decisions. */
  withDecision(...decisions: Decision[]): RuleEvaluation[] {
    return this.indexesOf(...decisions).map((i) => this.get(i));
  }

  toArray(): RuleEvaluation[] {
    const out: RuleEvaluation[] = new Array(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.get(i);
    return out;
  }

  *[Symbol.iterator](): Iterator<RuleEvaluation> {
    for (let i = 0; i < this.#length; i++) yield this.get(i);
  }
}

/** `lastFiredAt` regrouped by rule, so no key strings are built per object. Object IDs have no ':'. */
function firedByRule(lastFiredAt: Readonly<Record<string, number>>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [key, at] of Object.entries(lastFiredAt)) {
    const cut = key.lastIndexOf(':');
    if (cut <= 0 || typeof at !== 'number' || !Number.isFinite(at)) continue;
    const ruleId = key.slice(0, cut);
    let m = out.get(ruleId);
    if (!m) {
      m = new Map();
      out.set(ruleId, m);
    }
    m.set(key.slice(cut + 1), at);
  }
  return out;
}

/**
 * Evaluates every enabled rule over every object in its scope (see the module comment for the
 * order of checks). At most 65,535 rules.
 */
export function evaluateRules(
  rules: readonly Rule[],
  objects: readonly RuleObject[],
  ctx: EvaluationContext,
): RuleEvaluations {
  const windows: WindowKey[] = [];
  const compiled: CompiledRule[] = [];
  for (const rule of rules) if (rule.enabled) compiled.push(compileRule(rule, windows));
  const W = windows.length;
  const n = objects.length;
  const now = ctx.now;
  const flapLimit = ctx.flapLimit ?? DEFAULT_FLAP_LIMIT;

  // One pass over the objects: indexes per level, advertiser numbers.
  const byLevel: Record<Level, number[]> = { campaign: [], adgroup: [], ad: [] };
  const advertiserIds: string[] = [];
  const advertiserNumber = new Map<string, number>();
  const advertiserOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const o = objects[i] as RuleObject;
    byLevel[o.level]?.push(i);
    let k = advertiserNumber.get(o.advertiserId);
    if (k === undefined) {
      k = advertiserIds.push(o.advertiserId) - 1;
      advertiserNumber.set(o.advertiserId, k);
    }
    advertiserOf[i] = k;
  }
  // Wall clock per advertiser (null: zone unknown), computed once.
  const clocks: (ZonedTime | null)[] = advertiserIds.map((id) => {
    const tz = ctx.timeZoneByAdvertiser[id];
    return tz && isValidTimeZone(tz) ? zonedTime(now, tz) : null;
  });

  let capacity = 0;
  for (const cr of compiled) capacity += byLevel[cr.rule.scope.level].length;
  const results = new RuleEvaluations(compiled, objects, ctx, capacity);

  // Per object and window, derived once and shared by every rule (undefined: not derived yet).
  const derived: (DerivedMetrics | null | undefined)[] = new Array(n * W);
  const folded: (string | undefined)[] = [];
  const fired = firedByRule(ctx.lastFiredAt);
  const a = newAssessment();
  // Per advertiser number: 1 allowed by the rule, 0 not; schedule state: 1 inside, 0 outside, 2 zone unknown.
  const allowed = new Uint8Array(advertiserIds.length);
  const inside = new Uint8Array(advertiserIds.length);

  for (let r = 0; r < compiled.length; r++) {
    const cr = compiled[r] as CompiledRule;
    const rule = cr.rule;
    const firedAt = fired.get(rule.id);
    const checkSchedule = !cr.always && !ctx.ignoreSchedule;
    for (let k = 0; k < advertiserIds.length; k++) {
      allowed[k] = cr.advertisers === null || cr.advertisers.has(advertiserIds[k] as string) ? 1 : 0;
      const t = clocks[k] ?? null;
      inside[k] = !checkSchedule ? 1 : t === null ? 2 : isInside(rule.schedule.days, rule.schedule.hours, t) ? 1 : 0;
    }
    const candidates = byLevel[rule.scope.level];
    for (let j = 0; j < candidates.length; j++) {
      const i = candidates[j] as number;
      const adv = advertiserOf[i] as number;
      if (allowed[adv] === 0) continue;
      const o = objects[i] as RuleObject;
      if (cr.ids !== null && !cr.ids.has(o.id)) continue;
      if (cr.needle !== null) {
        let name = folded[i];
        if (name === undefined) {
          name = foldName(o.name);
          folded[i] = name;
        }
        if (!name.includes(cr.needle)) continue;
      }
      const state = inside[adv];
      if (state !== 1) {
        results.push(r, i, state === 0 ? D_OUTSIDE : D_NOT_EVALUABLE, cr, null);
        continue;
      }

      const base = i * W;
      const indexes = cr.windowIndexes;
      for (let w = 0; w < indexes.length; w++) {
        const slot = base + (indexes[w] as number);
        if (derived[slot] === undefined) {
          const raw = o.metricsByWindow[windows[indexes[w] as number] as WindowKey];
          derived[slot] = raw === undefined ? null : deriveMetrics(raw);
        }
      }
      const outcome = assess(cr, o.id, o.budget, o.budgetMode, derived, base, a);
      if (outcome !== OUTCOME_BREACH) {
        const d =
          outcome === OUTCOME_NOT_ENOUGH_DATA
            ? D_NOT_ENOUGH
            : outcome === OUTCOME_NO_BREACH
              ? D_NO_BREACH
              : D_NOT_EVALUABLE;
        results.push(r, i, d, cr, a);
        continue;
      }
      results.push(r, i, decideOnBreach(cr, o, now, firedAt, flapLimit), cr, a);
    }
  }
  return results;
}

/** What to do about a breach: the decision code. */
function decideOnBreach(
  cr: CompiledRule,
  o: RuleObject,
  now: number,
  firedAt: Map<string, number> | undefined,
  flapLimit: FlapLimit,
): number {
  const action = cr.rule.action;
  if (action === 'pause' && o.operationStatus !== 'ENABLE') return D_ALREADY;
  if (action === 'resume') {
    if (o.operationStatus === 'ENABLE') return D_ALREADY;
    if (protectionNote(o) !== null) return D_PROTECTED;
  }
  if (cr.cooldownMs > 0 && firedAt !== undefined) {
    const last = firedAt.get(o.id);
    if (last !== undefined && now - last < cr.cooldownMs) return D_COOLDOWN;
  }
  if (action === 'flag') return D_FLAG;
  if (flapLimited(o.lastToggles, now, flapLimit)) return D_FLAP;
  return D_ACT;
}
