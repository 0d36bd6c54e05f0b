import { expect, test } from '../e2e/support/fixtures';
import {
  chipOf,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  statusUpdates,
} from '../e2e/support/pause-flow';
import { control, controlOnRowOf } from '../e2e/support/sandbox-control';
import { addFaults, applied, operationStatus, readsBetween, scenario, waitForUpdate } from './support/faults';

/**
 * TikTok's answers in bad shape (the sandbox's fault plans): 64-bit IDs as bare JSON numbers, fields missing, bodies
 * that are not JSON. Each gives a clear error where the person looks, and no update is ever sent twice.
 */

test.beforeEach(async ({ sandbox, connect }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 200, processingDelayMs: 500, reportLatencyMinutes: 0 });
  await connect('session', { reportLatencyMinutes: 0 });
});

test(
  '64-bit IDs as bare JSON numbers in every answer: rows are identified and the exact ID is paused, once',
  scenario(
    'API answers carry 64-bit IDs as bare JSON numbers (reads and the update)',
    'Parses JSON losslessly; IDs stay digit strings end to end',
    'The row is identified; one update naming the exact 19-digit ID; TikTok shows it paused',
  ),
  async ({ context, sandbox }) => {
    await addFaults(sandbox, [
      { path: 'campaign/get', kind: 'numeric-ids', times: 10_000 },
      { path: 'campaign/status/update', kind: 'numeric-ids', times: 10_000 },
    ]);
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    expect(BigInt(target.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const { dialog, confirm } = await openPausePrompt(page, target);
    await expect(dialog).toContainText(target.id);
    await confirm();

    await expect(chipOf(page, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 30_000 });
    const updates = await statusUpdates(sandbox);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.body.campaign_ids).toEqual([target.id]);
    expect((await sandbox.requests('campaign/get')).some((r) => r.fault?.kind === 'numeric-ids')).toBe(true);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
  },
);

test(
  'a field missing from the prompt’s read: the prompt says TikTok’s answer cannot be read, and nothing is sent',
  scenario(
    "The confirm prompt's status read lacks `operation_status`",
    "Refuses to show a Pause button; the prompt says TikTok's answer cannot be read",
    "The prompt's alert names campaign/get and the field; no update sent",
  ),
  async ({ context, sandbox }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    await addFaults(sandbox, [
      { path: 'campaign/get', kind: 'missing-fields', fields: ['operation_status'], ids: [target.id], times: 3 },
    ]);
    await (await controlOnRowOf(page, target.id, `Pause campaign ${target.name}`)).click();
    const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
    const alert = prompt.getByRole('alert');
    await expect(alert).toContainText('TikTok sent an answer SafePause cannot read (campaign/get/');
    await expect(alert).toContainText('operation_status');
    await expect(prompt.getByRole('button', { name: 'Pause campaign' })).toHaveCount(0);
    await page.waitForTimeout(1_500);
    expect(await statusUpdates(sandbox)).toHaveLength(0);
    expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');
  },
);

test(
  'an answer to the update that is not JSON (not applied): read, sent again once, one accepted update',
  scenario(
    'The answer to the status update is not JSON (not applied)',
    'Treats the outcome as unknown, reads the status, sends again once',
    'Two requests, one applied, a status read between them',
  ),
  async ({ context, sandbox }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const prompt = await openPausePrompt(page, target);
    await addFaults(sandbox, [{ path: 'campaign/status/update', kind: 'malformed', ids: [target.id] }]);
    await prompt.confirm();

    await expect(chipOf(page, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 30_000 });
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates.map((u) => u.fault?.kind ?? u.code)).toEqual(['malformed', 0]);
    expect(applied(updates)).toHaveLength(1);
    expect((await readsBetween(sandbox, target.id, updates[0]?.seq ?? 0, updates[1]?.seq)).length).toBeGreaterThan(0);
  },
);

test(
  'fields missing from the answer to an applied update: confirmed by reading, not sent again',
  scenario(
    'The answer to an applied status update lacks its fields',
    'Treats the outcome as unknown and confirms by reading',
    'One update only; a read after it; TikTok shows it paused',
  ),
  async ({ context, sandbox }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const prompt = await openPausePrompt(page, target);
    await addFaults(sandbox, [
      {
        path: 'campaign/status/update',
        kind: 'missing-fields',
        fields: ['campaign_ids', 'status', 'campaign_list'],
        ids: [target.id],
      },
    ]);
    await prompt.confirm();

    await expect(chipOf(page, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 30_000 });
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.fault?.kind).toBe('missing-fields');
    expect((await readsBetween(sandbox, target.id, updates[0]?.seq ?? 0)).length).toBeGreaterThan(0);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
  },
);

