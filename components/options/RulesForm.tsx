import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Level } from '../../lib/api/ids';
import {
  COMPARISONS,
  type Comparison,
  type Conflict,
  type DaypartSchedule,
  findConflicts,
  METRIC_LABELS,
  RULE_METRICS,
  type Rule,
  type RuleAction,
  type RuleMetric,
  ruleSchema,
  windowLabel,
} from '../../lib/rules';
import type { BacktestAnswer, PreviewResult } from '../../lib/worker/rules';
import { Status, type Tone } from '../Status';
import { BacktestView, PreviewView } from './RulesResults';

/** Days as a person reads them, Sunday first (0 = Sunday, as the rules store them). */
export const DAY_LABELS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export const LEVEL_CHOICES: readonly { value: Level; label: string }[] = [
  { value: 'campaign', label: 'Campaigns' },
  { value: 'adgroup', label: 'Ad groups' },
  { value: 'ad', label: 'Ads' },
];

const WINDOW_CHOICES = [
  'today',
  'last_1_hours',
  'last_3_hours',
  'last_6_hours',
  'last_12_hours',
  'last_24_hours',
  'yesterday',
  'last_3_days',
  'last_7_days',
  'lifetime',
] as const;

const ACTION_LABELS: Record<RuleAction, string> = {
  flag: 'Flag the rows in Ads Manager and notify (nothing is paused)',
  pause: 'Pause them (through the same confirmed pipeline as your own pauses)',
  resume: 'Resume them (only what a rule paused, never what a person paused)',
};

interface ConditionDraft {
  metric: RuleMetric;
  op: Comparison;
  value: string;
  window: string;
}

export interface RuleDraft {
  id: string;
  name: string;
  enabled: boolean;
  level: Level;
  matchKind: 'all' | 'nameContains' | 'ids';
  nameText: string;
  idsText: string;
  advertiserText: string;
  conditions: ConditionDraft[];
  minSpend: string;
  minImpressions: string;
  minConversions: string;
  action: RuleAction;
  everyMinutes: string;
  days: number[];
  fromHour: string;
  untilHour: string;
  cooldownMinutes: string;
  targetsText: string;
}

export function newRuleDraft(): RuleDraft {
  return {
    id: `rule-${crypto.randomUUID()}`,
    name: '',
    enabled: true,
    level: 'campaign',
    matchKind: 'all',
    nameText: '',
    idsText: '',
    advertiserText: '',
    conditions: [{ metric: 'cpa', op: '>', value: '', window: 'today' }],
    minSpend: '',
    minImpressions: '',
    minConversions: '',
    action: 'flag',
    everyMinutes: '30',
    days: [0, 1, 2, 3, 4, 5, 6],
    fromHour: '0',
    untilHour: '24',
    cooldownMinutes: '60',
    targetsText: '',
  };
}

export function draftOf(rule: Rule): RuleDraft {
  const match = rule.scope.match;
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    level: rule.scope.level,
    matchKind: match.kind,
    nameText: match.kind === 'nameContains' ? match.text : '',
    idsText: match.kind === 'ids' ? match.ids.join('\n') : '',
    advertiserText: rule.advertiserIds.join('\n'),
    conditions: rule.conditions.map((c) => ({ metric: c.metric, op: c.op, value: String(c.value), window: c.window })),
    minSpend: rule.guards.minSpend === undefined ? '' : String(rule.guards.minSpend),
    minImpressions: rule.guards.minImpressions === undefined ? '' : String(rule.guards.minImpressions),
    minConversions: rule.guards.minConversions === undefined ? '' : String(rule.guards.minConversions),
    action: rule.action,
    everyMinutes: String(rule.schedule.everyMinutes),
    days: [...rule.schedule.days],
    fromHour: String(rule.schedule.hours[0]),
    untilHour: String(rule.schedule.hours[1]),
    cooldownMinutes: String(rule.cooldownMinutes),
    targetsText: Object.entries(rule.targets)
      .map(
        ([id, t]) =>
          `${id} ${Object.entries(t)
            .map(([m, v]) => `${m}=${v}`)
            .join(' ')}`,
      )
      .join('\n'),
  };
}

