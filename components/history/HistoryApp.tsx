import { useEffect, useMemo, useState } from 'preact/hooks';
import { describeState, type StateGroup, stateGroup } from '../../lib/jobs/labels';
import { createOutbox } from '../../lib/jobs/outbox';
import type { Job } from '../../lib/jobs/types';
import { auditCsv, auditExportRows, formatMoney, jobExportRows, jobsCsv, toJson } from '../../lib/ledger';
import { readToken } from '../../lib/settings/token';
import type { AuditRecord } from '../../lib/store/db';
import { openDatabase } from '../../lib/store/db';
import { LEVEL_WORDS } from '../overlay/Overlay';
import { deltasOf } from '../popup/Ledger';
import { Status } from '../Status';

const outbox = createOutbox();
const DAY_MS = 24 * 3600_000;
const MAX_ROWS = 5000;

interface Filters {
  advertiserId: string;
  level: '' | Job['level'];
  group: '' | StateGroup;
  from: string;
  to: string;
}

function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Local-day bounds of the date inputs (the browser's time zone; each row also shows the advertiser's figures). */
function bounds(f: Filters): { since: number; until: number } {
  const since = f.from ? new Date(`${f.from}T00:00:00`).getTime() : 0;
  const until = f.to ? new Date(`${f.to}T00:00:00`).getTime() + DAY_MS : Number.POSITIVE_INFINITY;
  return { since, until };
}

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Every job SafePause ran, from the extension's IndexedDB (works while the worker sleeps), with filters and exports
 * for reconciliation with billing. Exports carry request_ids and codes, never the token (checked before download).
 */
