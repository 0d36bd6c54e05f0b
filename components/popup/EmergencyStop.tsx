import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { confirmationMatches, type StopRecord, type StopSummary, summarizeStop } from '../../lib/emergency/plan';
import { listStops } from '../../lib/emergency/store';
import { getJobsInSlices, type Outbox } from '../../lib/jobs/outbox';
import type { Job } from '../../lib/jobs/types';
import { formatMoney, parseMoney } from '../../lib/ledger';
import { loadSettings } from '../../lib/settings/storage';
import { onRecordsChanged, singleFlight } from '../../lib/store/changes';
import type { EmergencyPreview, RestorePreview } from '../../lib/worker/emergency';
import { Status } from '../Status';

const OLDER_STOP_REFRESH_MS = 10_000;
const FULL_REFRESH_MS = 5_000;
/** A step stored this long before a load began may still have been committing when it read: it is read again. */
const CHANGE_MARGIN_MS = 1_000;

type Answer<T> = ({ ok: true } & T) | { ok: false; error: string };

async function ask<T>(message: Record<string, unknown>): Promise<Answer<T>> {
  try {
    return (await browser.runtime.sendMessage(message)) as Answer<T>;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function money(value: string | number | null | undefined, currency: string): string {
  const minor = typeof value === 'number' ? value : parseMoney(value, currency);
  return minor === null ? '–' : formatMoney(minor, currency);
}

function budgetText(budget: number | null, mode: string | null, currency: string): string {
  if (mode === 'BUDGET_MODE_INFINITE' || budget === null) return 'No limit';
  const word = mode === 'BUDGET_MODE_TOTAL' ? 'total' : 'daily';
  return `${money(budget, currency)} ${word}`;
}

/**
 * Emergency stop: every switched-on campaign of one advertiser, listed from the API, paused in one confirmed action
 * through the same verified pipeline as a row's pause; then a summary and the restore point's resume.
 */
export function EmergencyStop({ outbox, autoFocus }: { outbox: Outbox; autoFocus: boolean }) {
  const [advertisers, setAdvertisers] = useState<string[]>([]);
  const [advertiserId, setAdvertiserId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<EmergencyPreview | null>(null);
  const [typed, setTyped] = useState('');
  const [stops, setStops] = useState<{ stop: StopRecord; summary: StopSummary }[]>([]);
  const [restore, setRestore] = useState<RestorePreview | null>(null);
  const selectRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    void loadSettings().then(({ settings }) => {
      setAdvertisers(settings.advertiserIds);
      setAdvertiserId((current) => current || settings.advertiserIds[0] || '');
    });
    if (autoFocus) selectRef.current?.focus();
  }, [autoFocus]);

  useEffect(() => {
    let alive = true;
    // Each stop's jobs as last read. A refresh reads, in one request, the jobs stored since the previous load began
    // (less CHANGE_MARGIN_MS), not every job it shows by key: a bulk stop's last confirmations show as they land, and
    // the read holds the worker's commits only briefly. Every job is reread every FULL_REFRESH_MS (a step missed by
    // the margin) and when the stop's record changes; an older stop that is done, every OLDER_STOP_REFRESH_MS. Full
    // rereads go in slices, so that the worker's commits (a batch's attempt, which its request waits for) go between.
    const known = new Map<string, { key: string; fullAt: number; jobs: Map<string, Job>; summary: StopSummary }>();
    /** When the last load that completed began: the next one reads the jobs stored since (less a margin). */
    let lastLoadAt: number | null = null;
    const readJobs = async (stop: StopRecord, ids: readonly string[] | null): Promise<Job[]> => {
      if (ids !== null) return (await getJobsInSlices(outbox, ids)).filter((j) => j !== null);
      return outbox.snapshot({ advertiserId: stop.advertiserId, level: 'campaign', since: stop.createdAt - 1000 });
    };
    const load = async () => {
      const loadAt = Date.now();
      const since = lastLoadAt;
      // One read of every job stored since the last load, shared by the stops read from it.
      let updates: Promise<Map<string, Job>> | null = null;
      const updated = (): Promise<Map<string, Job>> => {
        updates ??= outbox
          .updatedSince((since ?? loadAt) - CHANGE_MARGIN_MS)
          .then((list) => new Map(list.map((j) => [j.id, j])));
        return updates;
      };
      try {
        const recent = await listStops(3);
        // A stop knows its jobs once they are recorded: read those by key (a scan by update time would walk every
        // job touched since, which after a few bulk stops is thousands per refresh).
        const summarize = async (stop: StopRecord, i: number): Promise<{ stop: StopRecord; summary: StopSummary }> => {
          const key = JSON.stringify([stop.jobIds === null, stop.skipped.length, stop.restore]);
          const at = Date.now();
          const last = known.get(stop.id);
          const fresh = last !== undefined && last.key === key && stop.jobIds !== null;
          if (fresh && i > 0 && last.summary.done && at - last.fullAt < OLDER_STOP_REFRESH_MS) {
            return { stop, summary: last.summary };
          }
          let jobs: Map<string, Job>;
          let fullAt = at;
          if (fresh && since !== null && at - last.fullAt < FULL_REFRESH_MS) {
            jobs = new Map(last.jobs);
            for (const [id, j] of await updated()) if (jobs.has(id)) jobs.set(id, j);
            fullAt = last.fullAt;
          } else {
            const ids = stop.jobIds ? Object.values(stop.jobIds) : null;
            jobs = new Map((await readJobs(stop, ids)).map((j) => [j.id, j]));
          }
          const summary = summarizeStop(stop, [...jobs.values()]);
          known.set(stop.id, { key, fullAt, jobs, summary });
          return { stop, summary };
        };
        // The newest stop is shown as soon as it is read: an older one's periodic full reread (a thousand jobs) must
        // not hold the live one's progress.
        const [newest, ...older] = recent;
        const first = newest ? [await summarize(newest, 0)] : [];
        const olderKnown = older.flatMap((stop) => {
          const last = known.get(stop.id);
          return last ? [{ stop, summary: last.summary }] : [];
        });
        if (alive && olderKnown.length === older.length) setStops([...first, ...olderKnown]);
        const out = [...first, ...(await Promise.all(older.map((stop, i) => summarize(stop, i + 1))))];
        lastLoadAt = loadAt;
        if (alive) setStops(out);
      } catch (e) {
        if (alive) setError(`Emergency stops could not be read: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    const once = singleFlight(load);
    void once();
    const timer = setInterval(() => void once(), 1000);
    const unsubscribe = onRecordsChanged(once);
    return () => {
      alive = false;
      clearInterval(timer);
      unsubscribe();
    };
  }, [outbox]);

  async function openPreview() {
    setBusy(true);
    setError(null);
    const answer = await ask<{ preview: EmergencyPreview }>({ type: 'emergency:preview', advertiserId });
    setBusy(false);
    if (!answer.ok) setError(answer.error);
    else {
      setTyped('');
      setPreview(answer.preview);
    }
  }

  async function confirmStop(event: Event) {
    event.preventDefault();
    if (!preview || !event.isTrusted) return;
    setBusy(true);
    const answer = await ask<{ stop: StopRecord }>({ type: 'emergency:start', previewId: preview.previewId, typed });
    setBusy(false);
    if (!answer.ok) setError(answer.error);
    else {
      setPreview(null);
      setError(null);
    }
  }

  async function openRestore(stopId: string) {
    setBusy(true);
    setError(null);
    const answer = await ask<{ preview: RestorePreview }>({ type: 'emergency:restore-preview', stopId });
    setBusy(false);
    if (!answer.ok) setError(answer.error);
    else setRestore(answer.preview);
  }

  async function confirmRestore(event: Event) {
    if (!restore || !event.isTrusted) return;
    setBusy(true);
    const answer = await ask<{ jobIds: string[] }>({ type: 'emergency:restore', previewId: restore.previewId });
    setBusy(false);
    if (!answer.ok) setError(answer.error);
    else setRestore(null);
  }

  const count = preview?.campaigns.length ?? 0;
  const matches = preview ? confirmationMatches(typed, preview.advertiserName, count) : false;

  return (
    <section class="sp-emergency" aria-labelledby="sp-emergency-title">
      <h2 id="sp-emergency-title">Emergency stop</h2>
      {error && <Status tone="error" text={error} />}
      {!preview && !restore && (
        <div class="sp-row">
          <label class="sp-field-inline">
            Advertiser
            <select
              ref={selectRef}
              value={advertiserId}
              onChange={(e) => setAdvertiserId((e.target as HTMLSelectElement).value)}
            >
              {advertisers.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="sp-danger" disabled={busy || !advertiserId} onClick={() => void openPreview()}>
            {busy ? 'Reading campaigns…' : 'Stop all spend'}
          </button>
        </div>
      )}
      {preview && (
        <div role="dialog" aria-labelledby="sp-stop-title">
          <form class="sp-dialog" onSubmit={(e) => void confirmStop(e)}>
            <h3 id="sp-stop-title">Stop all spend of {preview.advertiserName}?</h3>
            {count === 0 ? (
              <p>No campaign of this advertiser is switched on. Nothing to stop.</p>
            ) : (
              <>
                <p>
                  {count} campaigns are switched on (read from TikTok just now). Today's spend so far{' '}
                  {money(preview.todaySpend, preview.currency)}, about {money(preview.perHour, preview.currency)} per
                  hour on average today. SafePause pauses them in batches of 20 and checks each until TikTok shows it
                  off. {preview.alreadyOff} campaigns already off are not touched.
                </p>
                <div class="sp-table-wrap">
                  <table class="sp-table">
                    <caption class="sp-visually-hidden">Campaigns that will be paused</caption>
                    <thead>
                      <tr>
                        <th scope="col">Campaign</th>
                        <th scope="col">Today</th>
                        <th scope="col">Budget</th>
                      </tr>
                    </thead>
                    <tbody>
                      {preview.campaigns.map((c) => (
                        <tr key={c.id}>
                          <td>
                            <span class="sp-job-name">{c.name}</span>
                            <span class="sp-hint"> {c.id}</span>
                          </td>
                          <td>{money(c.todaySpend, preview.currency)}</td>
                          <td>{budgetText(c.budget, c.budgetMode, preview.currency)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <label class="sp-field">
                  Type the advertiser name or {count} to confirm
                  <input
                    value={typed}
                    onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
                    autoComplete="off"
                  />
                </label>
              </>
            )}
            <div class="sp-row">
              {count > 0 && (
                <button type="submit" class="sp-danger" disabled={!matches || busy}>
                  Stop {count} campaigns
                </button>
              )}
              <button type="button" onClick={() => setPreview(null)}>
                Cancel
              </button>
            </div>
          </form>
        </div>
      )}
      {restore && (
        <div class="sp-dialog" role="dialog" aria-labelledby="sp-restore-title">
          <h3 id="sp-restore-title">Resume {restore.plan.resume.length} campaigns?</h3>
          <p>
            These are the campaigns the emergency stop of {restore.advertiserName} paused that are still off and
            untouched since. {restore.plan.skipped.length} are left as they are.
          </p>
          {restore.plan.skipped.length > 0 && (
            <ul class="sp-skips">
              {restore.plan.skipped.slice(0, 50).map((s) => (
                <li key={s.id}>
                  {s.name} ({s.id}): {s.text}
                </li>
              ))}
            </ul>
          )}
          <div class="sp-row">
            {restore.plan.resume.length > 0 && (
              <button type="button" disabled={busy} onClick={(e) => void confirmRestore(e)}>
                Resume {restore.plan.resume.length} campaigns
              </button>
            )}
            <button type="button" onClick={() => setRestore(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {stops.map(({ stop, summary }) => (
        <article key={stop.id} class="sp-stop" aria-label={`Emergency stop of ${stop.advertiserName}`}>
          <div class="sp-job-head">
            <strong>
              {stop.advertiserName} · {new Date(stop.createdAt).toLocaleString()}
            </strong>
          </div>
          <p role="status">
            {summary.stopped} of {summary.total} stopped and confirmed · {summary.inFlight} in flight ·{' '}
            {summary.failed.length} failed
            {summary.leakedSinceClick !== null && (
              <> · spent since the click {money(summary.leakedSinceClick, stop.currency)}</>
            )}
          </p>
          {summary.failed.length > 0 && (
            <ul class="sp-skips">
              {summary.failed.map((f) => (
                <li key={f.id} class="sp-job-error">
                  {f.name} ({f.id}): {f.code !== null ? `TikTok code ${f.code}: ` : ''}
                  {f.message}
                </li>
              ))}
            </ul>
          )}
          {stop.restore && <p class="sp-hint">Resumed {stop.restore.campaignIds.length} campaigns from this stop.</p>}
          {summary.done && !stop.restore && summary.stopped > 0 && !restore && (
            <button type="button" onClick={() => void openRestore(stop.id)}>
              Resume what Emergency stop paused
            </button>
          )}
        </article>
      ))}
    </section>
  );
}
