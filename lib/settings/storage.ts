import { browser } from 'wxt/browser';
import { migrateSettings } from './migrate';
import { type Settings, settingsSchema } from './schema';

const SETTINGS_KEY = 'settings';

/** Reads settings (never secret: the token is kept elsewhere) and migrates old versions in place. */
export async function loadSettings(): Promise<{ settings: Settings; problems: string[] }> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  const result = migrateSettings(stored[SETTINGS_KEY]);
  return result;
}

export async function saveSettings(settings: Settings): Promise<void> {
  const valid = settingsSchema.parse(settings);
  await browser.storage.local.set({ [SETTINGS_KEY]: valid });
}

export function onSettingsChanged(callback: (settings: Settings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local' || !(SETTINGS_KEY in changes)) return;
    callback(migrateSettings(changes[SETTINGS_KEY]?.newValue).settings);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
