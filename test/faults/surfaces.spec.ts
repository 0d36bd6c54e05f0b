import { readFile } from 'node:fs/promises';
import type { ConsoleMessage, Page, Worker } from '@playwright/test';
import { expect, test } from '../e2e/support/fixtures';
import {
  chipOf,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  statusUpdates,
} from '../e2e/support/pause-flow';
import {
  control,
  controlOnRowOf,
  dismissAnnouncement,
  pageRows,
  visibleRowTruth,
} from '../e2e/support/sandbox-control';
import { escapeRegExp, expectNoToken } from '../e2e/support/text';
import { addFaults, operationStatus, scenario } from './support/faults';

/**
 * What a user sees of hostile input, in the built extension: names carrying HTML and script on the row, in the
 * prompt and in the popup (text, never markup), a page that clobbers globals with named elements, and an API that
 * echoes the access token back in its error message (it must not reach any surface SafePause writes).
 */

declare global {
  interface Window {
    __executed?: string[];
  }
}

const HOSTILE = ['<img src=x onerror=alert(1)>', '"><script>alert(document.cookie)</script>'];

/** Records what the page world would run if markup were ever parsed: alert/confirm/prompt and error handlers. */
async function watchForExecution(page: Page, dialogs: string[]): Promise<void> {
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    window.__executed = [];
    for (const name of ['alert', 'confirm', 'prompt'] as const) {
      Object.defineProperty(window, name, {
        value: (...args: unknown[]) => {
          window.__executed?.push(`${name}(${args.map(String).join(',')})`);
        },
      });
    }
  });
}

/** The filtered list settles in stages (rows, then metrics): retries finding the control until it is drawn. */
async function openWhenDrawn(page: Page, target: { id: string; name: string }) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await openPausePrompt(page, target);
    } catch (error) {
      const drawing = error instanceof Error && /^(no control|row \d+ is not visible)/.test(error.message);
      if (!drawing || attempt >= 40) throw error;
      await page.waitForTimeout(250);
    }
  }
}

test.beforeEach(async ({ sandbox, connect }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 200, processingDelayMs: 500, reportLatencyMinutes: 0 });
  await connect('session', { reportLatencyMinutes: 0 });
});

test(
  'names carrying HTML and script render as text on the row, in the prompt and in the popup; clobbered globals change nothing',
  scenario(
    'Campaign names carrying HTML and script (`<img src=x onerror=…>`, `"><script>…`), and a page whose named elements clobber `chrome`, `browser`, `safepause` and the overlay’s own tag name',
    'Renders every name as text in its accessible names, the confirm prompt and the popup; reads the page only through its own references',
    'Per name: the control and prompt name it verbatim, no element from the name exists anywhere, nothing ran; one update for exactly that ID',
  ),
  async ({ context, sandbox, extensionId }) => {
    test.setTimeout(180_000);
    const advertiserId = sandbox.advertiserIds[0] ?? '';
    const rows = await pageRows(sandbox, advertiserId);
    const targets = HOSTILE.map((name) => {
      const row = rows.find((r) => r.name === name && r.on);
      if (!row) throw new Error(`the seeded list has no delivering campaign named ${name}`);
      return { id: row.id, name: row.name };
    });

    const dialogs: string[] = [];
    const page = await context.newPage();
    await watchForExecution(page, dialogs);
    // DOM clobbering: named elements that shadow globals and names SafePause might look up in the page.
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const holder = document.createElement('div');
        holder.hidden = true;
        holder.innerHTML =
          '<form id="chrome"><input name="runtime"></form><a id="browser"></a><img name="safepause">' +
          '<div id="safepause-overlay"></div><form name="safepause-overlay"><input name="shadowRoot"></form>' +
          '<img id="sp-confirm"><a id="__safepause" href="https://attacker.invalid/"></a>';
        document.body.append(holder);
      });
    });
    await page.goto(sandbox.campaignPageUrl(advertiserId));
    await expect(page.getByRole('button', { name: /^Pause campaign / }).first()).toBeVisible({ timeout: 30_000 });
    await dismissAnnouncement(page);

    // The clobbering is in place: in the page world `browser` is now a link and `document.safepause` an image.
    expect(
      await page.evaluate(() => [
        (window as unknown as { browser?: Element }).browser?.tagName,
        (document as unknown as { safepause?: Element }).safepause?.tagName,
      ]),
    ).toEqual(['A', 'IMG']);
    for (const target of targets) {
      await page.getByRole('searchbox', { name: 'Search' }).fill(target.name);
      await expect
        .poll(async () => (await visibleRowTruth(page)).some((r) => r.id === target.id), { timeout: 15_000 })
        .toBe(true);
      // The overlay draws the control once the filtered row is identified.
      let button = page.getByRole('button', { name: `Pause campaign ${target.name}`, exact: true });
      await expect(async () => {
        button = await controlOnRowOf(page, target.id, `Pause campaign ${target.name}`);
      }).toPass({ timeout: 15_000 });
      await expect(button).toHaveAccessibleName(`Pause campaign ${target.name}`);
      const prompt = await openWhenDrawn(page, target);
      await expect(prompt.dialog).toContainText(target.name);
      expect(await prompt.prompt.locator('img[src="x"], script:not([src])').count()).toBe(0);
      await prompt.confirm();
      await expect(chipOf(page, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 30_000 });
      await expect(chipOf(page, target.id)).toHaveAccessibleName(
        new RegExp(`^campaign ${escapeRegExp(target.name)}: `),
      );
    }

    const popup = await context.newPage();
    await watchForExecution(popup, dialogs);
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    for (const target of targets) {
      await expect(popup.getByText(target.name, { exact: true }).first()).toBeVisible({ timeout: 15_000 });
    }
    for (const p of [page, popup]) {
      expect(await p.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
      expect(await p.evaluate(() => window.__executed ?? [])).toEqual([]);
    }
    expect(dialogs).toEqual([]);

    const updates = await statusUpdates(sandbox);
    expect(updates.map((u) => u.body.campaign_ids)).toEqual(targets.map((t) => [t.id]));
    for (const t of targets) expect(await operationStatus(sandbox, t.id)).toBe('DISABLE');
  },
);

