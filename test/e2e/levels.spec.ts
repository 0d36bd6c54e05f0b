import { expect, test } from './support/fixtures';
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
    await prompt.getByRole('button', { name: `Pause ${word}` }).click();
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
