import type { Page } from '@playwright/test';
import type { RunningSandbox } from '../../../sandbox/server';
import { expect } from './fixtures';
import type { StatusUpdate } from './pause-flow';
import { control } from './sandbox-control';

// Emergency stop runs from the popup alone (no Ads Manager tab), on the sandbox's second advertiser, rebuilt for
// each test with an exact number of switched-on and switched-off campaigns.

export interface SandboxObject {
  id: string;
  operation_status: string;
  deleted: boolean;
  spend_lifetime_minor: number;
}

export async function campaignsOf(sandbox: RunningSandbox, advertiserId: string): Promise<SandboxObject[]> {
  const state = await control<{ objects: SandboxObject[] }>(
    sandbox,
    'GET',
    `state?level=campaign&advertiser_id=${advertiserId}`,
  );
  return state.objects;
}

/** Rebuilds the second advertiser with exactly `on` campaigns switched on and `off` switched off (plus frozen/deleted ones TikTok keeps). */
export async function prepare(sandbox: RunningSandbox, on: number, off: number) {
  await control(sandbox, 'POST', 'reset', {
    seed: 1,
    campaigns: 1000,
    secondAdvertiserCampaigns: Math.ceil((on + off) * 1.06) + 20,
    processingDelayMs: 1500,
    rateLimits: { appQps: 10, appQpm: 600, advertiserQps: 10, enabled: true },
  });
  const advertiserId = sandbox.advertiserIds[1] ?? '';
  const all = await campaignsOf(sandbox, advertiserId);
  const usable = all.filter((c) => !c.deleted && c.operation_status !== 'FROZEN');
  if (usable.length < on + off) throw new Error(`only ${usable.length} usable campaigns`);
  const onIds = usable.slice(0, on).map((c) => c.id);
  const offIds = usable.slice(on).map((c) => c.id);
  const set = (id: string, status: 'ENABLE' | 'DISABLE') =>
    control(sandbox, 'POST', 'objects/status', { level: 'campaign', id, operation_status: status });
  for (let i = 0; i < all.length; i += 50) {
    await Promise.all(usable.slice(i, i + 50).map((c) => set(c.id, onIds.includes(c.id) ? 'ENABLE' : 'DISABLE')));
  }
  await control(sandbox, 'DELETE', 'requests');
  const truth = await campaignsOf(sandbox, advertiserId);
  expect(truth.filter((c) => c.operation_status === 'ENABLE' && !c.deleted)).toHaveLength(on);
  return { advertiserId, onIds, offIds: offIds.slice(0, Math.max(off, offIds.length)) };
}

export async function openEmergency(page: Page, extensionId: string, advertiserId: string, count: number) {
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  await page.getByRole('combobox', { name: 'Advertiser' }).selectOption(advertiserId);
  await page.getByRole('button', { name: 'Stop all spend' }).click();
  const dialog = page.getByRole('dialog', { name: /^Stop all spend of / });
  await expect(dialog).toContainText(`${count} campaigns are switched on`, { timeout: 30_000 });
  const confirm = dialog.getByRole('button', { name: `Stop ${count} campaigns`, exact: true });
  const typed = dialog.getByRole('textbox', { name: `Type the advertiser name or ${count} to confirm` });
  await expect(confirm).toBeDisabled();
  await typed.fill(String(count - 1));
  await expect(confirm).toBeDisabled();
  await typed.fill(String(count));
  await expect(confirm).toBeEnabled();
  return { dialog, confirm };
}

export function accepted(updates: StatusUpdate[], action: 'DISABLE' | 'ENABLE'): StatusUpdate[] {
  return updates.filter((u) => u.code === 0 && u.body.operation_status === action);
}