test(
  'status reads that keep lacking a field while verifying: the row says so and what to do; nothing is resent',
  scenario(
    'Every status read lacks `operation_status` while verifying',
    "Stops as Needs attention with TikTok's problem and what to do",
    "The row's chip says Needs attention and why; one update only",
  ),
  async ({ context, sandbox }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const prompt = await openPausePrompt(page, target);
    // From now on every read of this campaign lacks its status (the prompt has already read it).
    await addFaults(sandbox, [
      { path: 'campaign/get', kind: 'missing-fields', fields: ['operation_status'], ids: [target.id], times: 10_000 },
    ]);
    await prompt.confirm();
    const sent = await waitForUpdate(sandbox, target.id, (u) => u.code === 0);

    const chip = chipOf(page, target.id);
    await expect(chip).toHaveText('Needs attention', { timeout: 30_000 });
    await expect(chip).toHaveAttribute(
      'title',
      /TikTok sent an answer SafePause cannot read \(campaign\/get\/:.*operation_status/,
    );
    await expect(chip).toHaveAttribute('title', /send a support report/);
    await page.waitForTimeout(2_000);
    expect(await statusUpdates(sandbox, target.id)).toEqual([expect.objectContaining({ seq: sent.seq })]);
  },
);

test(
  'a status TikTok has and SafePause does not know, in the prompt’s read: shown as is, Pause stays off, nothing sent',
  scenario(
    "The confirm prompt's status read carries an unknown `operation_status` (`SUSPENDED_BY_REVIEW`)",
    'Shows the status as TikTok wrote it, says it only switches objects that are on or off, keeps Pause disabled',
    'The prompt names the value; Pause is disabled; no update sent',
  ),
  async ({ context, sandbox }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    await addFaults(sandbox, [
      {
        path: 'campaign/get',
        kind: 'replace-fields',
        values: { operation_status: 'SUSPENDED_BY_REVIEW' },
        ids: [target.id],
        times: 10_000,
      },
    ]);
    await (await controlOnRowOf(page, target.id, `Pause campaign ${target.name}`)).click();
    const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
    const dialog = prompt.getByRole('dialog', { name: 'Pause campaign?' });
    await expect(dialog).toContainText('SUSPENDED_BY_REVIEW');
    await expect(dialog).toContainText('SafePause only switches objects that are on or off');
    await expect(prompt.getByRole('button', { name: 'Pause campaign' })).toBeDisabled();
    await page.waitForTimeout(1_500);
    expect(await statusUpdates(sandbox)).toHaveLength(0);
    expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');
  },
);

test(
  'numbers where TikTok documents strings, in the prompt’s read: a clear error naming the field, nothing sent',
  scenario(
    "The confirm prompt's status read has numbers where strings belong (`campaign_name`, `modify_time`)",
    'Refuses to offer Pause; the prompt names the field and what it got',
    "The prompt's alert names campaign/get, the field and the type; no update sent",
  ),
  async ({ context, sandbox }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    await addFaults(sandbox, [
      {
        path: 'campaign/get',
        kind: 'replace-fields',
        values: { campaign_name: 12345, modify_time: 1733500000 },
        ids: [target.id],
        times: 10_000,
      },
    ]);
    await (await controlOnRowOf(page, target.id, `Pause campaign ${target.name}`)).click();
    const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
    const alert = prompt.getByRole('alert');
    await expect(alert).toContainText('TikTok sent an answer SafePause cannot read (campaign/get/');
    await expect(alert).toContainText('campaign_name');
    await expect(alert).toContainText('expected string, received number');
    await expect(prompt.getByRole('button', { name: 'Pause campaign' })).toHaveCount(0);
    await page.waitForTimeout(1_500);
    expect(await statusUpdates(sandbox)).toHaveLength(0);
    expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');
  },
);

test(
  '"-" for spend in every report: the prompt says not reported, the pause still goes out once and is confirmed',
  scenario(
    'Every report answers `"-"` for spend (the prompt’s, and the spend watch’s)',
    'Shows spend as not reported and says the leak cannot be measured; still pauses and verifies by reading',
    'The prompt shows "not reported" and the note; one update; the row reaches Paused; TikTok shows it paused',
  ),
  async ({ context, sandbox }) => {
    await addFaults(sandbox, [
      { path: 'report/integrated/get', kind: 'replace-fields', values: { spend: '-' }, times: 10_000 },
    ]);
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
    const { dialog, confirm } = await openPausePrompt(page, target);
    await expect(dialog).toContainText('Spend todaynot reported');
    await expect(dialog).toContainText('TikTok\'s report gives no spend figure for it today ("-")');
    await expect(dialog).not.toContainText('- USD');
    await confirm();
    await expect(chipOf(page, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 30_000 });
    const updates = await statusUpdates(sandbox);
    expect(updates.map((u) => u.body.campaign_ids)).toEqual([[target.id]]);
    expect((await sandbox.requests('report/integrated/get')).some((r) => r.fault?.kind === 'replace-fields')).toBe(
      true,
    );
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
  },
);
