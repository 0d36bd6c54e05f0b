import './RulesSection.css';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import {
  type DaypartSchedule,
  findConflicts,
  flapLimitSchema,
  formatMetric,
  LEVEL_PLURAL,
  METRIC_LABELS,
  type Rule,
  windowLabel,
} from '../../lib/rules';
import {
  emptyRulesDocument,
  type LoadedRules,
  loadRules,
  loadRulesState,
  RULES_KEY,
  RULES_STATE_KEY,
  type RulesDocument,
  type RulesState,
  type RunRecord,
  saveRules,
} from '../../lib/rules/storage';
import type { Settings } from '../../lib/settings/schema';
import { Status, type Tone } from '../Status';
import { type DaypartDraft, daypartDraftOf, newDaypartDraft, RulesDaypartForm } from './RulesDaypartForm';
import {
  ConflictList,
  DAY_LABELS,
  describedBy,
  draftOf,
  FieldError,
  newRuleDraft,
  type RuleDraft,
  RulesForm,
} from './RulesForm';

const ACTION_WORDS = { flag: 'Flag', pause: 'Pause', resume: 'Resume' } as const;
const SHORT_DAYS = DAY_LABELS.map((d) => d.slice(0, 3));

function hours([from, until]: readonly [number, number]): string {
  return from === 0 && until === 24
    ? 'all day'
    : `${String(from).padStart(2, '0')}:00–${String(until).padStart(2, '0')}:00`;
}

function daysText(days: readonly number[]): string {
  return days.length === 7 ? 'every day' : days.map((d) => SHORT_DAYS[d]).join(', ');
}

