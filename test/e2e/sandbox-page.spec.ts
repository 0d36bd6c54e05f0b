import { type Browser, type BrowserContext, chromium, expect, type Locator, type Page, test } from '@playwright/test';
import { startSandbox } from '../../sandbox/server';

// The sandbox's Ads Manager page must keep every hard property of the real page
// (shared spec: ads-manager-page.md). These tests drive it only as a person or a content script
// could: wheel, keyboard, clicks, and reads of the page's own DOM and element properties.

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sandbox: Sandbox;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let advertiserId: string;

const ROW_ID_PATTERN = /^\d{15,19}$/;

test.beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, campaigns: 1000 });
  advertiserId = sandbox.advertiserIds[0] ?? '';
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

test.beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`The page opened a ${dialog.type()} dialog: ${dialog.message()}`);
  });
});

test.afterEach(async () => {
  await context.close();
});

function pageUrl(level: 'campaign' | 'adgroup' | 'ad', fast = true): string {
  const query = new URLSearchParams({ aadvid: advertiserId, st: '2025-03-01', et: '2025-03-07' });
  if (fast) query.set('sp_fast', '1');
  return `${sandbox.url}/i18n/manage/${level}?${query}`;
}

function nameLinks(target: Page): Locator {
  return target.locator('ks-virtual-table > .ks-virtual-table__cell > a.KsLink');
}

/** Opens a level, waits for rows, and dismisses the announcement that covers the page. */
async function openLevel(level: 'campaign' | 'adgroup' | 'ad' = 'campaign'): Promise<void> {
  await page.goto(pageUrl(level));
  await expect(nameLinks(page).first()).toBeVisible();
  await page.getByRole('button', { name: 'Got it' }).click();
  await expect(page.locator('.vi-dialog')).toHaveCount(0);
}

/** The record behind every rendered name cell, read from the page world's element properties. */
function readNameRecords(target: Page) {
  return target.evaluate(() => {
    const table = document.querySelector('ks-virtual-table');
    const links = Array.from(table?.querySelectorAll(':scope > .ks-virtual-table__cell > a.KsLink') ?? []);
    return links.map((link) => {
      const cell = link.parentElement as HTMLElement;
      const key = Object.keys(cell).find((name) => name.startsWith('__reactProps$')) ?? '';
      const props = (cell as unknown as Record<string, { children?: { props?: { record?: Record<string, string> } } }>)[
        key
      ];
      return {
        record: props?.children?.props?.record ?? {},
        text: link.textContent ?? '',
        transform: cell.style.transform,
      };
    });
  });
}

/** The campaign ID of the top visible row (the name cell with the smallest translateY below the header). */
function topCampaignId(target: Page) {
  return target.evaluate(() => {
    const table = document.querySelector('ks-virtual-table') as HTMLElement;
    const header = table.querySelector(':scope > .ks-virtual-table__header-cell') as HTMLElement;
    let best: { y: number; id: string } | null = null;
    for (const link of table.querySelectorAll(':scope > .ks-virtual-table__cell > a.KsLink')) {
      const cell = link.parentElement as HTMLElement;
      const y = Number(/translateY\((-?[\d.]+)px\)/.exec(cell.style.transform)?.[1] ?? Number.NaN);
      if (!(y >= header.offsetHeight - 1)) continue;
      const key = Object.keys(cell).find((name) => name.startsWith('__reactProps$')) ?? '';
      const record = (cell as unknown as Record<string, { children: { props: { record: { campaign_id: string } } } }>)[
        key
      ]?.children.props.record;
      if (record && (!best || y < best.y)) best = { y, id: record.campaign_id };
    }
    return best?.id ?? '';
  });
}

test('with 1,000 campaigns only a bounded pool of rows exists', async () => {
  const response = await page.request.get(
    `${sandbox.url}/__sandbox/page-api/rows?level=campaign&aadvid=${encodeURIComponent(advertiserId)}`,
  );
  const total = ((await response.json()) as { rows: unknown[] }).rows.length;
  expect(total).toBeGreaterThan(900);
  await openLevel();
  await expect(page.locator('ks-virtual-table [slot="footer-name"]')).toContainText(total.toLocaleString('en-US'));
  const links = await nameLinks(page).count();
  expect(links).toBeGreaterThan(5);
  expect(links).toBeLessThan(50);
  const body = await page.locator('ks-virtual-table > .ks-virtual-table__cell').count();
  expect(body).toBeLessThan(50 * 9);
  await expect(page.locator('ks-virtual-table [slot="footer-stat_cost"]')).toHaveText(/\d/);
});

