import { expect, test } from './support/fixtures';
import {
  closingPrompt,
  deliveringVisibleCampaign,
  openCampaignPage,
  openPausePrompt,
  statusUpdates,
} from './support/pause-flow';
import { control, controlOnRowOf, dismissAnnouncement, pageRows, visibleRowTruth } from './support/sandbox-control';

test.beforeEach(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', {
    seed: 1,
    campaigns: 10_000,
    processingDelayMs: 800,
    reportLatencyMinutes: 0,
  });
});

test('pausing a campaign sends exactly one update for exactly that ID, and the row shows it paused', async ({
  context,
  sandbox,
  connect,
}) => {
  await connect('session', { reportLatencyMinutes: 0 });
  const { page, advertiserId } = await openCampaignPage(context, sandbox);

  // A delivering campaign on screen whose name another campaign shares.
  const { target, rows } = await deliveringVisibleCampaign(
    page,
    sandbox,
    advertiserId,
    (candidate, all) => all.filter((r) => r.name === candidate.name).length > 1,
  );

  const { prompt, dialog } = await openPausePrompt(page, target);
  await expect(dialog).toContainText('Spend today');
  await expect(await statusUpdates(sandbox)).toHaveLength(0);
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Pause campaign' }).click());

  const chip = page.locator(`safepause-overlay .sp-control[data-object-id="${target.id}"] .sp-chip`);
  await expect(chip).toHaveText('Paused', { timeout: 30_000 });
  await expect(chip).toHaveText('Spend stopped', { timeout: 60_000 });
  const updates = await statusUpdates(sandbox);
  expect(updates).toHaveLength(1);
  expect(updates[0]?.body).toMatchObject({
    advertiser_id: advertiserId,
    campaign_ids: [target.id],
    operation_status: 'DISABLE',
  });

  await page.reload();
  await expect(page.getByRole('button', { name: /^Resume campaign / }).first()).toBeVisible({ timeout: 30_000 });
  const after = await pageRows(sandbox, advertiserId);
  expect(after.find((r) => r.id === target.id)?.on).toBe(false);
  expect(after.filter((r) => r.on !== rows.find((x) => x.id === r.id)?.on).map((r) => r.id)).toEqual([target.id]);
});

test('after scrolling, every control sits on its own row, and a recycled row sends nothing', async ({
  context,
  sandbox,
  connect,
}) => {
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(advertiserId));
  await expect(page.getByRole('button', { name: /^(Pause|Resume) campaign / }).first()).toBeVisible({
    timeout: 30_000,
  });
  await dismissAnnouncement(page);
  const table = page.locator('ks-virtual-table');
  await table.hover();
  for (let i = 0; i < 6; i += 1) await page.mouse.wheel(0, 900);
  await expect(async () => {
    const truth = await visibleRowTruth(page);
    const controls = await page.locator('safepause-overlay .sp-control').evaluateAll((els) =>
      els.map((el) => {
        const rect = el.getBoundingClientRect();
        return { id: el.getAttribute('data-object-id') ?? '', y: rect.top + rect.height / 2 };
      }),
    );
    expect(truth.length).toBeGreaterThan(5);
    for (const row of truth) {
      const mine = controls.find((c) => c.id === row.id);
      expect(mine, `control for ${row.id} ${JSON.stringify(row.name)} at ${row.y}`).toBeDefined();
      expect(Math.abs((mine?.y ?? 0) - row.y)).toBeLessThan(14);
    }
  }).toPass({ timeout: 15_000 });

  // The page recycles a row element to show another campaign with the same visible name (a duplicate) while
  // nothing visible changes: the control still stands there, and a click must send nothing.
  const rows = await pageRows(sandbox, advertiserId);
  const truth = await visibleRowTruth(page);
  const victim = truth.find((t) => rows.find((r) => r.id === t.id)?.on);
  if (!victim) throw new Error('no delivering campaign visible');
  const twin = rows.find((r) => r.id !== victim.id && r.on);
  if (!twin) throw new Error('no second campaign');
  const button = await controlOnRowOf(page, victim.id, `Pause campaign ${victim.name}`);
  // The page swaps the row's data at the very moment of the click (on pointerup, before the click event): the
  // control drawn for the old campaign still stands there, and the click must send nothing.
  await page.evaluate(
    ({ from, to }) => {
      const swap = () => {
        for (const link of document.querySelectorAll<HTMLElement>('ks-virtual-table a.KsLink')) {
          const wrapper = link.parentElement as (HTMLElement & Record<string, unknown>) | null;
          const key = wrapper && Object.keys(wrapper).find((k) => k.startsWith('__reactProps$'));
          const props = key ? (wrapper[key] as { children: { props: { record: Record<string, string> } } }) : null;
          if (props?.children.props.record.campaign_id === from) {
            props.children.props.record = { ...props.children.props.record, campaign_id: to };
          }
        }
      };
      window.addEventListener('pointerup', swap, { capture: true, once: true });
    },
    { from: victim.id, to: twin.id },
  );
  await button.click();
  await expect(page.getByRole('alert')).toContainText('nothing was sent');
  await expect(page.locator('iframe[title="SafePause confirmation"]')).toHaveCount(0);
  expect(await statusUpdates(sandbox)).toHaveLength(0);
});

test('synthetic clicks from page script on the control and the prompt send nothing', async ({
  context,
  sandbox,
  connect,
}) => {
  await connect('session', { reportLatencyMinutes: 0 });
  const advertiserId = sandbox.advertiserIds[0] ?? '';
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(advertiserId));
  const first = page.getByRole('button', { name: /^Pause campaign / }).first();
  await expect(first).toBeVisible({ timeout: 30_000 });
  await dismissAnnouncement(page);
  // Page script clicks the overlay's button (its shadow root is open, as a hostile page could find).
  await page.evaluate(() => {
    const host = document.querySelector('safepause-overlay');
    const button = host?.shadowRoot?.querySelector<HTMLButtonElement>('.sp-action');
    button?.click();
    button?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
  await page.waitForTimeout(500);
  await expect(page.locator('iframe[title="SafePause confirmation"]')).toHaveCount(0);

  // A real click opens the prompt; page script cannot reach into the extension frame to confirm it.
  await first.click();
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  await expect(prompt.getByRole('dialog', { name: 'Pause campaign?' })).toBeVisible();
  const reached = await page.evaluate(() => {
    const frame = document.querySelector('safepause-overlay')?.shadowRoot?.querySelector('iframe');
    try {
      const button = frame?.contentDocument?.querySelector('button');
      button?.click();
      return Boolean(frame?.contentDocument);
    } catch {
      return false;
    }
  });
  expect(reached).toBe(false);
  await page.waitForTimeout(500);
  expect(await statusUpdates(sandbox)).toHaveLength(0);
  await closingPrompt(page, () => prompt.getByRole('button', { name: 'Cancel' }).press('Escape'));
  expect(await statusUpdates(sandbox)).toHaveLength(0);
});
