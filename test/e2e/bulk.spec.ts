import type { Page } from '@playwright/test';
import type { RunningSandbox } from '../../sandbox/server';
import { expect, test } from './support/fixtures';
import { control, dismissAnnouncement, type PageRow, pageRows, visibleRowTruth } from './support/sandbox-control';

interface StatusUpdate {
  body: { campaign_ids?: string[]; operation_status?: string };
  code: number | null;
}

async function statusUpdates(sandbox: RunningSandbox) {
  return (await sandbox.requests('campaign/status/update')) as StatusUpdate[];
}

/** Turns on the first `count` campaigns the page lists (as a person would), so each of them can be paused. */
async function firstRowsOn(sandbox: RunningSandbox, advertiserId: string, count: number): Promise<PageRow[]> {
  const rows = (await pageRows(sandbox, advertiserId)).slice(0, count);
  for (const row of rows.filter((r) => !r.on)) {
    await control(sandbox, 'POST', 'objects/status', { level: 'campaign', id: row.id, operation_status: 'ENABLE' });
  }
  return pageRows(sandbox, advertiserId);
}

/** The rows on screen, top to bottom (waits out a re-render that briefly shows none). */
async function onScreen(page: Page) {
  let rows: Awaited<ReturnType<typeof visibleRowTruth>> = [];
  await expect
    .poll(async () => {
      await dismissAnnouncement(page);
      rows = await visibleRowTruth(page);
      return rows.length;
    })
    .toBeGreaterThan(3);
  return rows.sort((a, b) => a.y - b.y);
}

/** The overlay checkbox on the row whose page props say it shows `id`: found by position, not by our attributes. */
async function checkboxOnRowOf(page: Page, id: string) {
  const row = (await visibleRowTruth(page)).find((r) => r.id === id);
  if (!row) throw new Error(`row ${id} is not visible`);
  const boxes = page.getByRole('checkbox', { name: `Select campaign ${row.name}`, exact: true });
  const count = await boxes.count();
  for (let i = 0; i < count; i += 1) {
    const box = await boxes.nth(i).boundingBox();
    if (box && Math.abs(box.y + box.height / 2 - row.y) < 20) return boxes.nth(i);
  }
  throw new Error(`no checkbox on the row of ${id}`);
}

/** Scrolls the table with the mouse wheel, a few rows at a time, until `id` is on screen with its checkbox. */
async function scrollUntilVisible(page: Page, id: string) {
  await page.locator('ks-virtual-table').hover();
  for (let step = 0; step < 80; step += 1) {
    const truth = await onScreen(page);
    // Every row on screen has its checkbox before the next step: the overlay saw each row in between.
    const last = truth[truth.length - 1];
    if (last)
      await expect.poll(async () => (await checkboxOnRowOf(page, last.id).catch(() => null)) !== null).toBe(true);
    if (truth.some((r) => r.id === id)) return;
    // A few rows at a time; again if the page's announcement swallowed the wheel.
    await expect(async () => {
      await dismissAnnouncement(page);
      await page.locator('ks-virtual-table').hover();
      await page.mouse.wheel(0, 144);
      await expect.poll(async () => (await onScreen(page))[0]?.id, { timeout: 2000 }).not.toBe(truth[0]?.id);
    }).toPass();
  }
  throw new Error(`row ${id} never came into view`);
}

async function openCampaigns(page: Page, sandbox: RunningSandbox, advertiserId: string) {
  // The page's announcement comes back now and then over the table: dismiss it whenever it is in the way.
  await page.addLocatorHandler(page.locator('.vi-dialog--announcement'), () => dismissAnnouncement(page));
  await page.goto(sandbox.campaignPageUrl(advertiserId));
  await expect(page.getByRole('checkbox', { name: /^Select campaign / }).first()).toBeVisible({ timeout: 30_000 });
  await dismissAnnouncement(page);
}

function chipOf(page: Page, id: string) {
  return page.locator(`safepause-overlay .sp-control[data-object-id="${id}"] .sp-chip`);
}

test.beforeEach(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 300, processingDelayMs: 500, reportLatencyMinutes: 0 });
});

