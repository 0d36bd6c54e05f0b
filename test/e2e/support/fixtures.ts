import { type BrowserContext, test as base, expect } from '@playwright/test';
import { type RunningSandbox, startSandbox } from '../../../sandbox/server';
import { connectThroughOptions } from '../../../scripts/connect-extension';
import { launchWithExtension } from './extension';
import { control } from './sandbox-control';

export interface Fixtures {
  /** A fresh browser profile with the built sandbox extension loaded. */
  context: BrowserContext;
  extensionId: string;
  /** Connects the extension to the sandbox through the options page (as a person would). */
  connect: (
    persistence?: 'session' | 'device',
    safety?: { reportLatencyMinutes?: number; verifyDeadlineMinutes?: number },
  ) => Promise<void>;
}

export interface WorkerFixtures {
  sandbox: RunningSandbox;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  sandbox: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      // The page's announcement pop-up is off here: SafePause draws no control under it, which would make tests that
      // look for a control at a given moment race against it. notices.spec.ts turns it on to prove that behaviour.
      const sandbox = await startSandbox({ port: 0, seed: 1, campaigns: 1000, announcements: false });
      await use(sandbox);
      await sandbox.close();
    },
    { scope: 'worker' },
  ],
  context: async ({ sandbox }, use) => {
    await control(sandbox, 'POST', 'config', { announcements: false });
    const launched = await launchWithExtension();
    await use(launched.context);
    await launched.context.close();
  },
  extensionId: async ({ context }, use) => {
    let worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    worker ??= await context.waitForEvent('serviceworker');
    await use(new URL(worker.url()).host);
  },
  connect: async ({ context, extensionId, sandbox }, use) => {
    await use((persistence = 'session', safety = {}) =>
      connectThroughOptions(
        context,
        extensionId,
        { apiBaseUrl: sandbox.url, token: sandbox.token, advertiserIds: sandbox.advertiserIds },
        persistence,
        safety,
      ),
    );
  },
});

export { expect };
