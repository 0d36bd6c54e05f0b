import type { Page } from '@playwright/test';
import type { RunningSandbox } from '../../sandbox/server';
import { scenario } from '../faults/support/faults';
import { expect, test } from './support/fixtures';
import {
  chipOf,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  type StatusUpdate,
  statusReadsOf,
  statusUpdates,
  stopExtensionWorker,
  type Target,
} from './support/pause-flow';
import { control, controlOnRowOf } from './support/sandbox-control';
import { escapeRegExp } from './support/text';

/**
 * Pausing through faults, against the built extension and the sandbox: the worker stopped at each step,
 * rate limits, server errors, hangs and refusals, and a person acting while a job waits. Every test checks
 * what the sandbox actually received.
 */

interface FaultPlan {
  path: string;
  kind: 'code' | 'hang' | 'apply-then-hang' | 'apply-then-code';
  ids?: string[];
  code?: number;
  message?: string;
  times?: number;
  delayMs?: number | null;
}

async function addFaults(sandbox: RunningSandbox, plans: FaultPlan[]): Promise<void> {
  await control(sandbox, 'POST', 'faults', plans);
}

async function operationStatus(sandbox: RunningSandbox, id: string): Promise<string> {
  const state = await control<{ objects: { operation_status: string }[] }>(
    sandbox,
    'GET',
    `state?level=campaign&ids=${id}`,
  );
  return state.objects[0]?.operation_status ?? 'missing';
}

/** Waits until the sandbox has logged a status update for `id` that matches `done`, and returns it. */
async function waitForUpdate(
  sandbox: RunningSandbox,
  id: string,
  done: (u: StatusUpdate) => boolean,
  timeout = 15_000,
): Promise<StatusUpdate> {
  let found: StatusUpdate | undefined;
  await expect
    .poll(
      async () => {
        found = (await statusUpdates(sandbox, id)).find(done);
        return found !== undefined;
      },
      { timeout, intervals: [50] },
    )
    .toBe(true);
  if (!found) throw new Error('unreachable');
  return found;
}

/** Opens the campaign list and the confirm prompt for a delivering campaign on screen. */
async function promptForVisibleCampaign(page: Page, sandbox: RunningSandbox, advertiserId: string) {
  const { target } = await deliveringVisibleCampaign(page, sandbox, advertiserId);
  const prompt = await openPausePrompt(page, target);
  return { target, prompt };
}

/** The pause ends Paused, then Spend stopped (report delay 0 in these tests). */
async function expectPausedAndSettled(page: Page, target: Target, timeout = 30_000): Promise<void> {
  const chip = chipOf(page, target.id);
  await expect(chip).toHaveText(/^(Paused|Spend stopped)$/, { timeout });
  await expect(chip).toHaveText('Spend stopped', { timeout: 60_000 });
}

function accepted(updates: StatusUpdate[]): StatusUpdate[] {
  return updates.filter((u) => u.code === 0);
}

test.beforeEach(async ({ sandbox, connect }) => {
  await control(sandbox, 'POST', 'reset', {
    seed: 1,
    campaigns: 200,
    processingDelayMs: 800,
    reportLatencyMinutes: 0,
  });
  await connect('session', { reportLatencyMinutes: 0 });
});

