// Writes docs/screenshots/sandbox-campaigns.png: the sandbox's Ads Manager page with 1,000 campaigns.
// Run with `npx tsx scripts/screenshot-sandbox.ts`.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startSandbox } from '../sandbox/server.ts';

const OUTPUT = path.resolve('docs/screenshots/sandbox-campaigns.png');

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: 0, campaigns: 1000 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const advertiserId = sandbox.advertiserIds[0] ?? '';
    const query = new URLSearchParams({ aadvid: advertiserId, st: '2025-03-01', et: '2025-03-07', sp_fast: '1' });
    await page.goto(`${sandbox.url}/i18n/manage/campaign?${query}`);
    await page.locator('ks-virtual-table a.KsLink--inherit').first().waitFor();
    await page.locator('ks-virtual-table [slot="footer-stat_cost"]').filter({ hasText: /\d/ }).waitFor();
    // The announcement covers the table shortly after the rows arrive; dismiss it as a person would.
    await page.getByRole('button', { name: 'Got it' }).click();
    await page.locator('.vi-dialog-mask').waitFor({ state: 'detached' });
    await page.mouse.move(1430, 890);
    await page.waitForTimeout(300);
    await mkdir(path.dirname(OUTPUT), { recursive: true });
    await page.screenshot({ path: OUTPUT });
    console.log(`Wrote ${path.relative(process.cwd(), OUTPUT)}`);
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
