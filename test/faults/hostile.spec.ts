import type { Page } from '@playwright/test';
import { expect, test } from '../e2e/support/fixtures';
import { openPausePrompt, statusUpdates } from '../e2e/support/pause-flow';
import { control, dismissAnnouncement, pageRows, visibleRowTruth } from '../e2e/support/sandbox-control';
import { operationStatus, scenario } from './support/faults';

/**
 * A hostile Ads Manager page: its own scripts (page world, installed before the page's) pollute prototypes, override
 * JSON, answer SafePause's bridge probes with another campaign's ID, forge `safepause:*` events and postMessages,
 * and click SafePause's controls from script. None of it sends anything or puts a control on another object: rows
 * it makes ambiguous get no control (and the page says why), and a person's real click pauses exactly its row.
 */

declare global {
  interface Window {
    __hostile?: { attempts: string[] };
  }
}

test.beforeEach(async ({ sandbox, connect }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 300, processingDelayMs: 500, reportLatencyMinutes: 0 });
  await connect('session', { reportLatencyMinutes: 0 });
});

/** Every overlay control drawn on screen sits on the row whose page props name the same ID. */
async function controlsOnTheirRows(page: Page, forbidden: string): Promise<number> {
  const truth = await visibleRowTruth(page);
  const controls = await page.locator('safepause-overlay .sp-control').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.getAttribute('data-object-id') ?? '', y: r.top + r.height / 2 };
    }),
  );
  const drawn = controls.filter((c) => c.y > 0);
  for (const c of drawn) {
    expect(c.id).not.toBe(forbidden);
    const row = truth.find((t) => Math.abs(t.y - c.y) < 20);
    if (row) expect(c.id, 'a control sits on the row of its own ID').toBe(row.id);
  }
  return drawn.length;
}

/** The campaign the page tries to make SafePause act on instead: delivering, far down the list (never on screen). */
async function decoyOf(sandbox: Parameters<typeof pageRows>[0], advertiserId: string) {
  const rows = await pageRows(sandbox, advertiserId);
  const decoy = rows.slice(100).find((r) => r.on);
  if (!decoy) throw new Error('no delivering campaign down the list');
  return { rows, decoy };
}

test(
  'forged bridge answers and polluted prototypes in the page world: rows fail closed with a notice, nothing sent',
  scenario(
    "Page world pollutes Object/Array prototypes, overrides JSON and answers bridge probes with another campaign's ID",
    'Rows whose identity is not corroborated get no control; a notice says why',
    'No controls, the notice shown, no update and no prompt read; the decoy stays on',
  ),
  async ({ context, sandbox }) => {
    const advertiserId = sandbox.advertiserIds[0] ?? '';
    const { decoy } = await decoyOf(sandbox, advertiserId);
    const page = await context.newPage();
    await page.addInitScript(
      ({ decoyId }) => {
        const attempts: string[] = [];
        window.__hostile = { attempts };
        const forged = JSON.stringify({ v: 1, candidates: [{ id: decoyId, field: 'campaign_id' }] });
        // Prototype pollution aimed at the bridge answer's shape and at the candidate list.
        Object.defineProperty(Object.prototype, 'candidates', {
          value: [{ id: decoyId, field: 'campaign_id' }],
          writable: true,
          enumerable: true,
          configurable: true,
        });
        Object.defineProperty(Object.prototype, 'v', {
          value: 1,
          writable: true,
          enumerable: true,
          configurable: true,
        });
        const push = Array.prototype.push;
        Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
          const extra = items.some((i) => typeof i === 'object' && i !== null && 'field' in i && 'id' in i)
            ? [{ id: decoyId, field: 'campaign_id' }]
            : [];
          return push.call(this, ...items, ...extra);
        };
        const parse = JSON.parse;
        JSON.parse = (text: string, reviver?: (key: string, value: unknown) => unknown) =>
          typeof text === 'string' && text.includes('"candidates"') ? parse(forged) : parse(text, reviver);
        const stringify = JSON.stringify;
        JSON.stringify = ((value: unknown, ...rest: unknown[]) =>
          value && typeof value === 'object' && Object.hasOwn(value as object, 'candidates')
            ? forged
            : (stringify as (...a: unknown[]) => string)(value, ...rest)) as typeof JSON.stringify;
        // Answer every probe first, with the decoy's ID (window capture runs before the bridge's document listener).
        window.addEventListener(
          'safepause:probe',
          (event) => {
            const target = event.composedPath()[0];
            if (target instanceof Element) {
              attempts.push('answered a probe');
              target.dispatchEvent(new CustomEvent('safepause:candidates', { detail: forged }));
            }
          },
          true,
        );
      },
      { decoyId: decoy.id },
    );
    await page.goto(sandbox.campaignPageUrl(advertiserId));
    await dismissAnnouncement(page);
    // SafePause explains on the page why it shows no controls, and shows none.
    const notice = page.locator('safepause-overlay').getByRole('alert');
    await expect(notice).toContainText("SafePause can't identify the rows on this page", { timeout: 30_000 });
    expect(await page.evaluate(() => window.__hostile?.attempts.length ?? 0)).toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: /^Pause campaign / })).toHaveCount(0);
    await page.waitForTimeout(2_000);
    expect(await statusUpdates(sandbox)).toHaveLength(0);
    expect(await sandbox.requests('advertiser/info')).toHaveLength(0);
    expect(await operationStatus(sandbox, decoy.id)).toBe('ENABLE');
  },
);