test('there is no row container: link -> clipped cell wrapper -> KS-VIRTUAL-TABLE', async () => {
  await openLevel();
  const facts = await page.evaluate(() => {
    const links = Array.from(document.querySelectorAll('ks-virtual-table a.KsLink--inherit'));
    return links.map((link) => {
      const cell = link.parentElement as HTMLElement;
      return {
        grandparent: cell.parentElement?.tagName,
        cellClass: cell.className,
        overflow: getComputedStyle(cell).overflow,
        position: getComputedStyle(cell).position,
        transform: cell.style.transform,
      };
    });
  });
  expect(facts.length).toBeGreaterThan(5);
  for (const fact of facts) {
    expect(fact.grandparent).toBe('KS-VIRTUAL-TABLE');
    expect(fact.cellClass).toBe('ks-virtual-table__cell cl-w-full cl-overflow-hidden');
    expect(fact.overflow).toBe('hidden');
    expect(fact.position).toBe('absolute');
    expect(fact.transform).toMatch(/^translateY\(-?\d+(\.\d+)?px\)$/);
  }
  const outside = await page.evaluate(
    () => document.querySelectorAll('a.KsLink.KsLink--inherit:not(ks-virtual-table a)').length,
  );
  expect(outside).toBeGreaterThan(0);
});

test('wheel scrolling moves cells by translateY, recycles elements and never scrolls the window', async () => {
  await openLevel();
  await page.evaluate(() => {
    const counter = { scrolls: 0 };
    Object.defineProperty(window, '__windowScrolls', { value: counter });
    window.addEventListener('scroll', () => counter.scrolls++);
    document.addEventListener('scroll', () => counter.scrolls++);
  });
  const cell = await page.evaluateHandle(
    () => document.querySelector('ks-virtual-table a.KsLink--inherit')?.parentElement as HTMLElement,
  );
  const readCell = () =>
    cell.evaluate((element) => {
      const key = Object.keys(element).find((name) => name.startsWith('__reactProps$')) ?? '';
      const props = (
        element as unknown as Record<string, { children: { props: { record: { campaign_id: string } } } }>
      )[key];
      const link = element.querySelector('a') as HTMLAnchorElement;
      const linkKey = Object.keys(link).find((name) => name.startsWith('__reactProps$')) ?? '';
      const linkProps = (link as unknown as Record<string, { children: string }>)[linkKey];
      return {
        id: props?.children.props.record.campaign_id,
        transform: element.style.transform,
        connected: element.isConnected,
        linkText: link.textContent,
        linkChildren: linkProps?.children,
      };
    });
  const before = await readCell();
  expect(before.id).toMatch(ROW_ID_PATTERN);
  const topBefore = await topCampaignId(page);

  const table = page.locator('ks-virtual-table');
  await table.hover();
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 700);

  await expect.poll(async () => (await readCell()).id).not.toBe(before.id);
  const after = await readCell();
  expect(after.connected).toBe(true);
  expect(after.transform).not.toBe(before.transform);
  expect(after.linkText).toBe(after.linkChildren);
  expect(await topCampaignId(page)).not.toBe(topBefore);

  const windowState = await page.evaluate(() => ({
    scrollY: window.scrollY,
    scrollX: window.scrollX,
    scrolls: (window as unknown as { __windowScrolls: { scrolls: number } }).__windowScrolls.scrolls,
  }));
  expect(windowState).toEqual({ scrollY: 0, scrollX: 0, scrolls: 0 });

  // Cells of one row are related only by their vertical position: each name cell has a status cell at its y.
  const aligned = await page.evaluate(() => {
    const table = document.querySelector('ks-virtual-table') as HTMLElement;
    const statusYs = new Set(
      Array.from(table.querySelectorAll(':scope > .ks-virtual-table__cell > ks-switch-1-2-3')).map(
        (element) => (element.parentElement as HTMLElement).style.transform,
      ),
    );
    return Array.from(table.querySelectorAll(':scope > .ks-virtual-table__cell > a.KsLink')).every((link) =>
      statusYs.has((link.parentElement as HTMLElement).style.transform),
    );
  });
  expect(aligned).toBe(true);
});