export function HistoryApp() {
  const [filters, setFilters] = useState<Filters>({
    advertiserId: '',
    level: '',
    group: '',
    from: isoDay(Date.now() - 30 * DAY_MS),
    to: isoDay(Date.now()),
  });
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const { since } = bounds(filters);
    outbox.snapshot({ since, limit: MAX_ROWS * 2 }).then(
      (list) => alive && setJobs(list),
      (e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
    };
  }, [filters.from]);

  const advertisers = useMemo(() => [...new Set((jobs ?? []).map((j) => j.advertiserId))].sort(), [jobs]);
  const shown = useMemo(() => {
    const { since, until } = bounds(filters);
    return (jobs ?? [])
      .filter(
        (j) =>
          j.createdAt >= since &&
          j.createdAt < until &&
          (!filters.advertiserId || j.advertiserId === filters.advertiserId) &&
          (!filters.level || j.level === filters.level) &&
          (!filters.group || stateGroup(j.state) === filters.group),
      )
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, MAX_ROWS);
  }, [jobs, filters]);

  const set = (key: keyof Filters) => (event: Event) =>
    setFilters({ ...filters, [key]: (event.target as HTMLInputElement | HTMLSelectElement).value });

  async function auditOf(list: Job[]): Promise<AuditRecord[]> {
    const ids = new Set(list.map((j) => j.id));
    const db = await openDatabase();
    const earliest = Math.min(...list.map((j) => j.createdAt));
    const rows = await db.getAllFromIndex('audit', 'by-time', IDBKeyRange.lowerBound(earliest));
    return rows.filter((r) => ids.has(r.jobId));
  }

  async function exportAs(kind: 'jobs-csv' | 'audit-csv' | 'json') {
    setError(null);
    try {
      const token = await readToken();
      const secrets = token ? [token] : [];
      const stamp = isoDay(Date.now());
      const rows = jobExportRows(shown, (job) => {
        const l = job.ledger;
        return l
          ? {
              currency: l.currency,
              budgetMode: l.budgetMode,
              budget: l.budget,
              todaySpendAtClick: l.todaySpendAtClick,
              timeZone: l.timeZone,
            }
          : null;
      });
      if (kind === 'jobs-csv') {
        download(`safepause-jobs-${stamp}.csv`, jobsCsv(rows, { secrets }), 'text/csv');
      } else {
        const audit = auditExportRows(shown.length > 0 ? await auditOf(shown) : []);
        if (kind === 'audit-csv') download(`safepause-audit-${stamp}.csv`, auditCsv(audit, { secrets }), 'text/csv');
        else
          download(`safepause-history-${stamp}.json`, toJson({ jobs: rows, audit }, { secrets }), 'application/json');
      }
      setMessage(`Exported ${shown.length} jobs.`);
    } catch (e) {
      setError(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  return (
    <main class="sp-history">
      <h1>SafePause history</h1>
      <p class="sp-hint">
        Every pause and resume SafePause sent, with TikTok's request IDs and codes, leaked spend and budget kept. Export
        it to reconcile with your TikTok bill. The access token is never part of it.
      </p>
      <form class="sp-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Advertiser
          <select value={filters.advertiserId} onChange={set('advertiserId')}>
            <option value="">All advertisers</option>
            {advertisers.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Level
          <select value={filters.level} onChange={set('level')}>
            <option value="">All levels</option>
            <option value="campaign">Campaigns</option>
            <option value="adgroup">Ad groups</option>
            <option value="ad">Ads</option>
          </select>
        </label>
        <label>
          State
          <select value={filters.group} onChange={set('group')}>
            <option value="">All states</option>
            <option value="progress">In progress</option>
            <option value="attention">Needs attention</option>
            <option value="done">Done</option>
          </select>
        </label>
        <label>
          From
          <input type="date" value={filters.from} onChange={set('from')} />
        </label>
        <label>
          To
          <input type="date" value={filters.to} onChange={set('to')} />
        </label>
      </form>
      <div class="sp-row">
        <button type="button" class="sp-primary" onClick={() => void exportAs('jobs-csv')}>
          Export CSV
        </button>
        <button type="button" onClick={() => void exportAs('audit-csv')}>
          Export audit trail CSV
        </button>
        <button type="button" onClick={() => void exportAs('json')}>
          Export JSON
        </button>
      </div>
      {error && <Status tone="error" text={error} />}
      {message && <Status tone="info" text={message} />}
      {jobs !== null && shown.length === 0 && (
        <p class="sp-hint">
          No jobs match. Pauses appear here after you use the Pause button next to a campaign, ad group or ad in TikTok
          Ads Manager.
        </p>
      )}
      {shown.length > 0 && (
        <table class="sp-history-table">
          <caption>
            {shown.length} jobs{shown.length === MAX_ROWS ? ` (the most recent ${MAX_ROWS})` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Object</th>
              <th scope="col">Action</th>
              <th scope="col">State</th>
              <th scope="col">Leaked</th>
              <th scope="col">Budget kept</th>
              <th scope="col">TikTok request IDs</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((job) => {
              const d = deltasOf(job);
              const label = describeState(job.state, job.action);
              return (
                <tr key={job.id}>
                  <td>{new Date(job.createdAt).toLocaleString()}</td>
                  <td>
                    <div class="sp-job-name">{job.objectName}</div>
                    <div class="sp-hint">
                      {LEVEL_WORDS[job.level]} {job.objectId} · advertiser {job.advertiserId}
                    </div>
                  </td>
                  <td>
                    {job.action === 'DISABLE' ? 'Pause' : 'Resume'}
                    <div class="sp-hint">
                      {job.actor.kind === 'user'
                        ? 'by you'
                        : job.actor.kind === 'rule'
                          ? `rule ${job.actor.id}`
                          : 'emergency stop'}
                    </div>
                  </td>
                  <td title={label.explanation}>
                    {label.label}
                    {job.lastError?.code !== undefined && <div class="sp-hint">code {job.lastError.code}</div>}
                  </td>
                  <td>{d?.leakedSpend == null ? '–' : formatMoney(d.leakedSpend, d.currency)}</td>
                  <td>
                    {d?.budgetKind === 'unlimited'
                      ? 'no limit'
                      : d?.budgetKept == null
                        ? '–'
                        : formatMoney(d.budgetKept, d.currency)}
                  </td>
                  <td class="sp-ids">{job.requestIds.join(' ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}
