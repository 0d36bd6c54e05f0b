import { browser } from 'wxt/browser';
import type { RequestPace } from '../api/client';
import { coalesce } from '../coalesce';
import { listStops } from '../emergency/store';
import { createJobEngine, type JobEngine, JobRequestError } from '../jobs/engine';
import { isApplied, stateGroup } from '../jobs/labels';
import { BASIC_TIER, createRateLimiter, withArrivalMargin } from '../jobs/limiter';
import { OutboxWriteError } from '../jobs/outbox';
import type { Job } from '../jobs/types';
import { EMERGENCY_COMMAND, manifestFor, matchesPagePattern } from '../manifest-policy';
import { classifySender } from '../messages/sender';
import type { JobView } from '../overlay/types';
import type { Settings } from '../settings/schema';
import { loadSettings } from '../settings/storage';
import { announceRecordsChanged } from '../store/changes';
import { STORAGE_PROBLEM_KEY, StorageUnavailableError } from '../store/db';
import { pruneHistory } from '../store/retention';
import { createCatalog } from './catalog';
import { currentClient, NothingSentError } from './client';
import { createEmergency } from './emergency';
import { createPortHub } from './ports';
import { createRouter } from './router';
import { createRulesRunner, RULES_ALARM } from './rules';

const ENGINE_ALARM = 'safepause:engine';
/** Steps due sooner than this run from an in-memory timer too; the alarm stays as the durable backstop. */
const TIMER_HORIZON_MS = 30_000;
/** Least time between two badge refreshes. */
const BADGE_GAP_MS = 1_000;
/** A paced read waits at most this long for its slot (it is sent then, and waited out if TikTok refuses it). */
const PACE_MAX_WAIT_MS = 3_000;

/**
 * The background worker: every listener is registered synchronously here (an event that woke the worker
 * must find its listener), then every unfinished job is recovered. The worker can die at any moment;
 * its state is in IndexedDB and its schedule in an alarm.
 */