/** One line that says what a rule does. */
export function describeRule(rule: Rule): string {
  const match = rule.scope.match;
  const plural = LEVEL_PLURAL[rule.scope.level];
  const scope =
    match.kind === 'all'
      ? `all ${plural}`
      : match.kind === 'ids'
        ? `${match.ids.length} listed ${plural}`
        : `${plural} whose name contains “${match.text}”`;
  const conditions = rule.conditions
    .map((c) => `${METRIC_LABELS[c.metric]} ${c.op} ${formatMetric(c.metric, c.value)} (${windowLabel(c.window)})`)
    .join(' and ');
  const guards = [
    rule.guards.minSpend !== undefined ? `spend ≥ ${rule.guards.minSpend}` : null,
    rule.guards.minImpressions !== undefined ? `impressions ≥ ${rule.guards.minImpressions}` : null,
    rule.guards.minConversions !== undefined ? `conversions ≥ ${rule.guards.minConversions}` : null,
  ].filter(Boolean);
  const where = rule.advertiserIds.length > 0 ? ` of advertiser ${rule.advertiserIds.join(', ')}` : '';
  return [
    `${ACTION_WORDS[rule.action]} ${scope}${where}${conditions ? ` when ${conditions}` : ''}`,
    guards.length > 0 ? `only once ${guards.join(', ')}` : null,
    `checked every ${rule.schedule.everyMinutes} min, ${daysText(rule.schedule.days)}, ${hours(rule.schedule.hours)}`,
    rule.cooldownMinutes > 0 ? `cooldown ${rule.cooldownMinutes} min` : null,
    Object.keys(rule.targets).length > 0 ? `${Object.keys(rule.targets).length} per-object targets` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

function timeText(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function RunLine({ run }: { run: RunRecord | undefined }) {
  if (!run) return <p class="sp-run">Not checked yet.</p>;
  return (
    <p class="sp-run" data-ok={run.ok ? 'true' : 'false'}>
      Last check {timeText(run.at)}: {run.text}
    </p>
  );
}

type Editing = { kind: 'rule'; draft: RuleDraft } | { kind: 'daypart'; draft: DaypartDraft } | null;

/**
 * Options → Thresholds and rules: the rules and dayparting schedules (stored in storage.local, run by the worker),
 * their last results, conflicts between them and the flap limit.
 */
export function RulesSection({ settings }: { settings: Settings }) {
  const [loaded, setLoaded] = useState<LoadedRules | null>(null);
  const [state, setState] = useState<RulesState | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [status, setStatus] = useState<{ tone: Tone; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [flap, setFlap] = useState<{ maxToggles: string; perHours: string } | null>(null);
  const [flapErrors, setFlapErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    const reload = () =>
      loadRules().then(
        (l) => setLoaded(l),
        (e: unknown) => setStatus({ tone: 'error', text: `Rules could not be read: ${String(e)}` }),
      );
    const reloadState = () => loadRulesState().then(setState, () => setState(null));
    void reload();
    void reloadState();
    const listener = (changes: Record<string, unknown>, area: string) => {
      if (area !== 'local') return;
      if (RULES_KEY in changes) void reload();
      if (RULES_STATE_KEY in changes) void reloadState();
    };
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  }, []);

  const doc: RulesDocument = loaded?.doc ?? emptyRulesDocument();
  const readOnly = loaded?.readOnly ?? false;
  const flapValues = flap ?? {
    maxToggles: String(doc.flapLimit.maxToggles),
    perHours: String(doc.flapLimit.perHours),
  };

  async function write(next: RulesDocument, done: string): Promise<string | null> {
    try {
      await saveRules(next);
      setLoaded({ doc: next, problems: loaded?.problems ?? [], readOnly });
      setStatus({ tone: 'ok', text: done });
      return null;
    } catch (error) {
      return `Not saved: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async function saveRule(rule: Rule): Promise<string | null> {
    const exists = doc.rules.some((r) => r.id === rule.id);
    const rules = exists ? doc.rules.map((r) => (r.id === rule.id ? rule : r)) : [...doc.rules, rule];
    const problem = await write(
      { ...doc, rules },
      `Rule “${rule.name}” saved. SafePause checks it now, then on its schedule.`,
    );
    if (!problem) setEditing(null);
    return problem;
  }

  async function saveDaypart(schedule: DaypartSchedule): Promise<string | null> {
    const exists = doc.dayparts.some((d) => d.id === schedule.id);
    const dayparts = exists
      ? doc.dayparts.map((d) => (d.id === schedule.id ? schedule : d))
      : [...doc.dayparts, schedule];
    const problem = await write({ ...doc, dayparts }, `Dayparting “${schedule.name}” saved. SafePause checks it now.`);
    if (!problem) setEditing(null);
    return problem;
  }

  async function toggle(kind: 'rule' | 'daypart', id: string, enabled: boolean) {
    const next =
      kind === 'rule'
        ? { ...doc, rules: doc.rules.map((r) => (r.id === id ? { ...r, enabled } : r)) }
        : { ...doc, dayparts: doc.dayparts.map((d) => (d.id === id ? { ...d, enabled } : d)) };
    const problem = await write(next, enabled ? 'Switched on.' : 'Switched off: it no longer runs.');
    if (problem) setStatus({ tone: 'error', text: problem });
  }

  async function remove(kind: 'rule' | 'daypart' | 'invalid', id: string) {
    setConfirmDelete(null);
    const next =
      kind === 'rule'
        ? { ...doc, rules: doc.rules.filter((r) => r.id !== id) }
        : kind === 'daypart'
          ? { ...doc, dayparts: doc.dayparts.filter((d) => d.id !== id) }
          : { ...doc, invalid: doc.invalid.filter((_, i) => String(i) !== id) };
    const problem = await write(next, 'Deleted.');
    if (problem) setStatus({ tone: 'error', text: problem });
  }

  async function saveFlap(event: Event) {
    event.preventDefault();
    const parsed = flapLimitSchema.safeParse({
      maxToggles: flapValues.maxToggles.trim() === '' ? Number.NaN : Number(flapValues.maxToggles),
      perHours: flapValues.perHours.trim() === '' ? Number.NaN : Number(flapValues.perHours),
    });
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      setFlapErrors(errors);
      return;
    }
    setFlapErrors({});
    const problem = await write({ ...doc, flapLimit: parsed.data }, 'Flap limit saved.');
    if (problem) setStatus({ tone: 'error', text: problem });
    else setFlap(null);
  }

  function deleteButtons(kind: 'rule' | 'daypart' | 'invalid', id: string, name: string) {
    const key = `${kind}:${id}`;
    if (confirmDelete !== key) {
      return (
        <button type="button" onClick={() => setConfirmDelete(key)} disabled={readOnly}>
          Delete {name}
        </button>
      );
    }
    return (
      <>
        <button type="button" class="sp-danger" onClick={() => void remove(kind, id)}>
          Yes, delete {name}
        </button>
        <button type="button" onClick={() => setConfirmDelete(null)}>
          Keep {name}
        </button>
      </>
    );
  }

  const conflicts = findConflicts(doc.rules, doc.dayparts);

  return (
    <section class="sp-card sp-rules" aria-labelledby="rules-heading">
      <h2 id="rules-heading">Thresholds and rules</h2>
      <p class="sp-hint">
        Rules read TikTok's reports on a schedule and flag or pause what crosses a threshold, through the same confirmed
        pipeline as your own pauses; a rule never resumes what a person paused. They run only while the browser runs,
        and TikTok's reports lag about 30 minutes: a rule acts on spend no fresher than that.
      </p>
      <p class="sp-hint">
        {state?.lastCheckAt ? `Last check ran ${timeText(state.lastCheckAt)}.` : 'No check has run yet.'}
      </p>
      {loaded?.problems.map((p) => (
        <Status key={p} tone="error" text={p} />
      ))}
      {status && <Status tone={status.tone} text={status.text} />}
      <ConflictList conflicts={conflicts} label="Rule conflicts" />

      <h3>Rules</h3>
      {doc.rules.length === 0 && <p class="sp-hint">No rules yet.</p>}
      {doc.rules.map((rule) => (
        <article key={rule.id} class="sp-rule" aria-labelledby={`rule-${rule.id}-name`}>
          <h4 id={`rule-${rule.id}-name`}>{rule.name}</h4>
          <p>{describeRule(rule)}</p>
          <RunLine run={state?.runs[rule.id]} />
          <div class="sp-row">
            <label class="sp-choice">
              <input
                type="checkbox"
                checked={rule.enabled}
                disabled={readOnly}
                onChange={(e) => void toggle('rule', rule.id, e.currentTarget.checked)}
              />{' '}
              Rule “{rule.name}” is on
            </label>
            <button
              type="button"
              aria-label={`Edit rule ${rule.name}`}
              onClick={() => setEditing({ kind: 'rule', draft: draftOf(rule) })}
            >
              Edit
            </button>
            {deleteButtons('rule', rule.id, `rule ${rule.name}`)}
          </div>
        </article>
      ))}
      {editing?.kind === 'rule' ? (
        <RulesForm
          key={editing.draft.id}
          draft={editing.draft}
          otherRules={doc.rules.filter((r) => r.id !== editing.draft.id)}
          dayparts={doc.dayparts}
          readOnly={readOnly}
          onSave={saveRule}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button type="button" disabled={readOnly} onClick={() => setEditing({ kind: 'rule', draft: newRuleDraft() })}>
          Add rule
        </button>
      )}

      <h3>Dayparting</h3>
      <p class="sp-hint">Run chosen campaigns, ad groups or ads only inside chosen days and hours.</p>
      {doc.dayparts.length === 0 && <p class="sp-hint">No dayparting schedules yet.</p>}
      {doc.dayparts.map((d) => (
        <article key={d.id} class="sp-rule" aria-labelledby={`daypart-${d.id}-name`}>
          <h4 id={`daypart-${d.id}-name`}>{d.name}</h4>
          <p>
            {d.objectIds.length} {LEVEL_PLURAL[d.level]} of advertiser {d.advertiserId} run {daysText(d.days)},{' '}
            {hours(d.hours)} (advertiser's time zone); paused outside.
          </p>
          <RunLine run={state?.runs[d.id]} />
          <div class="sp-row">
            <label class="sp-choice">
              <input
                type="checkbox"
                checked={d.enabled}
                disabled={readOnly}
                onChange={(e) => void toggle('daypart', d.id, e.currentTarget.checked)}
              />{' '}
              Dayparting “{d.name}” is on
            </label>
            <button
              type="button"
              aria-label={`Edit dayparting ${d.name}`}
              onClick={() => setEditing({ kind: 'daypart', draft: daypartDraftOf(d) })}
            >
              Edit
            </button>
            {deleteButtons('daypart', d.id, `dayparting ${d.name}`)}
          </div>
        </article>
      ))}
      {editing?.kind === 'daypart' ? (
        <RulesDaypartForm
          key={editing.draft.id}
          draft={editing.draft}
          advertiserIds={settings.advertiserIds}
          rules={doc.rules}
          otherDayparts={doc.dayparts.filter((d) => d.id !== editing.draft.id)}
          readOnly={readOnly}
          onSave={saveDaypart}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button
          type="button"
          disabled={readOnly}
          onClick={() => setEditing({ kind: 'daypart', draft: newDaypartDraft(settings.advertiserIds[0] ?? '') })}
        >
          Add dayparting schedule
        </button>
      )}

      <h3>Flap limit</h3>
      <form class="sp-row" onSubmit={saveFlap}>
        <div class="sp-field">
          <label for="flap-max">Most switches per object</label>
          <input
            id="flap-max"
            type="text"
            inputMode="numeric"
            value={flapValues.maxToggles}
            onInput={(e) => setFlap({ ...flapValues, maxToggles: e.currentTarget.value })}
            {...describedBy('flap-max', flapErrors.maxToggles)}
          />
          <FieldError id="flap-max" error={flapErrors.maxToggles} />
        </div>
        <div class="sp-field">
          <label for="flap-hours">Within (hours)</label>
          <input
            id="flap-hours"
            type="text"
            inputMode="numeric"
            value={flapValues.perHours}
            onInput={(e) => setFlap({ ...flapValues, perHours: e.currentTarget.value })}
            {...describedBy('flap-hours', flapErrors.perHours)}
          />
          <FieldError id="flap-hours" error={flapErrors.perHours} />
        </div>
        <button type="submit" disabled={readOnly}>
          Save flap limit
        </button>
      </form>
      <p class="sp-hint">
        Rules and dayparting switch one object at most this often; past it they leave the object alone and say so, so
        two rules cannot keep turning it on and off.
      </p>

      {doc.invalid.length > 0 && (
        <>
          <h3>Kept but not run</h3>
          <p class="sp-hint">
            These stored entries are not valid, so they do not run. They are kept until you delete them.
          </p>
          <ul>
            {doc.invalid.map((entry, i) => {
              const raw = entry.raw as { name?: unknown } | null;
              const name = typeof raw?.name === 'string' ? raw.name : `entry ${i + 1}`;
              return (
                <li key={`${entry.kind}-${name}-${entry.errors.join('|')}`}>
                  {entry.kind === 'rule' ? 'Rule' : 'Dayparting'} “{name}”: {entry.errors.join('; ')}{' '}
                  {deleteButtons('invalid', String(i), `stored ${entry.kind} ${name}`)}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
