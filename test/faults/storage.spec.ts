import { expect, test } from '../e2e/support/fixtures';
import {
  chipOf,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  statusUpdates,
} from '../e2e/support/pause-flow';
import { control } from '../e2e/support/sandbox-control';
import { addFaults, operationStatus, quotaControl, readsBetween, scenario, waitForUpdate } from './support/faults';

/**
 * IndexedDB cannot be written: Chromium's own quota for the extension's origin is set to one byte through CDP
 * (Storage.overrideQuotaForOrigin), so every write transaction aborts with QuotaExceededError, in the worker as in
 * the pages. Nothing may be sent without its record, and the person is told.
 */

test.beforeEach(async ({ sandbox, connect }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 200, processingDelayMs: 500, reportLatencyMinutes: 0 });
  await connect('session', { reportLatencyMinutes: 0 });
});

test(
  'storage full while a job waits to retry: nothing more is sent, the popup says why; it resumes with room',
  scenario(
    'IndexedDB cannot be written (origin quota 1 byte) while a job waits to retry',
    'Sends nothing it cannot record; the popup says storage is full; resumes once it can write',
    'No second update while full; popup alert; one accepted update after',
  ),
  async ({ context, sandbox, extensionId }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const prompt = await openPausePrompt(page, target);
    // The first attempt is rate-limited, and so are the status reads that must precede a retry: the job is on
    // record and waits while the storage fills up.
    await addFaults(sandbox, [
      { path: 'campaign/status/update', kind: 'code', code: 40100, ids: [target.id] },
      { path: 'campaign/get', kind: 'code', code: 40100, ids: [target.id], times: 50 },
    ]);
    await prompt.confirm();
    const setQuota = await quotaControl(context, page, extensionId);
    const limited = await waitForUpdate(sandbox, target.id, (u) => u.code === 40100);
    await expect(chipOf(page, target.id)).toHaveText('Retrying');
    await setQuota(1);
    // TikTok answers again; the job's next step cannot be recorded.
    await control(sandbox, 'DELETE', 'faults');

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect(popup.getByRole('alert').filter({ hasText: 'could not save' })).toContainText(
      "the browser's storage is full. Nothing was sent.",
      { timeout: 30_000 },
    );
    // It keeps reading (its steps cannot be recorded), and sends nothing.
    await expect.poll(async () => (await readsBetween(sandbox, target.id, limited.seq)).length).toBeGreaterThan(0);
    await page.waitForTimeout(2_000);
    expect(await statusUpdates(sandbox, target.id)).toHaveLength(1);
    expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');

    await setQuota(null);
    await expect(chipOf(page, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 60_000 });
    await expect(popup.getByRole('alert').filter({ hasText: 'could not save' })).toHaveCount(0, { timeout: 15_000 });
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates.map((u) => u.code)).toEqual([40100, 0]);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
  },
);