test(
  'TikTok echoes the access token in an error: it reaches no row, popup, support report, export or log',
  scenario(
    'The status update is refused (40105) with a message that repeats the access token',
    'Redacts the token from TikTok’s message before it is stored or shown',
    'The row’s chip, the popup, the copied support report, the three exports (jobs CSV, audit CSV, JSON) and every console line of the worker and pages: the error is there, the token is not',
  ),
  async ({ context, sandbox, extensionId }) => {
    test.setTimeout(180_000);
    const token = sandbox.token;
    const logs: string[] = [];
    const listen = (w: Worker) => w.on('console', (m: ConsoleMessage) => logs.push(m.text()));
    for (const w of context.serviceWorkers()) listen(w);
    context.on('serviceworker', listen);
    context.on('console', (m) => logs.push(m.text()));

    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const message = `Invalid access token: ${token} (Access-Token: ${token}).`;
    await addFaults(sandbox, [
      { path: 'campaign/status/update', kind: 'code', code: 40105, message, ids: [target.id] },
    ]);
    const prompt = await openPausePrompt(page, target);
    await prompt.confirm();
    const chip = chipOf(page, target.id);
    await expect(chip).toHaveText('Failed', { timeout: 30_000 });
    await expect(chip).toHaveAttribute('title', /40105/);
    expectNoToken(token, "the row's chip", `${await chip.getAttribute('title')} ${await chip.textContent()}`);

    const popup = await context.newPage();
    await popup.addInitScript(() => {
      navigator.clipboard.writeText = (text: string) => {
        (window as unknown as { copied: string }).copied = text;
        return Promise.resolve();
      };
    });
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const item = popup
      .getByRole('region', { name: /^Needs attention/ })
      .getByRole('listitem')
      .filter({ hasText: target.name });
    await expect(item).toContainText('40105', { timeout: 15_000 });
    expectNoToken(token, 'the popup', await popup.content());
    await item.getByRole('button', { name: 'Copy support report' }).click();
    await expect(popup.getByText('Support report copied.', { exact: false })).toBeVisible();
    const report = await popup.evaluate(() => (window as unknown as { copied?: string }).copied ?? '');
    expect(report).toContain(target.id);
    expect(report).toContain('40105');
    expectNoToken(token, 'the support report', report);

    const history = await context.newPage();
    await history.goto(`chrome-extension://${extensionId}/history.html`);
    await expect(history.getByRole('table')).toContainText(target.name);
    for (const name of ['Export CSV', 'Export audit trail CSV', 'Export JSON']) {
      const downloading = history.waitForEvent('download');
      await history.getByRole('button', { name, exact: true }).click();
      const text = await readFile(await (await downloading).path(), 'utf8');
      expect(text, name).toContain(target.id);
      expectNoToken(token, name, text);
    }

    expectNoToken(token, 'the console', logs.join('\n'));
    expect(await statusUpdates(sandbox, target.id)).toHaveLength(1);
    expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');
  },
);