test(
  'worker stopped after the job is committed and before its update is sent: one accepted update after restart',
  scenario(
    'Service worker stopped (CDP) after the job is committed as sending, before its update leaves',
    'Resumes from IndexedDB, reads the status first (the outcome is unknown), then sends',
    'One accepted update after the restart, a status read before it; TikTok shows it paused',
  ),
  async ({ context, sandbox, extensionId }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target, prompt } = await promptForVisibleCampaign(page, sandbox, advertiserId);
    // The first attempt is rate-limited (refused, nothing applied); the status read that must precede the
    // retry then gets no answer, so the job sits committed in `retrying` with no accepted update.
    await addFaults(sandbox, [
      {
        path: 'campaign/status/update',
        kind: 'code',
        code: 40100,
        message: 'Requests made too frequently.',
        ids: [target.id],
      },
      { path: 'campaign/get', kind: 'hang', ids: [target.id], delayMs: null },
    ]);
    await prompt.confirm();

    const limited = await waitForUpdate(sandbox, target.id, (u) => u.code === 40100);
    let hungRead = 0;
    await expect
      .poll(
        async () => {
          const read = (await statusReadsOf(sandbox, target.id)).find(
            (r) => r.seq > limited.seq && r.fault?.kind === 'hang',
          );
          hungRead = read?.seq ?? 0;
          return hungRead;
        },
        { timeout: 15_000, intervals: [50] },
      )
      .toBeGreaterThan(0);
    await expect(chipOf(page, target.id)).toHaveText('Retrying');
    expect(accepted(await statusUpdates(sandbox, target.id))).toHaveLength(0);

    const { restarted } = await stopExtensionWorker(page, extensionId);
    // Nothing but the overlay's reconnect (or its next poll) wakes the worker: no page action is needed.
    await restarted;

    await expectPausedAndSettled(page, target);
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates.map((u) => u.code)).toEqual([40100, 0]);
    expect(accepted(updates)).toHaveLength(1);
    expect(updates[1]?.body).toMatchObject({
      advertiser_id: advertiserId,
      campaign_ids: [target.id],
      operation_status: 'DISABLE',
    });
    expect(updates[1]?.seq).toBeGreaterThan(hungRead);
    // The new worker read the status (unchanged) before it sent.
    const reads = await statusReadsOf(sandbox, target.id);
    expect(reads.some((r) => r.seq > hungRead && r.seq < (updates[1]?.seq ?? 0) && r.code === 0)).toBe(true);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
    expect(await statusUpdates(sandbox)).toHaveLength(2);
  },
);

test(
  'worker stopped after TikTok applied the update but before the answer came: confirmed by reading, not resending',
  scenario(
    'Service worker stopped (CDP) after TikTok applied the update, before its answer was read',
    'Treats the outcome as unknown and confirms by reading; never resends what a read shows applied',
    'One update only; reads after the restart; the row and TikTok show it paused',
  ),
  async ({ context, sandbox, extensionId }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target, prompt } = await promptForVisibleCampaign(page, sandbox, advertiserId);
    // TikTok applies the change, and its answer never comes.
    await addFaults(sandbox, [{ path: 'campaign/status/update', kind: 'apply-then-hang', ids: [target.id] }]);
    await prompt.confirm();

    const sent = await waitForUpdate(sandbox, target.id, (u) => u.fault?.kind === 'apply-then-hang');
    await expect(chipOf(page, target.id)).toHaveText('Sending');

    const { restarted } = await stopExtensionWorker(page, extensionId);
    await restarted;

    await expectPausedAndSettled(page, target);
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.seq).toBe(sent.seq);
    expect(updates[0]?.code).toBeNull();
    const readsAfter = (await statusReadsOf(sandbox, target.id)).filter((r) => r.seq > sent.seq && r.code === 0);
    expect(readsAfter.length).toBeGreaterThan(0);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
    expect(await statusUpdates(sandbox)).toHaveLength(1);
  },
);

