// npm run screenshots: regenerates the extension's screenshots in docs/screenshots/ against the local sandbox.
//
//   overlay.png   the sandbox campaign list with SafePause's Pause/Resume control on every identified row
//   confirm.png   the confirm prompt open for one delivering campaign
//   paused.png    the same row after confirming: its chip shows the verified state
//   options.png   the options page (account and safety settings)
//   rules.png     a new rule in the options page, with its preview (what it would act on now)
//   popup.png     the toolbar popup after that pause: state, leaked spend, budget kept, spend-per-hour chart
//   history.png   the history page with its filters and exports
//   emergency.png Emergency stop's confirmation in the popup (the second sandbox advertiser)
//
// It builds the sandbox flavour first (`npx wxt build --mode sandbox`); pass --skip-build to reuse .output/.
// docs/screenshots/sandbox-campaigns.png (the page without the extension) comes from scripts/screenshot-sandbox.ts.
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Locator, Page } from '@playwright/test';
import { startSandbox } from '../sandbox/server';
import { extensionUrl, launchWithExtension } from '../test/e2e/support/extension';
import { connectThroughOptions } from './connect-extension';

const OUT_DIR = path.resolve('docs/screenshots');
const PAGE_VIEWPORT = { width: 1440, height: 900 };
const POPUP_VIEWPORT = { width: 400, height: 600 };

const { values } = parseArgs({
  options: { 'skip-build': { type: 'boolean', default: false } },
  allowPositionals: false,
});

function out(name: string): string {
  return path.join(OUT_DIR, name);
}

async function save(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }) {
  await page.screenshot({ path: out(name), clip, animations: 'disabled', caret: 'hide' });
  console.log(`Wrote ${path.relative(process.cwd(), out(name))}`);
}

/** Parks the pointer where it hovers nothing, so no control is drawn in its hover state. */
async function parkPointer(page: Page): Promise<void> {
  const viewport = page.viewportSize() ?? PAGE_VIEWPORT;
  await page.mouse.move(viewport.width - 4, viewport.height - 4);
  await page.waitForTimeout(250);
}

/** The first visible Pause control whose row the overlay has not marked with a chip yet. */
async function firstPauseControl(page: Page): Promise<{ button: Locator; name: string; id: string }> {
  const controls = page.locator('safepause-overlay .sp-control');
  const count = await controls.count();
  for (let i = 0; i < count; i += 1) {
    const control = controls.nth(i);
    const button = control.locator('.sp-action[data-action="DISABLE"]');
    if ((await button.count()) === 0 || (await control.locator('.sp-chip').count()) > 0) continue;
    const box = await button.boundingBox();
    if (!box || box.y < 200 || box.y > 560) continue;
    const label = (await button.getAttribute('aria-label')) ?? '';
    const id = (await control.getAttribute('data-object-id')) ?? '';
    return { button, name: label.replace(/^Pause campaign /, ''), id };
  }
  throw new Error('no delivering campaign with a Pause control in view');
}

