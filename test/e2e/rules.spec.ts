import type { BrowserContext, Page } from '@playwright/test';
import type { RunningSandbox } from '../../sandbox/server';
import { expect, test } from './support/fixtures';
import { type StatusUpdate, statusUpdates } from './support/pause-flow';
import { control, pageRows, visibleRowTruth } from './support/sandbox-control';

// Threshold rules and dayparting, driven from the options page by role and accessible name, against the sandbox.
// The sandbox world is rebuilt for each test and put back afterwards.

const THRESHOLD = 100;
const MIN_SPEND = 20;

test.afterAll(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 1000, secondAdvertiserCampaigns: 40 });
});

interface SandboxObject {
  id: string;
  name: string;
  operation_status: string;
  deleted: boolean;
  spending: boolean;
}

async function objectsOf(sandbox: RunningSandbox, advertiserId: string): Promise<SandboxObject[]> {
  const state = await control<{ objects: SandboxObject[] }>(
    sandbox,
    'GET',
    `state?level=campaign&advertiser_id=${advertiserId}`,
  );
  return state.objects;
}

async function statusOf(sandbox: RunningSandbox, ids: string[]): Promise<Map<string, string>> {
  const state = await control<{ objects: SandboxObject[] }>(
    sandbox,
    'GET',
    `state?level=campaign&ids=${ids.join(',')}`,
  );
  return new Map(state.objects.map((o) => [o.id, o.operation_status]));
}

/** Today's spend and conversions of campaigns, as TikTok's report gives them (what the rule reads too). */
async function todayReport(
  sandbox: RunningSandbox,
  advertiserId: string,
  ids: string[],
  day: string,
): Promise<Map<string, { spend: number; conversions: number }>> {
  const q = new URLSearchParams({
    advertiser_id: advertiserId,
    report_type: 'BASIC',
    data_level: 'AUCTION_CAMPAIGN',
    dimensions: JSON.stringify(['campaign_id']),
    metrics: JSON.stringify(['spend', 'conversion']),
    start_date: day,
    end_date: day,
    filtering: JSON.stringify([{ field_name: 'campaign_ids', filter_type: 'IN', filter_value: JSON.stringify(ids) }]),
    page_size: '1000',
  });
  const response = await fetch(`${sandbox.url}/open_api/v1.3/report/integrated/get/?${q}`, {
    headers: { 'Access-Token': sandbox.token },
  });
  const body = (await response.json()) as {
    code: number;
    data: { list: { dimensions: { campaign_id: string }; metrics: { spend: string; conversion: string } }[] };
  };
  expect(body.code).toBe(0);
  return new Map(
    body.data.list.map((row) => [
      row.dimensions.campaign_id,
      { spend: Number(row.metrics.spend), conversions: Number(row.metrics.conversion) },
    ]),
  );
}

/** The wall clock of a time zone at `at`: its date and the milliseconds since its midnight. */
function wallClock(timeZone: string, at: number): { date: string; sinceMidnight: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const sinceMidnight = ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, sinceMidnight: sinceMidnight + (at % 1000) };
}

/**
 * The world for the CPA rules. The rule's "today" is the advertiser's date on the real clock (the extension's), so
 * the sandbox starts at that date's local midnight (nothing spent today yet), in whichever of its two advertisers
 * (Los Angeles, Tokyo) has the most of its day left: the test never straddles a local midnight. The sandbox clock
 * stands still and reports have no delay. Twelve delivering campaigns from the top of the page are watched; from
 * now on four of them convert at 400.00 per conversion (their CPA drifts above the threshold), the others at 3.00.
 */
