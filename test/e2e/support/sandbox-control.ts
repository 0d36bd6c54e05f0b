import type { Page } from '@playwright/test';
import type { RunningSandbox } from '../../../sandbox/server';

/** Calls the sandbox's control API (/__sandbox/...). */
export async function control<T = unknown>(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${sandbox.url}/__sandbox/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`control ${method} ${path}: HTTP ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface PageRow {
  id: string;
  name: string;
  on: boolean;
  status_label: string;
}

/** What the sandbox page lists, in the page's order (the truth for a level). */
export async function pageRows(sandbox: RunningSandbox, advertiserId: string, level = 'campaign'): Promise<PageRow[]> {
  const response = await fetch(`${sandbox.url}/__sandbox/page-api/rows?level=${level}&aadvid=${advertiserId}`);
  const json = (await response.json()) as { rows: PageRow[] };
  return json.rows;
}

/**
 * The rows the page shows right now, read from the page's own framework props in its world (the truth of
 * which object each on-screen row is), with the vertical centre of each name link.
 */
export async function visibleRowTruth(page: Page): Promise<{ id: string; name: string; y: number }[]> {
  return page.evaluate(() => {
    const out: { id: string; name: string; y: number }[] = [];
    const table = document.querySelector('ks-virtual-table');
    if (!table) return out;
    const tableRect = table.getBoundingClientRect();
    const footer = table.querySelector(':scope > [slot^="footer-"]');
    let bottom = footer ? footer.getBoundingClientRect().top : tableRect.bottom;
    for (let el: Element | null = (footer as HTMLElement | null)?.assignedSlot ?? null; el; el = el.parentElement) {
      // Only the bar along the bottom edge covers rows, not a container that starts at the table's top.
      const top = el.getBoundingClientRect().top;
      if (top > tableRect.top + 50) bottom = Math.min(bottom, top);
    }
    for (const link of table.querySelectorAll<HTMLElement>(':scope > .ks-virtual-table__cell a.KsLink')) {
      const wrapper = link.parentElement as (HTMLElement & Record<string, unknown>) | null;
      if (!wrapper) continue;
      const key = Object.keys(wrapper).find((k) => k.startsWith('__reactProps$'));
      const props = key ? (wrapper[key] as { children?: { props?: { record?: Record<string, string> } } }) : undefined;
      const record = props?.children?.props?.record;
      const rect = link.getBoundingClientRect();
      const y = rect.top + rect.height / 2;
      if (!record || y < tableRect.top + 50 || y > bottom - 4) continue;
      const id = record.ad_id ?? record.adgroup_id ?? record.campaign_id;
      if (id) out.push({ id, name: link.textContent ?? '', y });
    }
    return out;
  });
}

/** Dismisses the page's own announcement pop-up if it is showing (as a person would). */
export async function dismissAnnouncement(page: Page): Promise<void> {
  const gotIt = page.getByRole('button', { name: 'Got it' });
  if (await gotIt.isVisible().catch(() => false)) await gotIt.click();
}

/** The overlay control drawn on the row whose page props say it shows `id`: found by position, not by our attributes. */
export async function controlOnRowOf(page: Page, id: string, label: string) {
  const truth = await visibleRowTruth(page);
  const row = truth.find((r) => r.id === id);
  if (!row) throw new Error(`row ${id} is not visible`);
  const buttons = page.getByRole('button', { name: label, exact: true });
  const count = await buttons.count();
  for (let i = 0; i < count; i += 1) {
    const box = await buttons.nth(i).boundingBox();
    if (box && Math.abs(box.y + box.height / 2 - row.y) < 20) return buttons.nth(i);
  }
  throw new Error(`no control "${label}" on the row of ${id}`);
}
