import { useState } from 'preact/hooks';
import type { Level } from '../../lib/api/ids';
import { type DaypartSchedule, daypartScheduleSchema, findConflicts, type Rule } from '../../lib/rules';
import { Status } from '../Status';
import { ConflictList, DayPicker, describedBy, FieldError, LEVEL_CHOICES } from './RulesForm';

export interface DaypartDraft {
  id: string;
  name: string;
  enabled: boolean;
  advertiserId: string;
  level: Level;
  idsText: string;
  days: number[];
  fromHour: string;
  untilHour: string;
}

export function newDaypartDraft(advertiserId: string): DaypartDraft {
  return {
    id: `daypart-${crypto.randomUUID()}`,
    name: '',
    enabled: true,
    advertiserId,
    level: 'campaign',
    idsText: '',
    days: [1, 2, 3, 4, 5],
    fromHour: '8',
    untilHour: '20',
  };
}

export function daypartDraftOf(d: DaypartSchedule): DaypartDraft {
  return {
    id: d.id,
    name: d.name,
    enabled: d.enabled,
    advertiserId: d.advertiserId,
    level: d.level,
    idsText: d.objectIds.join('\n'),
    days: [...d.days],
    fromHour: String(d.hours[0]),
    untilHour: String(d.hours[1]),
  };
}

function num(text: string): number {
  const t = text.trim();
  return t === '' ? Number.NaN : Number(t);
}

function fieldOf(path: readonly PropertyKey[]): string {
  const [a] = path.map(String);
  if (a === 'objectIds') return 'idsText';
  if (a === 'hours') return 'hours';
  return a ?? 'form';
}

export function daypartFromDraft(
  draft: DaypartDraft,
): { ok: true; schedule: DaypartSchedule } | { ok: false; errors: Record<string, string> } {
  const parsed = daypartScheduleSchema.safeParse({
    id: draft.id,
    name: draft.name,
    enabled: draft.enabled,
    advertiserId: draft.advertiserId,
    level: draft.level,
    objectIds: draft.idsText
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    days: draft.days,
    hours: [num(draft.fromHour), num(draft.untilHour)],
  });
  if (parsed.success) return { ok: true, schedule: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[fieldOf(issue.path)] ??= issue.message;
  return { ok: false, errors };
}

export interface RulesDaypartFormProps {
  draft: DaypartDraft;
  advertiserIds: readonly string[];
  rules: readonly Rule[];
  otherDayparts: readonly DaypartSchedule[];
  readOnly: boolean;
  onSave: (schedule: DaypartSchedule) => Promise<string | null>;
  onCancel: () => void;
}

/** Adds or edits a dayparting schedule: chosen objects run only inside chosen days and hours. */
export function RulesDaypartForm({
  draft: initial,
  advertiserIds,
  rules,
  otherDayparts,
  readOnly,
  onSave,
  onCancel,
}: RulesDaypartFormProps) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = 'daypart-form';
  const set = <K extends keyof DaypartDraft>(key: K, value: DaypartDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const err = (key: string) => errors[key];

  async function save(event: Event) {
    event.preventDefault();
    const result = daypartFromDraft(draft);
    if (!result.ok) {
      setErrors(result.errors);
      setProblem('Some fields need a change: see the messages next to them.');
      return;
    }
    setErrors({});
    setBusy(true);
    setProblem(await onSave(result.schedule));
    setBusy(false);
  }

  const current = daypartFromDraft(draft);
  const conflicts = current.ok
    ? findConflicts(rules, [...otherDayparts, current.schedule]).filter(
        (c) => c.pauser.id === draft.id || c.resumer.id === draft.id,
      )
    : [];
  const choices =
    advertiserIds.includes(draft.advertiserId) || !draft.advertiserId
      ? advertiserIds
      : [draft.advertiserId, ...advertiserIds];

  return (
    <form class="sp-rule-form" onSubmit={save} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{initial.name ? `Edit dayparting “${initial.name}”` : 'New dayparting schedule'}</h3>
      <div class="sp-field">
        <label for={`${id}-name`}>Schedule name</label>
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
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />{' '}
        Schedule enabled
      </label>
      <div class="sp-grid">
        <div class="sp-field">
          <label for={`${id}-advertiser`}>Advertiser</label>
          <select
            id={`${id}-advertiser`}
            value={draft.advertiserId}
            onChange={(e) => set('advertiserId', e.currentTarget.value)}
            {...describedBy(`${id}-advertiser`, err('advertiserId'))}
          >
            {choices.length === 0 && <option value="">Connect an advertiser first (Account)</option>}
            {choices.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-advertiser`} error={err('advertiserId')} />
        </div>
        <div class="sp-field">
          <label for={`${id}-level`}>Level</label>
          <select id={`${id}-level`} value={draft.level} onChange={(e) => set('level', e.currentTarget.value as Level)}>
            {LEVEL_CHOICES.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="sp-field">
        <label for={`${id}-ids`}>Scheduled object IDs</label>
        <textarea
          id={`${id}-ids`}
          value={draft.idsText}
          onInput={(e) => set('idsText', e.currentTarget.value)}
          {...describedBy(`${id}-ids`, err('idsText'))}
        />
        <FieldError id={`${id}-ids`} error={err('idsText')} />
        <span class="sp-hint">One per line (as in the ID column of Ads Manager).</span>
      </div>
      <div class="sp-grid">
        <div class="sp-field">
          <label for={`${id}-from`}>Run from hour</label>
          <input
            id={`${id}-from`}
            type="text"
            inputMode="numeric"
            value={draft.fromHour}
            onInput={(e) => set('fromHour', e.currentTarget.value)}
            {...describedBy(`${id}-hours`, err('hours'))}
          />
        </div>
        <div class="sp-field">
          <label for={`${id}-until`}>Run until hour</label>
          <input
            id={`${id}-until`}
            type="text"
            inputMode="numeric"
            value={draft.untilHour}
            onInput={(e) => set('untilHour', e.currentTarget.value)}
            {...describedBy(`${id}-hours`, err('hours'))}
          />
        </div>
      </div>
      <FieldError id={`${id}-hours`} error={err('hours')} />
      <DayPicker id={`${id}-days`} days={draft.days} onChange={(d) => set('days', d)} error={err('days')} />
      <p class="sp-hint">
        In the advertiser's time zone (from TikTok). Outside these hours SafePause pauses the objects; inside, it
        resumes only those it paused itself, never one a person paused. Checked at least every 5 minutes.
      </p>
      <ConflictList conflicts={conflicts} label="Conflicts of this schedule" />
      <div class="sp-row">
        <button type="submit" class="sp-primary" disabled={busy || readOnly}>
          Save schedule
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {problem && <Status tone="error" text={problem} />}
    </form>
  );
}
