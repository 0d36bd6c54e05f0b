import { type ApiClient, createApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import { apiOrigin, type Settings } from '../settings/schema';
import { loadSettings } from '../settings/storage';
import { readToken } from '../settings/token';
import { StorageUnavailableError } from '../store/db';

export type ClientState =
  | { ok: true; client: ApiClient; settings: Settings }
  | { ok: false; reason: 'no-settings' | 'no-token' | 'bad-url' | 'storage'; message: string; settings: Settings };

/**
 * A request the worker refused before anything was sent (the database cannot keep a record, a conflicting job...),
 * with its plain words intact for the page or prompt that asked (answers describe errors through `ApiError`).
 */
export class NothingSentError extends ApiError {
  override readonly name = 'NothingSentError';
  readonly kind = 'internal' as const;
  readonly retry = 'never' as const;
  readonly outcome = 'not-sent' as const;
  constructor(readonly userMessage: string) {
    super(userMessage, undefined);
  }
}

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
  let token: string | null;
  try {
    token = await readToken();
  } catch (error) {
    // The token may sit in the database: one that cannot be opened stops everything, and the person is told why.
    if (error instanceof StorageUnavailableError) {
      return { ok: false, reason: 'storage', message: error.userMessage, settings };
    }
    throw error;
  }
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
