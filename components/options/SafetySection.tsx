import { useState } from 'preact/hooks';
import { type Settings, safetySchema } from '../../lib/settings/schema';
import { saveSettings } from '../../lib/settings/storage';
import { Status, type Tone } from '../Status';

const FIELDS = [
  {
    key: 'verifyDeadlineMinutes',
    label: 'Verification deadline (minutes)',
    hint: 'How long SafePause keeps reading the status back before it reports a pause as stuck.',
  },
  {
    key: 'reportLatencyMinutes',
    label: 'Report delay window (minutes)',
    hint: 'TikTok reports spend about 30 minutes late. “Spend stopped” is declared only after this window.',
  },
  {
    key: 'auditRetentionDays',
    label: 'Keep history (days)',
    hint: 'Finished pauses and their history older than this are removed when SafePause starts. Pauses still in progress are always kept.',
  },
] as const;

export function SafetySection({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const [values, setValues] = useState<Record<string, string>>(
    Object.fromEntries(FIELDS.map((f) => [f.key, String(settings.safety[f.key])])),
  );
  const [status, setStatus] = useState<{ tone: Tone; text: string } | null>(null);

  async function onSave(event: Event) {
    event.preventDefault();
    const parsed = safetySchema.safeParse(Object.fromEntries(FIELDS.map((f) => [f.key, Number(values[f.key])])));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = FIELDS.find((f) => f.key === issue?.path[0]);
      setStatus({ tone: 'error', text: `${field?.label ?? 'A value'}: ${issue?.message ?? 'invalid'}` });
      return;
    }
    const next = { ...settings, safety: parsed.data };
    try {
      await saveSettings(next);
      onSaved(next);
      setStatus({ tone: 'ok', text: 'Safety settings saved.' });
    } catch (error) {
      setStatus({ tone: 'error', text: `Not saved: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  return (
    <section class="sp-card" aria-labelledby="safety-heading">
      <h2 id="safety-heading">Safety</h2>
      <p class="sp-hint">Every pause is confirmed in SafePause's own prompt before anything is sent.</p>
      <form onSubmit={onSave}>
        {FIELDS.map((field) => (
          <div class="sp-field" key={field.key}>
            <label for={`safety-${field.key}`}>{field.label}</label>
            <input
              id={`safety-${field.key}`}
              type="number"
              inputMode="numeric"
              value={values[field.key]}
              onInput={(e) => setValues({ ...values, [field.key]: (e.currentTarget as HTMLInputElement).value })}
            />
            <span class="sp-hint">{field.hint}</span>
          </div>
        ))}
        <button type="submit" class="sp-primary">
          Save safety settings
        </button>
        {status && <Status tone={status.tone} text={status.text} />}
      </form>
    </section>
  );
}
