import { accepted, campaignsOf, openEmergency, prepare } from './support/emergency';
import { expect, test } from './support/fixtures';
import { statusUpdates, stopExtensionWorker } from './support/pause-flow';
import { control } from './support/sandbox-control';

// Emergency stop from the popup alone (no Ads Manager tab). The sandbox world is put back afterwards.

test.afterAll(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 1000, secondAdvertiserCampaigns: 40 });
});

test('Stop all spend pauses exactly the switched-on campaigns in batches of 20, verified; the restore point resumes exactly those', async ({
  context,
  sandbox,
  connect,
  extensionId,
}) => {
  test.setTimeout(240_000);
  const { advertiserId, onIds, offIds } = await prepare(sandbox, 300, 50);
  await connect('session', { reportLatencyMinutes: 0 });
  const popup = await context.newPage();
  const { confirm } = await openEmergency(popup, extensionId, advertiserId, 300);
  await confirm.click();

  const summary = popup.getByRole('article', { name: /^Emergency stop of / });
  await expect(summary.getByRole('status')).toContainText('300 of 300 stopped and confirmed', { timeout: 120_000 });
  await expect(summary.getByRole('status')).toContainText('0 in flight · 0 failed');

  const pauses = accepted(await statusUpdates(sandbox), 'DISABLE');
  expect(pauses).toHaveLength(Math.ceil(300 / 20));
  for (const u of pauses) expect(u.body.campaign_ids?.length ?? 0).toBeLessThanOrEqual(20);
  const paused = pauses.flatMap((u) => u.body.campaign_ids ?? []);
  expect([...paused].sort()).toEqual([...onIds].sort());
  expect(paused.some((id) => offIds.includes(id))).toBe(false);

  // TikTok's side: every one of the 300 is off, and its spend no longer grows an hour later.
  const before = new Map((await campaignsOf(sandbox, advertiserId)).map((c) => [c.id, c]));
  for (const id of onIds) expect(before.get(id)?.operation_status).toBe('DISABLE');
  await control(sandbox, 'POST', 'clock', { advanceMinutes: 60 });
  const after = new Map((await campaignsOf(sandbox, advertiserId)).map((c) => [c.id, c]));
  for (const id of onIds) expect(after.get(id)?.spend_lifetime_minor).toBe(before.get(id)?.spend_lifetime_minor);

  // The restore point resumes the 300 it paused, and none of the 50 that were already off.
  await summary.getByRole('button', { name: 'Resume what Emergency stop paused' }).click();
  const restore = popup.getByRole('dialog', { name: 'Resume 300 campaigns?' });
  await restore.getByRole('button', { name: 'Resume 300 campaigns', exact: true }).click();
  await expect(summary).toContainText('Resumed 300 campaigns from this stop.');
  await expect
    .poll(
      async () =>
        (await campaignsOf(sandbox, advertiserId)).filter(
          (c) => onIds.includes(c.id) && c.operation_status === 'ENABLE',
        ).length,
      { timeout: 90_000 },
    )
    .toBe(300);
  const resumes = accepted(await statusUpdates(sandbox), 'ENABLE');
  const resumed = resumes.flatMap((u) => u.body.campaign_ids ?? []);
  expect([...resumed].sort()).toEqual([...onIds].sort());
  expect(resumes).toHaveLength(Math.ceil(300 / 20));
  const finalState = await campaignsOf(sandbox, advertiserId);
  for (const id of offIds) expect(finalState.find((c) => c.id === id)?.operation_status).toBe('DISABLE');
});

test('the service worker stopped half-way through: the stop completes after restart, no campaign sent twice without a read between', async ({
  context,
  sandbox,
  connect,
  extensionId,
}) => {
  test.setTimeout(240_000);
  const { advertiserId, onIds } = await prepare(sandbox, 300, 50);
  await connect('session', { reportLatencyMinutes: 0 });
  const popup = await context.newPage();
  const { confirm } = await openEmergency(popup, extensionId, advertiserId, 300);
  await confirm.click();

  await expect
    .poll(async () => accepted(await statusUpdates(sandbox), 'DISABLE').length, { timeout: 30_000, intervals: [25] })
    .toBeGreaterThanOrEqual(5);
  const { restarted } = await stopExtensionWorker(popup, extensionId);
  const atStop = accepted(await statusUpdates(sandbox), 'DISABLE').length;
  expect(atStop).toBeLessThan(15);
  // Nothing but the worker's own backstop alarm wakes it: the popup only reads the database.
  await restarted;

  const summary = popup.getByRole('article', { name: /^Emergency stop of / });
  await expect(summary.getByRole('status')).toContainText('300 of 300 stopped and confirmed', { timeout: 150_000 });

  const updates = accepted(await statusUpdates(sandbox), 'DISABLE');
  const reads = await sandbox.requests('campaign/get');
  const sentIds = updates.flatMap((u) => u.body.campaign_ids ?? []);
  expect([...new Set(sentIds)].sort()).toEqual([...onIds].sort());
  for (const id of onIds) {
    const sends = updates.filter((u) => u.body.campaign_ids?.includes(id));
    for (let i = 1; i < sends.length; i++) {
      const from = sends[i - 1]?.seq ?? 0;
      const to = sends[i]?.seq ?? 0;
      const readBetween = reads.some(
        (r) => r.seq > from && r.seq < to && r.code === 0 && JSON.stringify(r.query ?? {}).includes(id),
      );
      expect(readBetween, `campaign ${id} was sent twice without a status read between`).toBe(true);
    }
  }
  const truth = await campaignsOf(sandbox, advertiserId);
  for (const id of onIds) expect(truth.find((c) => c.id === id)?.operation_status).toBe('DISABLE');

  // Later a person switches one of them on and off again in Ads Manager: the restore point leaves that one alone.
  const touched = onIds[7] ?? '';
  await control(sandbox, 'POST', 'clock', { advanceMinutes: 5 });
  await control(sandbox, 'POST', 'objects/status', { level: 'campaign', id: touched, operation_status: 'ENABLE' });
  await control(sandbox, 'POST', 'clock', { advanceMinutes: 5 });
  await control(sandbox, 'POST', 'objects/status', { level: 'campaign', id: touched, operation_status: 'DISABLE' });
  await summary.getByRole('button', { name: 'Resume what Emergency stop paused' }).click();
  const restore = popup.getByRole('dialog', { name: 'Resume 299 campaigns?' });
  await expect(restore).toContainText(`(${touched}): It was changed since the stop`);
  await restore.getByRole('button', { name: 'Cancel' }).click();
  await expect(restore).toHaveCount(0);
  expect(accepted(await statusUpdates(sandbox), 'ENABLE')).toHaveLength(0);
});
