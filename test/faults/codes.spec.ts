import type { Page } from '@playwright/test';
import type { RunningSandbox } from '../../sandbox/server';
import { expect, test } from '../e2e/support/fixtures';
import {
  chipOf,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  statusReadsOf,
  statusUpdates,
  type Target,
} from '../e2e/support/pause-flow';
import { control } from '../e2e/support/sandbox-control';
import { escapeRegExp } from '../e2e/support/text';
import { addFaults, operationStatus, scenario } from './support/faults';

/**
 * Every TikTok error code of the API spec's table, answered to a row's pause in the built extension. The expected
 * class of each code is the spec's "Retry?" column, written out here (not read from SafePause's own table).
 */

/** The spec says retry (with backoff, later, or "maybe": SafePause retries those). */
const RETRYABLE = [40016, 40100, 40132, 40133, 40200, 40201, 40202, 40700, 50000, 50002, 51305, 60001];
/** The spec says no, plus a code that is in no table (unrecognised codes are not retried). */
const REFUSED = [
  40000, 40001, 40002, 40006, 40007, 40008, 40009, 40011, 40014, 40050, 40101, 40102, 40103, 40104, 40105, 40106, 40107,
  40110, 40113, 40118, 40119, 40300, 40301, 41000, 49999,
];

/** A delivering campaign on screen that no earlier step used; scrolls the list when all on screen were used. */
async function unusedCampaign(page: Page, sandbox: RunningSandbox, advertiserId: string, used: Set<string>) {
  for (let step = 0; step < 30; step++) {
    const target = await deliveringVisibleCampaign(page, sandbox, advertiserId, (c) => !used.has(c.id)).then(
      (found) => found.target,
      () => null,
    );
    if (target !== null && !used.has(target.id)) {
      used.add(target.id);
      return target;
    }
    await page.locator('ks-virtual-table').hover();
    await page.mouse.wheel(0, 288);
    await page.waitForTimeout(300);
  }
  throw new Error('no unused delivering campaign on screen');
}

async function pauseWithFault(page: Page, sandbox: RunningSandbox, target: Target, code: number, message: string) {
  await addFaults(sandbox, [{ path: 'campaign/status/update', kind: 'code', code, message, ids: [target.id] }]);
  const prompt = await openPausePrompt(page, target);
  await prompt.confirm();
}

test.beforeEach(async ({ sandbox, connect }) => {
  await control(sandbox, 'POST', 'reset', {
    seed: 3,
    campaigns: 200,
    processingDelayMs: 500,
    reportLatencyMinutes: 0,
  });
  await connect('session', { reportLatencyMinutes: 0 });
});

test(
  'every retryable TikTok code answered to the update: read, sent again once, paused with one accepted update',
  scenario(
    `Each retryable code of the spec (${RETRYABLE.join(', ')}) answered to a row's status update`,
    'Backs off, reads the status before sending again, sends once more',
    'Per code: updates answered [code, 0], a status read between them, TikTok shows it paused, the row says Paused',
  ),
  async ({ context, sandbox }, info) => {
    test.setTimeout(300_000);
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const used = new Set<string>();
    for (const code of RETRYABLE) {
      const target = await unusedCampaign(page, sandbox, advertiserId, used);
      await pauseWithFault(page, sandbox, target, code, `Injected ${code}.`);
      await expect(chipOf(page, target.id), `code ${code}`).toHaveText(/^(Paused|Spend stopped)$/, {
        timeout: 45_000,
      });
      const updates = await statusUpdates(sandbox, target.id);
      expect(
        updates.map((u) => u.code),
        `code ${code}`,
      ).toEqual([code, 0]);
      const [refused, ok] = updates;
      const reads = await statusReadsOf(sandbox, target.id);
      expect(
        reads.some((r) => r.seq > (refused?.seq ?? 0) && r.seq < (ok?.seq ?? 0) && r.code === 0),
        `code ${code}: a read before the resend`,
      ).toBe(true);
      expect(await operationStatus(sandbox, target.id), `code ${code}`).toBe('DISABLE');
    }
    // Nothing else was sent: two updates per code, each naming only its own campaign.
    const all = await statusUpdates(sandbox);
    expect(all).toHaveLength(RETRYABLE.length * 2);
    for (const u of all) expect((u.body as { campaign_ids: string[] }).campaign_ids).toHaveLength(1);
    info.annotations.push({ type: 'runs', description: `${RETRYABLE.length} codes` });
  },
);

test(
  'every non-retryable TikTok code answered to the update: shown on the row with its code and message, not retried',
  scenario(
    `Each non-retryable code of the spec (${REFUSED.slice(0, -1).join(', ')}) and an unrecognised one (49999) answered to a row's status update`,
    'Stops the job as Failed with TikTok’s code and message on the row; does not retry; offers Pause again',
    'Per code: one update only, the row says Failed with the code and message, the campaign still ENABLE',
  ),
  async ({ context, sandbox }, info) => {
    test.setTimeout(300_000);
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const used = new Set<string>();
    const failed: Target[] = [];
    for (const code of REFUSED) {
      const target = await unusedCampaign(page, sandbox, advertiserId, used);
      const message = `Injected refusal ${code} for <b>${target.id}</b>.`;
      await pauseWithFault(page, sandbox, target, code, message);
      const chip = chipOf(page, target.id);
      await expect(chip, `code ${code}`).toHaveText('Failed', { timeout: 30_000 });
      await expect(chip, `code ${code}`).toHaveAttribute('title', new RegExp(`\\(${code}\\)|code ${code}`));
      await expect(chip, `code ${code}`).toHaveAttribute('title', new RegExp(escapeRegExp(message)));
      failed.push(target);
    }
    // Longer than the first retry backoff after the last one: still exactly one refused attempt per code.
    await page.waitForTimeout(3_000);
    const all = await statusUpdates(sandbox);
    expect(all.map((u) => u.code)).toEqual(REFUSED);
    for (const target of failed) expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');
    info.annotations.push({ type: 'runs', description: `${REFUSED.length} codes` });
  },
);
