import { expect, test } from './support/fixtures';
import { closingPrompt } from './support/pause-flow';
import { control, dismissAnnouncement, pageRows, visibleRowTruth } from './support/sandbox-control';

test.beforeEach(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', { seed: 2, campaigns: 300, processingDelayMs: 500, reportLatencyMinutes: 0 });
});

test('a pause can be undone from the row: Resume asks first, sends ENABLE, and the popup keeps the record', async ({
  context,
  sandbox,
  connect,
  extensionId,
}) => {
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(advertiserId));
  await expect(page.getByRole('button', { name: /^Pause campaign / }).first()).toBeVisible({ timeout: 30_000 });
  await dismissAnnouncement(page);
  const rows = await pageRows(sandbox, advertiserId);
  const target = (await visibleRowTruth(page)).find((v) => {
    const row = rows.find((r) => r.id === v.id);
    return row?.on && rows.filter((r) => r.name === row.name).length === 1;
  });
  if (!target) throw new Error('no uniquely named delivering campaign visible');

  await page.getByRole('button', { name: `Pause campaign ${target.name}`, exact: true }).click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Pause campaign' }).click());
  const resume = page.getByRole('button', { name: `Resume campaign ${target.name}`, exact: true });
  await expect(resume).toBeVisible({ timeout: 30_000 });

  await resume.click();
  await expect(prompt.getByRole('dialog', { name: 'Resume campaign?' })).toBeVisible();
  await expect(prompt.getByRole('dialog')).toContainText('starts delivery again');
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Resume campaign' }).click());
  await expect(page.getByRole('button', { name: `Pause campaign ${target.name}`, exact: true })).toBeVisible({
    timeout: 30_000,
  });

  const updates = (await sandbox.requests('campaign/status/update')) as {
    body: { campaign_ids: string[]; operation_status: string };
  }[];
  expect(updates.map((u) => [u.body.campaign_ids, u.body.operation_status])).toEqual([
    [[target.id], 'DISABLE'],
    [[target.id], 'ENABLE'],
  ]);
  await expect.poll(async () => (await pageRows(sandbox, advertiserId)).find((r) => r.id === target.id)?.on).toBe(true);

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const paused = popup.getByRole('region', { name: /Paused/ });
  await expect(paused.getByText(target.name, { exact: true }).first()).toBeVisible();
  await expect(paused).toContainText('Undone');
  await expect(paused).toContainText('Resumed');
});

test('someone turns a paused campaign back on elsewhere: the row offers Pause again and says it changed', async ({
  context,
  sandbox,
  connect,
}) => {
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(advertiserId));
  await expect(page.getByRole('button', { name: /^Pause campaign / }).first()).toBeVisible({ timeout: 30_000 });
  await dismissAnnouncement(page);
  const rows = await pageRows(sandbox, advertiserId);
  const target = (await visibleRowTruth(page)).find((v) => {
    const row = rows.find((r) => r.id === v.id);
    return row?.on && rows.filter((r) => r.name === row.name).length === 1;
  });
  if (!target) throw new Error('no uniquely named delivering campaign visible');

  await page.getByRole('button', { name: `Pause campaign ${target.name}`, exact: true }).click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Pause campaign' }).click());
  await expect(page.getByRole('button', { name: `Resume campaign ${target.name}`, exact: true })).toBeVisible({
    timeout: 30_000,
  });

  // A person turns it back on in Ads Manager, outside SafePause.
  await control(sandbox, 'POST', 'objects/status', { level: 'campaign', id: target.id, operation_status: 'ENABLE' });
  await page.waitForTimeout(2_500); // past the floor below which a fresh read reuses the last one
  await page.reload();
  await expect(page.getByRole('button', { name: `Pause campaign ${target.name}`, exact: true })).toBeVisible({
    timeout: 30_000,
  });
  const chip = page.locator(`safepause-overlay .sp-control[data-object-id="${target.id}"] .sp-chip`);
  await expect(chip).toContainText('Changed elsewhere');
  const updates = (await sandbox.requests('campaign/status/update')) as { body: { operation_status: string } }[];
  expect(updates.map((u) => u.body.operation_status)).toEqual(['DISABLE']);
});
