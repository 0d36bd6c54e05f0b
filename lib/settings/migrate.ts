import { DEFAULT_SETTINGS, type Settings, settingsSchema } from './schema';

/**
 * Brings stored settings of any earlier version up to the current one without losing what the user set.
 * Unknown or damaged fields fall back to defaults one by one; the rest is kept.
 */
export function migrateSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings: structuredClone(DEFAULT_SETTINGS), problems };
  if (typeof raw !== 'object') {
    problems.push('Stored settings were not readable and were reset to defaults.');
    return { settings: structuredClone(DEFAULT_SETTINGS), problems };
  }
  const input = raw as Record<string, unknown>;
  const whole = settingsSchema.safeParse(input);
  if (whole.success) return { settings: whole.data, problems };

  // Field by field: keep every valid value, default the rest, and say which were reset.
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS, version: 1 };
  const shape = settingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (key === 'version' || !(key in input)) continue;
    const field = shape[key].safeParse(input[key]);
    if (field.success) merged[key] = field.data;
    else problems.push(`The stored value of "${key}" was invalid and was reset.`);
  }
  const result = settingsSchema.safeParse(merged);
  return { settings: result.success ? result.data : structuredClone(DEFAULT_SETTINGS), problems };
}
