import { expect, test } from './support/fixtures';
import { closingPrompt } from './support/pause-flow';
import { control, controlOnRowOf, dismissAnnouncement, pageRows, visibleRowTruth } from './support/sandbox-control';

test.beforeEach(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', { seed: 3, campaigns: 200, processingDelayMs: 500, reportLatencyMinutes: 0 });
});

for (const [level, word] of [
  ['adgroup', 'ad group'],
  ['ad', 'ad'],
] as const) {
  test(`pausing an ${word} goes through its own endpoints and is verified there`, async ({
    context,
    sandbox,
    connect,
  }) => {
    await connect('session', { reportLatencyMinutes: 0 });
    const advertiserId = sandbox.advertiserIds[0] ?? '';
    const page = await context.newPage();
    await page.goto(sandbox.campaignPageUrl(advertiserId, level));
    const anyPause = page.getByRole('button', { name: new RegExp(`^Pause ${word} `) }).first();
    await expect(anyPause).toBeVisible({ timeout: 30_000 });
    await dismissAnnouncement(page);
    const rows = await pageRows(sandbox, advertiserId, level);
    const target = (await visibleRowTruth(page)).find((v) => rows.find((r) => r.id === v.id)?.on);
    if (!target) throw new Error(`no delivering ${word} visible`);

    await (await controlOnRowOf(page, target.id, `Pause ${word} ${target.name}`)).click();
    const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
    await expect(prompt.getByRole('dialog', { name: `Pause ${word}?` })).toContainText(target.id);
    await closingPrompt(page, () => prompt.getByRole('button', { name: `Pause ${word}` }).click());
    await expect(page.locator(`safepause-overlay .sp-control[data-object-id="${target.id}"] .sp-chip`)).toHaveText(
      /Paused|Spend stopped/,
      { timeout: 30_000 },
    );

    const updates = (await sandbox.requests(`${level}/status/update`)) as { body: Record<string, unknown> }[];
    expect(updates).toHaveLength(1);
    expect(updates[0]?.body).toMatchObject({ [`${level}_ids`]: [target.id], operation_status: 'DISABLE' });
    expect(await sandbox.requests('campaign/status/update')).toHaveLength(0);
    const reads = (await sandbox.requests(`${level}/get`)) as { query: Record<string, string> }[];
    expect(reads.some((r) => (r.query.filtering ?? '').includes(target.id))).toBe(true);
    expect((await pageRows(sandbox, advertiserId, level)).find((r) => r.id === target.id)?.on).toBe(false);
  });
}

test('cascade: an ad group already stopped by its paused campaign is not re-paused; resuming one warns that it will not deliver', async ({
  context,
  sandbox,
  connect,
}) => {
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  // Two delivering ad groups of one campaign among the first rows of the list.
  const rows = (await pageRows(sandbox, advertiserId, 'adgroup')).slice(0, 8);
  const state = await control<{ objects: { id: string; campaign_id: string; operation_status: string }[] }>(
    sandbox,
    'GET',
    `state?level=adgroup&ids=${rows.map((r) => r.id).join(',')}`,
  );
  const campaignOf = new Map(state.objects.map((o) => [o.id, o.campaign_id]));
  const on = rows.filter((r) => r.on);
  const pair = on.flatMap((a, i) =>
    on
      .slice(i + 1)
      .filter((b) => campaignOf.get(b.id) === campaignOf.get(a.id))
      .map((b) => [a, b]),
  )[0];
  if (!pair) throw new Error('no two delivering ad groups of one campaign among the first rows');
  const [stoppedByParent, offItself] = pair as [(typeof rows)[0], (typeof rows)[0]];
  const campaignId = campaignOf.get(stoppedByParent.id) ?? '';
  // A person pauses the campaign, and one of its ad groups too, in Ads Manager.
  await control(sandbox, 'POST', 'objects/status', { level: 'campaign', id: campaignId, operation_status: 'DISABLE' });
  await control(sandbox, 'POST', 'objects/status', { level: 'adgroup', id: offItself.id, operation_status: 'DISABLE' });
  await control(sandbox, 'DELETE', 'requests');

  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(advertiserId, 'adgroup'));
  const pauseButton = page.getByRole('button', { name: `Pause ad group ${stoppedByParent.name}`, exact: true });
  await expect(pauseButton).toBeVisible({ timeout: 30_000 });
  await pauseButton.click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  const dialog = prompt.getByRole('dialog', { name: 'Pause ad group?' });
  await expect(dialog).toContainText('Already stopped by its campaign');
  await expect(dialog).toContainText('nothing to send');
  await expect(prompt.getByRole('button', { name: 'Pause ad group', exact: true })).toBeDisabled();
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Cancel' }).click());

  const resumeButton = page.getByRole('button', { name: `Resume ad group ${offItself.name}`, exact: true });
  await resumeButton.click();
  const resume = prompt.getByRole('dialog', { name: 'Resume ad group?' });
  await expect(resume).toContainText('is paused: it will not deliver until that campaign is on too.');
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Resume ad group', exact: true }).click());
  await expect
    .poll(async () => (await pageRows(sandbox, advertiserId, 'adgroup')).find((r) => r.id === offItself.id)?.on, {
      timeout: 30_000,
    })
    .toBe(true);

  const updates = (await sandbox.requests('adgroup/status/update')) as {
    code: number;
    body: { adgroup_ids: string[]; operation_status: string };
  }[];
  expect(updates.map((u) => [u.body.adgroup_ids, u.body.operation_status, u.code])).toEqual([
    [[offItself.id], 'ENABLE', 0],
  ]);
  expect(await sandbox.requests('campaign/status/update')).toHaveLength(0);
});
