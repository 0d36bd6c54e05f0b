import { type BrowserContext, expect, type Page, type TestInfo } from '@playwright/test';
import { TIKTOK_CODES } from '../../../lib/api/errors';
import type { AuditRecord, StoredJob } from '../../../lib/store/db';
import type { FaultPlanInput } from '../../../sandbox/api/faults';
import type { RunningSandbox } from '../../../sandbox/server';
import { closingPrompt, openPausePrompt, stopExtensionWorker } from '../../e2e/support/pause-flow';
import { control, controlOnRowOf, dismissAnnouncement, pageRows } from '../../e2e/support/sandbox-control';
import { checkboxOnRowOf, onScreen, openList } from '../../e2e/support/selection';
import { createRng, type Rng } from '../../unit/faults/prng';
import { addFaults, extensionOriginPage, readJournal, sandboxCampaigns } from './faults';
import { checkAudit, checkConfirmations, checkDeadlines, checkSends } from './invariants';

/**
 * The seeded random schedule of worker kills in the real browser: each run pauses one to three campaigns on the
 * sandbox's Ads Manager page (one by its row's control, several by selection), injects API faults chosen by the
 * run's seed on those campaigns' updates and reads, and stops the extension's service worker zero to three times at
 * seeded moments while the jobs run. After every run it checks, from the extension's own IndexedDB and the sandbox's
 * request log: at most one applied update per job unless a read proved it had not applied; every confirmed job
 * matches a read of the new status (as the sandbox answered it) and TikTok's truth; no job unfinished past its
 * deadline; the audit trail append-only and ordered.
 *
 * Run seeds are `FAULT_SEED + i`; a failing run names its seed, and `FAULT_SEED=<seed> KILL_RUNS=1` replays it
 * (each run first turns the campaigns it may pick back on, so a run depends on its seed, not on the runs before).
 */

export const DEFAULT_SEED = 20_261_206;
/** Deadline slack for a worker restart and the worker's own timer. */
const GRACE_MS = 60_000;
const RETRYABLE = Object.entries(TIKTOK_CODES)
  .filter(([, info]) => info.retry === 'retryable')
  .map(([code]) => Number(code));
const REFUSALS = [40001, 40002];

export interface ScheduleSummary {
  firstSeed: number;
  runs: number;
  kills: number;
  jobs: number;
  states: Record<string, number>;
  faultsFired: Record<string, number>;
  /** Updates sent for a job beyond its first (each one checked: the one before had not applied, or was refused). */
  resends: number;
  failures: string[];
}

type Way = 'row' | 'selection';

interface RunPlan {
  seed: number;
  processingDelayMs: number;
  count: number;
  way: Way;
  faults: (ids: string[]) => FaultPlanInput[];
  kills: number[];
}

export function planRun(seed: number): RunPlan {
  const rng = createRng(seed);
  const processingDelayMs = rng.pick([0, 300, 1_500, 4_000]);
  const count = rng.int(1, 3);
  const way: Way = count === 1 ? 'row' : 'selection';
  const faultSeed = rng.int(1, 2 ** 30);
  const kills = Array.from({ length: rng.pick([0, 1, 1, 2, 3]) }, () => rng.pick([0, 150, 600, 1_500, 3_000]));
  return { seed, processingDelayMs, count, way, faults: (ids) => planFaults(createRng(faultSeed), ids), kills };
}

function planFaults(rng: Rng, ids: readonly string[]): FaultPlanInput[] {
  const plans: FaultPlanInput[] = [];
  for (const id of ids) {
    if (rng.chance(0.3)) continue;
    const write = rng.chance(0.6);
    const base = {
      path: write ? 'campaign/status/update' : 'campaign/get',
      ids: [id],
      times: rng.int(1, 2),
      after: rng.int(0, 1),
    };
    const roll = rng.next();
    if (roll < 0.3) plans.push({ ...base, kind: 'code', code: rng.pick(RETRYABLE) });
    else if (roll < 0.36) plans.push({ ...base, kind: 'code', code: rng.pick(REFUSALS), times: 10 });
    else if (roll < 0.48) plans.push({ ...base, kind: 'hang', delayMs: rng.pick([400, 2_500, 16_000]) });
    else if (roll < 0.62 && write) plans.push({ ...base, kind: 'apply-then-hang', delayMs: rng.pick([1_000, 16_000]) });
    else if (roll < 0.74 && write) plans.push({ ...base, kind: 'apply-then-code', code: rng.pick([50000, 50002]) });
    else if (roll < 0.86) plans.push({ ...base, kind: 'http', status: rng.pick([500, 502, 503, 504]) });
    else if (roll < 0.94) plans.push({ ...base, kind: 'malformed' });
    else plans.push({ ...base, kind: rng.chance(0.5) ? 'numeric-ids' : 'missing-fields' });
  }
  return plans;
}

