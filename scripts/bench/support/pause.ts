import type { Frame, Page } from '@playwright/test';
import type { LaunchedExtension } from '../../../test/e2e/support/extension';
import { openPausePrompt, type StatusUpdate, statusReadsOf, statusUpdates } from '../../../test/e2e/support/pause-flow';
import { control, dismissAnnouncement, pageRows, visibleRowTruth } from '../../../test/e2e/support/sandbox-control';
import {
  closeAll,
  connect,
  inPage,
  launchExtension,
  openTablePage,
  type RunningSandbox,
  startBenchSandbox,
} from './browser';

/**
 * One pause as a person does it (row control → confirm prompt → "Pause campaign"), timed on one clock: the click
 * is stamped in the prompt frame (performance.timeOrigin + event.timeStamp, converted to the system clock with
 * the same frame's Date.now()), the update's arrival is the sandbox's request log (`new Date()` when the request
 * was read, ms), and "Paused" is stamped in the page by a MutationObserver on the overlay's open shadow root.
 */

export interface PauseSession {
  sandbox: RunningSandbox;
  launched: LaunchedExtension;
  page: Page;
  advertiserId: string;
  used: Set<string>;
  close(): Promise<void>;
}

export async function openPauseSession(
  extensionDir: string,
  config: { campaigns: number; processingDelayMs: number },
): Promise<PauseSession> {
  const sandbox = await startBenchSandbox({ campaigns: config.campaigns, processingDelayMs: config.processingDelayMs });
  let launched: LaunchedExtension | undefined;
  try {
    launched = await launchExtension(extensionDir);
    await connect(launched, sandbox);
    const page = await openTablePage(launched.context, sandbox, true);
    const session: PauseSession = {
      sandbox,
      launched,
      page,
      advertiserId: sandbox.advertiserIds[0] ?? '',
      used: new Set(),
      close: () => closeAll(launched?.context, sandbox),
    };
    return session;
  } catch (error) {
    await closeAll(launched?.context, sandbox);
    throw error;
  }
}

export async function setProcessingDelay(session: PauseSession, ms: number): Promise<void> {
  await control(session.sandbox, 'POST', 'config', { processingDelayMs: ms });
}

const PLAIN_NAME = /^[^\s\u200b-\u200d\ufeff](.*[^\s\u200b-\u200d\ufeff])?$/su;

/** A delivering campaign on screen that no earlier sample used, with a plain name (the control's label matches). */
async function nextTarget(session: PauseSession): Promise<{ id: string; name: string }> {
  const { page, sandbox } = session;
  for (let attempt = 0; attempt < 12; attempt += 1) {
    await dismissAnnouncement(page);
    const rows = await pageRows(sandbox, session.advertiserId);
    const visible = await visibleRowTruth(page);
    const found = visible.find((v) => {
      const row = rows.find((r) => r.id === v.id);
      return (
        row?.on &&
        !session.used.has(v.id) &&
        row.name === v.name &&
        PLAIN_NAME.test(v.name) &&
        !/[\u200b-\u200d\ufeff]/.test(v.name)
      );
    });
    if (found) return { id: found.id, name: found.name };
    // Everything here is used: scroll the table on by a screen, as a person would.
    await page.locator('ks-virtual-table').hover();
    await page.mouse.wheel(0, 480);
    await page.waitForTimeout(600);
  }
  throw new Error('no unused delivering campaign found on screen');
}

function confirmFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes('/confirm.html'));
  if (!frame) throw new Error('the confirm prompt frame is not attached');
  return frame;
}

/** Stamps the next click in the prompt frame and reports it on the console (the frame goes away right after). */
function hookClick(tag: string): void {
  window.addEventListener(
    'click',
    (event) => {
      const handlerHr = performance.timeOrigin + performance.now();
      const wall = Date.now();
      console.debug(tag, JSON.stringify({ eventHr: performance.timeOrigin + event.timeStamp, handlerHr, wall }));
    },
    { capture: true, once: true },
  );
}

