import { expect, type Locator, type Page } from '@playwright/test';
import type { RunningSandbox } from '../../../sandbox/server';
import { dismissAnnouncement, visibleRowTruth } from './sandbox-control';

type Level = 'campaign' | 'adgroup' | 'ad';
const WORDS: Record<Level, string> = { campaign: 'campaign', adgroup: 'ad group', ad: 'ad' };

/** Opens an Ads Manager list and waits until SafePause has drawn its row checkboxes. */
export async function openList(page: Page, sandbox: RunningSandbox, advertiserId: string, level: Level = 'campaign') {
  // The page's announcement comes back now and then over the table: dismiss it whenever it is in the way.
  await page.addLocatorHandler(page.locator('.vi-dialog--announcement'), () => dismissAnnouncement(page));
  await page.goto(sandbox.campaignPageUrl(advertiserId, level));
  await expect(page.getByRole('checkbox', { name: new RegExp(`^Select ${WORDS[level]} `) }).first()).toBeVisible({
    timeout: 30_000,
  });
  await dismissAnnouncement(page);
}

/** The rows on screen, top to bottom (waits out a re-render that briefly shows none). */
export async function onScreen(page: Page) {
  let rows: Awaited<ReturnType<typeof visibleRowTruth>> = [];
  await expect
    .poll(async () => {
      await dismissAnnouncement(page);
      rows = await visibleRowTruth(page);
      return rows.length;
    })
    .toBeGreaterThan(3);
  return rows.sort((a, b) => a.y - b.y);
}

/** The overlay checkbox on the row whose page props say it shows `id`: found by position, not by our attributes. */
export async function checkboxOnRowOf(page: Page, id: string, level: Level = 'campaign'): Promise<Locator> {
  const row = (await visibleRowTruth(page)).find((r) => r.id === id);
  if (!row) throw new Error(`row ${id} is not visible`);
  const boxes = page.getByRole('checkbox', { name: `Select ${WORDS[level]} ${row.name}`, exact: true });
  const count = await boxes.count();
  for (let i = 0; i < count; i += 1) {
    const box = await boxes.nth(i).boundingBox();
    if (box && Math.abs(box.y + box.height / 2 - row.y) < 20) return boxes.nth(i);
  }
  throw new Error(`no checkbox on the row of ${id}`);
}

/**
 * Scrolls the table with the mouse wheel, a few rows at a time (down, or up with `direction: -1`), until `id` is on
 * screen with its checkbox. Every row passed on the way gets its checkbox first: the overlay saw it.
 */
export async function scrollUntilVisible(page: Page, id: string, direction: 1 | -1 = 1) {
  await page.locator('ks-virtual-table').hover();
  for (let step = 0; step < 80; step += 1) {
    const truth = await onScreen(page);
    const edge = direction === 1 ? truth[truth.length - 1] : truth[0];
    if (edge)
      await expect.poll(async () => (await checkboxOnRowOf(page, edge.id).catch(() => null)) !== null).toBe(true);
    if (truth.some((r) => r.id === id)) return;
    await expect(async () => {
      await dismissAnnouncement(page);
      await page.locator('ks-virtual-table').hover();
      await page.mouse.wheel(0, 144 * direction);
      await expect.poll(async () => (await onScreen(page))[0]?.id, { timeout: 2000 }).not.toBe(truth[0]?.id);
    }).toPass();
  }
  throw new Error(`row ${id} never came into view`);
}

/** The selection bar's count (an `output`, role status), e.g. `27 selected`. */
export function selectedCount(page: Page, count: number): Locator {
  return page.getByRole('status').filter({ hasText: new RegExp(`^${count} selected$`) });
}
