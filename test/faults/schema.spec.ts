import { expect, test } from '../e2e/support/fixtures';
import {
  chipOf,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  statusUpdates,
  stopExtensionWorker,
} from '../e2e/support/pause-flow';
import { control } from '../e2e/support/sandbox-control';
import {
  dumpDatabase,
  extensionOriginPage,
  lastSeq,
  operationStatus,
  pauseIsRefused,
  readsBetween,
  type SandboxCampaign,
  sandboxCampaigns,
  scenario,
} from './support/faults';
import { seedJob, upgradeAsNewerVersion, writeV2Database } from './support/seed-db';

/**
 * The database schema across versions. Each older or newer database is written into the profile through the
 * extension's own origin (see support/seed-db.ts) while SafePause runs; its worker's connection closes when asked,
 * and the next time SafePause opens the database it finds that layout, as after an update or a downgrade.
 */

test.beforeEach(async ({ sandbox, connect }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 200, processingDelayMs: 500, reportLatencyMinutes: 0 });
  await connect('session', { reportLatencyMinutes: 0 });
});

test(
  'a database from a newer SafePause (downgrade): refuses to send and says why; the records stay as they were',
  scenario(
    "A newer SafePause's database on disk (downgrade: v4 under v3 code)",
    'Refuses to send; popup and prompt say the database is from a newer version',
    'No update sent; the database keeps version 4 and every job and audit row',
  ),
  async ({ context, sandbox, extensionId }) => {
    // A real pause first, so there are records to keep.
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    await (await openPausePrompt(page, target)).confirm();
    await expect(chipOf(page, target.id)).toHaveText('Spend stopped', { timeout: 60_000 });
    await page.close();

    const probe = await extensionOriginPage(context, extensionId);
    const before = await dumpDatabase(probe);
    expect(before.version).toBe(3);
    expect(before.jobs).toHaveLength(1);
    expect(await upgradeAsNewerVersion(probe, 4)).toBe(4);

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const history = popup.getByRole('alert').filter({ hasText: 'History could not be read' });
    await expect(history).toContainText('written by a newer version of SafePause');
    await expect(history).toContainText('your records are kept');

    await pauseIsRefused(context, sandbox, /written by a newer version of SafePause/);

    const after = await dumpDatabase(probe);
    expect(after.version).toBe(4);
    expect(after.jobs).toEqual(before.jobs);
    expect(after.audit).toBe(before.audit);
    expect(await statusUpdates(sandbox)).toHaveLength(1);
  },
);

test(
  'an upgrade from v2 with jobs in flight: the records migrate and every job resumes, none sent twice',
  scenario(
    'Extension update: a v2 database with jobs sending, verifying and queued',
    'Upgrades to v3 in place and resumes every job',
    'Sending: read then one send; verifying: confirmed by reading, no send; queued: one send; all settled',
  ),
  async ({ context, sandbox, extensionId }) => {
    const advertiserId = sandbox.advertiserIds[0] ?? '';
    const delivering = (await sandboxCampaigns(sandbox, advertiserId)).filter(
      (c) => !c.deleted && c.operation_status === 'ENABLE' && c.spending,
    );
    const [a, b, c] = delivering;
    if (!a || !b || !c) throw new Error('not enough delivering campaigns');
    const base = (o: SandboxCampaign) => ({ ...o, operationStatus: o.operation_status, modifyTime: o.modify_time });
    // A: the worker stopped after recording attempt 1, before the request left. B: TikTok accepted the pause and the
    // old version was reading it back. C: recorded, not yet sent.
    const jobs = [
      seedJob('v2-sending', advertiserId, base(a), [{ type: 'send-started' }]),
      seedJob('v2-verifying', advertiserId, base(b), [
        { type: 'send-started' },
        { type: 'send-ok', requestId: 'v2-accepted' },
        { type: 'verify-started' },
      ]),
      seedJob('v2-queued', advertiserId, base(c), []),
    ];
    // TikTok did apply B's pause before the old version stopped.
    await control(sandbox, 'POST', 'objects/status', {
      level: 'campaign',
      id: b.id,
      operation_status: 'DISABLE',
      actor: 'tiktok',
    });
    await control(sandbox, 'DELETE', 'requests');

    const probe = await extensionOriginPage(context, extensionId);
    expect(await writeV2Database(probe, { jobs })).toBe(2);
    expect((await dumpDatabase(probe)).version).toBe(2);
    // The update: the worker stops, and the new one starts on the next event (here a message from an extension page).
    await stopExtensionWorker(probe, extensionId);
    const restartedAt = await lastSeq(sandbox);
    await probe.evaluate(() => chrome.runtime.sendMessage({ type: 'wake' }).catch(() => undefined));

    await expect
      .poll(async () => (await dumpDatabase(probe)).jobs.map((j) => `${j.id}:${j.state}`).sort(), { timeout: 60_000 })
      .toEqual(['v2-queued:settled', 'v2-sending:settled', 'v2-verifying:settled']);
    const after = await dumpDatabase(probe);
    expect(after.version).toBe(3);
    expect(after.stores).toContain('stops');

    // A: read first (unchanged), then sent once. B: confirmed by reading, never sent. C: sent once.
    const sentA = await statusUpdates(sandbox, a.id);
    expect(sentA.map((u) => u.code)).toEqual([0]);
    expect((await readsBetween(sandbox, a.id, restartedAt, sentA[0]?.seq)).length).toBeGreaterThan(0);
    expect(await statusUpdates(sandbox, b.id)).toHaveLength(0);
    expect((await readsBetween(sandbox, b.id, restartedAt)).length).toBeGreaterThan(0);
    expect((await statusUpdates(sandbox, c.id)).map((u) => u.code)).toEqual([0]);
    for (const o of [a, b, c]) expect(await operationStatus(sandbox, o.id)).toBe('DISABLE');

    // The popup lists the three with their history from v2 onwards.
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const paused = popup.getByRole('region', { name: /^Paused/ }).getByRole('listitem');
    for (const o of [a, b, c]) await expect(paused.filter({ hasText: o.id })).toContainText('Spend stopped');
  },
);

declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };
