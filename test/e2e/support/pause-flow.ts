import type { BrowserContext, FrameLocator, Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { LoggedRequest } from '../../../sandbox/api/request-log';
import type { RunningSandbox } from '../../../sandbox/server';
import { controlOnRowOf, dismissAnnouncement, type PageRow, pageRows, visibleRowTruth } from './sandbox-control';

/** What the tests read of a logged campaign/status/update call. */
export interface StatusUpdate extends LoggedRequest {
  body: { campaign_ids?: string[]; operation_status?: string; advertiser_id?: string };
}

/** Every campaign/status/update the sandbox received, in order; only those naming `id` when given. */
export async function statusUpdates(sandbox: RunningSandbox, id?: string): Promise<StatusUpdate[]> {
  const all = (await sandbox.requests('campaign/status/update')) as StatusUpdate[];
  return id === undefined ? all : all.filter((r) => r.body.campaign_ids?.includes(id));
}

/** Every campaign/get the sandbox received whose ID filter names `id`. */
export async function statusReadsOf(sandbox: RunningSandbox, id: string): Promise<LoggedRequest[]> {
  const reads = await sandbox.requests('campaign/get');
  return reads.filter((r) => (r.query.filtering ?? '').includes(`"${id}"`));
}

export interface Target {
  id: string;
  name: string;
}

/** Opens the sandbox's Ads Manager campaign list and waits until SafePause has drawn its controls. */
export async function openCampaignPage(
  context: BrowserContext,
  sandbox: RunningSandbox,
): Promise<{ page: Page; advertiserId: string }> {
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(advertiserId));
  await expect(page.getByRole('button', { name: /^Pause campaign / }).first()).toBeVisible({ timeout: 30_000 });
  await dismissAnnouncement(page);
  return { page, advertiserId };
}

/**
 * A delivering campaign the page shows on screen right now, by the page's own props (the truth), with the
 * page's full list. `prefer` picks among them first (e.g. a name another campaign shares).
 */
export async function deliveringVisibleCampaign(
  page: Page,
  sandbox: RunningSandbox,
  advertiserId: string,
  prefer?: (candidate: Target, rows: PageRow[]) => boolean,
): Promise<{ target: Target; rows: PageRow[] }> {
  const rows = await pageRows(sandbox, advertiserId);
  const visible = await visibleRowTruth(page);
  const delivering = visible.filter((v) => rows.find((r) => r.id === v.id)?.on);
  const found = (prefer && delivering.find((v) => prefer(v, rows))) ?? delivering[0];
  if (!found) throw new Error('no delivering campaign visible');
  return { target: { id: found.id, name: found.name }, rows };
}

/**
 * Does `act`, a real click or key press on one of the confirm prompt's own controls, and waits until the prompt's
 * frame is gone: that is what proves the act landed. The act closes the very frame it was sent to, and the tail of
 * such an action can be left unanswered when the frame goes while it runs (Playwright's after-click check runs inside
 * that frame; a key's release is routed to it). So the act's own promise is waited on only if it fails first.
 */
export async function closingPrompt(page: Page, act: () => Promise<unknown>): Promise<void> {
  const frameGone = async () => {
    await expect(page.locator('iframe[title="SafePause confirmation"]')).toHaveCount(0);
  };
  const acting = act();
  const gone = frameGone();
  await Promise.race([acting.then(() => gone), gone]);
}

export interface OpenPrompt {
  prompt: FrameLocator;
  dialog: Locator;
  /** Clicks the prompt's own Pause button, as a person would. */
  confirm(): Promise<void>;
}

/** Clicks Pause on the target's row and waits for the confirm prompt, which names the target's ID. */
export async function openPausePrompt(page: Page, target: Target): Promise<OpenPrompt> {
  const button = await controlOnRowOf(page, target.id, `Pause campaign ${target.name}`);
  await button.click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  const dialog = prompt.getByRole('dialog', { name: 'Pause campaign?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(target.id);
  return {
    prompt,
    dialog,
    confirm: () => closingPrompt(page, () => prompt.getByRole('button', { name: 'Pause campaign' }).click()),
  };
}

/** The job chip SafePause shows on the control of `id` (a status region). */
export function chipOf(page: Page, id: string): Locator {
  return page.locator(`safepause-overlay .sp-control[data-object-id="${id}"]`).getByRole('status');
}

/**
 * Stops the extension's service worker through CDP (as Chrome does after 30 s idle, or when it kills it),
 * and waits until Chrome reports it stopped. Whatever wakes it next (the overlay's port reconnect, a
 * message, an alarm) starts a fresh worker: `restarted` resolves when Chrome reports it running again.
 */
export async function stopExtensionWorker(page: Page, extensionId: string): Promise<{ restarted: Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  const prefix = `chrome-extension://${extensionId}/`;
  let phase: 'before' | 'stopping' | 'stopped' = 'before';
  let onStopped = (): void => undefined;
  let onRunning = (): void => undefined;
  const stopped = new Promise<void>((resolve) => {
    onStopped = resolve;
  });
  const restarted = new Promise<void>((resolve) => {
    onRunning = resolve;
  });
  cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
    for (const v of event.versions) {
      if (!v.scriptURL.startsWith(prefix)) continue;
      if (phase === 'stopping' && v.runningStatus === 'stopped') {
        phase = 'stopped';
        onStopped();
      } else if (phase === 'stopped' && v.runningStatus === 'running') {
        onRunning();
      }
    }
  });
  await cdp.send('ServiceWorker.enable');
  phase = 'stopping';
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expect.poll(() => phase, { message: 'the extension service worker stops', timeout: 10_000 }).toBe('stopped');
  await stopped;
  return { restarted: restarted.finally(() => cdp.detach().catch(() => undefined)) };
}
