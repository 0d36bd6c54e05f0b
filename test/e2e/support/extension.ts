import path from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from '@playwright/test';
import { chromiumArgs, findChromium, INSTALL_HINT } from './chromium';

export const SANDBOX_EXTENSION_DIR = path.resolve(process.env.SAFEPAUSE_OUTPUT_DIR ?? '.output', 'chrome-mv3-sandbox');

export interface LaunchedExtension {
  context: BrowserContext;
  extensionId: string;
  serviceWorker(): Promise<Worker>;
}

export async function launchWithExtension(
  options: {
    headless?: boolean;
    userDataDir?: string;
    /** The unpacked extension to load (default: the sandbox build in .output). */
    extensionDir?: string;
  } = {},
) {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  const context = await chromium.launchPersistentContext(options.userDataDir ?? '', {
    headless: options.headless ?? true,
    channel: 'chromium',
    executablePath,
    args: chromiumArgs(options.extensionDir ?? SANDBOX_EXTENSION_DIR),
    viewport: { width: 1440, height: 900 },
  });
  const serviceWorker = async (): Promise<Worker> => {
    const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    if (existing) return existing;
    return context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith('chrome-extension://') });
  };
  const worker = await serviceWorker();
  const extensionId = new URL(worker.url()).host;
  return { context, extensionId, serviceWorker } satisfies LaunchedExtension;
}

export function extensionUrl(extensionId: string, page: string): string {
  return `chrome-extension://${extensionId}/${page}`;
}

/** Stops every service worker of the profile through CDP, as Chrome does after 30 s idle. */
export async function stopServiceWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}
