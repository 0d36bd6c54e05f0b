import { useEffect, useState } from 'preact/hooks';
import { testConnection } from '../../lib/settings/connection';
import {
  apiOrigin,
  customBaseUrl,
  ENVIRONMENT_LABELS,
  type Environment,
  parseAdvertiserIds,
  type Settings,
} from '../../lib/settings/schema';
import { saveSettings } from '../../lib/settings/storage';
import { hasToken, storeToken } from '../../lib/settings/token';
import { Status, type Tone } from '../Status';

const SANDBOX_BUILD = import.meta.env.MODE === 'sandbox';

export function AccountSection({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const [environment, setEnvironment] = useState<Environment>(settings.environment);
  const [baseUrl, setBaseUrl] = useState(settings.customBaseUrl);
  const [token, setToken] = useState('');
  const [tokenSaved, setTokenSaved] = useState(false);
  const [persistence, setPersistence] = useState(settings.tokenPersistence);
  const [advertiserText, setAdvertiserText] = useState(settings.advertiserIds.join('\n'));
  const [status, setStatus] = useState<{ tone: Tone; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void hasToken().then(setTokenSaved, () => setTokenSaved(false));
  }, []);

  const environments: Environment[] = SANDBOX_BUILD
    ? ['production', 'tiktok-sandbox', 'custom']
    : ['production', 'tiktok-sandbox'];

  function collect(): { ok: true; next: Settings } | { ok: false; message: string } {
    const ids = parseAdvertiserIds(advertiserText);
    if (!ids.ok) return ids;
    if (environment === 'custom') {
      const url = customBaseUrl.safeParse(baseUrl);
      if (!url.success) return { ok: false, message: url.error.issues[0]?.message ?? 'Invalid API base URL.' };
    }
    return {
      ok: true,
      next: {
        ...settings,
        environment,
        customBaseUrl: baseUrl.trim(),
        advertiserIds: ids.ids,
        tokenPersistence: persistence,
      },
    };
  }

  async function onSave(event: Event) {
    event.preventDefault();
    const collected = collect();
    if (!collected.ok) {
      setStatus({ tone: 'error', text: collected.message });
      return;
    }
    setBusy(true);
    try {
      await saveSettings(collected.next);
      if (token.trim()) {
        await storeToken(token.trim(), persistence);
        setToken('');
        setTokenSaved(true);
      }
      onSaved(collected.next);
      setStatus({ tone: 'ok', text: 'Saved.' });
    } catch (error) {
      setStatus({ tone: 'error', text: `Not saved: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(false);
    }
  }

  async function onTest() {
    const collected = collect();
    if (!collected.ok) {
      setStatus({ tone: 'error', text: collected.message });
      return;
    }
    const origin = apiOrigin(collected.next);
    if (!origin.ok) {
      setStatus({ tone: 'error', text: origin.message });
      return;
    }
    setBusy(true);
    setStatus({ tone: 'info', text: 'Testing the connection…' });
    const result = await testConnection({
      origin: origin.origin,
      token: token.trim() || undefined,
      advertiserIds: collected.next.advertiserIds,
    });
    setStatus({ tone: result.ok ? 'ok' : 'error', text: result.message });
    setBusy(false);
  }

  return (
    <section class="sp-card" aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <form onSubmit={onSave}>
        <div class="sp-field">
          <label for="environment">Environment</label>
          <select
            id="environment"
            value={environment}
            onChange={(e) => setEnvironment((e.currentTarget as HTMLSelectElement).value as Environment)}
          >
            {environments.map((env) => (
              <option key={env} value={env}>
                {ENVIRONMENT_LABELS[env]}
              </option>
            ))}
          </select>
        </div>
        {environment === 'custom' && (
          <div class="sp-field">
            <label for="api-base-url">API base URL</label>
            <input
              id="api-base-url"
              type="url"
              placeholder="http://127.0.0.1:8787"
              value={baseUrl}
              onInput={(e) => setBaseUrl((e.currentTarget as HTMLInputElement).value)}
            />
            <span class="sp-hint">The local sandbox started by npm start prints this address.</span>
          </div>
        )}
        <div class="sp-field">
          <label for="access-token">Access token</label>
          <input
            id="access-token"
            type="password"
            autoComplete="off"
            spellcheck={false}
            placeholder={tokenSaved ? 'A token is saved. Type a new one to replace it.' : 'Long-term access token'}
            value={token}
            onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
          />
          <span class="sp-hint">
            {tokenSaved ? 'A token is saved. ' : 'No token saved yet. '}
            Only the background worker and this page can read it; the Ads Manager page never sees it.
          </span>
        </div>
        <fieldset class="sp-field">
          <legend>Keep the token</legend>
          <label class="sp-choice">
            <input
              type="radio"
              name="persistence"
              value="session"
              checked={persistence === 'session'}
              onChange={() => setPersistence('session')}
            />{' '}
            Only for this browser session (safest: forgotten when the browser closes; pending pauses wait until you
            enter it again)
          </label>
          <label class="sp-choice">
            <input
              type="radio"
              name="persistence"
              value="device"
              checked={persistence === 'device'}
              onChange={() => setPersistence('device')}
            />{' '}
            Remember on this device (pauses and rules keep working after a restart; stored unencrypted in this browser
            profile)
          </label>
        </fieldset>
        <div class="sp-field">
          <label for="advertiser-ids">Advertiser IDs</label>
          <textarea
            id="advertiser-ids"
            value={advertiserText}
            onInput={(e) => setAdvertiserText((e.currentTarget as HTMLTextAreaElement).value)}
          />
          <span class="sp-hint">One per line. Test connection lists the advertisers your token can reach.</span>
        </div>
        <div class="sp-row">
          <button type="submit" class="sp-primary" disabled={busy}>
            Save
          </button>
          <button type="button" onClick={() => void onTest()} disabled={busy}>
            Test connection
          </button>
        </div>
        {status && <Status tone={status.tone} text={status.text} />}
      </form>
    </section>
  );
}