export interface ScheduleOptions {
  context: BrowserContext;
  sandbox: RunningSandbox;
  extensionId: string;
  firstSeed: number;
  runs: number;
  info: TestInfo;
}

export async function runKillSchedule(o: ScheduleOptions): Promise<ScheduleSummary> {
  const advertiserId = o.sandbox.advertiserIds[0] ?? '';
  const summary: ScheduleSummary = {
    firstSeed: o.firstSeed,
    runs: 0,
    kills: 0,
    jobs: 0,
    states: {},
    faultsFired: {},
    resends: 0,
    failures: [],
  };
  const page = await o.context.newPage();
  // Playwright waits forever on an action or a navigation by default: a stalled step must fail with its place.
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(30_000);
  await openList(page, o.sandbox, advertiserId);
  const probe = await extensionOriginPage(o.context, o.extensionId);
  probe.setDefaultTimeout(30_000);
  const start = await readJournal(probe);
  let audit: AuditRecord[] = start.audit;
  const seen = new Set(start.jobs.map((j) => j.id));

  for (let i = 0; i < o.runs; i++) {
    const plan = planRun(o.firstSeed + i);
    try {
      const outcome = await runOnce(page, probe, o, advertiserId, plan, seen, audit);
      audit = outcome.audit;
      summary.runs += 1;
      summary.kills += plan.kills.length;
      summary.jobs += outcome.jobs.length;
      summary.resends += outcome.resends;
      for (const job of outcome.jobs) summary.states[job.state] = (summary.states[job.state] ?? 0) + 1;
      for (const kind of outcome.faultsFired) summary.faultsFired[kind] = (summary.faultsFired[kind] ?? 0) + 1;
      for (const text of outcome.broken) summary.failures.push(`seed ${plan.seed}: ${text}`);
      if (process.env.KILL_VERBOSE)
        console.log(
          `run ${i + 1} seed ${plan.seed}: ${plan.way} x${plan.count}, delay ${plan.processingDelayMs} ms, kills ${JSON.stringify(plan.kills)}, ` +
            `faults ${JSON.stringify(outcome.faultsFired)}, jobs ${outcome.jobs.map((j) => j.state).join(',')}${outcome.broken.length ? ` BROKEN ${outcome.broken.join('; ')}` : ''}`,
        );
    } catch (error) {
      if (process.env.KILL_VERBOSE)
        console.log(
          `run ${i + 1} seed ${plan.seed}: threw ${error instanceof Error ? `${error.message.slice(0, 3000)}` : String(error)}`,
        );
      summary.failures.push(
        `seed ${plan.seed}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
      await o.info.attach(`seed-${plan.seed}`, { body: await page.screenshot(), contentType: 'image/png' });
      // Leave no fault behind and start the next run from a fresh page.
      await control(o.sandbox, 'DELETE', 'faults');
      await page.goto(o.sandbox.campaignPageUrl(advertiserId)).catch(() => undefined);
      const after = await readJournal(probe);
      audit = after.audit;
      for (const job of after.jobs) seen.add(job.id);
    }
  }
  await page.close();
  return summary;
}

interface RunOutcome {
  jobs: StoredJob[];
  audit: AuditRecord[];
  broken: string[];
  faultsFired: string[];
  resends: number;
}

async function runOnce(
  page: Page,
  probe: Page,
  o: ScheduleOptions,
  advertiserId: string,
  plan: RunPlan,
  seen: Set<string>,
  auditBefore: AuditRecord[],
): Promise<RunOutcome> {
  const rng = createRng(plan.seed ^ 0x5a5a5a5a);
  // TikTok's reports lag by what the extension is told to wait (0 here): spend that rises after it is real.
  await control(o.sandbox, 'POST', 'config', { processingDelayMs: plan.processingDelayMs, reportLatencyMinutes: 0 });

  // The first rows of the list are the run's pool: whichever a run before paused is turned back on, by a person.
  await page.goto(o.sandbox.campaignPageUrl(advertiserId));
  await expect(page.getByRole('checkbox', { name: /^Select campaign / }).first()).toBeVisible({ timeout: 30_000 });
  await dismissAnnouncement(page);
  const pool = (await onScreen(page)).slice(0, 8);
  const truthBefore = new Map((await sandboxCampaigns(o.sandbox, advertiserId)).map((c) => [c.id, c] as const));
  let turnedOn = false;
  for (const row of pool) {
    const c = truthBefore.get(row.id);
    if (c && !c.deleted && c.operation_status !== 'ENABLE') {
      await control(o.sandbox, 'POST', 'objects/status', {
        level: 'campaign',
        id: row.id,
        operation_status: 'ENABLE',
        actor: 'person',
      });
      turnedOn = true;
    }
  }
  // The overlay's view of a status a person just changed is at most a few seconds old (its catalog re-reads on
  // open, no more often than every 2 s): the run picks rows whose own control offers Pause, as a person would.
  let visible: Awaited<ReturnType<typeof onScreen>> = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    if (turnedOn || attempt > 0) {
      await page.waitForTimeout(2_500);
      await page.reload();
      await expect(page.getByRole('checkbox', { name: /^Select campaign / }).first()).toBeVisible({ timeout: 30_000 });
      await dismissAnnouncement(page);
    }
    const rows = await pageRows(o.sandbox, advertiserId);
    visible = [];
    for (const v of (await onScreen(page)).slice(0, 8)) {
      if (!rows.find((r) => r.id === v.id)?.on) continue;
      if (await controlOnRowOf(page, v.id, `Pause campaign ${v.name}`).catch(() => null)) visible.push(v);
    }
    if (visible.length >= plan.count) break;
  }
  const chosen: typeof visible = [];
  while (chosen.length < plan.count && visible.length > 0)
    chosen.push(...visible.splice(rng.int(0, visible.length - 1), 1));
  if (chosen.length < plan.count) throw new Error(`only ${chosen.length} campaigns on screen offer Pause`);
  const ids = chosen.map((c) => c.id);

  const since = (await o.sandbox.requests()).at(-1)?.seq ?? 0;
  const prompt = page.frameLocator('iframe[title="SafePause confirmation"]');
  let confirm: () => Promise<void>;
  if (plan.way === 'row') {
    const first = chosen[0] as (typeof chosen)[number];
    await openPausePrompt(page, first);
    confirm = () =>
      closingPrompt(page, () => prompt.getByRole('button', { name: 'Pause campaign', exact: true }).click());
  } else {
    for (const c of chosen) await (await checkboxOnRowOf(page, c.id)).click();
    await page.getByRole('button', { name: `Pause ${ids.length} selected`, exact: true }).click();
    const dialog = prompt.getByRole('dialog', { name: `Pause ${ids.length} campaigns?` });
    await expect(dialog).toBeVisible();
    for (const id of ids) await expect(dialog).toContainText(id);
    confirm = () =>
      closingPrompt(page, () =>
        prompt.getByRole('button', { name: `Pause ${ids.length} campaigns`, exact: true }).click(),
      );
  }
  // The faults go in once the prompt has made its own reads: they hit the job's sends and verification reads.
  const faults = plan.faults(ids);
  if (faults.length > 0) await addFaults(o.sandbox, faults);
  await confirm();

  for (const delay of plan.kills) {
    await page.waitForTimeout(delay);
    const { restarted } = await stopExtensionWorker(page, o.extensionId);
    await Promise.race([
      restarted,
      page.waitForTimeout(30_000).then(() => {
        throw new Error('the extension worker did not start again within 30 s of being stopped');
      }),
    ]);
  }

  // The run ends when every job it made has nothing left to do (finished, or handed to the person).
  let journal = await readJournal(probe);
  const mine = () => journal.jobs.filter((j) => !seen.has(j.id));
  await expect
    .poll(
      async () => {
        journal = await readJournal(probe);
        const jobs = mine();
        return jobs.length >= ids.length && jobs.every((j) => j.phase === 'done');
      },
      { message: `the run's ${ids.length} job(s) finish`, timeout: 240_000, intervals: [500] },
    )
    .toBe(true);
  await control(o.sandbox, 'DELETE', 'faults');
  // A last request in flight (a read the worker started just before) is logged once it returns.
  await page.waitForTimeout(300);
  const jobs = mine();
  for (const job of jobs) seen.add(job.id);
  const log = (await o.sandbox.requests()).filter((r) => r.seq > since);
  const truth = new Map(
    (await sandboxCampaigns(o.sandbox, advertiserId)).map((c) => [c.id, c.operation_status] as const),
  );
  const broken = [
    ...(jobs.length === ids.length ? [] : [`${jobs.length} jobs made for ${ids.length} campaigns`]),
    ...jobs.filter((j) => !ids.includes(j.objectId)).map((j) => `job ${j.id} is for ${j.objectId}, not chosen`),
    ...checkSends(jobs, journal.audit, log),
    ...checkConfirmations(jobs, journal.audit, log, truth),
    ...checkDeadlines(journal.jobs, Date.now(), GRACE_MS),
    ...checkAudit(journal.jobs, auditBefore, journal.audit),
  ];
  const updates = log.filter((r) => r.path.includes('/campaign/status/update/'));
  const resends = ids.reduce(
    (n, id) =>
      n +
      Math.max(
        0,
        updates.filter((u) => ((u.body as { campaign_ids?: string[] })?.campaign_ids ?? []).includes(id)).length - 1,
      ),
    0,
  );
  return {
    jobs,
    audit: journal.audit,
    broken,
    faultsFired: log.flatMap((r) => (r.fault ? [r.fault.kind] : [])),
    resends,
  };
}