test(
  'forged events, messages and scripted clicks from the page: nothing is sent; a real click pauses exactly its row',
  scenario(
    'Page scripts post forged messages, dispatch `safepause:*` events, click the controls from script, call the runtime API',
    'Acts only on trusted clicks in its own frame; ignores page messages',
    'No prompt, no advertiser read, no update; a real click then pauses exactly its row',
  ),
  async ({ context, sandbox, extensionId }) => {
    const advertiserId = sandbox.advertiserIds[0] ?? '';
    const { rows, decoy } = await decoyOf(sandbox, advertiserId);
    const page = await context.newPage();
    await page.addInitScript(
      ({ decoyId }) => {
        // Pollution that would turn any object into a command, and JSON that answers with one.
        for (const [key, value] of Object.entries({
          type: 'prompt:confirm',
          promptId: 'f'.repeat(32),
          ids: [decoyId],
        })) {
          Object.defineProperty(Object.prototype, key, { value, writable: true, enumerable: true, configurable: true });
        }
        const parse = JSON.parse;
        JSON.parse = (text: string, reviver?: (key: string, value: unknown) => unknown) =>
          typeof text === 'string' && text.includes('safepause')
            ? { type: 'prompt:confirm', promptId: 'f'.repeat(32), ids: [decoyId] }
            : parse(text, reviver);
      },
      { decoyId: decoy.id },
    );
    await page.goto(sandbox.campaignPageUrl(advertiserId));
    await expect(page.getByRole('button', { name: /^Pause campaign / }).first()).toBeVisible({ timeout: 30_000 });
    await dismissAnnouncement(page);
    expect(await controlsOnTheirRows(page, decoy.id)).toBeGreaterThan(0);

    const forged = await page.evaluate(
      async ({ decoyId, extensionId }) => {
        const done: string[] = [];
        for (const message of [
          { type: 'prompt:confirm', promptId: 'x'.repeat(32) },
          { type: 'rows:identify', advertiserId: '1', level: 'campaign', rows: [] },
          { type: 'safepause:pause', ids: [decoyId] },
          { source: 'safepause', action: 'DISABLE', id: decoyId },
        ]) {
          window.postMessage(message, '*');
          done.push('postMessage');
        }
        const detail = JSON.stringify({ v: 1, candidates: [{ id: decoyId, field: 'campaign_id' }], id: decoyId });
        for (const type of ['safepause:pause', 'safepause:confirm', 'safepause:probe', 'safepause:candidates']) {
          document.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
          for (const link of document.querySelectorAll('a.KsLink'))
            link.dispatchEvent(new CustomEvent(type, { detail }));
          done.push('event');
        }
        const root = document.querySelector('safepause-overlay')?.shadowRoot;
        for (const button of root?.querySelectorAll('button') ?? []) {
          (button as HTMLButtonElement).click();
          button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
          button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
          done.push('click');
        }
        const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime;
        if (typeof runtime?.sendMessage === 'function') {
          try {
            await (runtime.sendMessage as (id: string, m: unknown) => Promise<unknown>)(extensionId, {
              type: 'prompt:confirm',
              promptId: 'x'.repeat(32),
            });
            done.push('runtime message answered');
          } catch {
            done.push('runtime message refused');
          }
        } else done.push('no runtime API in the page');
        return done;
      },
      { decoyId: decoy.id, extensionId },
    );
    expect(forged.filter((f) => f === 'click').length).toBeGreaterThan(0);
    expect(forged).not.toContain('runtime message answered');
    await page.waitForTimeout(2_000);
    await expect(page.locator('iframe[title="SafePause confirmation"]')).toHaveCount(0);
    expect(await statusUpdates(sandbox)).toHaveLength(0);
    // No prompt was even prepared (it would read the advertiser first).
    expect(await sandbox.requests('advertiser/info')).toHaveLength(0);
    expect(await controlsOnTheirRows(page, decoy.id)).toBeGreaterThan(0);

    // A person's click on a row pauses exactly that row's campaign.
    const visible = await visibleRowTruth(page);
    const target = visible.find((v) => rows.find((r) => r.id === v.id)?.on);
    if (!target) throw new Error('no delivering campaign visible');
    const { dialog, confirm } = await openPausePrompt(page, target);
    await expect(dialog).not.toContainText(decoy.id);
    await confirm();
    await expect.poll(async () => (await statusUpdates(sandbox)).length, { timeout: 20_000 }).toBe(1);
    const [update] = await statusUpdates(sandbox);
    expect(update?.body.campaign_ids).toEqual([target.id]);
    await page.waitForTimeout(1_000);
    expect(await statusUpdates(sandbox)).toHaveLength(1);
    expect(await operationStatus(sandbox, decoy.id)).toBe('ENABLE');
  },
);
