import type { BrowserContext } from '@playwright/test';

export interface SandboxAccount {
  apiBaseUrl: string;
  token: string;
  advertiserIds: string[];
}

/**
 * Connects the extension to an API the way a person does: the options page's Account section.
 * Used by `npm start` and by the end-to-end tests, so both go through the real settings path.
 */
export async function connectThroughOptions(
  context: BrowserContext,
  extensionId: string,
  account: SandboxAccount,
  persistence: 'session' | 'device' = 'session',
  safety: { reportLatencyMinutes?: number; verifyDeadlineMinutes?: number } = {},
): Promise<void> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.getByLabel('Environment').selectOption('custom');
  await page.getByLabel('API base URL').fill(account.apiBaseUrl);
  await page.getByLabel('Access token').fill(account.token);
  await page
    .getByRole('radio', {
      name: persistence === 'session' ? /Only for this browser session/ : /Remember on this device/,
    })
    .check();
  await page.getByLabel('Advertiser IDs').fill(account.advertiserIds.join('\n'));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /^Saved\.$/ })
    .waitFor();
  if (safety.reportLatencyMinutes !== undefined || safety.verifyDeadlineMinutes !== undefined) {
    if (safety.reportLatencyMinutes !== undefined) {
      await page.getByLabel('Report delay window (minutes)').fill(String(safety.reportLatencyMinutes));
    }
    if (safety.verifyDeadlineMinutes !== undefined) {
      await page.getByLabel('Verification deadline (minutes)').fill(String(safety.verifyDeadlineMinutes));
    }
    await page.getByRole('button', { name: 'Save safety settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Safety settings saved.' }).waitFor();
  }
  await page.close();
}