interface ChipSeen {
  /** Date.now() when the chip first read the text; null when it did not within the time allowed. */
  wall: number | null;
  seen: string[];
  /** The page's "New features" announcement (it returns 45 s after a dismissal) covered the table meanwhile. */
  disturbed: boolean;
}

/** Watches the chip of `id` until it reads `text` (the overlay's shadow root is open); see awaitChip. */
function watchChip(arg: { id: string; text: string; timeoutMs: number }): void {
  const host = document.querySelector('safepause-overlay');
  const shadow = host?.shadowRoot;
  const w = window as unknown as Record<string, unknown>;
  if (!shadow) throw new Error('no SafePause overlay');
  const key = `__safepauseBenchChip_${arg.id}`;
  w[key] = new Promise<ChipSeen>((resolve) => {
    const seen: string[] = [];
    let disturbed = false;
    const page = new MutationObserver(() => {
      if (document.querySelector('.vi-dialog--announcement')) disturbed = true;
    });
    page.observe(document.body, { childList: true });
    const check = () => {
      const chip = shadow.querySelector(`.sp-control[data-object-id="${arg.id}"] .sp-chip`);
      const text = chip?.textContent ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
      if (text === arg.text) {
        observer.disconnect();
        page.disconnect();
        clearTimeout(timer);
        resolve({ wall: Date.now(), seen, disturbed });
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(shadow, { subtree: true, childList: true, characterData: true, attributes: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      page.disconnect();
      const control = shadow.querySelector(`.sp-control[data-object-id="${arg.id}"]`);
      seen.push(
        control ? `(after ${arg.timeoutMs} ms still: ${control.textContent ?? ''})` : '(control no longer drawn)',
      );
      resolve({ wall: null, seen, disturbed });
    }, arg.timeoutMs);
  });
}

function awaitChip(id: string): Promise<ChipSeen> {
  const w = window as unknown as Record<string, Promise<ChipSeen>>;
  const p = w[`__safepauseBenchChip_${id}`];
  if (!p) throw new Error('no chip watch');
  return p;
}

/** Stops the extension's service worker via CDP and reports when Chrome says it runs again. */
async function stopWorker(page: Page, extensionId: string) {
  const cdp = await page.context().newCDPSession(page);
  const prefix = `chrome-extension://${extensionId}/`;
  let phase: 'before' | 'stopping' | 'stopped' = 'before';
  let stoppedAt = 0;
  let restartedAt: number | null = null;
  let onStopped = (): void => undefined;
  const stopped = new Promise<void>((resolve) => {
    onStopped = resolve;
  });
  cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
    for (const v of event.versions) {
      if (!v.scriptURL.startsWith(prefix)) continue;
      if (phase === 'stopping' && v.runningStatus === 'stopped') {
        phase = 'stopped';
        stoppedAt = Date.now();
        onStopped();
      } else if (phase === 'stopped' && v.runningStatus !== 'stopped' && restartedAt === null) {
        restartedAt = Date.now();
      }
    }
  });
  await cdp.send('ServiceWorker.enable');
  phase = 'stopping';
  await cdp.send('ServiceWorker.stopAllWorkers');
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    stopped,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the extension service worker did not stop within 10 s')), 10_000);
    }),
  ]).finally(() => clearTimeout(timer));
  return {
    stoppedAt,
    restartedAt: () => restartedAt,
    detach: () => cdp.detach().catch(() => undefined),
  };
}

