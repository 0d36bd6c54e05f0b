import { browser } from 'wxt/browser';
import { openDatabase } from '../store/db';

/**
 * The access token lives only in trusted extension contexts (background and options page):
 * - "session": browser.storage.session, in memory, gone when the browser closes, not readable by content scripts;
 * - "device": the extension's IndexedDB, on disk (unencrypted, like every browser store), not readable by content
 *   scripts (they see the page's own IndexedDB).
 * It is never sent in a message, written to the audit trail, logged or exported.
 */
const SESSION_KEY = 'accessToken';

export type TokenPersistence = 'session' | 'device';

export async function storeToken(token: string, persistence: TokenPersistence): Promise<void> {
  const db = await openDatabase();
  if (persistence === 'device') {
    await db.put('secrets', { key: 'accessToken', value: token, savedAt: Date.now() });
    await browser.storage.session.remove(SESSION_KEY);
  } else {
    await browser.storage.session.set({ [SESSION_KEY]: token });
    await db.delete('secrets', 'accessToken');
  }
}

export async function readToken(): Promise<string | null> {
  const session = await browser.storage.session.get(SESSION_KEY);
  const fromSession = session[SESSION_KEY];
  if (typeof fromSession === 'string' && fromSession.length > 0) return fromSession;
  const db = await openDatabase();
  const record = await db.get('secrets', 'accessToken');
  return record?.value ?? null;
}

export async function hasToken(): Promise<boolean> {
  return (await readToken()) !== null;
}

export async function clearToken(): Promise<void> {
  await browser.storage.session.remove(SESSION_KEY);
  const db = await openDatabase();
  await db.delete('secrets', 'accessToken');
}
