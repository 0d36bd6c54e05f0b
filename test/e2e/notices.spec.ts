import { expect, test } from './support/fixtures';
import { control, dismissAnnouncement } from './support/sandbox-control';

test('without an account the page says why there are no controls', async ({ context, sandbox }) => {
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(sandbox.advertiserIds[0] ?? ''));
  await dismissAnnouncement(page);
  await expect(page.getByRole('alert')).toContainText('SafePause is not connected', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: /^Pause campaign / })).toHaveCount(0);
});

test('an advertiser that is not connected gets no controls and a notice naming it', async ({
  context,
  sandbox,
  extensionId,
}) => {
  const [first, second] = sandbox.advertiserIds;
  if (!first || !second) throw new Error('the sandbox has two advertisers');
  const { connectThroughOptions } = await import('../../scripts/connect-extension');
  await connectThroughOptions(context, extensionId, {
    apiBaseUrl: sandbox.url,
    token: sandbox.token,
    advertiserIds: [first],
  });
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(second));
  await dismissAnnouncement(page);
  await expect(page.getByRole('alert')).toContainText(`Advertiser ${second} is not connected`, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: /^Pause campaign / })).toHaveCount(0);
  // The same tab, moved to the connected advertiser by the page's own navigation, gets controls.
  await page.goto(sandbox.campaignPageUrl(first));
  await expect(page.getByRole('button', { name: /^(Pause|Resume) campaign / }).first()).toBeVisible({
    timeout: 30_000,
  });
});

test('a route change inside the page rebuilds the rows for the new level', async ({ context, sandbox, connect }) => {
  await connect();
  const page = await context.newPage();
  // The page's announcement comes and goes; SafePause draws no control under it, so dismiss it whenever it shows.
  await page.addLocatorHandler(page.locator('.vi-dialog--announcement'), () => dismissAnnouncement(page));
  await page.goto(sandbox.campaignPageUrl(sandbox.advertiserIds[0] ?? ''));
  await expect(page.getByRole('button', { name: /^(Pause|Resume) campaign / }).first()).toBeVisible({
    timeout: 30_000,
  });
  await dismissAnnouncement(page);
  await page.getByRole('tab', { name: 'Ad groups' }).click();
  await expect(page).toHaveURL(/\/i18n\/manage\/adgroup\?/);
  await expect(page.getByRole('button', { name: /^(Pause|Resume) ad group / }).first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('button', { name: /^(Pause|Resume) campaign / })).toHaveCount(0);
});

test("the page's own announcement is never covered: controls step aside while it is open and come back after", async ({
  context,
  sandbox,
  connect,
}) => {
  await connect();
  await control(sandbox, 'POST', 'config', { announcements: true });
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(sandbox.advertiserIds[0] ?? ''));
  const gotIt = page.getByRole('button', { name: 'Got it' });
  await expect(gotIt).toBeVisible({ timeout: 30_000 });
  // Rows are identified behind the announcement, but no control is drawn over it.
  await expect(page.getByRole('button', { name: /^(Pause|Resume) campaign / })).toHaveCount(0);
  await page.waitForTimeout(1500);
  await expect(page.getByRole('button', { name: /^(Pause|Resume) campaign / })).toHaveCount(0);
  // A real mouse click at the button's position reaches the page's button (Playwright checks the hit target).
  await gotIt.click({ timeout: 5000 });
  await expect(gotIt).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Pause|Resume) campaign / }).first()).toBeVisible({
    timeout: 30_000,
  });
});