export interface PauseSample {
  id: string;
  cold: boolean;
  /** Click, system clock (ms since epoch), from the prompt frame. */
  clickWall: number;
  /** performance.timeOrigin + performance.now() minus Date.now() in the prompt frame at the click (clock skew). */
  hrSkewMs: number;
  /** Handler time minus event time in the frame: input delivery before the click handlers run. */
  inputDelayMs: number;
  arrivalWall: number;
  update: StatusUpdate;
  /** ms from click to the update in the sandbox's log. */
  clickToRequestMs: number;
  /** Set when waited for: system clock when the chip read "Paused" (null: not within PAUSED_TIMEOUT_MS), and what it read on the way. */
  pausedWall?: number | null;
  /** When "Paused" never showed: the sandbox's view of the object and the API calls about it after the update. */
  neverPaused?: { objectState: unknown; requestsAfterUpdate: string[] };
  chipSequence?: string[];
  /** Cold samples: ms from the click until Chrome reported the worker starting again (CDP, as seen by Node). */
  workerStartAfterClickMs?: number;
  /** API requests the sandbox logged between the click and the update (e.g. a status read before sending). */
  requestsBefore: string[];
  /** Every API request from 1 s before the click to the update, "+ms path code" relative to the click (rate context). */
  requestsAround: string[];
  /** The confirm prompt was still open 5 s after the click (the page was reloaded to go on). */
  promptLeftOpen?: boolean;
  /** Status reads of the object after the update and up to "Paused": all, and those naming only this ID. */
  reads?: number;
  /** When each of those reads reached the sandbox, ms after the update did. */
  readOffsetsMs?: number[];
  singleIdReads?: number;
}

const CLICK_TAG = '__safepause_bench_click__';
/** How long the harness "reads" the prompt between its opening and the click. */
export const READING_MS = 1_000;
/** How long a pause may take to show "Paused" before the sample records that it did not. */
export const PAUSED_TIMEOUT_MS = 30_000;