/** Numbers as typed: blank is "not a number" (zod then says what is expected), commas are decimal points. */
function num(text: string): number {
  const t = text.trim().replace(',', '.');
  return t === '' ? Number.NaN : Number(t);
}

function optionalNum(text: string): number | undefined {
  return text.trim() === '' ? undefined : num(text);
}

function lines(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `<object ID> <metric>=<value> …` per line. */
function parseTargets(text: string): { targets: Record<string, Record<string, number>>; error?: string } {
  const targets: Record<string, Record<string, number>> = {};
  const rows = text.split('\n').map((l) => l.trim());
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? '';
    if (row === '') continue;
    const [id, ...pairs] = row.split(/\s+/);
    if (!id || pairs.length === 0) {
      return {
        targets,
        error: `Line ${i + 1}: write an object ID, then metric=value, e.g. 1800000000000000001 cpa=45`,
      };
    }
    const t: Record<string, number> = {};
    for (const pair of pairs) {
      const [metric, value] = pair.split('=');
      if (!metric || value === undefined || !(RULE_METRICS as readonly string[]).includes(metric)) {
        return {
          targets,
          error: `Line ${i + 1}: "${pair}" is not metric=value (metrics: ${RULE_METRICS.join(', ')})`,
        };
      }
      t[metric] = num(value);
    }
    targets[id] = t;
  }
  return { targets };
}

/** Field keys of the form, for zod paths. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [a, b, c] = path.map(String);
  switch (a) {
    case 'scope':
      if (c === 'text') return 'nameText';
      if (c === 'ids') return 'idsText';
      return 'matchKind';
    case 'advertiserIds':
      return 'advertiserText';
    case 'conditions':
      return b !== undefined && c !== undefined ? `conditions.${b}.${c}` : 'conditions';
    case 'guards':
      return b ?? 'guards';
    case 'schedule':
      return b === 'days' ? 'days' : b === 'hours' ? 'hours' : (b ?? 'everyMinutes');
    case 'targets':
      return 'targetsText';
    default:
      return a ?? 'form';
  }
}

/** The rule the draft describes, or the messages to show next to its fields. */
export function ruleFromDraft(
  draft: RuleDraft,
): { ok: true; rule: Rule } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const { targets, error: targetsError } = parseTargets(draft.targetsText);
  if (targetsError) errors.targetsText = targetsError;
  const match =
    draft.matchKind === 'all'
      ? { kind: 'all' }
      : draft.matchKind === 'nameContains'
        ? { kind: 'nameContains', text: draft.nameText }
        : { kind: 'ids', ids: lines(draft.idsText) };
  const input = {
    id: draft.id,
    name: draft.name,
    enabled: draft.enabled,
    advertiserIds: lines(draft.advertiserText),
    scope: { level: draft.level, match },
    conditions: draft.conditions.map((c) => ({ metric: c.metric, op: c.op, value: num(c.value), window: c.window })),
    guards: {
      minSpend: optionalNum(draft.minSpend),
      minImpressions: optionalNum(draft.minImpressions),
      minConversions: optionalNum(draft.minConversions),
    },
    action: draft.action,
    schedule: {
      everyMinutes: num(draft.everyMinutes),
      days: draft.days,
      hours: [num(draft.fromHour), num(draft.untilHour)],
    },
    cooldownMinutes: num(draft.cooldownMinutes),
    targets,
  };
  const parsed = ruleSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = fieldOf(issue.path);
      errors[key] ??= issue.message;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, rule: parsed.data };
}

/** Props for an input with a message under it: described by the message and marked invalid. */
export function describedBy(id: string, error: string | undefined) {
  return error ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <span class="sp-field-error" id={`${id}-error`}>
      {error}
    </span>
  );
}

export function ConflictList({ conflicts, label }: { conflicts: readonly Conflict[]; label: string }) {
  if (conflicts.length === 0) return null;
  return (
    <ul class="sp-warnings" aria-label={label}>
      {conflicts.map((c) => (
        <li key={`${c.pauser.id}|${c.resumer.id}`}>{c.message}</li>
      ))}
    </ul>
  );
}

