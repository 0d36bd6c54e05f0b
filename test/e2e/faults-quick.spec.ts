import {
  dumpDatabase,
  extensionOriginPage,
  operationStatus,
  pauseIsRefused,
  quotaControl,
  sandboxCampaigns,
  scenario,
} from '../faults/support/faults';
import { seedJob, writeV2Database } from '../faults/support/seed-db';
import { expect, test } from './support/fixtures';
import {
  chipOf,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  statusUpdates,
} from './support/pause-flow';
import { control } from './support/sandbox-control';

/**
 * The quick part of the fault suite (the rest is in test/faults, run by `npm run test:faults`): storage that cannot
 * be written, and a database upgrade step that fails. Nothing is sent without its record, and the person is told.
 */

test.beforeEach(async ({ sandbox, connect }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 200, processingDelayMs: 500, reportLatencyMinutes: 0 });
  await connect('session', { reportLatencyMinutes: 0 });
});

test(
  'storage full when the pause is confirmed: the prompt says nothing was sent, and nothing is',
  scenario(
    'IndexedDB cannot be written (origin quota 1 byte) when the pause is confirmed',
    'Records nothing, sends nothing; the prompt says storage is full and nothing was sent',
    'No update; no job stored; with room again, one update',
  ),
  async ({ context, sandbox, extensionId }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const { prompt, dialog } = await openPausePrompt(page, target);
    const setQuota = await quotaControl(context, page, extensionId);
    await setQuota(1);

    await prompt.getByRole('button', { name: 'Pause campaign' }).click();
    const alert = dialog.getByRole('alert');
    await expect(alert).toContainText("the browser's storage is full. Nothing was sent.");
    await page.waitForTimeout(2_000);
    expect(await statusUpdates(sandbox)).toHaveLength(0);
    expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');
    const db = await dumpDatabase(await extensionOriginPage(context, extensionId));
    expect(db.jobs).toHaveLength(0);

    // Room again: the same pause goes through, once.
    // The prompt's own Cancel cannot close it now (the worker dropped it before trying): a click beside it does.
    await page.mouse.click(8, 8);
    await expect(page.locator('iframe[title="SafePause confirmation"]')).toHaveCount(0);
    await setQuota(null);
    const again = await openPausePrompt(page, target);
    await again.confirm();
    await expect(chipOf(page, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 30_000 });
    expect(await statusUpdates(sandbox)).toHaveLength(1);
  },
);

test(
  'an upgrade step that fails: the old database is left intact, SafePause refuses to send and says why',
  scenario(
    'A database upgrade step fails (v2 → v3)',
    'Leaves the old database as it was; refuses to send; popup and prompt say why',
    'No update; the database is still v2 with its job and audit rows',
  ),
  async ({ context, sandbox, extensionId }) => {
    const advertiserId = sandbox.advertiserIds[0] ?? '';
    const [object] = (await sandboxCampaigns(sandbox, advertiserId)).filter((c) => !c.deleted);
    if (!object) throw new Error('no campaign');
    const refused = seedJob(
      'v2-refused',
      advertiserId,
      { ...object, operationStatus: object.operation_status, modifyTime: object.modify_time },
      [
        { type: 'send-started' },
        {
          type: 'send-error',
          failure: { kind: 'tiktok', retry: 'never', outcome: 'not-applied', code: 40001, message: 'No permission.' },
        },
      ],
    );
    const probe = await extensionOriginPage(context, extensionId);
    // A v2 database that already holds a store named like the one the v3 step creates: that step throws.
    expect(await writeV2Database(probe, { jobs: [refused], strayStore: 'stops' })).toBe(2);
    const before = await dumpDatabase(probe);

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const history = popup.getByRole('alert').filter({ hasText: 'History could not be read' });
    await expect(history).toContainText('could not update its database from version 2 to 3');
    await expect(history).toContainText('your records are kept as they were');

    await pauseIsRefused(context, sandbox, /could not update its database from version 2 to 3/);

    const after = await dumpDatabase(probe);
    expect(after).toEqual(before);
    expect(after.version).toBe(2);
    expect(after.jobs).toEqual([{ id: 'v2-refused', state: 'failed', objectId: object.id }]);
    expect(after.audit).toBe(3);
  },
);
