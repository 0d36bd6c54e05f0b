import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { formatMoney, minorToDecimal, parseCsv } from '../../lib/ledger';
import type { LoggedRequest } from '../../sandbox/api/request-log';
import type { RunningSandbox } from '../../sandbox/server';
import { expect, test } from './support/fixtures';
import { closingPrompt, statusUpdates } from './support/pause-flow';
import { control, pageRows, visibleRowTruth } from './support/sandbox-control';

// The popup's numbers against the sandbox's own record of spend. The sandbox clock runs at 60x so a campaign spends
// visibly between the click and the moment TikTok applies the pause; reports have no delay here, so the figures can
// be checked to the cent.

interface Truth {
  lifetime_minor: number;
  today_minor: number;
}

async function truth(sandbox: RunningSandbox, id: string, at?: string): Promise<Truth> {
  return control<Truth>(sandbox, 'GET', `spend?level=campaign&id=${id}${at ? `&at=${encodeURIComponent(at)}` : ''}`);
}

/** The lifetime report read the prompt made for `id` (the spend "at the click") and TikTok answered: its simulated time. */
async function clickReadOf(sandbox: RunningSandbox, id: string): Promise<LoggedRequest> {
  const reads = (await sandbox.requests('report/integrated/get')).filter(
    (r) => r.code === 0 && r.query.query_lifetime === 'true' && (r.query.filtering ?? '').includes(id),
  );
  const first = reads[0];
  if (!first) throw new Error(`no lifetime spend read for ${id}`);
  return first;
}

test.beforeEach(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', {
    seed: 3,
    campaigns: 200,
    processingDelayMs: 1500,
    reportLatencyMinutes: 0,
    clockSpeed: 60,
  });
});

test.afterAll(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 1000, secondAdvertiserCampaigns: 40 });
});

async function twoDeliveringCampaigns(page: Page, sandbox: RunningSandbox, advertiserId: string) {
  await page.goto(sandbox.campaignPageUrl(advertiserId));
  await expect(page.getByRole('button', { name: /^Pause campaign / }).first()).toBeVisible({ timeout: 30_000 });
  const rows = await pageRows(sandbox, advertiserId);
  const state = await control<{ objects: { id: string; spend_today_minor: number; secondary_status: string }[] }>(
    sandbox,
    'GET',
    `state?level=campaign&advertiser_id=${advertiserId}`,
  );
  const spending = new Set(
    state.objects
      .filter((o) => o.secondary_status === 'CAMPAIGN_STATUS_ENABLE' && o.spend_today_minor > 0)
      .map((o) => o.id),
  );
  const visible = (await visibleRowTruth(page)).filter((v) => {
    const row = rows.find((r) => r.id === v.id);
    return row?.on && spending.has(v.id) && rows.filter((r) => r.name === row.name).length === 1;
  });
  if (visible.length < 2) throw new Error('fewer than two uniquely named spending campaigns in view');
  return [visible[0], visible[1]] as [(typeof visible)[0], (typeof visible)[0]];
}

async function pauseFromRow(page: Page, name: string) {
  await page.getByRole('button', { name: `Pause campaign ${name}`, exact: true }).click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  await expect(prompt.getByRole('dialog', { name: 'Pause campaign?' })).toBeVisible();
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Pause campaign', exact: true }).click());
}

test('two pauses (daily and total budget): the popup shows leaked spend and budget kept to the cent, and the CSV export carries them with request IDs and no token', async ({
  context,
  sandbox,
  connect,
  extensionId,
}) => {
  test.setTimeout(180_000);
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const page = await context.newPage();
  const [daily, total] = await twoDeliveringCampaigns(page, sandbox, advertiserId);
  const now = await truth(sandbox, total.id);
  const totalBudget = now.lifetime_minor + 250_000;
  await control(sandbox, 'POST', 'objects/budget', {
    level: 'campaign',
    id: daily.id,
    budget_mode: 'BUDGET_MODE_DAY',
    budget_minor: 500_000,
  });
  await control(sandbox, 'POST', 'objects/budget', {
    level: 'campaign',
    id: total.id,
    budget_mode: 'BUDGET_MODE_TOTAL',
    budget_minor: totalBudget,
  });

  await pauseFromRow(page, daily.name);
  await pauseFromRow(page, total.name);

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const paused = popup.getByRole('region', { name: /^Paused/ });
  const itemOf = (name: string) => paused.getByRole('listitem').filter({ hasText: name });
  for (const c of [daily, total]) {
    await expect(itemOf(c.name)).toContainText('Spend stopped', { timeout: 90_000 });
    await expect(itemOf(c.name)).not.toContainText('so far');
  }

  const expected = new Map<string, { leaked: number; kept: number }>();
  for (const [c, budget, mode] of [
    [daily, 500_000, 'day'],
    [total, totalBudget, 'total'],
  ] as const) {
    const atClick = await truth(sandbox, c.id, (await clickReadOf(sandbox, c.id)).simTime);
    const after = await truth(sandbox, c.id);
    const leaked = after.lifetime_minor - atClick.lifetime_minor;
    const remaining = budget - (mode === 'day' ? atClick.today_minor : atClick.lifetime_minor);
    expected.set(c.id, { leaked, kept: remaining - leaked });
    await expect(itemOf(c.name)).toContainText(`Leaked${formatMoney(leaked, 'USD')}`);
    await expect(itemOf(c.name)).toContainText(`Budget kept${formatMoney(remaining - leaked, 'USD')}`);
  }
  // Spend really went on after the click for at least one of them (the numbers are not trivially zero).
  expect([...expected.values()].some((e) => e.leaked > 0)).toBe(true);

  // History → Export CSV: it parses back to one row per job, with TikTok's request IDs, the same figures, no token.
  const history = await context.newPage();
  await history.goto(`chrome-extension://${extensionId}/history.html`);
  await expect(history.getByRole('table')).toContainText(daily.name);
  const downloading = history.waitForEvent('download');
  await history.getByRole('button', { name: 'Export CSV', exact: true }).click();
  const file = await (await downloading).path();
  const text = await readFile(file, 'utf8');
  expect(text).not.toContain(sandbox.token);
  const rows = parseCsv(text);
  expect(rows.map((r) => r.object_id).sort()).toEqual([daily.id, total.id].sort());
  const updates = await statusUpdates(sandbox);
  for (const row of rows) {
    const update = updates.find((u) => u.code === 0 && u.body.campaign_ids?.includes(row.object_id ?? ''));
    expect(row.request_ids?.split(' ')).toContain(update?.requestId);
    const e = expected.get(row.object_id ?? '');
    expect(row.leaked_spend).toBe(minorToDecimal(e?.leaked ?? -1, 'USD'));
    expect(row.budget_kept).toBe(minorToDecimal(e?.kept ?? -1, 'USD'));
    expect(row.action).toBe('DISABLE');
    expect(row.currency).toBe('USD');
  }
});

test('a campaign that keeps spending after TikTok shows it paused is listed under Needs attention, with a support report to copy', async ({
  context,
  sandbox,
  connect,
  extensionId,
}) => {
  test.setTimeout(180_000);
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const page = await context.newPage();
  const [target] = await twoDeliveringCampaigns(page, sandbox, advertiserId);
  await control(sandbox, 'POST', 'faults', [
    { path: 'campaign/status/update', kind: 'keep-spending', ids: [target.id], times: 1 },
  ]);
  await pauseFromRow(page, target.name);

  const popup = await context.newPage();
  // Headless Chromium lets a page write the clipboard but not read it back: record what the popup writes.
  await popup.addInitScript(() => {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (text: string) => {
      (window as unknown as { copied: string }).copied = text;
      return write(text);
    };
  });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const attention = popup.getByRole('region', { name: /^Needs attention/ });
  const item = attention.getByRole('listitem').filter({ hasText: target.name });
  await expect(item).toContainText('Still spending', { timeout: 90_000 });
  await item.getByRole('button', { name: 'Copy support report' }).click();
  await expect(popup.getByText('Support report copied.', { exact: false })).toBeVisible();
  const report = await popup.evaluate(() => (window as unknown as { copied: string }).copied);
  expect(report).toContain(target.id);
  expect(report).toContain(advertiserId);
  expect(report).not.toContain(sandbox.token);
});
