import type { Page } from '@playwright/test';
import type { RunningSandbox } from '../../sandbox/server';
import { expect, test } from './support/fixtures';
import { closingPrompt } from './support/pause-flow';
import { control, type PageRow, pageRows, visibleRowTruth } from './support/sandbox-control';
import { checkboxOnRowOf, onScreen, openList, scrollUntilVisible, selectedCount } from './support/selection';

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
  await openList(page, sandbox, advertiserId);

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
  await expect(selectedCount(page, 1)).toBeVisible();
  const last = range[range.length - 1]?.id ?? '';
  await scrollUntilVisible(page, last);
  await (await checkboxOnRowOf(page, last)).click({ modifiers: ['Shift'] });
  await expect(selectedCount(page, 40)).toBeVisible();
  expect(await visibleRowTruth(page)).not.toContainEqual(expect.objectContaining({ id: range[0]?.id }));

  // More rows further down, one by one (skipping one).
  for (const row of singles) {
    await scrollUntilVisible(page, row.id);
    await (await checkboxOnRowOf(page, row.id)).click();
  }
  await expect(selectedCount(page, 45)).toBeVisible();
  expect(await statusUpdates(sandbox)).toHaveLength(0);

  await page.getByRole('button', { name: 'Pause 45 selected', exact: true }).click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  const dialog = prompt.getByRole('dialog', { name: 'Pause 45 campaigns?' });
  await expect(dialog).toBeVisible();
  for (const id of [expected[0], expected[20], expected[44]]) await expect(dialog).toContainText(id ?? '');
  await expect(dialog).toContainText('Total spend today');
  await expect(dialog).toContainText('stop with it');
  expect(await statusUpdates(sandbox)).toHaveLength(0);
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Pause 45 campaigns', exact: true }).click());

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
  await openList(page, sandbox, advertiserId);

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
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Pause 5 campaigns', exact: true }).click());

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

test('a mixed selection offers Pause and Resume; Resume sends ENABLE for the off ones only, skips what changed and keeps the rest selected', async ({
  context,
  sandbox,
  connect,
}) => {
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  await firstRowsOn(sandbox, advertiserId, 20);
  const page = await context.newPage();
  await openList(page, sandbox, advertiserId);
  const top = (await onScreen(page)).slice(0, 6);
  const chosen = top.map((t) => t.id);
  const off = [chosen[1] ?? '', chosen[3] ?? '', chosen[4] ?? ''];
  for (const id of off) {
    await control(sandbox, 'POST', 'objects/status', { level: 'campaign', id, operation_status: 'DISABLE' });
  }
  // A list opened again reads TikTok afresh, unless its last read is under 2 s old (the worker's floor).
  await page.waitForTimeout(2_500);
  await page.reload();
  await openList(page, sandbox, advertiserId);
  for (const row of top.filter((t) => off.includes(t.id))) {
    await expect(page.getByRole('button', { name: `Resume campaign ${row.name}`, exact: true })).toBeVisible();
  }

  await (await checkboxOnRowOf(page, chosen[0] ?? '')).click();
  await (await checkboxOnRowOf(page, chosen[5] ?? '')).click({ modifiers: ['Shift'] });
  await expect(selectedCount(page, 6)).toBeVisible();
  const pauseButton = page.getByRole('button', { name: 'Pause 3 selected', exact: true });
  const resumeButton = page.getByRole('button', { name: 'Resume 3 selected', exact: true });
  await expect(pauseButton).toBeVisible();
  await expect(resumeButton).toBeVisible();

  // Someone turns one of them on in TikTok before the prompt opens: the prompt reads TikTok and skips it.
  const changed = off[2] ?? '';
  await control(sandbox, 'POST', 'objects/status', { level: 'campaign', id: changed, operation_status: 'ENABLE' });
  await resumeButton.focus();
  await page.keyboard.press('Enter');
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  const dialog = prompt.getByRole('dialog', { name: 'Resume 3 campaigns?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('2 to resume');
  await expect(dialog).toContainText('1 skipped');
  await expect(dialog).toContainText('Already on: nothing to send.');
  for (const id of off) await expect(dialog).toContainText(id);
  expect(await statusUpdates(sandbox)).toHaveLength(0);
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Resume 2 campaigns', exact: true }).click());

  await expect
    .poll(async () => (await statusUpdates(sandbox)).filter((u) => u.code === 0).length, { timeout: 30_000 })
    .toBe(1);
  const [update] = await statusUpdates(sandbox);
  expect(update?.body.operation_status).toBe('ENABLE');
  expect([...(update?.body.campaign_ids ?? [])].sort()).toEqual([off[0], off[1]].sort());
  for (const id of [off[0] ?? '', off[1] ?? '']) {
    await expect(chipOf(page, id)).toHaveText('Resumed', { timeout: 30_000 });
  }
  // What the prompt did not cover (the three that are on) stays selected, ready for its own action.
  await expect(selectedCount(page, 3)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause 3 selected', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Resume \d+ selected$/ })).toHaveCount(0);
  const after = await pageRows(sandbox, advertiserId);
  expect(chosen.filter((id) => !off.includes(id)).every((id) => after.find((r) => r.id === id)?.on)).toBe(true);
});
