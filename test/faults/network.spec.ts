import { expect, test } from '../e2e/support/fixtures';
import {
  chipOf,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  statusUpdates,
} from '../e2e/support/pause-flow';
import { control } from '../e2e/support/sandbox-control';
import { addFaults, applied, lastSeq, operationStatus, readsBetween, scenario, waitForUpdate } from './support/faults';

/**
 * The network goes away and comes back. Offline is Chromium's own network emulation (the service worker sees
 * `navigator.onLine === false` and its fetches fail); the gateway outage is the sandbox answering 502/503/504 with
 * HTML, and a connection that hangs. The job waits and completes, with one accepted update.
 */

test.beforeEach(async ({ sandbox, connect }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 200, processingDelayMs: 500, reportLatencyMinutes: 0 });
  await connect('session', { reportLatencyMinutes: 0 });
});

test(
  'offline when the pause is confirmed: nothing leaves, the row says why it waits; back online it completes with one send',
  scenario(
    'Browser offline (Chromium network emulation) when the pause is confirmed',
    'Waits with backoff, reads the status when back online, then sends',
    'Nothing reached the sandbox while offline; one update after, with a read before it',
  ),
  async ({ context, sandbox }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const prompt = await openPausePrompt(page, target);
    const before = await lastSeq(sandbox);
    await context.setOffline(true);
    await prompt.confirm();

    // The fetch fails without an answer: the worker cannot tell whether it left, so it checks before any resend.
    const chip = chipOf(page, target.id);
    await expect(chip).toHaveText(/^(Checking|Retrying)$/, { timeout: 20_000 });
    await expect(chip).toHaveAttribute('title', /could not reach TikTok/);
    // A few retries' worth of waiting: the sandbox heard nothing at all.
    await page.waitForTimeout(4_000);
    expect((await sandbox.requests()).filter((r) => r.seq > before)).toHaveLength(0);
    await expect(chip).not.toHaveText(/Paused|Failed/);

    const online = await lastSeq(sandbox);
    await context.setOffline(false);
    await expect(chip).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 60_000 });
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.code).toBe(0);
    // Back online, it read the status (unchanged) before sending.
    expect((await readsBetween(sandbox, target.id, online, updates[0]?.seq)).length).toBeGreaterThan(0);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
  },
);

test(
  'the connection drops while the update is on its way (answer lost), then an outage of 5xx pages: one accepted send',
  scenario(
    'The update hangs, the network drops, then 502/503 gateway pages',
    'Outcome unknown: reads before every resend, backs off through the outage',
    'One applied update; a read before each resend',
  ),
  async ({ context, sandbox }) => {
    test.setTimeout(150_000);
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const prompt = await openPausePrompt(page, target);
    // The first update hangs (never applied); TikTok's gateway then answers every read and update with an error page
    // three times each, then recovers.
    await addFaults(sandbox, [
      { path: 'campaign/status/update', kind: 'hang', ids: [target.id], delayMs: null },
      { path: 'campaign/status/update', kind: 'http', status: 502, ids: [target.id], times: 2 },
      { path: 'campaign/get', kind: 'http', status: 503, ids: [target.id], times: 3 },
    ]);
    await prompt.confirm();
    const hung = await waitForUpdate(sandbox, target.id, (u) => u.fault?.kind === 'hang');
    const chip = chipOf(page, target.id);
    await expect(chip).toHaveText('Sending');
    // The connection is lost while the request is out: the worker cannot know whether TikTok got it.
    await context.setOffline(true);
    await expect(chip).toHaveText(/^(Checking|Retrying)$/, { timeout: 30_000 });
    await page.waitForTimeout(3_000);
    await context.setOffline(false);

    await expect(chip).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 120_000 });
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates[0]?.seq).toBe(hung.seq);
    expect(applied(updates)).toHaveLength(1);
    expect(updates.at(-1)?.code).toBe(0);
    // Every resend came after a read that showed the campaign still delivering.
    for (let i = 1; i < updates.length; i++) {
      const from = updates[i - 1]?.seq ?? 0;
      const to = updates[i]?.seq ?? 0;
      expect((await readsBetween(sandbox, target.id, from, to)).length, `a read before resend #${i}`).toBeGreaterThan(
        0,
      );
    }
    expect(updates.filter((u) => u.fault?.kind === 'http')).toHaveLength(2);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
  },
);