export function startWorker(): void {
  const flavour = import.meta.env.MODE === 'sandbox' ? 'sandbox' : 'store';
  const pagePatterns = manifestFor(flavour, import.meta.env.BROWSER).contentMatches;
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  const ports = createPortHub();
  const limiter = createRateLimiter({
    app: withArrivalMargin(BASIC_TIER.app),
    advertiserPerPath: withArrivalMargin(BASIC_TIER.advertiserPerPath),
  });
  // Reads that identify rows do not wait for the pauses' rate limiter: while a person scrolls thousands of rows,
  // waiting would queue lookups for rows long gone (see BENCHMARKS.md, page-overhead).
  const catalog = createCatalog();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let enginePromise: Promise<JobEngine> | undefined;

  /** Alarm calls in the order they were made: a clear must not overtake an earlier get-then-create. */
  let alarmOps: Promise<unknown> = Promise.resolve();
  function alarmOp(op: () => Promise<unknown>) {
    alarmOps = alarmOps.then(op).catch((error: unknown) => console.error('[safepause] alarm failed', error));
  }

  function schedule(atMs: number | null) {
    clearTimeout(timer);
    if (atMs === null) {
      alarmOp(() => browser.alarms.clear(ENGINE_ALARM));
      return;
    }
    const delay = Math.max(0, atMs - Date.now());
    if (delay < TIMER_HORIZON_MS) timer = setTimeout(() => void run(), delay);
    alarmOp(async () => {
      const existing = await browser.alarms.get(ENGINE_ALARM);
      const when = Math.max(atMs, Date.now() + 1000);
      if (!existing || Math.abs(existing.scheduledTime - when) > 500)
        await browser.alarms.create(ENGINE_ALARM, { when });
    });
  }

  function policyFrom(settings: Settings) {
    const reportLatencyMs = settings.safety.reportLatencyMinutes * 60_000;
    return {
      verifyDeadlineMs: settings.safety.verifyDeadlineMinutes * 60_000,
      reportLatencyMs,
      settleCheckGapMs: Math.min(10 * 60_000, Math.max(5_000, reportLatencyMs / 6)),
    };
  }

  function engine(): Promise<JobEngine> {
    enginePromise ??= loadSettings().then(({ settings }) =>
      createJobEngine({
        getClient: async () => {
          const state = await currentClient();
          return state.ok ? state.client : null;
        },
        limiter,
        now: Date.now,
        random: Math.random,
        schedule,
        onChange: (jobs: Job[]) => {
          ports.toAll({ type: 'jobs:changed', objectIds: jobs.map((j) => j.objectId) });
          announceRecordsChanged();
          badgeSoon();
        },
        policy: policyFrom(settings),
        onError: (error) => {
          console.error('[safepause] job run failed', error);
          noteStorage(error);
        },
      }),
    );
    return enginePromise;
  }

  /** Badge refreshes after stored steps: each reads the day's jobs, and a bulk stop stores hundreds a second. */
  const badgeSoon = coalesce(() => updateBadge(), BADGE_GAP_MS);

  /** The toolbar badge: how many jobs are in progress or need attention (red when any needs attention). */
  async function updateBadge() {
    try {
      const recent = await (await engine()).outbox.snapshot({ since: Date.now() - 24 * 3600_000, limit: 2000 });
      const attention = recent.filter((j) => stateGroup(j.state) === 'attention').length;
      const progress = recent.filter((j) => stateGroup(j.state) === 'progress').length;
      const count = attention + progress;
      await browser.action.setBadgeText({ text: count === 0 ? '' : String(Math.min(count, 999)) });
      await browser.action.setBadgeBackgroundColor({ color: attention > 0 ? '#b3261e' : '#0b5cad' });
    } catch (error) {
      console.error('[safepause] badge update failed', error);
    }
  }

  async function run() {
    try {
      await (await engine()).runDue();
      noteStorage(null);
    } catch (error) {
      console.error('[safepause] job run failed', error);
      noteStorage(error);
    }
  }

  /**
   * A run that could not write its database sends nothing more; the popup says so (storage.session, which content
   * scripts cannot read) until a run succeeds again.
   */
  let storageNoted = true;
  function noteStorage(error: unknown) {
    if (error instanceof OutboxWriteError || error instanceof StorageUnavailableError) {
      storageNoted = true;
      void browser.storage.session
        .set({ [STORAGE_PROBLEM_KEY]: { message: error.userMessage, at: Date.now() } })
        .catch(() => undefined);
    } else if (error === null && storageNoted) {
      storageNoted = false;
      void browser.storage.session.remove(STORAGE_PROBLEM_KEY).catch(() => undefined);
    }
  }

  // Reads a person waits on before a pause (the confirm prompt, Emergency stop's list) book their slots in the pauses'
  // limiter: TikTok counts them in the same budget, and a pause confirmed within a second of them would otherwise be
  // sent as a full burst and partly refused (40100). The catalog's reads stay unpaced (see above).
  const pace: RequestPace = async (endpoint, advertiserId) => {
    const wait = limiter.reserve(advertiserId, endpoint, Date.now());
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, PACE_MAX_WAIT_MS)));
  };
  const emergency = createEmergency({ client: currentClient, engine, pace });
  // Rules read reports through the job engine's limiter: one budget for every request of the app.
  const rules = createRulesRunner({
    client: currentClient,
    engine,
    limiter,
    onFlagsChanged: (advertiserId, level) => ports.toAll({ type: 'flags:changed', advertiserId, level }),
  });
  const runRules = () =>
    void rules.run().catch((error: unknown) => console.error('[safepause] rules run failed', error));

  const router = createRouter({
    extensionId: browser.runtime.id,
    extensionOrigin,
    isAllowedPage: (url) => pagePatterns.some((p) => matchesPagePattern(p, url)),
    client: currentClient,
    pace,
    catalog,
    enqueue: async (input) => {
      try {
        const e = await engine();
        // Resuming something SafePause paused is its Undo: the pause job is closed as undone and the
        // ENABLE goes through the same pipeline.
        const jobIds: string[] = [];
        let rest = input.objects;
        if (input.action === 'ENABLE') {
          rest = [];
          for (const object of input.objects) {
            const open = await e.outbox.openJobForObject(input.advertiserId, input.level, object.id);
            if (open && open.action === 'DISABLE' && isApplied(open.state)) {
              jobIds.push((await e.undo(open.id)).jobId);
            } else rest.push(object);
          }
        }
        if (rest.length > 0) jobIds.push(...(await e.enqueue({ ...input, objects: rest })).jobIds);
        return { jobIds };
      } catch (error) {
        // Refusals keep their words (the prompt shows them): nothing was sent.
        if (
          error instanceof JobRequestError ||
          error instanceof OutboxWriteError ||
          error instanceof StorageUnavailableError
        ) {
          throw new NothingSentError(error.userMessage);
        }
        throw error;
      }
    },
    queryJobs: async (advertiserId, level, ids) => {
      const byObject = await (await engine()).outbox.jobsForObjects(advertiserId, level, ids);
      const views: JobView[] = [];
      for (const [objectId, jobs] of byObject) {
        const job = jobs[0];
        if (job) views.push(toView(objectId, job));
      }
      return views;
    },
    retry: async (jobId) => {
      const result = await (await engine()).retry(jobId);
      return { ok: true, jobId: result.jobId, alreadyInTarget: result.alreadyInTarget };
    },
    undo: async (jobId) => {
      const result = await (await engine()).undo(jobId);
      return { ok: true, jobId: result.jobId };
    },
    notifyTab: (tabId, message) => ports.toTab(tabId, message),
    emergency,
    rules,
  });

  browser.runtime.onMessage.addListener((message: unknown, sender) => router.handle(message, sender));
  browser.runtime.onConnect.addListener((port) => {
    const who = classifySender(port.sender ?? {}, browser.runtime.id, extensionOrigin, (url) =>
      pagePatterns.some((p) => matchesPagePattern(p, url)),
    );
    if (port.name !== 'overlay' || who.kind !== 'content') {
      port.disconnect();
      return;
    }
    ports.add(who.tabId, port);
  });
  // The keyboard shortcut opens Emergency stop in its own small window (the popup itself cannot be opened from here
  // in every browser).
  browser.commands?.onCommand.addListener((command) => {
    if (command !== EMERGENCY_COMMAND) return;
    void browser.windows
      .create({ url: browser.runtime.getURL('/popup.html#emergency'), type: 'popup', width: 460, height: 720 })
      .catch((error: unknown) => console.error('[safepause] could not open Emergency stop', error));
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ENGINE_ALARM) void run();
    if (alarm.name === RULES_ALARM) runRules();
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'settings' in changes) enginePromise = undefined;
    if (area === 'local' && 'rules' in changes) {
      void rules.rulesChanged().catch((error: unknown) => console.error('[safepause] rules run failed', error));
    }
    if ((area === 'session' && 'accessToken' in changes) || area === 'local') {
      void engine().then((e) => e.tokenAvailable());
    }
  });
  // Content scripts must never read the session store (where the token may be); this is Chrome's default,
  // set explicitly. Firefox does not expose storage.session to content scripts.
  void browser.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => undefined);
  // Crash-only: every start of the worker is a recovery.
  void engine()
    .then((e) => e.recover())
    .then(() => listStops())
    .then((stops) => emergency.recover(stops))
    .then(updateBadge)
    .then(() => loadSettings())
    .then(({ settings }) => pruneHistory(settings.safety.auditRetentionDays))
    .catch((error) => {
      console.error('[safepause] recovery failed', error);
      noteStorage(error);
    });
  // Alarms can vanish (browser restart, update): the rules alarm is checked on every start.
  void rules.syncAlarm().catch((error: unknown) => console.error('[safepause] rules alarm failed', error));
}

function toView(objectId: string, job: Job): JobView {
  return {
    jobId: job.id,
    objectId,
    level: job.level,
    advertiserId: job.advertiserId,
    action: job.action,
    state: job.state,
    updatedAt: job.updatedAt,
    createdAt: job.createdAt,
    ...(job.lastRead ? { statusReadAt: job.lastRead.at } : {}),
    error: job.lastError
      ? `${job.lastError.code !== undefined ? `TikTok code ${job.lastError.code}: ` : ''}${job.lastError.message}`
      : null,
  };
}
