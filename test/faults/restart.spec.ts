import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectThroughOptions } from '../../scripts/connect-extension';
import { launchWithExtension } from '../e2e/support/extension';
import { expect, test } from '../e2e/support/fixtures';
import {
  chipOf,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  statusUpdates,
} from '../e2e/support/pause-flow';
import { control } from '../e2e/support/sandbox-control';
import { addFaults, applied, operationStatus, readsBetween, scenario, waitForUpdate } from './support/faults';

/**
 * The browser closed with a pause on its way, and opened again on the same profile. The token was kept only for the
 * session, so it is gone: the job waits, blocked on the token, and says so in the popup and on the page; once the
 * token is entered in options it finishes with one accepted update.
 */

let profile: string;

test.beforeEach(async ({ sandbox }) => {
  profile = mkdtempSync(join(tmpdir(), 'safepause-restart-'));
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 200, processingDelayMs: 500, reportLatencyMinutes: 0 });
});

test.afterEach(() => {
  rmSync(profile, { recursive: true, force: true });
});

test(
  'browser restart with a pause in flight and a session-only token: blocked on the token, visibly; one send after it is entered',
  scenario(
    'Browser closed with a pause in flight; relaunched on the same profile; token kept for the session only',
    'The job waits as blocked on the token, shown in the popup and on the page; resumes when the token is entered',
    'Popup shows Needs token, the page says why; one applied update after the token, with a read before it',
  ),
  async ({ sandbox }) => {
    test.setTimeout(180_000);
    const account = { apiBaseUrl: sandbox.url, token: sandbox.token, advertiserIds: sandbox.advertiserIds };
    const first = await launchWithExtension({ userDataDir: profile });
    await connectThroughOptions(first.context, first.extensionId, account, 'session', { reportLatencyMinutes: 0 });
    const { page, advertiserId } = await openCampaignPage(first.context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const prompt = await openPausePrompt(page, target);
    // TikTok never answers the update (and does not apply it): the job is sending when the browser closes.
    await addFaults(sandbox, [{ path: 'campaign/status/update', kind: 'hang', ids: [target.id], delayMs: null }]);
    await prompt.confirm();
    const hung = await waitForUpdate(sandbox, target.id, (u) => u.fault?.kind === 'hang');
    await expect(chipOf(page, target.id)).toHaveText('Sending');
    await first.context.close();

    // The same profile again: same extension ID, settings kept, the session token gone.
    const second = await launchWithExtension({ userDataDir: profile });
    expect(second.extensionId).toBe(first.extensionId);
    const popup = await second.context.newPage();
    await popup.goto(`chrome-extension://${second.extensionId}/popup.html`);
    const attention = popup.getByRole('region', { name: /^Needs attention/ });
    const row = attention.getByRole('listitem').filter({ hasText: target.id });
    await expect(row).toContainText('Needs token', { timeout: 30_000 });
    await expect(row.getByText('Needs token')).toHaveAttribute('title', /Enter it again in options/);

    // In Ads Manager the page says why nothing happens.
    const ads = await second.context.newPage();
    await ads.goto(sandbox.campaignPageUrl(advertiserId));
    await expect(ads.getByRole('alert').filter({ hasText: /no access token/ })).toBeVisible({ timeout: 30_000 });
    await expect(ads.getByRole('alert')).toContainText('Enter it in SafePause options');
    // Waiting, nothing sent meanwhile.
    await ads.waitForTimeout(2_000);
    expect(await statusUpdates(sandbox, target.id)).toHaveLength(1);

    await connectThroughOptions(second.context, second.extensionId, account, 'session', { reportLatencyMinutes: 0 });
    const done = popup
      .getByRole('region', { name: /^Paused/ })
      .getByRole('listitem')
      .filter({ hasText: target.id });
    await expect(done).toContainText(/Paused|Spend stopped/, { timeout: 60_000 });
    await expect(row).toHaveCount(0);
    await ads.reload();
    await expect(chipOf(ads, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 30_000 });

    const updates = await statusUpdates(sandbox, target.id);
    expect(updates).toHaveLength(2);
    expect(updates[0]?.seq).toBe(hung.seq);
    expect(applied(updates)).toHaveLength(1);
    expect(updates[1]?.code).toBe(0);
    // The status was read (unchanged) before the one send after the restart.
    expect((await readsBetween(sandbox, target.id, hung.seq, updates[1]?.seq)).length).toBeGreaterThan(0);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
    await second.context.close();
  },
);