/** One pause of a fresh campaign; `cold` stops the service worker after the prompt is open and before the click. */
export async function pauseOnce(
  session: PauseSession,
  options: { cold: boolean; waitForPaused: boolean },
): Promise<PauseSample | { discarded: string }> {
  const { page, sandbox } = session;
  const target = await nextTarget(session);
  session.used.add(target.id);
  let prompt: Awaited<ReturnType<typeof openPausePrompt>>;
  try {
    prompt = await openPausePrompt(page, target);
  } catch (error) {
    // Say what the prompt showed instead, then start again from a fresh page.
    const shown = await page
      .frameLocator('iframe[title="SafePause confirmation"]')
      .locator('body')
      .textContent({ timeout: 1_000 })
      .then((t) => t ?? '')
      .catch(() => '(no prompt frame)');
    await reopen(session);
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return {
      discarded: `the prompt did not show the campaign: ${reason}; it showed: ${shown.replace(/\s+/g, ' ').slice(0, 200)}`,
    };
  }
  const frame = confirmFrame(page);
  await inPage(frame, hookClick, CLICK_TAG);
  // A person reads the prompt before confirming; it also keeps the prompt's own reads (5 API calls) out of the
  // rate-limit second of the click, as with a person.
  await page.waitForTimeout(READING_MS);
  if (options.waitForPaused)
    await inPage(page, watchChip, { id: target.id, text: 'Paused', timeoutMs: PAUSED_TIMEOUT_MS });
  const clickMessage = page.waitForEvent('console', {
    predicate: (m) => m.text().startsWith(CLICK_TAG),
    timeout: 10_000,
  });
  clickMessage.catch(() => undefined);
  const worker = options.cold ? await stopWorker(page, session.launched.extensionId) : null;
  try {
    await prompt.prompt.getByRole('button', { name: 'Pause campaign' }).click();
    const stamp = JSON.parse((await clickMessage).text().slice(CLICK_TAG.length).trim()) as {
      eventHr: number;
      handlerHr: number;
      wall: number;
    };
    const clickWall = stamp.wall - (stamp.handlerHr - stamp.eventHr);
    let update: StatusUpdate | undefined;
    const deadline = Date.now() + 15_000;
    while (!update && Date.now() < deadline) {
      update = (await statusUpdates(sandbox, target.id))[0];
      if (!update) await new Promise((r) => setTimeout(r, 10));
    }
    if (!update) throw new Error(`no status update for ${target.id} reached the sandbox within 15 s of the click`);
    if (worker) {
      const restarted = worker.restartedAt();
      if (clickWall - worker.stoppedAt > 900)
        return await discard(session, 'the click came more than 0.9 s after the stop');
      if (restarted !== null && restarted < clickWall - 2) {
        return await discard(session, 'the worker was started again before the click (not a cold start)');
      }
    }
    const arrivalWall = Date.parse(update.realTime);
    const sample: PauseSample = {
      id: target.id,
      cold: options.cold,
      clickWall,
      hrSkewMs: stamp.handlerHr - stamp.wall,
      inputDelayMs: stamp.handlerHr - stamp.eventHr,
      arrivalWall,
      update,
      clickToRequestMs: arrivalWall - clickWall,
      requestsBefore: (await sandbox.requests())
        .filter((r) => r.seq < (update?.seq ?? 0) && Date.parse(r.realTime) >= Math.floor(clickWall))
        .map((r) => r.path.replace('/open_api/v1.3/', '')),
      requestsAround: (await sandbox.requests('/open_api/'))
        .filter((r) => r.seq <= (update?.seq ?? 0) && Date.parse(r.realTime) >= clickWall - 1000)
        .map(
          (r) =>
            `${Math.round(Date.parse(r.realTime) - clickWall)} ms ${r.path.replace('/open_api/v1.3/', '')} ${r.code}`,
        ),
    };
    if (options.waitForPaused) {
      const paused = await inPage(page, awaitChip, target.id);
      if (paused.disturbed) {
        await dismissAnnouncement(page);
        return await discard(session, 'the page\'s announcement popped up over the table while waiting for "Paused"');
      }
      sample.pausedWall = paused.wall;
      sample.chipSequence = paused.seen;
      const until = paused.wall ?? Date.now();
      const reads = (await statusReadsOf(sandbox, target.id)).filter(
        (r) => r.seq > update.seq && Date.parse(r.realTime) <= until,
      );
      if (paused.wall === null) {
        const after = (await sandbox.requests()).filter(
          (r) => r.seq > update.seq && JSON.stringify([r.query, r.body]).includes(target.id),
        );
        sample.neverPaused = {
          objectState: await control(sandbox, 'GET', `state?level=campaign&ids=${target.id}`).catch(String),
          requestsAfterUpdate: after.map(
            (r) => `+${Date.parse(r.realTime) - clickWall} ms ${r.path.replace('/open_api/v1.3/', '')} code ${r.code}`,
          ),
        };
      }
      sample.reads = reads.length;
      sample.readOffsetsMs = reads.map((r) => Date.parse(r.realTime) - arrivalWall);
      sample.singleIdReads = reads.filter((r) => {
        const ids = /"campaign_ids"\s*:\s*\[([^\]]*)\]/.exec(r.query.filtering ?? '')?.[1] ?? '';
        return ids.split(',').length === 1;
      }).length;
    }
    const restarted = worker?.restartedAt();
    if (restarted !== null && restarted !== undefined) sample.workerStartAfterClickMs = restarted - clickWall;
    sample.promptLeftOpen = !(await promptCloses(page));
    if (sample.promptLeftOpen) await reopen(session);
    return sample;
  } finally {
    await worker?.detach();
  }
}

/** Drops a sample after its click: the prompt must be gone before the next one (else its backdrop takes clicks). */
async function discard(session: PauseSession, reason: string): Promise<{ discarded: string }> {
  if (!(await promptCloses(session.page))) await reopen(session);
  return { discarded: reason };
}

/** Whether the confirm prompt frame goes away within 5 s of the click (it should, once the worker answers). */
async function promptCloses(page: Page): Promise<boolean> {
  try {
    await page.locator('iframe[title="SafePause confirmation"]').waitFor({ state: 'detached', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** Loads the campaign page again (to get rid of a prompt that stayed open) and waits for the controls. */
async function reopen(session: PauseSession): Promise<void> {
  await session.page.close();
  session.page = await openTablePage(session.launched.context, session.sandbox, true);
}
