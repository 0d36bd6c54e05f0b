import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/**
 * The extension's IndexedDB (extension origin: content scripts cannot open it; they see the page's origin).
 * One cascading upgrade that never loses data; `blocking` closes this connection so a newer version can open.
 */
export const DB_NAME = 'safepause';
export const DB_VERSION = 1;

export interface SecretRecord {
  key: 'accessToken';
  value: string;
  savedAt: number;
}

export interface SafePauseDB extends DBSchema {
  secrets: { key: string; value: SecretRecord };
}

export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
  readonly userMessage: string;
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`The extension's database could not be opened (${detail}).`, { cause });
    this.userMessage =
      'SafePause cannot open its database, so it will not send anything (it could not keep a record). ' +
      `Free some disk space or restart the browser. Detail: ${detail}`;
  }
}

let connection: Promise<IDBPDatabase<SafePauseDB>> | undefined;

export function openDatabase(): Promise<IDBPDatabase<SafePauseDB>> {
  connection ??= openDB<SafePauseDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('secrets', { keyPath: 'key' });
      }
    },
    blocking() {
      void connection?.then((db) => db.close());
      connection = undefined;
    },
    terminated() {
      connection = undefined;
    },
  }).catch((error: unknown) => {
    connection = undefined;
    throw new StorageUnavailableError(error);
  });
  return connection;
}
