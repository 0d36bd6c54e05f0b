import type { Page } from '@playwright/test';
import { jobPhase } from '../../../lib/jobs/outbox';
import { createJob, transitionOrThrow } from '../../../lib/jobs/state-machine';
import type { AuditEntry, Job, JobEvent } from '../../../lib/jobs/types';

/**
 * Databases of other SafePause versions, written into the profile through the extension's own origin (an extension
 * page evaluates IndexedDB calls, exactly as the extension's code would): a v2 database as SafePause 2 left it, or
 * one a newer SafePause upgraded. The jobs are made with the state machine's own transitions, so they are the
 * records that version would have stored.
 */

export interface SeedJob {
  job: Job & { phase: 'open' | 'done' };
  audit: (AuditEntry & { advertiserId: string; level: string; objectId: string; actor: string })[];
}

/** A job for `objectId` moved through `events` (one second apart), with its audit rows as the outbox stores them. */
export function seedJob(
  id: string,
  advertiserId: string,
  object: { id: string; name: string; operationStatus: string; modifyTime: string | null },
  events: JobEvent[],
  start = Date.now() - 60_000,
): SeedJob {
  const made = createJob(
    {
      id,
      level: 'campaign',
      advertiserId,
      objectId: object.id,
      objectName: object.name,
      action: 'DISABLE',
      actor: { kind: 'user' },
      baseline: { operationStatus: object.operationStatus, modifyTime: object.modifyTime },
    },
    start,
  );
  let job = made.job;
  const entries: AuditEntry[] = [made.audit];
  events.forEach((event, i) => {
    const next = transitionOrThrow(job, event, start + (i + 1) * 1_000);
    job = next.job;
    entries.push(next.audit);
  });
  const audit = entries.map((entry) => ({
    ...entry,
    advertiserId,
    level: 'campaign',
    objectId: object.id,
    actor: 'user',
  }));
  return { job: { ...job, phase: jobPhase(job) }, audit };
}

export interface V2Options {
  jobs: SeedJob[];
  /** The access token kept on this device (v1's `secrets` store), when the profile kept it there. */
  token?: string;
  /** A store the v2 layout never had: the next upgrade step that creates it fails. */
  strayStore?: string;
}

/**
 * Replaces the extension's database with a v2 one (the layout SafePause had before the emergency-stop store): the
 * `secrets`, `jobs` and `audit` stores with their indexes, filled in the same version-change transaction, so no
 * other connection can open it half-made. A running worker's connection is asked to close first (`blocking`).
 */
export async function writeV2Database(page: Page, options: V2Options): Promise<number> {
  return page.evaluate(async ({ jobs, token, strayStore }) => {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase('safepause');
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('safepause', 2);
      open.onupgradeneeded = () => {
        const d = open.result;
        const secrets = d.createObjectStore('secrets', { keyPath: 'key' });
        const jobStore = d.createObjectStore('jobs', { keyPath: 'id' });
        jobStore.createIndex('by-open', 'phase');
        jobStore.createIndex('by-object', ['advertiserId', 'level', 'objectId']);
        jobStore.createIndex('by-updated', 'updatedAt');
        jobStore.createIndex('by-advertiser', 'advertiserId');
        const audit = d.createObjectStore('audit', { keyPath: 'seq', autoIncrement: true });
        audit.createIndex('by-job', 'jobId');
        audit.createIndex('by-time', 'at');
        audit.createIndex('by-advertiser', 'advertiserId');
        if (strayStore) d.createObjectStore(strayStore, { keyPath: 'id' });
        if (token) secrets.put({ key: 'accessToken', value: token, savedAt: Date.now() });
        for (const { job, audit: rows } of jobs) {
          jobStore.put(job);
          for (const row of rows) audit.add(row);
        }
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const version = db.version;
    db.close();
    return version;
  }, options);
}

/** What a newer SafePause would do to the database: upgrade it to `version`, adding a store, keeping every record. */
export async function upgradeAsNewerVersion(page: Page, version: number): Promise<number> {
  return page.evaluate(async (to) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('safepause', to);
      open.onupgradeneeded = () => open.result.createObjectStore('from-a-newer-version', { keyPath: 'id' });
      open.onsuccess = () => resolve(open.result);
      // A running worker's connection closes itself when asked (`blocking`); until then the open waits.
      open.onerror = () => reject(open.error);
    });
    const v = db.version;
    db.close();
    return v;
  }, version);
}
