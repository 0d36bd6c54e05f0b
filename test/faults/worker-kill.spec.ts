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
import { applied, lastSeq, operationStatus, readsBetween, scenario, waitForUpdate } from './support/faults';

/**
 * The worker stopped (CDP ServiceWorker.stopAllWorkers, as Chrome does) at the steps pause-faults.spec.ts does not
 * cover: while it reads the new status back, and while it watches spend after the confirmation. Either way the job
 * finishes from the database without sending the update again.
 */

test(
  'worker stopped while verifying (TikTok accepted, the status not showing yet): confirmed by reads, not resent',
  scenario(
    'Service worker stopped (CDP) while reading the new status back',
    'Resumes from IndexedDB and confirms by reading',
    'One update only; reads after the restart; TikTok shows it paused',
  ),
  async ({ context, sandbox, connect, extensionId }) => {
    // TikTok takes 8 s to show an accepted change: the job spends that time reading the status back.
    await control(sandbox, 'POST', 'reset', {
      seed: 1,
      campaigns: 200,
      processingDelayMs: 8_000,
      reportLatencyMinutes: 0,
    });
    await connect('session', { reportLatencyMinutes: 0 });
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const prompt = await openPausePrompt(page, target);
    await prompt.confirm();

    const sent = await waitForUpdate(sandbox, target.id, (u) => u.code === 0);
    await expect(chipOf(page, target.id)).toHaveText('Waiting for TikTok');
    // At least one read already showed the old status: the job is verifying, not done.
    await expect.poll(async () => (await readsBetween(sandbox, target.id, sent.seq)).length).toBeGreaterThan(0);
    expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');

    const { restarted } = await stopExtensionWorker(page, extensionId);
    const stoppedAt = await lastSeq(sandbox);
    await restarted;

    await expect(chipOf(page, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 45_000 });
    await expect(chipOf(page, target.id)).toHaveText('Spend stopped', { timeout: 60_000 });
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates).toHaveLength(1);
    expect(applied(updates)).toHaveLength(1);
    // The new worker confirmed it by reading.
    expect((await readsBetween(sandbox, target.id, stoppedAt)).length).toBeGreaterThan(0);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
    expect(await statusUpdates(sandbox)).toHaveLength(1);
  },
);

test(
  'worker stopped while settling (confirmed, watching spend for the report delay): settles without resending',
  scenario(
    'Service worker stopped (CDP) while watching spend after the confirmation',
    'Resumes the spend watch and settles',
    'One update only; spend reads after the restart; Spend stopped',
  ),
  async ({ context, sandbox, connect, extensionId }) => {
    test.setTimeout(180_000);
    // A one-minute report delay keeps the confirmed job watching spend long enough to stop the worker meanwhile.
    await control(sandbox, 'POST', 'reset', {
      seed: 1,
      campaigns: 200,
      processingDelayMs: 500,
      reportLatencyMinutes: 0,
    });
    await connect('session', { reportLatencyMinutes: 1 });
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const prompt = await openPausePrompt(page, target);
    await prompt.confirm();

    await expect(chipOf(page, target.id)).toHaveText('Paused', { timeout: 30_000 });
    // The spend snapshot at confirmation was read: the job is in its report-delay window.
    await expect.poll(async () => (await sandbox.requests('report/integrated/get')).length).toBeGreaterThan(0);
    const { restarted } = await stopExtensionWorker(page, extensionId);
    const stoppedAt = await lastSeq(sandbox);
    await expect(chipOf(page, target.id)).toHaveText('Paused');
    await restarted;

    await expect(chipOf(page, target.id)).toHaveText('Spend stopped', { timeout: 120_000 });
    // The new worker read spend (after the window) and nothing else was sent.
    const spendReads = (await sandbox.requests('report/integrated/get')).filter((r) => r.seq > stoppedAt);
    expect(spendReads.length).toBeGreaterThan(0);
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.code).toBe(0);
    expect(await statusUpdates(sandbox)).toHaveLength(1);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
  },
);
