import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { Level } from '../api/ids';
import type { StopRecord } from '../emergency/plan';
import type { AuditEntry, Job, JobActor } from '../jobs/types';

/**
 * The extension's IndexedDB (extension origin: content scripts cannot open it; they see the page's origin).
 * One cascading upgrade that never loses data; `blocking` closes this connection so a newer version can open.
 *
 * v1: `secrets` (the access token when the user keeps it on this device).
 * v2: `jobs` (the outbox: one record per pause/resume job) and `audit` (append-only, one row per step).
 * v3: `stops` (emergency stops: the restore point of each).
 */
export const DB_NAME = 'safepause';
export const DB_VERSION = 3;

export interface SecretRecord {
  key: 'accessToken';
  value: string;
  savedAt: number;
}

/**
 * `open`: the worker still has work to do for the job (it is resumed on every start);
 * `done`: nothing more is scheduled (finished, needs attention, or confirmed with nothing left to watch).
 */
export type JobPhase = 'open' | 'done';

export interface StoredJob extends Job {
  phase: JobPhase;
}

/** An audit row as stored: the step plus what the popup filters on. Never holds the token. */
export interface AuditRecord extends AuditEntry {
  /** Assigned by the store (auto-increment); absent before the row is written. */
  seq?: number;
  advertiserId: string;
  level: Level;
  objectId: string;
  actor: JobActor['kind'];
}

export interface SafePauseDB extends DBSchema {
  secrets: { key: string; value: SecretRecord };
  jobs: {
    key: string;
    value: StoredJob;
    indexes: {
      'by-open': JobPhase;
      'by-object': [string, Level, string];
      'by-updated': number;
      'by-advertiser': string;
    };
  };
  audit: {
    key: number;
    value: AuditRecord;
    indexes: {
      'by-job': string;
      'by-time': number;
      'by-advertiser': string;
    };
  };
  stops: { key: string; value: StopRecord; indexes: { 'by-created': number } };
}

export type SafePauseDatabase = IDBPDatabase<SafePauseDB>;

/** storage.session key where the worker keeps the last failure to write this database (the popup shows it). */
export const STORAGE_PROBLEM_KEY = 'storageProblem';

/** Why the database could not be opened, when that is known. */
export type StorageProblem = 'newer-version' | 'upgrade-failed' | 'unavailable';

export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
  readonly userMessage: string;
  readonly problem: StorageProblem;
  constructor(cause: unknown, upgrade?: { from: number; to: number }) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`The extension's database could not be opened (${detail}).`, { cause });
    this.problem =
      cause instanceof Error && cause.name === 'VersionError'
        ? 'newer-version'
        : upgrade
          ? 'upgrade-failed'
          : 'unavailable';
    const refusal = 'SafePause will not send anything until it can keep a record of what it sends.';
    this.userMessage =
      this.problem === 'newer-version'
        ? `SafePause's database was written by a newer version of SafePause, which this version cannot read. ${refusal} ` +
          `Update SafePause to the latest version; your records are kept as they are. Detail: ${detail}`
        : this.problem === 'upgrade-failed'
          ? `SafePause could not update its database from version ${upgrade?.from} to ${upgrade?.to}; the update was ` +
            `undone and your records are kept as they were. ${refusal} Send a support report. Detail: ${detail}`
          : `SafePause cannot open its database. ${refusal} Free some disk space or restart the browser. Detail: ${detail}`;
  }
}

let connection: Promise<SafePauseDatabase> | undefined;

export function openDatabase(): Promise<SafePauseDatabase> {
  /** Set when an upgrade began: if the open then fails, an upgrade step threw and the whole upgrade was undone. */
  let upgrading: { from: number; to: number } | undefined;
  connection ??= openDB<SafePauseDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, newVersion) {
      upgrading = { from: oldVersion, to: newVersion ?? DB_VERSION };
      if (oldVersion < 1) {
        db.createObjectStore('secrets', { keyPath: 'key' });
      }
      if (oldVersion < 2) {
        const jobs = db.createObjectStore('jobs', { keyPath: 'id' });
        jobs.createIndex('by-open', 'phase');
        jobs.createIndex('by-object', ['advertiserId', 'level', 'objectId']);
        jobs.createIndex('by-updated', 'updatedAt');
        jobs.createIndex('by-advertiser', 'advertiserId');
        const audit = db.createObjectStore('audit', { keyPath: 'seq', autoIncrement: true });
        audit.createIndex('by-job', 'jobId');
        audit.createIndex('by-time', 'at');
        audit.createIndex('by-advertiser', 'advertiserId');
      }
      if (oldVersion < 3) {
        const stops = db.createObjectStore('stops', { keyPath: 'id' });
        stops.createIndex('by-created', 'createdAt');
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
    throw new StorageUnavailableError(error, upgrading);
  });
  return connection;
}

/** Closes the shared connection (the next `openDatabase` opens a new one). */
export async function closeDatabase(): Promise<void> {
  const current = connection;
  connection = undefined;
  if (!current) return;
  try {
    (await current).close();
  } catch {
    // It never opened: nothing to close.
  }
}
