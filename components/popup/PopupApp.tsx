import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { describeState, stateGroup } from '../../lib/jobs/labels';
import { createOutbox } from '../../lib/jobs/outbox';
import { supportReport } from '../../lib/jobs/support-report';
import type { Job } from '../../lib/jobs/types';
import { formatMoney, totals } from '../../lib/ledger';
import { onRecordsChanged, singleFlight } from '../../lib/store/changes';
import { STORAGE_PROBLEM_KEY, StorageUnavailableError } from '../../lib/store/db';
import { LEVEL_WORDS } from '../overlay/Overlay';
import { Status } from '../Status';
import type { EmergencyStop as EmergencyStopComponent } from './EmergencyStop';
import { deltasOf, LedgerLine, SpendChart } from './Ledger';

const outbox = createOutbox();
const RECENT_MS = 7 * 24 * 3600_000;
const REFRESH_MS = 1000;
const FIRST_SCREEN = 25;

function sinceText(from: number, now: number): string {
  const s = Math.max(0, Math.round((now - from) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
}

/**
 * The popup reads the extension's IndexedDB directly (it works while the worker sleeps) and asks the
 * worker for every change (undo, retry). It refreshes while open.
 */
export function PopupApp() {
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  // Emergency stop's code loads after the first render: the list of pauses comes first.
  const [Emergency, setEmergency] = useState<typeof EmergencyStopComponent | null>(null);
  useEffect(() => {
    void import('./EmergencyStop').then((m) => setEmergency(() => m.EmergencyStop));
  }, []);

  useEffect(() => {
    let alive = true;
    let rendered = false;
    // The first read takes only what fits the first screen (a cursor step per record is the cost on a large
    // history); the refreshes read the full recent list.
    const load = () =>
      outbox.snapshot({ since: Date.now() - RECENT_MS, limit: rendered ? 200 : FIRST_SCREEN }).then(
        (list) => {
          if (!alive) return;
          // The benchmark's "first render with history" mark (npm run bench popup): the first list is on screen
          // after this commit.
          if (!rendered) {
            rendered = true;
            requestAnimationFrame(() => performance.mark('safepause:popup-rendered'));
          }
          setJobs(list);
          setNow(Date.now());
          setError(null);
        },
        (e: unknown) =>
          alive &&
          setError(e instanceof StorageUnavailableError ? e.userMessage : e instanceof Error ? e.message : String(e)),
      );
    const once = singleFlight(load);
    void once();
    const timer = setInterval(() => void once(), REFRESH_MS);
    const unsubscribe = onRecordsChanged(once);
    return () => {
      alive = false;
      clearInterval(timer);
      unsubscribe();
    };
  }, []);

  // The worker's last failure to write its records (nothing is sent while it lasts).
  const [storageProblem, setStorageProblem] = useState<string | null>(null);
  useEffect(() => {
    const read = () =>
      browser.storage.session.get(STORAGE_PROBLEM_KEY).then(
        (stored) =>
          setStorageProblem((stored[STORAGE_PROBLEM_KEY] as { message?: string } | undefined)?.message ?? null),
        () => undefined,
      );
    void read();
    const timer = setInterval(read, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  async function send(type: 'job:undo' | 'job:retry', jobId: string) {
    const result = (await browser.runtime.sendMessage({ type, jobId }).catch((e: unknown) => ({
      ok: false,
      error: String(e),
    }))) as { ok: boolean; error?: string };
    setMessage(
      result.ok ? (type === 'job:undo' ? 'Resume sent.' : 'Retry started.') : `Not done: ${result.error ?? ''}`,
    );
  }

  async function copyReport(job: Job) {
    const audit = await outbox.auditForJob(job.id);
    await navigator.clipboard.writeText(supportReport(job, audit));
    setMessage('Support report copied. Paste it into a message to TikTok support.');
  }

  const startOfToday = new Date(now).setHours(0, 0, 0, 0);
  const today = totals(
    (jobs ?? [])
      .filter((j) => j.createdAt >= startOfToday)
      .flatMap((j) => {
        const d = deltasOf(j);
        return d ? [d] : [];
      }),
  );
  const groups = { progress: [] as Job[], attention: [] as Job[], done: [] as Job[] };
  // Emergency stops are summarised in their own section (hundreds of campaigns at once), not listed one by one.
  for (const job of jobs ?? []) if (job.actor.kind !== 'emergency') groups[stateGroup(job.state)].push(job);

  return (
    <main class="sp-popup">
      <h1>SafePause</h1>
      {error && <Status tone="error" text={`History could not be read: ${error}`} />}
      {storageProblem && <Status tone="error" text={storageProblem} />}
      {message && <Status tone="info" text={message} />}
      {today.length > 0 && (
        <p class="sp-totals">
          Today:{' '}
          {today
            .map(
              (t) =>
                `${t.count} paused · leaked ${formatMoney(t.leakedSpend, t.currency)}${t.provisional ? ' so far' : ''}${t.keptUnknown < t.count ? ` · budget kept ${formatMoney(t.budgetKept, t.currency)}` : ''}`,
            )
            .join('; ')}
        </p>
      )}
      <div class="sp-row">
        <button
          type="button"
          onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/history.html') })}
        >
          Open history and export
        </button>
      </div>
      {Emergency && <Emergency outbox={outbox} autoFocus={location.hash === '#emergency'} />}
      {jobs !== null && jobs.length === 0 && (
        <p class="sp-hint">
          No pauses yet. Open TikTok Ads Manager and use the Pause button next to a campaign, ad group or ad: SafePause
          asks you to confirm, sends the pause to TikTok, and keeps checking until TikTok confirms it.
        </p>
      )}
      {(
        [
          ['progress', 'In progress'],
          ['attention', 'Needs attention'],
          ['done', 'Paused'],
        ] as const
      ).map(([key, title]) =>
        groups[key].length === 0 ? null : (
          <section key={key} aria-labelledby={`sp-${key}`}>
            <h2 id={`sp-${key}`}>
              {title} <span class="sp-count">({groups[key].length})</span>
            </h2>
            <ul class="sp-jobs">
              {groups[key].map((job) => {
                const label = describeState(job.state, job.action);
                const word = LEVEL_WORDS[job.level];
                const deltas = deltasOf(job);
                return (
                  <li key={job.id} class="sp-job" data-tone={label.tone}>
                    <div class="sp-job-head">
                      <strong class="sp-job-name">{job.objectName}</strong>
                      <span class="sp-job-state" title={label.explanation}>
                        {label.label}
                      </span>
                    </div>
                    <div class="sp-hint">
                      {job.action === 'DISABLE' ? 'Pause' : 'Resume'} {word} {job.objectId} · advertiser{' '}
                      {job.advertiserId} · {sinceText(job.createdAt, now)}
                    </div>
                    {deltas && <LedgerLine deltas={deltas} />}
                    {deltas && <SpendChart job={job} deltas={deltas} />}
                    {job.lastError && (
                      <div class="sp-job-error">
                        {job.lastError.code !== undefined ? `TikTok code ${job.lastError.code}: ` : ''}
                        {job.lastError.message}
                      </div>
                    )}
                    <div class="sp-row">
                      {job.action === 'DISABLE' && (job.state === 'confirmed' || job.state === 'settled') && (
                        <button type="button" onClick={() => void send('job:undo', job.id)}>
                          Undo (resume {word})
                        </button>
                      )}
                      {(job.state === 'failed' || job.state === 'stuck') && (
                        <button type="button" onClick={() => void send('job:retry', job.id)}>
                          Retry
                        </button>
                      )}
                      {key === 'attention' && (
                        <button type="button" onClick={() => void copyReport(job)}>
                          Copy support report
                        </button>
                      )}
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
        ),
      )}
    </main>
  );
}