async function prepareCpaWorld(sandbox: RunningSandbox) {
  const info = await control<{ advertisers: { timezone: string }[] }>(sandbox, 'GET', 'info');
  const now = Date.now();
  const clocks = info.advertisers.map((a) => wallClock(a.timezone, now));
  const index = clocks[0] && clocks[1] && clocks[1].sinceMidnight < clocks[0].sinceMidnight ? 1 : 0;
  const clock = clocks[index] ?? wallClock('UTC', now);
  const zone = info.advertisers[index]?.timezone ?? 'UTC';
  // Back by the wall-clock time since midnight, corrected once for a daylight-saving change earlier today.
  let at = now - clock.sinceMidnight;
  const check = wallClock(zone, at);
  at += check.date === clock.date ? -check.sinceMidnight : 86_400_000 - check.sinceMidnight;
  const midnight = new Date(at);
  await control(sandbox, 'POST', 'reset', {
    seed: 1,
    campaigns: 1000,
    secondAdvertiserCampaigns: 100,
    startTime: midnight.toISOString(),
    clockSpeed: 0,
    reportLatencyMinutes: 0,
    processingDelayMs: 500,
  });
  const advertiserId = sandbox.advertiserIds[index] ?? '';
  const rows = await pageRows(sandbox, advertiserId);
  const truth = new Map((await objectsOf(sandbox, advertiserId)).map((o) => [o.id, o]));
  // Plain names only: the rows must be easy to find on screen (hostile and look-alike names are other tests' job).
  const watched = rows
    .slice(0, 40)
    .filter((r) => r.on && truth.get(r.id)?.spending && /^[A-Za-z0-9+|%& –-]+$/.test(r.name))
    .slice(0, 12)
    .map((r) => ({ id: r.id, name: r.name }));
  expect(watched).toHaveLength(12);
  const drifting = watched.slice(0, 4).map((c) => c.id);
  const steady = watched.slice(4).map((c) => c.id);
  await control(sandbox, 'POST', 'objects/cpa', { level: 'campaign', ids: drifting, cpa_minor: 40_000 });
  await control(sandbox, 'POST', 'objects/cpa', { level: 'campaign', ids: steady, cpa_minor: 300 });
  await control(sandbox, 'DELETE', 'requests');
  return { advertiserId, watched, drifting, day: clock.date };
}

/** Moves the sandbox clock on and works out, from TikTok's own report, which watched campaigns breach the rule. */
async function letCpaDrift(
  sandbox: RunningSandbox,
  world: { advertiserId: string; watched: { id: string }[]; day: string },
) {
  const { advertiserId, watched, day } = world;
  await control(sandbox, 'POST', 'clock', { advanceMinutes: 10 * 60 });
  const report = await todayReport(
    sandbox,
    advertiserId,
    watched.map((c) => c.id),
    day,
  );
  const breaching: string[] = [];
  const underGuard: string[] = [];
  const fine: string[] = [];
  for (const { id } of watched) {
    const r = report.get(id) ?? { spend: 0, conversions: 0 };
    if (r.spend < MIN_SPEND) underGuard.push(id);
    else if (r.conversions === 0 || r.spend / r.conversions > THRESHOLD) breaching.push(id);
    else fine.push(id);
  }
  return { breaching, underGuard, fine };
}

async function openOptions(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(page.getByRole('heading', { name: 'Thresholds and rules' })).toBeVisible();
  return page;
}