test('45 campaigns selected across a scroll are paused through one prompt in 3 batched updates', async ({
  context,
  sandbox,
  connect,
}) => {
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const rows = await firstRowsOn(sandbox, advertiserId, 80);
  const page = await context.newPage();
  await openCampaigns(page, sandbox, advertiserId);

  const topId = (await onScreen(page))[0]?.id;
  const start = rows.findIndex((r) => r.id === topId);
  expect(start).toBeGreaterThanOrEqual(0);
  const range = rows.slice(start, start + 40);
  const singles = rows.slice(start + 41, start + 46);
  const expected = [...range, ...singles].map((r) => r.id);
  expect(expected).toHaveLength(45);
  expect(rows.filter((r) => expected.includes(r.id)).every((r) => r.on)).toBe(true);

  // One click, a scroll with the wheel, a shift-click: the range covers rows that scrolled out of view.
  await (await checkboxOnRowOf(page, range[0]?.id ?? '')).click();
  await expect(page.getByRole('status').filter({ hasText: /^1 selected$/ })).toBeVisible();
  const last = range[range.length - 1]?.id ?? '';
  await scrollUntilVisible(page, last);
  await (await checkboxOnRowOf(page, last)).click({ modifiers: ['Shift'] });
  await expect(page.getByRole('status').filter({ hasText: /^40 selected$/ })).toBeVisible();
  expect(await visibleRowTruth(page)).not.toContainEqual(expect.objectContaining({ id: range[0]?.id }));

  // More rows further down, one by one (skipping one).
  for (const row of singles) {
    await scrollUntilVisible(page, row.id);
    await (await checkboxOnRowOf(page, row.id)).click();
  }
  await expect(page.getByRole('status').filter({ hasText: /^45 selected$/ })).toBeVisible();
  expect(await statusUpdates(sandbox)).toHaveLength(0);

  await page.getByRole('button', { name: 'Pause 45 selected', exact: true }).click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  const dialog = prompt.getByRole('dialog', { name: 'Pause 45 campaigns?' });
  await expect(dialog).toBeVisible();
  for (const id of [expected[0], expected[20], expected[44]]) await expect(dialog).toContainText(id ?? '');
  await expect(dialog).toContainText('Total spend today');
  await expect(dialog).toContainText('stop with it');
  expect(await statusUpdates(sandbox)).toHaveLength(0);
  await prompt.getByRole('button', { name: 'Pause 45 campaigns', exact: true }).click();
  await expect(page.locator('iframe[title="SafePause confirmation"]')).toHaveCount(0);

  await expect
    .poll(async () => (await pageRows(sandbox, advertiserId)).filter((r) => expected.includes(r.id) && !r.on).length, {
      timeout: 60_000,
    })
    .toBe(45);
  const updates = await statusUpdates(sandbox);
  expect(updates.map((u) => u.body.campaign_ids?.length).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([5, 20, 20]);
  expect(updates.every((u) => u.code === 0 && u.body.operation_status === 'DISABLE')).toBe(true);
  expect(updates.flatMap((u) => u.body.campaign_ids ?? []).sort()).toEqual([...expected].sort());
  const after = await pageRows(sandbox, advertiserId);
  expect(after.filter((r) => !r.on && !expected.includes(r.id) && rows.find((x) => x.id === r.id)?.on)).toEqual([]);

  // The rows on screen show it; the selection was cleared.
  for (const row of singles.slice(-3)) {
    await expect(chipOf(page, row.id)).toHaveText(/Paused|Spend stopped/, { timeout: 30_000 });
  }
  await expect(page.getByRole('status').filter({ hasText: /selected$/ })).toHaveCount(0);
});

test('a selected campaign that TikTok no longer knows fails alone with its code; the rest of its batch is paused', async ({
  context,
  sandbox,
  connect,
}) => {
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const rows = await firstRowsOn(sandbox, advertiserId, 20);
  const page = await context.newPage();
  await openCampaigns(page, sandbox, advertiserId);

  const truth = await onScreen(page);
  const chosen = truth.slice(0, 5).map((t) => t.id);
  expect(chosen.every((id) => rows.find((r) => r.id === id)?.on)).toBe(true);
  await (await checkboxOnRowOf(page, chosen[0] ?? '')).click();
  await (await checkboxOnRowOf(page, chosen[4] ?? '')).click({ modifiers: ['Shift'] });
  await page.getByRole('button', { name: 'Pause 5 selected', exact: true }).click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  const bad = chosen[2] ?? '';
  await expect(prompt.getByRole('dialog', { name: 'Pause 5 campaigns?' })).toContainText(bad);

  // Between the prompt and the click, the campaign goes away on TikTok's side.
  await control(sandbox, 'POST', 'faults', [
    {
      path: 'campaign/status/update',
      kind: 'code',
      ids: [bad],
      times: 10,
      code: 40002,
      message: `Campaign ${bad} does not exist.`,
    },
  ]);
  await prompt.getByRole('button', { name: 'Pause 5 campaigns', exact: true }).click();

  await expect(chipOf(page, bad)).toHaveText('Failed', { timeout: 30_000 });
  await expect(chipOf(page, bad)).toHaveAttribute('title', /40002/);
  const good = chosen.filter((id) => id !== bad);
  for (const id of good) await expect(chipOf(page, id)).toHaveText(/Paused|Spend stopped/, { timeout: 30_000 });
  const after = await pageRows(sandbox, advertiserId);
  expect(good.map((id) => after.find((r) => r.id === id)?.on)).toEqual([false, false, false, false]);
  expect(after.find((r) => r.id === bad)?.on).toBe(true);
  const updates = await statusUpdates(sandbox);
  const sent = updates.filter((u) => u.code === 0).flatMap((u) => u.body.campaign_ids ?? []);
  expect(sent.sort()).toEqual([...good].sort());
});
