import { hashToken } from '../../sandbox/api/request-log';
import { expect, test } from './support/fixtures';
import { closingPrompt } from './support/pause-flow';
import { control, dismissAnnouncement } from './support/sandbox-control';
import { expectNoToken } from './support/text';

/** What the page's own script (MAIN world) can see of SafePause while it works. */
interface PageView {
  events: { type: string; payload: string }[];
  html: string;
  overlay: string;
  storage: string;
}

/** The part of the `chrome` global the worker check reads. */
interface ExtensionGlobal {
  storage: Record<'local' | 'session', { get(keys: null): Promise<Record<string, unknown>> }>;
}

declare global {
  interface Window {
    __tokenProbe?: { events: { type: string; payload: string }[] };
  }
}

test.beforeEach(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', {
    seed: 1,
    campaigns: 1000,
    processingDelayMs: 300,
    reportLatencyMinutes: 0,
  });
});

test('the access token never reaches the page, storage a content script can read, the records or the prompt', async ({
  context,
  extensionId,
  sandbox,
  connect,
}) => {
  const token = sandbox.token;
  // The check means something only for a distinctive token that nothing else on the page could contain.
  expect(token.length).toBeGreaterThanOrEqual(24);
  expect(token).toMatch(/[0-9a-f]{16}$/);

  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const page = await context.newPage();

  // (a) The page's own script: a recorder installed before any page or extension script runs, listening in the
  // capture phase on window and document to every event type the window knows plus SafePause's bridge events,
  // keeping each message's data and each CustomEvent's detail.
  await page.addInitScript(() => {
    const probe = { events: [] as { type: string; payload: string }[] };
    window.__tokenProbe = probe;
    const text = (value: unknown): string => {
      if (typeof value === 'string') return value;
      try {
        return JSON.stringify(value) ?? String(value);
      } catch {
        return String(value);
      }
    };
    const record = (event: Event) => {
      if (event instanceof MessageEvent) probe.events.push({ type: event.type, payload: text(event.data) });
      else if (event instanceof CustomEvent) probe.events.push({ type: event.type, payload: text(event.detail) });
    };
    const types = new Set(['message', 'safepause:probe', 'safepause:candidates']);
    for (const key in window) if (key.startsWith('on')) types.add(key.slice(2));
    for (const type of types) {
      window.addEventListener(type, record, true);
      document.addEventListener(type, record, true);
    }
  });
  await page.goto(sandbox.campaignPageUrl(advertiserId));
  const pause = page.getByRole('button', { name: /^Pause campaign / }).first();
  await expect(pause).toBeVisible({ timeout: 30_000 });
  await dismissAnnouncement(page);

  // A full pause: open the prompt, confirm it, wait until TikTok reports the campaign paused.
  const name = ((await pause.getAttribute('aria-label')) ?? '').replace(/^Pause campaign /, '');
  await pause.click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  const dialog = prompt.getByRole('dialog', { name: 'Pause campaign?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Spend today');

  // (d) The confirm frame: everything it renders (it shows the campaign, so the read is not empty).
  const promptHtml = await prompt.locator('html').evaluate((el) => el.outerHTML);
  expect(promptHtml).toContain('Pause campaign?');
  expectNoToken(token, 'the confirm frame', promptHtml);

  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Pause campaign' }).click());
  const chip = page
    .getByRole('status', { name: `campaign ${name}: Paused` })
    .or(page.getByRole('status', { name: `campaign ${name}: Spend stopped` }));
  await expect(chip.first()).toBeVisible({ timeout: 60_000 });

  // The extension did hold and use exactly this token: the API received it with the pause.
  const updates = await sandbox.requests('campaign/status/update');
  expect(updates).toHaveLength(1);
  expect(updates[0]?.tokenHash).toBe(hashToken(token));
  const targetId = (updates[0]?.body as { campaign_ids?: string[] } | undefined)?.campaign_ids?.[0] ?? '';
  expect(targetId).toMatch(/^\d{15,20}$/);

  // A canary through the page's own channel shows the message recorder works.
  await page.evaluate(() => window.postMessage({ canary: 'token-probe' }, '*'));
  const seen = await page.evaluate((): PageView => {
    const host = document.querySelector('safepause-overlay');
    const storage: Record<string, string> = { cookie: document.cookie, name: window.name };
    for (const area of [localStorage, sessionStorage]) {
      for (let i = 0; i < area.length; i += 1) {
        const key = area.key(i) ?? '';
        storage[key] = area.getItem(key) ?? '';
      }
    }
    return {
      events: window.__tokenProbe?.events ?? [],
      html: document.documentElement.outerHTML,
      overlay: `${host?.shadowRoot?.innerHTML ?? ''}\n${host?.shadowRoot?.textContent ?? ''}`,
      storage: JSON.stringify(storage),
    };
  });
  // The recorders heard the bridge's answers (content script <-> page traffic) and the canary message.
  expect(seen.events.some((e) => e.type === 'safepause:probe')).toBe(true);
  expect(seen.events.some((e) => e.type === 'safepause:candidates' && /"candidates"/.test(e.payload))).toBe(true);
  expect(seen.events.some((e) => e.type === 'message' && e.payload.includes('token-probe'))).toBe(true);
  expectNoToken(token, 'an event the page heard', JSON.stringify(seen.events));
  // The page and the overlay as they stand after the pause (the overlay shows this campaign's chip).
  expect(seen.overlay).toContain(`campaign ${name}: `);
  expect(seen.html).toContain('safepause-overlay');
  expectNoToken(token, "the page's DOM", seen.html);
  expectNoToken(token, "the overlay's shadow root", seen.overlay);
  expectNoToken(token, "the page's storage", seen.storage);

  // (b) storage.local is readable by content scripts: it holds the settings but never the token; the token sits
  // in storage.session (the control that the search would find it).
  let worker = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
  worker ??= await context.waitForEvent('serviceworker', {
    predicate: (w) => w.url().startsWith(`chrome-extension://${extensionId}/`),
  });
  const stores = await worker.evaluate(async () => {
    const { storage } = (globalThis as unknown as { chrome: ExtensionGlobal }).chrome;
    return {
      local: JSON.stringify(await storage.local.get(null)),
      session: JSON.stringify(await storage.session.get(null)),
    };
  });
  expect(stores.local).toContain(advertiserId);
  expectNoToken(token, 'storage.local', stores.local);
  expect(stores.session).toContain(token);

  // (c) The extension's IndexedDB, read from an extension page: jobs and audit hold the pause, never the token.
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.waitForLoadState('load');
  const records = await popup.evaluate(
    () =>
      new Promise<{ jobs: unknown[]; audit: unknown[]; secrets: unknown[] }>((resolve, reject) => {
        const open = indexedDB.open('safepause');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['jobs', 'audit', 'secrets'], 'readonly');
          const out = { jobs: [] as unknown[], audit: [] as unknown[], secrets: [] as unknown[] };
          for (const store of ['jobs', 'audit', 'secrets'] as const) {
            const all = tx.objectStore(store).getAll();
            all.onsuccess = () => {
              out[store] = all.result;
            };
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  expect(records.jobs.length).toBeGreaterThan(0);
  expect(records.audit.length).toBeGreaterThan(1);
  expect(JSON.stringify(records.jobs)).toContain(targetId);
  expectNoToken(token, 'the jobs store', JSON.stringify(records.jobs));
  expectNoToken(token, 'the audit trail', JSON.stringify(records.audit));
  // Kept for this session only: nothing on disk either.
  expect(records.secrets).toEqual([]);
});
