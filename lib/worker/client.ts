import { type ApiClient, createApiClient } from '../api/client';
import { apiOrigin, type Settings } from '../settings/schema';
import { loadSettings } from '../settings/storage';
import { readToken } from '../settings/token';

export type ClientState =
  | { ok: true; client: ApiClient; settings: Settings }
  | { ok: false; reason: 'no-settings' | 'no-token' | 'bad-url'; message: string; settings: Settings };

/** The API client for the current settings; the token is read on every call and never leaves this worker. */
export async function currentClient(): Promise<ClientState> {
  const { settings } = await loadSettings();
  const origin = apiOrigin(settings);
  if (!origin.ok) return { ok: false, reason: 'bad-url', message: origin.message, settings };
  if (settings.advertiserIds.length === 0) {
    return {
      ok: false,
      reason: 'no-settings',
      message: 'SafePause is not connected: add your advertiser ID and access token in SafePause options.',
      settings,
    };
  }
  const token = await readToken();
  if (!token) {
    return {
      ok: false,
      reason: 'no-token',
      message:
        'SafePause has no access token (it was kept only for the last browser session). Enter it in SafePause options.',
      settings,
    };
  }
  return { ok: true, client: createApiClient({ baseUrl: origin.origin, getToken: readToken }), settings };
}