test('keyboard scrolling works while the table is focused', async () => {
  await openLevel();
  const topBefore = await topCampaignId(page);
  await page.locator('ks-virtual-table').focus();
  await page.keyboard.press('PageDown');
  await expect.poll(() => topCampaignId(page)).not.toBe(topBefore);
  const afterPage = await topCampaignId(page);
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => topCampaignId(page)).not.toBe(afterPage);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test('row IDs are only in __reactProps$ properties, never in visible text or attributes', async () => {
  await openLevel();
  const rows = await readNameRecords(page);
  const ids = rows.map((row) => row.record.campaign_id ?? '');
  // A name may end with an ID on purpose (some teams do that); those rows cannot prove absence from text.
  const hiddenIds = rows
    .filter((row) => !row.text.includes(row.record.campaign_id ?? '-'))
    .map((row) => row.record.campaign_id ?? '');
  expect(ids.length).toBeGreaterThan(5);
  for (const [index, row] of rows.entries()) {
    expect(ids[index]).toMatch(ROW_ID_PATTERN);
    expect(row.record.advertiser_id).toBe(advertiserId);
    expect(row.record.campaign_name).toBe(row.text);
  }
  const exposure = await page.evaluate((rowIds) => {
    const attributes: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const element of Array.from(root.querySelectorAll('*'))) {
        for (const attribute of Array.from(element.attributes)) attributes.push(attribute.value);
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    const text = document.body.textContent ?? '';
    const table = document.querySelector('ks-virtual-table') as HTMLElement;
    const link = table.querySelector('a.KsLink--inherit') as HTMLElement;
    const cell = link.parentElement as HTMLElement;
    const propsKeys = Object.keys(cell).filter((key) => key.startsWith('__react'));
    const suffixes = new Set(propsKeys.map((key) => key.split('$')[1]));
    const fiberKey = propsKeys.find((key) => key.startsWith('__reactFiber$')) ?? '';
    const fiber = (cell as unknown as Record<string, { memoizedProps: { record: Record<string, string> } }>)[fiberKey];
    const linkKeys = Object.keys(link).filter((key) => key.startsWith('__reactProps$'));
    return {
      inText: rowIds.filter((id) => text.includes(id)),
      inAttributes: rowIds.filter((id) => attributes.some((value) => value.includes(id))),
      propsKeys: propsKeys.map((key) => key.replace(/\$.*/, '$')).sort(),
      suffixes: [...suffixes],
      fiberRecordId: fiber?.memoizedProps.record.campaign_id,
      linkKeys: linkKeys.length,
      sameSuffixOnLink: linkKeys.every((key) => suffixes.has(key.split('$')[1])),
    };
  }, hiddenIds);
  expect(hiddenIds.length).toBeGreaterThan(5);
  expect(exposure.inText).toEqual([]);
  expect(exposure.inAttributes).toEqual([]);
  expect(exposure.propsKeys).toEqual(['__reactFiber$', '__reactProps$']);
  expect(exposure.suffixes).toHaveLength(1);
  expect(exposure.suffixes[0]).toMatch(/^[0-9a-z]{10}$/);
  expect(exposure.fiberRecordId).toMatch(ROW_ID_PATTERN);
  expect(exposure.linkKeys).toBe(1);
  expect(exposure.sameSuffixOnLink).toBe(true);
});

test('the Custom columns button reveals the hidden ID column', async () => {
  await openLevel();
  const topId = await topCampaignId(page);
  await expect(page.locator('body')).not.toContainText(topId);
  await page.getByRole('button', { name: 'Custom columns' }).click();
  await page.getByRole('checkbox', { name: 'ID', exact: true }).check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(
    page.locator('ks-virtual-table > .ks-virtual-table__header-cell', { hasText: 'Campaign ID' }),
  ).toBeVisible();
  await expect(page.locator('ks-virtual-table')).toContainText(topId);
});

test('ks-* components render into open shadow roots; each row has an On/Off switch', async () => {
  await openLevel();
  const shadows = await page.evaluate(() =>
    ['ks-button-1-1-14', 'ks-icon-button-1-1-14', 'ks-text-2-0-3', 'ks-switch-1-2-3', 'ks-virtual-table'].map((tag) => {
      const elements = Array.from(document.querySelectorAll(tag));
      return { tag, count: elements.length, open: elements.every((element) => element.shadowRoot !== null) };
    }),
  );
  for (const shadow of shadows) {
    expect(shadow.count, shadow.tag).toBeGreaterThan(0);
    expect(shadow.open, shadow.tag).toBe(true);
  }
  const switches = await page.evaluate(() => {
    const hosts = Array.from(document.querySelectorAll('ks-virtual-table > .ks-virtual-table__cell > ks-switch-1-2-3'));
    return hosts.map((host) => {
      const button = host.shadowRoot?.querySelector('button');
      return {
        role: button?.getAttribute('role'),
        label: button?.getAttribute('aria-label'),
        checked: button?.getAttribute('aria-checked'),
      };
    });
  });
  expect(switches.length).toBe(await nameLinks(page).count());
  for (const toggle of switches) {
    expect(toggle.role).toBe('switch');
    expect(toggle.label).toBe('On/Off');
    expect(['true', 'false']).toContain(toggle.checked);
  }
});

test('a route change to ad groups keeps the same document', async () => {
  await openLevel();
  await page.evaluate(() => Object.defineProperty(window, '__documentMarker', { value: 'same document' }));
  const readMarker = () =>
    page.evaluate(() => (window as unknown as { __documentMarker?: string }).__documentMarker ?? 'new document');

  const [first] = await readNameRecords(page);
  const campaignId = first?.record.campaign_id ?? '';
  await nameLinks(page).first().click();
  await expect(page).toHaveURL(new RegExp(`/i18n/manage/adgroup\\?.*campaign_id=${campaignId}`));
  await expect(page.getByRole('tab', { name: 'Ad groups' })).toHaveAttribute('aria-selected', 'true');
  await expect
    .poll(async () => {
      const rows = await readNameRecords(page);
      return rows.length > 0 && rows.every((row) => row.record.campaign_id === campaignId && !!row.record.adgroup_id);
    })
    .toBe(true);
  expect(await readMarker()).toBe('same document');

  await page.getByRole('tab', { name: 'Ads' }).click();
  await expect(page).toHaveURL(/\/i18n\/manage\/ad\?/);
  await expect
    .poll(async () => {
      const rows = await readNameRecords(page);
      return rows.length > 0 && rows.every((row) => !!row.record.ad_id);
    })
    .toBe(true);

  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL(/\/i18n\/manage\/campaign\?/);
  await expect
    .poll(async () => {
      const rows = await readNameRecords(page);
      return rows.length > 0 && rows.every((row) => !row.record.adgroup_id);
    })
    .toBe(true);
  expect(await readMarker()).toBe('same document');
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
});

test("the page's own switch turns a campaign off and the page API reflects it", async () => {
  await openLevel();
  const target = await page.evaluate(() => {
    const table = document.querySelector('ks-virtual-table') as HTMLElement;
    const box = table.getBoundingClientRect();
    const hosts = Array.from(table.querySelectorAll(':scope > .ks-virtual-table__cell > ks-switch-1-2-3'));
    for (const [index, host] of hosts.entries()) {
      const button = host.shadowRoot?.querySelector('button');
      const rect = host.getBoundingClientRect();
      if (!button || button.disabled || button.getAttribute('aria-checked') !== 'true') continue;
      if (host.parentElement?.querySelector('ks-text-2-0-3')?.textContent !== 'Active') continue;
      if (rect.top < box.top + 60 || rect.bottom > box.bottom - 60) continue;
      const cell = host.parentElement as HTMLElement;
      const key = Object.keys(cell).find((name) => name.startsWith('__reactProps$')) ?? '';
      const record = (cell as unknown as Record<string, { children: { props: { record: { campaign_id: string } } } }>)[
        key
      ]?.children.props.record;
      if (!record) continue;
      return { index, id: record.campaign_id, transform: cell.style.transform };
    }
    return null;
  });
  expect(target).not.toBeNull();
  if (!target) return;
  const host = page.locator('ks-virtual-table > .ks-virtual-table__cell > ks-switch-1-2-3').nth(target.index);
  await host.click();
  await expect(host.getByRole('switch')).toHaveAttribute('aria-checked', 'false');

  const response = await page.request.get(
    `${sandbox.url}/__sandbox/page-api/rows?level=campaign&aadvid=${encodeURIComponent(advertiserId)}`,
  );
  const body = (await response.json()) as { rows: Array<{ id: string; on: boolean }> };
  expect(body.rows.find((row) => row.id === target.id)?.on).toBe(false);

  // After the page re-fetches, the row it shows at that position is still off.
  await expect(host.getByRole('switch')).toHaveAttribute('aria-checked', 'false');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test('a hostile name renders as plain text', async () => {
  const response = await page.request.get(
    `${sandbox.url}/__sandbox/page-api/rows?level=campaign&aadvid=${encodeURIComponent(advertiserId)}`,
  );
  const body = (await response.json()) as { rows: Array<{ id: string; name: string }> };
  const hostile = body.rows.find((row) => /<img|<script/i.test(row.name));
  expect(hostile, 'the seeded data holds an HTML-like name').toBeTruthy();
  if (!hostile) return;
  await openLevel();
  await page.getByRole('searchbox', { name: 'Search' }).fill(hostile.name);
  const link = nameLinks(page).filter({ hasText: hostile.name.trim() }).first();
  await expect(link).toBeVisible();
  expect(await link.textContent()).toBe(hostile.name);
  const injected = await page.evaluate(() => ({
    img: document.querySelectorAll('ks-virtual-table img, ks-virtual-table script').length,
    scripts: Array.from(document.scripts).filter((script) => !script.src).length,
  }));
  expect(injected).toEqual({ img: 0, scripts: 0 });
});

test('by default the page renders in stages: chrome, empty table, rows with "--" metrics, then metrics', async () => {
  await page.addInitScript(() => {
    const log = { table: -1, rows: -1, dashes: -1, metrics: -1 };
    Object.defineProperty(window, '__stageLog', { value: log });
    const check = () => {
      const now = performance.now();
      const table = document.querySelector('ks-virtual-table');
      if (!table) return;
      if (log.table < 0) log.table = now;
      if (log.rows < 0 && table.querySelector('a.KsLink')) log.rows = now;
      const costHeader = Array.from(
        table.querySelectorAll<HTMLElement>(':scope > .ks-virtual-table__header-cell'),
      ).find((cell) => cell.textContent?.trim() === 'Cost');
      if (!costHeader) return;
      for (const cell of Array.from(table.querySelectorAll<HTMLElement>(':scope > .ks-virtual-table__cell'))) {
        if (cell.style.left !== costHeader.style.left) continue;
        const text = cell.textContent?.trim() ?? '';
        if (text === '--' && log.dashes < 0) log.dashes = now;
        if (/\d/.test(text) && log.metrics < 0) log.metrics = now;
      }
    };
    new MutationObserver(check).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
  await page.goto(pageUrl('campaign', false));
  await expect(page.getByRole('tab', { name: 'Campaigns' })).toBeVisible();
  await expect(page.locator('ks-virtual-table [slot="footer-stat_cost"]')).toHaveText(/\d/);
  const log = await page.evaluate(
    () => (window as unknown as { __stageLog: Record<'table' | 'rows' | 'dashes' | 'metrics', number> }).__stageLog,
  );
  expect(log.table).toBeGreaterThan(0);
  expect(log.rows).toBeGreaterThan(log.table);
  expect(log.rows - log.table).toBeGreaterThan(300);
  expect(log.dashes).toBeGreaterThanOrEqual(log.rows);
  expect(log.metrics).toBeGreaterThan(log.dashes);
});
