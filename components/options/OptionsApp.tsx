import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../../lib/settings/schema';
import { loadSettings } from '../../lib/settings/storage';
import { Status } from '../Status';
import { AccountSection } from './AccountSection';
import { RulesSection } from './RulesSection';
import { SafetySection } from './SafetySection';

export function OptionsApp() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadSettings().then(
      (loaded) => {
        setSettings(loaded.settings);
        setProblems(loaded.problems);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  return (
    <main class="sp-options">
      <h1>SafePause settings</h1>
      <p class="sp-hint">Connect your TikTok advertiser account and decide how careful SafePause should be.</p>
      {error && <Status tone="error" text={`Settings could not be read: ${error}`} />}
      {problems.map((p) => (
        <Status key={p} tone="error" text={p} />
      ))}
      {settings && <AccountSection settings={settings} onSaved={setSettings} />}
      {settings && <SafetySection settings={settings} onSaved={setSettings} />}
      {settings && <RulesSection settings={settings} />}
    </main>
  );
}
