import type { BrowserContext, Page } from '@playwright/test';
import type { AuditRecord, StoredJob } from '../../../lib/store/db';
import type { FaultPlanInput } from '../../../sandbox/api/faults';
import type { LoggedRequest } from '../../../sandbox/api/request-log';
import type { RunningSandbox } from '../../../sandbox/server';
import { expect } from '../../e2e/support/fixtures';
import {
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  type StatusUpdate,
  statusReadsOf,
  statusUpdates,
} from '../../e2e/support/pause-flow';
import { control } from '../../e2e/support/sandbox-control';

/** Helpers shared by the fault specs: fault plans, what the sandbox received, and the extension's own storage. */

/**
 * A scenario's row in the README's Reliability table (scripts/faults-report.ts reads these annotations from the
 * Playwright results): the fault injected, what SafePause does about it, and what the test checks.
 */
export function scenario(fault: string, does: string, check: string) {
  return {
    annotation: [
      { type: 'fault', description: fault },
      { type: 'does', description: does },
      { type: 'check', description: check },
    ],
  };
}

export async function addFaults(sandbox: RunningSandbox, plans: FaultPlanInput[]): Promise<void> {
  await control(sandbox, 'POST', 'faults', plans);
}

export async function operationStatus(sandbox: RunningSandbox, id: string): Promise<string> {
  const state = await control<{ objects: { operation_status: string }[] }>(
    sandbox,
    'GET',
    `state?level=campaign&ids=${id}`,
  );
  return state.objects[0]?.operation_status ?? 'missing';
}

/** Waits until the sandbox has logged a status update for `id` that matches `done`, and returns it. */
export async function waitForUpdate(
  sandbox: RunningSandbox,
  id: string,
  done: (u: StatusUpdate) => boolean = () => true,
  timeout = 20_000,
): Promise<StatusUpdate> {
  let found: StatusUpdate | undefined;
  await expect
    .poll(
      async () => {
        found = (await statusUpdates(sandbox, id)).find(done);
        return found !== undefined;
      },
      { timeout, intervals: [50] },
    )
    .toBe(true);
  if (!found) throw new Error('unreachable');
  return found;
}

/** Status updates TikTok applied: answered `code: 0`, or applied with the answer lost on purpose. */
export function applied(updates: readonly StatusUpdate[]): StatusUpdate[] {
  return updates.filter(
    (u) => u.code === 0 || u.fault?.kind === 'apply-then-hang' || u.fault?.kind === 'apply-then-code',
  );
}

/** Successful status reads of `id` between two sequence numbers of the sandbox log. */
export async function readsBetween(
  sandbox: RunningSandbox,
  id: string,
  after: number,
  before = Number.POSITIVE_INFINITY,
): Promise<LoggedRequest[]> {
  return (await statusReadsOf(sandbox, id)).filter((r) => r.seq > after && r.seq < before && r.code === 0);
}

/** The last sequence number the sandbox logged (requests after it are newer). */
export async function lastSeq(sandbox: RunningSandbox): Promise<number> {
  return (await sandbox.requests()).at(-1)?.seq ?? 0;
}

/**
 * A page of the extension's own origin that runs none of SafePause's code (the manifest, shown as text): from here
 * a test reaches the extension's IndexedDB as the extension itself would, without waking the worker.
 */
export async function extensionOriginPage(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/manifest.json`);
  return page;
}

export interface DatabaseDump {
  version: number;
  stores: string[];
  jobs: { id: string; state: string; objectId: string }[];
  audit: number;
}

/** Opens the extension's database at whatever version it has (no upgrade) and reads what it holds. */
export async function dumpDatabase(page: Page): Promise<DatabaseDump> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('safepause');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const stores = [...db.objectStoreNames];
    const all = async (name: string): Promise<unknown[]> => {
      if (!stores.includes(name)) return [];
      const tx = db.transaction(name);
      return new Promise((resolve, reject) => {
        const request = tx.objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    };
    const jobs = (await all('jobs')) as { id: string; state: string; objectId: string }[];
    const audit = (await all('audit')).length;
    const version = db.version;
    db.close();
    return { version, stores, jobs: jobs.map((j) => ({ id: j.id, state: j.state, objectId: j.objectId })), audit };
  });
}

export interface SandboxCampaign {
  id: string;
  name: string;
  operation_status: string;
  deleted: boolean;
  spending: boolean;
  modify_time: string;
}

export async function sandboxCampaigns(sandbox: RunningSandbox, advertiserId: string): Promise<SandboxCampaign[]> {
  const state = await control<{ objects: SandboxCampaign[] }>(
    sandbox,
    'GET',
    `state?level=campaign&advertiser_id=${advertiserId}`,
  );
  return state.objects;
}

/** Tries a pause of a visible delivering campaign: the prompt answers with `alert`, and nothing is sent. */
export async function pauseIsRefused(context: BrowserContext, sandbox: RunningSandbox, alert: RegExp): Promise<Page> {
  const { page, advertiserId } = await openCampaignPage(context, sandbox);
  const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
  const before = await lastSeq(sandbox);
  const { prompt, dialog } = await openPausePrompt(page, target);
  await prompt.getByRole('button', { name: 'Pause campaign' }).click();
  await expect(dialog.getByRole('alert')).toContainText(alert);
  await expect(dialog.getByRole('alert')).toContainText('will not send anything');
  await page.waitForTimeout(1_500);
  expect((await statusUpdates(sandbox)).filter((u) => u.seq > before)).toHaveLength(0);
  expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');
  return page;
}

/**
 * Sets (or with null, lifts) the quota of the extension's origin, and waits until a write of the origin sees it.
 * The override lasts while its CDP session does. Chromium re-checks an origin's free space only every few seconds
 * (about 30 s), so the change is confirmed by writing to a probe database of the extension's origin (never to
 * SafePause's own records) until the write fails (or succeeds again).
 */
export async function quotaControl(context: BrowserContext, page: Page, extensionId: string) {
  const cdp = await context.newCDPSession(page);
  const origin = `chrome-extension://${extensionId}`;
  const probe = await extensionOriginPage(context, extensionId);
  return async (quotaSize: number | null): Promise<void> => {
    await cdp.send('Storage.overrideQuotaForOrigin', quotaSize === null ? { origin } : { origin, quotaSize });
    const want = quotaSize === null ? 'complete' : 'QuotaExceededError';
    await expect
      .poll(() => probeWrite(probe), {
        message: `a write of the extension's origin ends ${want}`,
        timeout: 60_000,
        intervals: [1_000],
      })
      .toBe(want);
  };
}

export async function probeWrite(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('quota-probe', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('probe');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction('probe', 'readwrite');
    tx.objectStore('probe').put('x'.repeat(1024), 'k');
    const outcome = await new Promise<string>((resolve) => {
      tx.oncomplete = () => resolve('complete');
      tx.onabort = () => resolve(tx.error?.name ?? 'aborted');
    });
    db.close();
    return outcome;
  });
}

/** Every job and audit row the extension stored, read from its IndexedDB as they are (no upgrade, no worker). */
export async function readJournal(page: Page): Promise<{ jobs: StoredJob[]; audit: AuditRecord[] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('safepause');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = async <T>(name: string): Promise<T[]> => {
      if (![...db.objectStoreNames].includes(name)) return [];
      const request = db.transaction(name).objectStore(name).getAll();
      return new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(request.error);
      });
    };
    const jobs = await all<StoredJob>('jobs');
    const audit = await all<AuditRecord>('audit');
    db.close();
    return { jobs, audit };
  });
}