/** Runs `expression` in SafePause's content-script world of `page` (what a compromised content script could do). */
async function inContentWorld(page: Page, extensionId: string, expression: string): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: { id: number; origin: string; auxData?: { type?: string; isDefault?: boolean } }[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  await expect
    .poll(() =>
      contexts.some((c) => c.origin === `chrome-extension://${extensionId}` && c.auxData?.type === 'isolated'),
    )
    .toBe(true);
  const world = contexts.find(
    (c) => c.origin === `chrome-extension://${extensionId}` && c.auxData?.type === 'isolated',
  );
  const result = await cdp.send('Runtime.evaluate', {
    expression,
    contextId: world?.id,
    awaitPromise: true,
    returnByValue: true,
  });
  await cdp.detach();
  if (result.exceptionDetails) throw new Error(result.exceptionDetails.text);
  return result.result.value;
}

test(
  'forged messages from the content script’s own world: refused with a reason, nothing read or sent',
  scenario(
    'Messages sent to the worker from SafePause’s content-script world (as a compromised content script could): extra fields, numeric IDs, a URL for an ID, another advertiser, page-only commands (confirm, undo, emergency stop)',
    'Checks every message against its strict schema and the sender’s tab URL; page-only commands only from its own pages',
    'Every message answered ok: false with a reason; no prompt, no advertiser read, no update',
  ),
  async ({ context, sandbox, extensionId }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const other = sandbox.advertiserIds[1] ?? '';
    const open = { type: 'prompt:open', advertiserId, level: 'campaign', action: 'DISABLE' };
    const forged = [
      { ...open, targets: [{ id: target.id, name: target.name }], token: 'x' },
      { ...open, targets: [{ id: Number(target.id), name: target.name }] },
      { ...open, targets: [{ id: `${sandbox.url}/open_api/v1.3/campaign/status/update/`, name: target.name }] },
      { ...open, advertiserId: other, targets: [{ id: target.id, name: target.name }] },
      { ...open, advertiserId: Number(advertiserId), targets: [{ id: target.id, name: target.name }] },
      { type: 'rows:identify', advertiserId: other, level: 'campaign', rows: [] },
      { type: 'prompt:confirm', promptId: 'f'.repeat(32) },
      { type: 'job:undo', jobId: 'f'.repeat(32) },
      { type: 'emergency:preview', advertiserId },
      { type: 'emergency:start', previewId: 'f'.repeat(32), typed: '1' },
      { type: 'settings:save', settings: { apiBaseUrl: 'https://attacker.invalid' } },
    ];
    const before = (await sandbox.requests()).length;
    const answers = (await inContentWorld(
      page,
      extensionId,
      `(async () => {
        const out = [];
        for (const m of ${JSON.stringify(forged)}) {
          try { out.push(await chrome.runtime.sendMessage(m)); } catch (e) { out.push({ ok: false, error: 'threw: ' + e }); }
        }
        return out;
      })()`,
    )) as { ok?: boolean; error?: string }[];
    expect(answers).toHaveLength(forged.length);
    for (const [i, answer] of answers.entries()) {
      expect(answer?.ok, JSON.stringify(forged[i])).toBe(false);
      expect(answer?.error, JSON.stringify(forged[i])).toMatch(/\w/);
    }
    await page.waitForTimeout(1_000);
    await expect(page.locator('iframe[title="SafePause confirmation"]')).toHaveCount(0);
    const after = (await sandbox.requests()).slice(before).map((r) => r.path);
    expect(after.filter((p) => /advertiser\/info|status\/update/.test(p))).toEqual([]);
    expect(await statusUpdates(sandbox)).toHaveLength(0);
  },
);