test(
  'worker stopped mid-send with no Ads Manager tab open: an alarm wakes it, and it confirms by reading',
  scenario(
    'Service worker stopped (CDP) mid-send with no Ads Manager tab open',
    'Its own backstop alarm wakes it; it reads the status back',
    'The woken worker reads the status; one update only; the row later shows the recorded outcome',
  ),
  async ({ context, sandbox, extensionId }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target, prompt } = await promptForVisibleCampaign(page, sandbox, advertiserId);
    await addFaults(sandbox, [{ path: 'campaign/status/update', kind: 'apply-then-hang', ids: [target.id] }]);
    await prompt.confirm();
    const sent = await waitForUpdate(sandbox, target.id, (u) => u.fault?.kind === 'apply-then-hang');

    // The person closes Ads Manager; then the worker is stopped. Nothing but an alarm can wake it now.
    const blank = await context.newPage();
    await page.close();
    await stopExtensionWorker(blank, extensionId);

    await expect
      .poll(async () => (await statusReadsOf(sandbox, target.id)).some((r) => r.seq > sent.seq && r.code === 0), {
        message: 'the woken worker reads the status back',
        timeout: 60_000,
        intervals: [500],
      })
      .toBe(true);
    expect(await statusUpdates(sandbox)).toHaveLength(1);

    // Back in Ads Manager, the row shows the outcome SafePause recorded meanwhile.
    const again = await openCampaignPage(context, sandbox);
    await expect(chipOf(again.page, target.id)).toHaveText(/^(Paused|Spend stopped)$/, { timeout: 30_000 });
    expect(await statusUpdates(sandbox)).toHaveLength(1);
    expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
  },
);

const TRANSIENT: { name: string; plan: Omit<FaultPlan, 'path' | 'ids'>; firstCode: number | null }[] = [
  {
    name: '40100 (app rate limit)',
    plan: { kind: 'code', code: 40100, message: 'Requests made too frequently.' },
    firstCode: 40100,
  },
  {
    name: '40133 (advertiser rate limit)',
    plan: { kind: 'code', code: 40133, message: 'Requests made too frequently at the advertiser level.' },
    firstCode: 40133,
  },
  {
    name: '50002 (TikTok failed to process)',
    plan: {
      kind: 'code',
      code: 50002,
      message: 'An error occurred while processing the request, please try again later.',
    },
    firstCode: 50002,
  },
  // No answer at all: the client gives up after its 15 s timeout, reads the status, then sends again.
  { name: 'a hang past the client timeout', plan: { kind: 'hang', delayMs: null }, firstCode: null },
];

for (const fault of TRANSIENT) {
  test(
    `${fault.name} on the first attempt: read, retried once, paused with one accepted update`,
    scenario(
      `${fault.name} answered to the first status update`,
      'Backs off, reads the status before sending again',
      'Updates answered [the fault, 0]; a status read between them; Spend stopped; TikTok shows it paused',
    ),
    async ({ context, sandbox }) => {
      const { page, advertiserId } = await openCampaignPage(context, sandbox);
      const { target, prompt } = await promptForVisibleCampaign(page, sandbox, advertiserId);
      await addFaults(sandbox, [{ path: 'campaign/status/update', ids: [target.id], ...fault.plan }]);
      await prompt.confirm();

      await expectPausedAndSettled(page, target, 45_000);
      const updates = await statusUpdates(sandbox, target.id);
      expect(updates.map((u) => u.code)).toEqual([fault.firstCode, 0]);
      expect(updates[0]?.fault).not.toBeNull();
      expect(accepted(updates)).toHaveLength(1);
      for (const u of updates) {
        expect(u.body).toMatchObject({
          advertiser_id: advertiserId,
          campaign_ids: [target.id],
          operation_status: 'DISABLE',
        });
      }
      // Reconcile before resend: a status read lies between the failed attempt and the accepted one.
      const [failed, ok] = updates as [StatusUpdate, StatusUpdate];
      const reads = await statusReadsOf(sandbox, target.id);
      expect(reads.some((r) => r.seq > failed.seq && r.seq < ok.seq && r.code === 0)).toBe(true);
      expect(await operationStatus(sandbox, target.id)).toBe('DISABLE');
      expect(await statusUpdates(sandbox)).toHaveLength(2);
    },
  );
}

const REFUSALS: { code: number; message: string }[] = [
  { code: 40001, message: 'No permission to operate this campaign.' },
  { code: 40105, message: 'The access token is invalid or has been revoked.' },
];