/** Adds a CPA rule through the options form, as a person would. */
async function addCpaRule(page: Page, name: string, action: 'flag' | 'pause', ids: string[]) {
  await page.getByRole('button', { name: 'Add rule', exact: true }).click();
  const form = page.getByRole('form', { name: 'New rule' });
  await form.getByLabel('Rule name', { exact: true }).fill(name);
  await form.getByLabel('Applies to', { exact: true }).selectOption('ids');
  await form.getByLabel('IDs (one per line)', { exact: true }).fill(ids.join('\n'));
  await form.getByLabel('Metric 1', { exact: true }).selectOption('cpa');
  await form.getByLabel('Comparison 1', { exact: true }).selectOption('>');
  await form.getByLabel('Threshold 1', { exact: true }).fill(String(THRESHOLD));
  await form.getByLabel('Window 1', { exact: true }).selectOption('today');
  await form.getByLabel('Minimum spend', { exact: true }).fill(String(MIN_SPEND));
  await form.getByLabel('Action', { exact: true }).selectOption(action);
  await form.getByLabel('Check every (minutes)', { exact: true }).fill('1');
  await form.getByLabel('Cooldown (minutes)', { exact: true }).fill('0');
  await form.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Rule “${name}” saved.` })).toBeVisible();
  return page.getByRole('article', { name });
}

/** What the extension stored, read in one of its own pages (the same storage the worker uses). */
async function storedRules(page: Page): Promise<{ rules: { id: string; name: string }[]; dayparts: { id: string }[] }> {
  return page.evaluate(async () => {
    const api = (
      globalThis as unknown as {
        chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };
      }
    ).chrome;
    const stored = await api.storage.local.get('rules');
    return stored.rules as { rules: { id: string; name: string }[]; dayparts: { id: string }[] };
  });
}

interface StoredJob {
  objectId: string;
  action: string;
  state: string;
  actor: { kind: string; id?: string };
}

/** Every job in the extension's IndexedDB (the popup and the audit read the same records). */
async function storedJobs(page: Page): Promise<StoredJob[]> {
  return page.evaluate(
    () =>
      new Promise<StoredJob[]>((resolve, reject) => {
        const open = indexedDB.open('safepause');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction('jobs').objectStore('jobs').getAll();
          request.onsuccess = () => {
            resolve(request.result as StoredJob[]);
            db.close();
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

/** How many of SafePause's browser notifications are showing. */
async function notificationCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        (
          globalThis as unknown as {
            chrome: { notifications: { getAll(callback: (all: Record<string, boolean>) => void): void } };
          }
        ).chrome.notifications.getAll((all) => resolve(Object.keys(all).length)),
      ),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The accessible name of the rule flag on the row of `id` (null: no flag; undefined: the row is not on screen). */
async function flagNameOnRowOf(page: Page, id: string): Promise<string | null | undefined> {
  const flag = await flagOnRowOf(page, id);
  if (flag === undefined || flag === null) return flag;
  return flag.getAttribute('aria-label');
}

function sentIds(updates: StatusUpdate[], action: 'DISABLE' | 'ENABLE'): string[] {
  return updates
    .filter((u) => u.code === 0 && u.body.operation_status === action)
    .flatMap((u) => u.body.campaign_ids ?? [])
    .sort();
}

/**
 * The rule flag SafePause draws on the row whose page props say it shows `id`, found by position: null when the row
 * has none, undefined when the row is not on screen.
 */
async function flagOnRowOf(page: Page, id: string) {
  const row = (await visibleRowTruth(page)).find((r) => r.id === id);
  if (!row) return undefined;
  const flags = page.getByRole('img', { name: /^campaign / });
  for (let i = 0; i < (await flags.count()); i++) {
    const box = await flags.nth(i).boundingBox();
    if (box && Math.abs(box.y + box.height / 2 - row.y) < 20) return flags.nth(i);
  }
  return null;
}

test('a notify-only rule flags the breaching rows in Ads Manager and pauses nothing', async ({
  context,
  sandbox,
  connect,
  extensionId,
}) => {
  test.setTimeout(240_000);
  const world = await prepareCpaWorld(sandbox);
  const { advertiserId, watched, drifting } = world;
  await connect('session', { reportLatencyMinutes: 0 });
  const options = await openOptions(context, extensionId);
  const card = await addCpaRule(
    options,
    'CPA watch',
    'flag',
    watched.map((c) => c.id),
  );
  // Saved at local midnight: nothing spent today yet, so every campaign is under the minimum-spend guard.
  await expect(card).toContainText('Checked 12 campaigns: flagged 0, 12 not enough data yet', { timeout: 30_000 });
  expect(await notificationCount(options)).toBe(0);

  // In Ads Manager the watched rows say so.
  const page = await context.newPage();
  await page.goto(sandbox.campaignPageUrl(advertiserId));
  await expect(page.getByRole('button', { name: /^Pause campaign / }).first()).toBeVisible({ timeout: 30_000 });
  const first = watched[0] ?? { id: '', name: '' };
  await expect
    .poll(() => flagNameOnRowOf(page, first.id), { timeout: 20_000 })
    .toMatch(
      new RegExp(
        `^campaign ${escapeRegExp(first.name)}: CPA watch: Not enough data yet: spend 0\\.00 < minimum 20\\.00 \\(today\\)`,
      ),
    );
  await expect(page.getByRole('img', { name: `campaign ${first.name}:`, exact: false }).first()).toHaveText(
    'Not enough data yet',
  );

  const { breaching, fine } = await letCpaDrift(sandbox, world);
  expect(breaching.length).toBeGreaterThan(0);
  expect(breaching.every((id) => drifting.includes(id))).toBe(true);
  expect(fine.length).toBeGreaterThan(0);
  // The next check on the rule's schedule (every minute) sees the drift.
  await expect(card).toContainText(`flagged ${breaching.length}`, { timeout: 120_000 });
  await expect.poll(() => notificationCount(options)).toBe(1);

  // The open page follows: breaching rows carry the value and the threshold, the others no flag.
  for (const id of breaching) {
    const name = watched.find((c) => c.id === id)?.name ?? '';
    await expect
      .poll(() => flagNameOnRowOf(page, id), { timeout: 20_000 })
      .toMatch(new RegExp(`^campaign ${escapeRegExp(name)}: CPA watch: CPA .+ > target 100\\.00 \\(today\\)`));
    const flag = await flagOnRowOf(page, id);
    await expect(flag ?? page.getByRole('img', { name: 'missing' })).toHaveAttribute(
      'title',
      /CPA .+ > target 100\.00 \(today\)/,
    );
  }
  const fineOnScreen = [];
  for (const id of fine) {
    if ((await flagOnRowOf(page, id)) === undefined) continue;
    fineOnScreen.push(id);
    await expect.poll(() => flagNameOnRowOf(page, id), { timeout: 20_000 }).toBeNull();
  }
  expect(fineOnScreen.length).toBeGreaterThan(0);
  // Nothing was paused: no status update reached TikTok, every watched campaign is still on.
  expect(await statusUpdates(sandbox)).toHaveLength(0);
  const status = await statusOf(
    sandbox,
    watched.map((c) => c.id),
  );
  for (const { id } of watched) expect(status.get(id)).toBe('ENABLE');
});

test('a pause rule with a minimum-spend guard pauses exactly the campaigns whose CPA drifted above the threshold, as the rule', async ({
  context,
  sandbox,
  connect,
  extensionId,
}) => {
  test.setTimeout(300_000);
  const world = await prepareCpaWorld(sandbox);
  const { watched } = world;
  await connect('session', { reportLatencyMinutes: 0 });
  const options = await openOptions(context, extensionId);
  const card = await addCpaRule(
    options,
    'Stop high CPA',
    'pause',
    watched.map((c) => c.id),
  );
  await expect(card).toContainText('Checked 12 campaigns: paused 0, 12 not enough data yet', { timeout: 30_000 });
  expect(await statusUpdates(sandbox)).toHaveLength(0);

  const { breaching, fine, underGuard } = await letCpaDrift(sandbox, world);
  expect(breaching.length).toBeGreaterThan(0);
  await expect(card).toContainText(`paused ${breaching.length}`, { timeout: 120_000 });
  await expect.poll(() => notificationCount(options)).toBe(1);

  // TikTok received status updates for exactly the breaching campaigns, and they are off there.
  await expect
    .poll(async () => [...(await statusOf(sandbox, breaching)).values()].every((s) => s === 'DISABLE'), {
      timeout: 60_000,
    })
    .toBe(true);
  expect(sentIds(await statusUpdates(sandbox), 'DISABLE')).toEqual([...breaching].sort());
  expect(sentIds(await statusUpdates(sandbox), 'ENABLE')).toEqual([]);
  const status = await statusOf(sandbox, [...fine, ...underGuard]);
  for (const id of [...fine, ...underGuard]) expect(status.get(id)).toBe('ENABLE');

  // The jobs record the rule as the actor (what the popup lists and the audit export carries).
  const ruleId = (await storedRules(options)).rules.find((r) => r.name === 'Stop high CPA')?.id;
  expect(ruleId).toBeTruthy();
  const jobs = await storedJobs(options);
  expect(jobs.map((j) => j.objectId).sort()).toEqual([...breaching].sort());
  for (const job of jobs) {
    expect(job.action).toBe('DISABLE');
    expect(job.actor).toEqual({ kind: 'rule', id: ruleId });
  }
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  for (const id of breaching) {
    const name = watched.find((c) => c.id === id)?.name ?? '';
    await expect(popup.getByText(name, { exact: true }).first()).toBeVisible();
  }
});

test('dayparting pauses outside its hours and resumes inside them in the advertiser’s time zone, never what a person paused', async ({
  context,
  sandbox,
  connect,
  extensionId,
}) => {
  test.setTimeout(240_000);
  await control(sandbox, 'POST', 'reset', {
    seed: 1,
    campaigns: 1000,
    secondAdvertiserCampaigns: 40,
    processingDelayMs: 500,
    reportLatencyMinutes: 0,
  });
  const info = await control<{ advertisers: { id: string; timezone: string }[] }>(sandbox, 'GET', 'info');
  const advertiser = info.advertisers[1];
  const advertiserId = advertiser?.id ?? '';
  // Tokyo is nine hours ahead of UTC (no daylight saving): a schedule read in UTC would do the opposite.
  expect(advertiser?.timezone).toBe('Asia/Tokyo');
  const usable = (await objectsOf(sandbox, advertiserId)).filter((c) => !c.deleted && c.operation_status === 'ENABLE');
  const [a, b, c, personal] = usable.map((o) => o.id);
  const scheduled = [a, b, c].filter((id): id is string => id !== undefined);
  expect(scheduled).toHaveLength(3);
  // A person switched this one off in Ads Manager: dayparting must never switch it back on.
  await control(sandbox, 'POST', 'objects/status', { level: 'campaign', id: personal, operation_status: 'DISABLE' });
  await control(sandbox, 'DELETE', 'requests');
  await connect('session', { reportLatencyMinutes: 0 });

  const utcHour = new Date().getUTCHours();
  const tokyoHour = (utcHour + 9) % 24;
  // Three hours around now on each clock, so an hour that turns during the test changes nothing.
  const around = (h: number): [string, string] => [String((h + 23) % 24), String((h + 2) % 24 || 24)];

  const options = await openOptions(context, extensionId);
  await options.getByRole('button', { name: 'Add dayparting schedule' }).click();
  const form = options.getByRole('form', { name: 'New dayparting schedule' });
  await form.getByLabel('Schedule name', { exact: true }).fill('Tokyo office hours');
  await form.getByLabel('Advertiser', { exact: true }).selectOption(advertiserId);
  await form.getByLabel('Level', { exact: true }).selectOption('campaign');
  await form.getByLabel('Scheduled object IDs', { exact: true }).fill([...scheduled, personal].join('\n'));
  for (const day of ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']) {
    await form.getByRole('checkbox', { name: day, exact: true }).check();
  }
  // Inside these hours if they were UTC hours; in Tokyo it is now outside them.
  const [outsideFrom, outsideUntil] = around(utcHour);
  await form.getByLabel('Run from hour', { exact: true }).fill(outsideFrom);
  await form.getByLabel('Run until hour', { exact: true }).fill(outsideUntil);
  await form.getByRole('button', { name: 'Save schedule' }).click();

  const card = options.getByRole('article', { name: 'Tokyo office hours' });
  await expect(card).toContainText('Outside its hours', { timeout: 30_000 });
  await expect(card).toContainText('in Asia/Tokyo');
  await expect(card).toContainText('paused 3');
  await expect
    .poll(async () => [...(await statusOf(sandbox, scheduled)).values()].every((s) => s === 'DISABLE'), {
      timeout: 60_000,
    })
    .toBe(true);
  expect(sentIds(await statusUpdates(sandbox), 'DISABLE')).toEqual([...scheduled].sort());
  const daypartId = (await storedRules(options)).dayparts[0]?.id;
  // Wait for TikTok's confirmation of each pause: only a confirmed pause of SafePause's may be resumed.
  await expect
    .poll(async () => (await storedJobs(options)).filter((j) => ['confirmed', 'settled'].includes(j.state)).length, {
      timeout: 60_000,
    })
    .toBe(3);

  // Now the hours around Tokyo's current hour (outside them if read as UTC).
  await card.getByRole('button', { name: 'Edit dayparting Tokyo office hours' }).click();
  const edit = options.getByRole('form', { name: 'Edit dayparting “Tokyo office hours”' });
  const [insideFrom, insideUntil] = around(tokyoHour);
  await edit.getByLabel('Run from hour', { exact: true }).fill(insideFrom);
  await edit.getByLabel('Run until hour', { exact: true }).fill(insideUntil);
  await edit.getByRole('button', { name: 'Save schedule' }).click();
  await expect(card).toContainText('Inside its hours', { timeout: 30_000 });
  await expect(card).toContainText('resumed 3');
  await expect
    .poll(async () => [...(await statusOf(sandbox, scheduled)).values()].every((s) => s === 'ENABLE'), {
      timeout: 60_000,
    })
    .toBe(true);
  const updates = await statusUpdates(sandbox);
  expect(sentIds(updates, 'ENABLE')).toEqual([...scheduled].sort());
  expect(updates.some((u) => u.body.campaign_ids?.includes(personal ?? ''))).toBe(false);
  expect((await statusOf(sandbox, [personal ?? ''])).get(personal ?? '')).toBe('DISABLE');
  await expect(card).toContainText('paused outside SafePause');

  const jobs = await storedJobs(options);
  expect(
    jobs
      .filter((j) => j.action === 'ENABLE')
      .map((j) => j.objectId)
      .sort(),
  ).toEqual([...scheduled].sort());
  for (const job of jobs) expect(job.actor).toEqual({ kind: 'rule', id: `daypart:${daypartId}` });
});