type Answer<T> = ({ ok: true } & T) | { ok: false; error: string };

export interface RulesFormProps {
  draft: RuleDraft;
  otherRules: readonly Rule[];
  dayparts: readonly DaypartSchedule[];
  readOnly: boolean;
  onSave: (rule: Rule) => Promise<string | null>;
  onCancel: () => void;
}

/** Adds or edits one rule; Preview and Backtest try the rule as it stands in the form, without saving it. */
export function RulesForm({ draft: initial, otherRules, dayparts, readOnly, onSave, onCancel }: RulesFormProps) {
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ tone: Tone; text: string } | null>(null);
  const [busy, setBusy] = useState<'save' | 'preview' | 'backtest' | null>(null);
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [backtest, setBacktest] = useState<BacktestAnswer | null>(null);
  const [days, setDays] = useState('14');
  const [granularity, setGranularity] = useState<'day' | 'hour'>('day');
  const id = 'rule-form';

  function set<K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }
  function setCondition(i: number, patch: Partial<ConditionDraft>) {
    setDraft((d) => ({ ...d, conditions: d.conditions.map((c, k) => (k === i ? { ...c, ...patch } : c)) }));
  }

  function check(): Rule | null {
    const result = ruleFromDraft(draft);
    if (!result.ok) {
      setErrors(result.errors);
      setStatus({ tone: 'error', text: 'Some fields need a change: see the messages next to them.' });
      return null;
    }
    setErrors({});
    return result.rule;
  }

  async function save(event: Event) {
    event.preventDefault();
    const rule = check();
    if (!rule) return;
    setBusy('save');
    const problem = await onSave(rule);
    setBusy(null);
    if (problem) setStatus({ tone: 'error', text: problem });
  }

  async function ask<T>(message: unknown): Promise<Answer<T>> {
    try {
      return (await browser.runtime.sendMessage(message)) as Answer<T>;
    } catch (error) {
      return { ok: false, error: `SafePause's background worker did not answer (${String(error)}).` };
    }
  }

  async function runPreview() {
    const rule = check();
    if (!rule) return;
    setBusy('preview');
    setStatus({ tone: 'info', text: 'Reading the objects and reports from TikTok…' });
    const answer = await ask<{ preview: PreviewResult }>({ type: 'rules:preview', rule });
    setBusy(null);
    if (!answer.ok) {
      setStatus({ tone: 'error', text: `Preview failed: ${answer.error}` });
      return;
    }
    setStatus(null);
    setPreview(answer.preview);
  }

  async function runBacktest() {
    const rule = check();
    if (!rule) return;
    const n = num(days);
    if (!Number.isInteger(n) || n < 7 || n > 30) {
      setErrors({ ...errors, backtestDays: 'Replay 7 to 30 days' });
      return;
    }
    setBusy('backtest');
    setStatus({
      tone: 'info',
      text: `Reading ${n} days of ${granularity === 'hour' ? 'hourly' : 'daily'} reports from TikTok…`,
    });
    const answer = await ask<{ backtest: BacktestAnswer }>({ type: 'rules:backtest', rule, days: n, granularity });
    setBusy(null);
    if (!answer.ok) {
      setStatus({ tone: 'error', text: `Backtest failed: ${answer.error}` });
      return;
    }
    setStatus(null);
    setBacktest(answer.backtest);
  }

  const draftRule = ruleFromDraft(draft);
  const conflicts = draftRule.ok
    ? findConflicts([...otherRules, draftRule.rule], dayparts).filter(
        (c) => c.pauser.id === draft.id || c.resumer.id === draft.id,
      )
    : [];
  const err = (key: string) => errors[key];
  const windows: string[] = [...WINDOW_CHOICES];
  for (const c of draft.conditions) if (!windows.includes(c.window)) windows.push(c.window);

  return (
    <form class="sp-rule-form" onSubmit={save} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{initial.name ? `Edit rule “${initial.name}”` : 'New rule'}</h3>
      <div class="sp-field">
        <label for={`${id}-name`}>Rule name</label>
        <input
          id={`${id}-name`}
          type="text"
          value={draft.name}
          onInput={(e) => set('name', e.currentTarget.value)}
          {...describedBy(`${id}-name`, err('name'))}
        />
        <FieldError id={`${id}-name`} error={err('name')} />
      </div>
      <label class="sp-choice">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} /> Rule
        enabled
      </label>

      <fieldset class="sp-field">
        <legend>What it watches</legend>
        <div class="sp-grid">
          <div class="sp-field">
            <label for={`${id}-level`}>Level</label>
            <select
              id={`${id}-level`}
              value={draft.level}
              onChange={(e) => set('level', e.currentTarget.value as Level)}
            >
              {LEVEL_CHOICES.map((l) => (
                <option key={l.value} value={l.value}>
                  {l.label}
                </option>
              ))}
            </select>
          </div>
          <div class="sp-field">
            <label for={`${id}-match`}>Applies to</label>
            <select
              id={`${id}-match`}
              value={draft.matchKind}
              onChange={(e) => set('matchKind', e.currentTarget.value as RuleDraft['matchKind'])}
              {...describedBy(`${id}-match`, err('matchKind'))}
            >
              <option value="all">All of them</option>
              <option value="nameContains">Names containing a text</option>
              <option value="ids">These IDs</option>
            </select>
            <FieldError id={`${id}-match`} error={err('matchKind')} />
          </div>
        </div>
        {draft.matchKind === 'nameContains' && (
          <div class="sp-field">
            <label for={`${id}-name-text`}>Name contains</label>
            <input
              id={`${id}-name-text`}
              type="text"
              value={draft.nameText}
              onInput={(e) => set('nameText', e.currentTarget.value)}
              {...describedBy(`${id}-name-text`, err('nameText'))}
            />
            <FieldError id={`${id}-name-text`} error={err('nameText')} />
          </div>
        )}
        {draft.matchKind === 'ids' && (
          <div class="sp-field">
            <label for={`${id}-ids`}>IDs (one per line)</label>
            <textarea
              id={`${id}-ids`}
              value={draft.idsText}
              onInput={(e) => set('idsText', e.currentTarget.value)}
              {...describedBy(`${id}-ids`, err('idsText'))}
            />
            <FieldError id={`${id}-ids`} error={err('idsText')} />
          </div>
        )}
        <div class="sp-field">
          <label for={`${id}-advertisers`}>Only for advertisers</label>
          <textarea
            id={`${id}-advertisers`}
            value={draft.advertiserText}
            placeholder="Empty: every connected advertiser"
            onInput={(e) => set('advertiserText', e.currentTarget.value)}
            {...describedBy(`${id}-advertisers`, err('advertiserText'))}
          />
          <FieldError id={`${id}-advertisers`} error={err('advertiserText')} />
        </div>
      </fieldset>

      <fieldset class="sp-field">
        <legend>Conditions (all must hold)</legend>
        {draft.conditions.map((c, i) => {
          const n = i + 1;
          const cid = `${id}-c${i}`;
          return (
            <div class="sp-condition" key={cid}>
              <div class="sp-field">
                <label for={`${cid}-metric`}>Metric {n}</label>
                <select
                  id={`${cid}-metric`}
                  value={c.metric}
                  onChange={(e) => setCondition(i, { metric: e.currentTarget.value as RuleMetric })}
                >
                  {RULE_METRICS.map((m) => (
                    <option key={m} value={m}>
                      {METRIC_LABELS[m]}
                    </option>
                  ))}
                </select>
              </div>
              <div class="sp-field">
                <label for={`${cid}-op`}>Comparison {n}</label>
                <select
                  id={`${cid}-op`}
                  value={c.op}
                  onChange={(e) => setCondition(i, { op: e.currentTarget.value as Comparison })}
                >
                  {COMPARISONS.map((op) => (
                    <option key={op} value={op}>
                      {op}
                    </option>
                  ))}
                </select>
              </div>
              <div class="sp-field">
                <label for={`${cid}-value`}>Threshold {n}</label>
                <input
                  id={`${cid}-value`}
                  type="text"
                  inputMode="decimal"
                  value={c.value}
                  onInput={(e) => setCondition(i, { value: e.currentTarget.value })}
                  {...describedBy(`${cid}-value`, err(`conditions.${i}.value`))}
                />
                <FieldError id={`${cid}-value`} error={err(`conditions.${i}.value`)} />
              </div>
              <div class="sp-field">
                <label for={`${cid}-window`}>Window {n}</label>
                <select
                  id={`${cid}-window`}
                  value={c.window}
                  onChange={(e) => setCondition(i, { window: e.currentTarget.value })}
                  {...describedBy(`${cid}-window`, err(`conditions.${i}.window`))}
                >
                  {windows.map((w) => (
                    <option key={w} value={w}>
                      {windowLabel(w as never)}
                    </option>
                  ))}
                </select>
                <FieldError id={`${cid}-window`} error={err(`conditions.${i}.window`)} />
              </div>
              <button
                type="button"
                aria-label={`Remove condition ${n}`}
                onClick={() =>
                  set(
                    'conditions',
                    draft.conditions.filter((_, k) => k !== i),
                  )
                }
              >
                Remove
              </button>
            </div>
          );
        })}
        <FieldError id={`${id}-conditions`} error={err('conditions')} />
        {draft.conditions.length < 5 && (
          <button
            type="button"
            onClick={() =>
              set('conditions', [...draft.conditions, { metric: 'spend', op: '>', value: '', window: 'today' }])
            }
          >
            Add condition
          </button>
        )}
        <span class="sp-hint">
          Money in the advertiser's currency; CTR, conversion rate and budget spent in percent; ROAS as a ratio. CPA
          with spend but no conversions counts as infinite.
        </span>
      </fieldset>

      <fieldset class="sp-field">
        <legend>Data guards (act only once there is enough data)</legend>
        <div class="sp-grid">
          {(
            [
              ['minSpend', 'Minimum spend'],
              ['minImpressions', 'Minimum impressions'],
              ['minConversions', 'Minimum conversions'],
            ] as const
          ).map(([key, label]) => (
            <div class="sp-field" key={key}>
              <label for={`${id}-${key}`}>{label}</label>
              <input
                id={`${id}-${key}`}
                type="text"
                inputMode="decimal"
                value={draft[key]}
                onInput={(e) => set(key, e.currentTarget.value)}
                {...describedBy(`${id}-${key}`, err(key))}
              />
              <FieldError id={`${id}-${key}`} error={err(key)} />
            </div>
          ))}
        </div>
        <span class="sp-hint">Rows under a guard show “not enough data yet” in Ads Manager instead of acting.</span>
      </fieldset>

      <div class="sp-field">
        <label for={`${id}-action`}>Action</label>
        <select
          id={`${id}-action`}
          value={draft.action}
          onChange={(e) => set('action', e.currentTarget.value as RuleAction)}
          {...describedBy(`${id}-action`, err('action'))}
        >
          {(['flag', 'pause', 'resume'] as const).map((a) => (
            <option key={a} value={a}>
              {ACTION_LABELS[a]}
            </option>
          ))}
        </select>
        <FieldError id={`${id}-action`} error={err('action')} />
      </div>

      <fieldset class="sp-field">
        <legend>Schedule (in the advertiser's time zone)</legend>
        <div class="sp-grid">
          <div class="sp-field">
            <label for={`${id}-every`}>Check every (minutes)</label>
            <input
              id={`${id}-every`}
              type="text"
              inputMode="numeric"
              value={draft.everyMinutes}
              onInput={(e) => set('everyMinutes', e.currentTarget.value)}
              {...describedBy(`${id}-every`, err('everyMinutes'))}
            />
            <FieldError id={`${id}-every`} error={err('everyMinutes')} />
          </div>
          <div class="sp-field">
            <label for={`${id}-from`}>From hour</label>
            <input
              id={`${id}-from`}
              type="text"
              inputMode="numeric"
              value={draft.fromHour}
              onInput={(e) => set('fromHour', e.currentTarget.value)}
              {...describedBy(`${id}-from`, err('hours'))}
            />
          </div>
          <div class="sp-field">
            <label for={`${id}-until`}>Until hour</label>
            <input
              id={`${id}-until`}
              type="text"
              inputMode="numeric"
              value={draft.untilHour}
              onInput={(e) => set('untilHour', e.currentTarget.value)}
              {...describedBy(`${id}-from`, err('hours'))}
            />
          </div>
          <div class="sp-field">
            <label for={`${id}-cooldown`}>Cooldown (minutes)</label>
            <input
              id={`${id}-cooldown`}
              type="text"
              inputMode="numeric"
              value={draft.cooldownMinutes}
              onInput={(e) => set('cooldownMinutes', e.currentTarget.value)}
              {...describedBy(`${id}-cooldown`, err('cooldownMinutes'))}
            />
            <FieldError id={`${id}-cooldown`} error={err('cooldownMinutes')} />
          </div>
        </div>
        <FieldError id={`${id}-from`} error={err('hours')} />
        <DayPicker id={`${id}-days`} days={draft.days} onChange={(d) => set('days', d)} error={err('days')} />
        <span class="sp-hint">
          Hours run from the first up to (not including) the second; 22 to 6 runs overnight. Checks run at most once a
          minute (browsers wake extensions no more often), and only while the browser runs.
        </span>
      </fieldset>

      <div class="sp-field">
        <label for={`${id}-targets`}>Per-object targets</label>
        <textarea
          id={`${id}-targets`}
          value={draft.targetsText}
          placeholder="1800000000000000001 cpa=45 ctr=1.2"
          onInput={(e) => set('targetsText', e.currentTarget.value)}
          {...describedBy(`${id}-targets`, err('targetsText'))}
        />
        <FieldError id={`${id}-targets`} error={err('targetsText')} />
        <span class="sp-hint">One object per line: its ID, then metric=value for each threshold it replaces.</span>
      </div>

      <ConflictList conflicts={conflicts} label="Conflicts of this rule" />

      <div class="sp-row">
        <button type="submit" class="sp-primary" disabled={busy !== null || readOnly}>
          Save rule
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" onClick={() => void runPreview()} disabled={busy !== null}>
          Preview
        </button>
      </div>
      <div class="sp-row">
        <div class="sp-field">
          <label for={`${id}-bt-days`}>Backtest days</label>
          <input
            id={`${id}-bt-days`}
            type="text"
            inputMode="numeric"
            value={days}
            onInput={(e) => setDays(e.currentTarget.value)}
            {...describedBy(`${id}-bt-days`, err('backtestDays'))}
          />
          <FieldError id={`${id}-bt-days`} error={err('backtestDays')} />
        </div>
        <div class="sp-field">
          <label for={`${id}-bt-granularity`}>Backtest reports</label>
          <select
            id={`${id}-bt-granularity`}
            value={granularity}
            onChange={(e) => setGranularity(e.currentTarget.value as 'day' | 'hour')}
          >
            <option value="day">Daily</option>
            <option value="hour">Hourly</option>
          </select>
        </div>
        <button type="button" onClick={() => void runBacktest()} disabled={busy !== null}>
          Backtest
        </button>
      </div>
      {status && <Status tone={status.tone} text={status.text} />}
      {preview && <PreviewView preview={preview} action={draft.action} level={draft.level} />}
      {backtest && <BacktestView backtest={backtest} action={draft.action} level={draft.level} />}
    </form>
  );
}

export function DayPicker({
  id,
  days,
  onChange,
  error,
}: {
  id: string;
  days: number[];
  onChange: (days: number[]) => void;
  error: string | undefined;
}) {
  return (
    <fieldset class="sp-field sp-days" {...describedBy(id, error)}>
      <legend>Days</legend>
      {DAY_LABELS.map((label, day) => (
        <label class="sp-choice" key={label}>
          <input
            type="checkbox"
            checked={days.includes(day)}
            onChange={(e) =>
              onChange(e.currentTarget.checked ? [...days, day].sort((a, b) => a - b) : days.filter((d) => d !== day))
            }
          />{' '}
          {label}
        </label>
      ))}
      <FieldError id={id} error={error} />
    </fieldset>
  );
}