async function main(): Promise<void> {
  if (!values['skip-build']) {
    console.log('Building the sandbox flavour of the extension…');
    const build = spawnSync('npx', ['wxt', 'build', '--mode', 'sandbox'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`wxt build exited with ${build.status}`);
  }
  await mkdir(OUT_DIR, { recursive: true });

  // The simulated clock runs at 30x so a campaign visibly spends between the click and the moment TikTok applies it.
  const sandbox = await startSandbox({ port: 0, campaigns: 1000, reportLatencyMinutes: 0, clockSpeed: 30 });
  const { context, extensionId } = await launchWithExtension();
  try {
    await connectThroughOptions(
      context,
      extensionId,
      { apiBaseUrl: sandbox.url, token: sandbox.token, advertiserIds: sandbox.advertiserIds },
      'session',
      { reportLatencyMinutes: 0 },
    );

    // Options page: the settings as they are after connecting (the token field shows only that one is saved).
    const options = await context.newPage();
    await options.setViewportSize(PAGE_VIEWPORT);
    await options.goto(extensionUrl(extensionId, 'options.html'));
    await options.getByRole('button', { name: 'Save safety settings' }).waitFor();
    await options.getByLabel('Access token').waitFor();
    await options.waitForFunction(() => document.fonts.ready.then(() => true));
    await parkPointer(options);
    // The whole settings column, top to bottom (it is taller than the window).
    const column = await options.locator('main').boundingBox();
    if (!column) throw new Error('the options page has no main column');
    await options.screenshot({
      path: out('options.png'),
      fullPage: true,
      clip: { x: column.x, y: 0, width: column.width, height: column.y + column.height },
      animations: 'disabled',
      caret: 'hide',
    });
    console.log(`Wrote ${path.relative(process.cwd(), out('options.png'))}`);

    // A rule being written, with its dry-run preview.
    await options.getByRole('button', { name: 'Add rule', exact: true }).click();
    const form = options.getByRole('form', { name: 'New rule' });
    await form.getByLabel('Rule name', { exact: true }).fill('CPA above target');
    await form.getByLabel('Metric 1', { exact: true }).selectOption('cpa');
    await form.getByLabel('Comparison 1', { exact: true }).selectOption('>');
    await form.getByLabel('Threshold 1', { exact: true }).fill('25');
    await form.getByLabel('Window 1', { exact: true }).selectOption('today');
    await form.getByLabel('Minimum spend', { exact: true }).fill('20');
    await form.getByLabel('Action', { exact: true }).selectOption('flag');
    await form.getByRole('button', { name: 'Preview', exact: true }).click();
    await form
      .getByText(/would|not enough data|within/i)
      .first()
      .waitFor({ timeout: 60_000 });
    await parkPointer(options);
    await form.screenshot({ path: out('rules.png'), animations: 'disabled', caret: 'hide' });
    console.log(`Wrote ${path.relative(process.cwd(), out('rules.png'))}`);
    await options.close();

    // The campaign list with the overlay.
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize(PAGE_VIEWPORT);
    await page.goto(sandbox.campaignPageUrl(sandbox.advertiserIds[0] ?? ''));
    await page
      .getByRole('button', { name: /^Pause campaign / })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.locator('ks-virtual-table [slot="footer-stat_cost"]').filter({ hasText: /\d/ }).waitFor();
    // The page's own announcement covers the table shortly after the rows arrive; dismiss it as a person would.
    const gotIt = page.getByRole('button', { name: 'Got it' });
    await gotIt.waitFor({ timeout: 10_000 }).catch(() => undefined);
    if (await gotIt.isVisible().catch(() => false)) await gotIt.click();
    await page.locator('.vi-dialog-mask').waitFor({ state: 'detached' });
    await page
      .getByRole('button', { name: /^Resume campaign / })
      .first()
      .waitFor();
    await parkPointer(page);
    await save(page, 'overlay.png');

    // The confirm prompt for one delivering campaign.
    const target = await firstPauseControl(page);
    await target.button.click();
    const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
    await prompt.getByRole('dialog', { name: 'Pause campaign?' }).waitFor();
    await prompt.getByText('Spend today').waitFor();
    await page.waitForTimeout(300);
    await save(page, 'confirm.png');

    // Confirm, and wait until the row's chip shows the verified state.
    await prompt.getByRole('button', { name: 'Pause campaign' }).click();
    const chip = page.locator(`safepause-overlay .sp-control[data-object-id="${target.id}"] .sp-chip`);
    await chip.filter({ hasText: /^(Paused|Spend stopped)$/ }).waitFor({ timeout: 60_000 });
    await chip
      .filter({ hasText: /^Spend stopped$/ })
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    await parkPointer(page);
    await save(page, 'paused.png');

    // Popup: the toolbar popup's page at a popup's size, with the pause just made.
    const popup = await context.newPage();
    await popup.setViewportSize(POPUP_VIEWPORT);
    await popup.goto(extensionUrl(extensionId, 'popup.html'));
    await popup.getByRole('heading', { name: 'SafePause' }).waitFor();
    await popup.getByText('Budget kept').first().waitFor();
    await parkPointer(popup);
    await save(popup, 'popup.png');

    // History page.
    const history = await context.newPage();
    await history.setViewportSize({ width: 1280, height: 520 });
    await history.goto(extensionUrl(extensionId, 'history.html'));
    await history.getByRole('table').waitFor();
    await parkPointer(history);
    await save(history, 'history.png');
    await history.close();

    // Emergency stop's confirmation for the second advertiser.
    await popup.setViewportSize({ width: 420, height: 720 });
    await popup.getByRole('combobox', { name: 'Advertiser' }).selectOption(sandbox.advertiserIds[1] ?? '');
    await popup.getByRole('button', { name: 'Stop all spend' }).click();
    const dialog = popup.getByRole('dialog', { name: /^Stop all spend of / });
    await dialog.getByRole('textbox').waitFor({ timeout: 30_000 });
    await dialog.getByRole('textbox').fill('Harbor');
    await parkPointer(popup);
    await save(popup, 'emergency.png');
    await popup.close();
  } finally {
    await context.close().catch(() => undefined);
    await sandbox.close().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
