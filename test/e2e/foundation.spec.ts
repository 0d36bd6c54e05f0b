import { expect, test } from './support/fixtures';

test('content script and page bridge run on the sandbox campaign page', async ({ context, sandbox }) => {
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(sandbox.advertiserIds[0] ?? ''));
  await expect(page.locator('html')).toHaveAttribute('data-safepause-bridge', 'ready');
  await expect(page.locator('html')).toHaveAttribute('data-safepause-content', 'ready');
});

test('neither script runs on a page outside Ads Manager lists', async ({ context, sandbox }) => {
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/`);
  await expect(page.getByRole('link').first()).toBeVisible();
  // Give document_idle scripts every chance to run before checking that they did not.
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300))));
  await expect(page.locator('html')).not.toHaveAttribute('data-safepause-bridge', /.*/);
  await expect(page.locator('html')).not.toHaveAttribute('data-safepause-content', /.*/);
});

test('the popup and options pages open', async ({ context, extensionId }) => {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.getByRole('heading', { name: 'SafePause' })).toBeVisible();
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.getByRole('heading', { name: 'SafePause settings' })).toBeVisible();
  await expect(options.getByLabel('Environment')).toBeVisible();
});

test('the options page connects to the sandbox and shows the account', async ({ context, extensionId, sandbox }) => {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await options.getByLabel('Environment').selectOption('custom');
  await options.getByLabel('API base URL').fill(sandbox.url);
  await options.getByLabel('Access token').fill('not-a-real-token');
  await options.getByLabel('Advertiser IDs').fill(sandbox.advertiserIds.join('\n'));
  await options.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByRole('alert')).toContainText('40105');
  await options.getByLabel('Access token').fill(sandbox.token);
  await options.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByRole('status')).toContainText('Connected');
  const requests = await sandbox.requests('user/info');
  expect(requests.length).toBeGreaterThanOrEqual(2);
});