for (const refusal of REFUSALS) {
  test(
    `${refusal.code} is shown on the row with TikTok's code and message, and not retried`,
    scenario(
      `${refusal.code} answered to the status update`,
      'Failed on the row with TikTok’s code and message; Pause offered again; not retried',
      'One update only after 3 s; the campaign still ENABLE',
    ),
    async ({ context, sandbox }) => {
      const { page, advertiserId } = await openCampaignPage(context, sandbox);
      const { target, prompt } = await promptForVisibleCampaign(page, sandbox, advertiserId);
      await addFaults(sandbox, [
        {
          path: 'campaign/status/update',
          kind: 'code',
          code: refusal.code,
          message: refusal.message,
          ids: [target.id],
        },
      ]);
      await prompt.confirm();

      const chip = chipOf(page, target.id);
      await expect(chip).toHaveText('Failed', { timeout: 30_000 });
      await expect(chip).toHaveAttribute('title', new RegExp(`TikTok code ${refusal.code}:`));
      await expect(chip).toHaveAttribute('title', new RegExp(escapeRegExp(refusal.message)));
      await expect(chip).toHaveAccessibleName(`campaign ${target.name}: Failed`);
      // The row offers Pause again (nothing changed), and the campaign is still delivering.
      await expect(await controlOnRowOf(page, target.id, `Pause campaign ${target.name}`)).toBeEnabled();

      // Longer than any retry backoff would wait: still exactly the one refused attempt.
      await page.waitForTimeout(3_000);
      const updates = await statusUpdates(sandbox, target.id);
      expect(updates).toHaveLength(1);
      expect(updates[0]?.code).toBe(refusal.code);
      expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');
      expect(await statusUpdates(sandbox)).toHaveLength(1);
    },
  );
}

test(
  'a person re-enables the campaign while the job waits to retry: Changed elsewhere, and no DISABLE after it',
  scenario(
    'TikTok applies the update but answers 50002; a person switches the campaign back on before the read is answered',
    'Reads before any retry, sees the person’s newer change and does not override it: Changed elsewhere',
    'One update only, none after the person’s change; the row says Changed elsewhere; the campaign stays ENABLE',
  ),
  async ({ context, sandbox }) => {
    const { page, advertiserId } = await openCampaignPage(context, sandbox);
    const { target, prompt } = await promptForVisibleCampaign(page, sandbox, advertiserId);
    // TikTok applies the pause but answers 50002, so the outcome is unknown and the job must read before it retries.
    await addFaults(sandbox, [
      { path: 'campaign/status/update', kind: 'apply-then-code', code: 50002, ids: [target.id] },
    ]);
    await prompt.confirm();
    await waitForUpdate(sandbox, target.id, (u) => u.code === 50002);
    // That read is answered slowly, so the person's change below certainly lands before TikTok answers it.
    await addFaults(sandbox, [{ path: 'campaign/get', kind: 'hang', ids: [target.id], delayMs: 4_000 }]);

    // The person sees it paused in Ads Manager and turns it back on.
    await expect.poll(() => operationStatus(sandbox, target.id), { intervals: [50] }).toBe('DISABLE');
    await control(sandbox, 'POST', 'objects/status', {
      level: 'campaign',
      id: target.id,
      operation_status: 'ENABLE',
      actor: 'person',
    });
    const personSeq = (await sandbox.requests('/__sandbox/objects/status')).at(-1)?.seq ?? 0;
    expect(personSeq).toBeGreaterThan(0);

    const chip = chipOf(page, target.id);
    await expect(chip).toHaveText('Changed elsewhere', { timeout: 30_000 });
    await expect(chip).toHaveAttribute('title', /did not override/);

    // Past any retry the job could still make: nothing was sent after the person's change.
    await page.waitForTimeout(3_000);
    const updates = await statusUpdates(sandbox, target.id);
    expect(updates.filter((u) => u.seq > personSeq)).toHaveLength(0);
    expect(updates.map((u) => u.code)).toEqual([50002]);
    expect(await operationStatus(sandbox, target.id)).toBe('ENABLE');
  },
);
