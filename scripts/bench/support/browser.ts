import { type BrowserContext, chromium, type Frame, type Page } from '@playwright/test';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../../sandbox/server';
import { chromiumArgs, findChromium, INSTALL_HINT } from '../../../test/e2e/support/chromium';
import { type LaunchedExtension, launchWithExtension } from '../../../test/e2e/support/extension';
import { connectThroughOptions } from '../../connect-extension';

export type { RunningSandbox };

/**
 * Runs `fn` in the page (or frame) with `arg`. tsx compiles with esbuild's keepNames, which wraps named
 * functions in a `__name(...)` helper that does not exist in the page; the function is sent as source with a
 * local no-op `__name` in scope, so nothing is added to the page's globals.
 */
export async function inPage<A, R>(target: Page | Frame, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  const source = `(async () => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg)}); })()`;
  return (await target.evaluate(source)) as R;
}

export const VIEWPORT = { width: 1440, height: 900 };

/** A fresh profile with the private copy of the sandbox build loaded. */
export async function launchExtension(extensionDir: string): Promise<LaunchedExtension> {
  return launchWithExtension({ extensionDir });
}

/** The same Chromium, flags and window without any extension: the baseline. */
export async function launchPlain(): Promise<BrowserContext> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  return chromium.launchPersistentContext('', {
    headless: true,
    channel: 'chromium',
    executablePath,
    args: chromiumArgs(),
    viewport: VIEWPORT,
  });
}

export async function startBenchSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  return startSandbox({ port: 0, seed: 1, reportLatencyMinutes: 0, ...options });
}

/** Connects the extension to the sandbox through its options page, as a person (and the e2e tests) do. */
export async function connect(launched: LaunchedExtension, sandbox: RunningSandbox): Promise<void> {
  await connectThroughOptions(
    launched.context,
    launched.extensionId,
    { apiBaseUrl: sandbox.url, token: sandbox.token, advertiserIds: sandbox.advertiserIds },
    'session',
    { reportLatencyMinutes: 0 },
  );
}

/**
 * Opens the sandbox campaign list and waits until rows show (and, with the extension, its controls), then
 * waits for the page's "New features" announcement and dismisses it, so it does not pop up mid-measurement
 * (it comes back 45 s after a dismissal).
 */
export async function openTablePage(
  context: BrowserContext,
  sandbox: RunningSandbox,
  withControls: boolean,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(sandbox.advertiserIds[0] ?? ''));
  await page.locator('ks-virtual-table a.KsLink').first().waitFor({ state: 'visible', timeout: 30_000 });
  // SafePause draws no control under the page's own announcement: dismiss it first if it is already up.
  const early = page.getByRole('button', { name: 'Got it' });
  if (await early.isVisible().catch(() => false)) await early.click();
  if (withControls) {
    // Controls appear once rows are identified; an announcement that pops up meanwhile hides them until dismissed.
    const control = page.getByRole('button', { name: /^(Pause|Resume) campaign / }).first();
    const deadline = Date.now() + 30_000;
    while (!(await control.isVisible().catch(() => false))) {
      if (Date.now() > deadline) throw new Error('no SafePause control appeared on the campaign list within 30 s');
      const announcement = page.getByRole('button', { name: 'Got it' });
      if (await announcement.isVisible().catch(() => false)) await announcement.click().catch(() => undefined);
      await page.waitForTimeout(200);
    }
  }
  const gotIt = page.getByRole('button', { name: 'Got it' });
  try {
    await gotIt.waitFor({ state: 'visible', timeout: 5_000 });
    await gotIt.click();
    await gotIt.waitFor({ state: 'hidden', timeout: 5_000 });
  } catch {
    // No announcement this time.
  }
  return page;
}

/** The page's animation frames per second over `ms`, to show in details what the runs were paced by. */
export async function frameRate(page: Page, ms = 1000): Promise<number> {
  return inPage(
    page,
    (duration: number) =>
      new Promise<number>((resolve) => {
        let frames = 0;
        const start = performance.now();
        const tick = () => {
          frames += 1;
          const elapsed = performance.now() - start;
          if (elapsed < duration) requestAnimationFrame(tick);
          else resolve((frames * 1000) / elapsed);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

/** Closes everything it is given, ignoring errors (for finally blocks). */
export async function closeAll(...closers: Array<{ close(): Promise<unknown> } | undefined | null>): Promise<void> {
  for (const c of closers) await c?.close().catch(() => undefined);
}
