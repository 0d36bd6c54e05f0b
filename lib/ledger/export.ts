/**
 * Export of jobs and audit rows for reconciliation with billing, as CSV (RFC 4180) and JSON.
 *
 * Every cell is a string, so a CSV parsed back with `parseCsv` gives rows equal to the ones written.
 * Times are ISO 8601 UTC; amounts are plain decimals in the advertiser's currency with the currency's
 * exact decimals (`14.68`, `1250` for JPY), next to a `currency` column.
 *
 * Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`, `@`, tab or CR gets a
 * leading `'`, so Excel, Sheets and LibreOffice show it as text instead of running it
 * (`=HYPERLINK(…)` in an ad name). Plain numbers such as `-3.20` are left alone so amounts still
 * sum. To keep the mapping reversible a cell that already starts with `'` gets one more; `parseCsv`
 * removes exactly one leading `'` from every cell that has one, which restores every value exactly.
 * (`parseCsvRecords` gives the cells as written, apostrophes included.)
 *
 * Exporters take the secrets the caller holds (the access token) and throw `SecretLeakError` when
 * one appears in the output, so the token can be proven absent rather than assumed absent.
 */
import type { AuditEntry, Job, SpendSnapshot } from '../jobs/types';
import { type BudgetDeltas, jobDeltas, type ObjectBudgetInfo } from './deltas';
import { type Minor, minorToDecimal, normalizeCurrency, parseMoney } from './money';

export const JOB_EXPORT_COLUMNS = [
  'job_id',
  'advertiser_id',
  'level',
  'object_id',
  'object_name',
  'action',
  'actor',
  'actor_id',
  'state',
  'created_at',
  'confirmed_at',
  'finished_at',
  'request_ids',
  'last_error_kind',
  'last_error_code',
  'last_error_message',
  'currency',
  'spend_at_click',
  'spend_at_confirm',
  'spend_settled',
  'spend_last',
  'spend_provisional',
  'leaked_spend',
  'remaining_budget_at_click',
  'budget_kept',
] as const;
export type JobExportColumn = (typeof JOB_EXPORT_COLUMNS)[number];
export type JobExportRow = Record<JobExportColumn, string>;

export const AUDIT_EXPORT_COLUMNS = [
  'job_id',
  'at',
  'from',
  'to',
  'event',
  'attempt',
  'detail',
  'request_id',
  'code',
] as const;
export type AuditExportColumn = (typeof AUDIT_EXPORT_COLUMNS)[number];
export type AuditExportRow = Record<AuditExportColumn, string>;

/** A secret appeared in an export. The message never repeats the secret. */
export class SecretLeakError extends Error {
  constructor() {
    super('Export refused: it would contain a secret (such as the access token).');
    this.name = 'SecretLeakError';
  }
}

/** The forms a secret takes inside CSV (quotes doubled) and JSON (escaped) text. */
function secretForms(secret: string): string[] {
  return [secret, secret.replace(/"/g, '""'), JSON.stringify(secret).slice(1, -1)];
}

/**
 * Throws `SecretLeakError` when any of `secrets` occurs in `text`, as is or as CSV or JSON escape
 * it. Blank secrets are ignored (they would match everything and protect nothing).
 */
export function assertNoSecrets(text: string, secrets: readonly string[] | undefined): void {
  for (const secret of secrets ?? []) {
    if (secret.trim() === '') continue;
    if (secretForms(secret).some((form) => text.includes(form))) throw new SecretLeakError();
  }
}

export interface ExportOptions {
  /** Strings that must not appear in the output (the access token); the export throws if one does. */
  secrets?: readonly string[];
}

export interface CsvOptions extends ExportOptions {
  /** Column order; defaults to the keys of the first row. Missing cells are written empty. */
  columns?: readonly string[];
  /** Start with a UTF-8 byte order mark so Excel reads emoji and RTL text right. Default false. */
  bom?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r']/;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

/** A cell as written: a leading `'` before text a spreadsheet would run as a formula (see the module note). */
export function defuseCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** The inverse of `defuseCell`. */
export function restoreCell(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

function encodeField(value: string, only: boolean): string {
  // A lone empty field is quoted so the record is not mistaken for a blank line.
  if (/[",\r\n]/.test(value) || (only && value === '')) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

function encodeRecord(cells: readonly string[]): string {
  return cells.map((cell) => encodeField(defuseCell(cell), cells.length === 1)).join(',');
}

/**
 * RFC 4180 CSV: a header row, then one record per row; CRLF line ends (also after the last record);
 * fields with `,`, `"`, CR or LF quoted, quotes doubled; formula-like cells defused.
 */
export function toCsv(rows: readonly Readonly<Record<string, string>>[], options: CsvOptions = {}): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  if (columns.length === 0) return '';
  const lines = [encodeRecord(columns)];
  for (const row of rows) lines.push(encodeRecord(columns.map((c) => row[c] ?? '')));
  for (const row of rows) for (const c of columns) assertNoSecrets(row[c] ?? '', options.secrets);
  const text = `${options.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
  assertNoSecrets(text, options.secrets);
  return text;
}

/** Malformed CSV, with the 1-based line where reading stopped. */
export class CsvParseError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`CSV line ${line}: ${message}`);
    this.name = 'CsvParseError';
    this.line = line;
  }
}

/**
 * RFC 4180 records, cells exactly as written (no `'` removed). Accepts CRLF or LF line ends, a
 * leading BOM, and skips blank lines; throws `CsvParseError` on a stray or unterminated quote.
 */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let afterQuote = false;
  let line = 1;
  const endField = () => {
    record.push(field);
    field = '';
    quoted = false;
    afterQuote = false;
  };
  const endRecord = () => {
    if (record.length === 0 && field === '' && !quoted) return; // blank line
    endField();
    records.push(record);
    record = [];
  };
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (inQuotes) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          afterQuote = true;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === ',') {
      endField();
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
    } else if (c === '"') {
      if (field !== '' || quoted) throw new CsvParseError('a quote inside an unquoted field', line);
      inQuotes = true;
      quoted = true;
    } else {
      if (afterQuote) throw new CsvParseError('text after a closing quote', line);
      field += c;
    }
  }
  if (inQuotes) throw new CsvParseError('a quoted field is not closed', line);
  endRecord();
  return records;
}

/**
 * Rows from CSV written by `toCsv`: the first record names the columns; every cell (header too) has
 * its defusing `'` removed. Throws `CsvParseError` when a record has a different number of cells.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const [header, ...records] = parseCsvRecords(text).map((r) => r.map(restoreCell));
  if (!header) return [];
  return records.map((record, index) => {
    if (record.length !== header.length) {
      throw new CsvParseError(`expected ${header.length} cells, found ${record.length}`, index + 2);
    }
    const row: Record<string, string> = {};
    header.forEach((column, i) => {
      row[column] = record[i] ?? '';
    });
    return row;
  });
}

/** Pretty-printed JSON of `data`; throws `SecretLeakError` when a secret appears in it. */
export function toJson(data: unknown, options: ExportOptions = {}): string {
  const text = `${JSON.stringify(data, null, 2)}\n`;
  assertNoSecrets(text, options.secrets);
  return text;
}

function iso(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '' : new Date(ms).toISOString();
}

function amount(minor: Minor | null, currency: string): string {
  return minor === null ? '' : minorToDecimal(minor, currency);
}

/** A spend snapshot in the currency's exact decimals, or as recorded when the currency is unknown. */
function spendCell(snap: SpendSnapshot | null | undefined, currency: string | null): string {
  if (!snap) return '';
  if (currency === null) return String(snap.value);
  return amount(parseMoney(snap.value, currency), currency);
}

/**
 * One export row per job. `budgetInfo` supplies what the job does not hold (currency, budget, zone);
 * without it the spend columns hold the reported numbers as recorded and the deltas stay empty.
 */
export function jobExportRows(
  jobs: readonly Job[],
  budgetInfo?: (job: Job) => ObjectBudgetInfo | null | undefined,
): JobExportRow[] {
  return jobs.map((job) => {
    const info = budgetInfo?.(job) ?? null;
    const currency = info ? normalizeCurrency(info.currency) : null;
    const deltas: BudgetDeltas | null = info ? jobDeltas(job, info) : null;
    const settled = job.state === 'settled' ? (job.spend.last ?? job.spend.atWindow) : null;
    const err = job.lastError;
    return {
      job_id: job.id,
      advertiser_id: job.advertiserId,
      level: job.level,
      object_id: job.objectId,
      object_name: job.objectName,
      action: job.action,
      actor: job.actor.kind,
      actor_id: job.actor.id ?? '',
      state: job.state,
      created_at: iso(job.createdAt),
      confirmed_at: iso(job.confirmedAt),
      finished_at: iso(job.finishedAt),
      request_ids: job.requestIds.join(' '),
      last_error_kind: err?.kind ?? '',
      last_error_code: err?.code !== undefined ? String(err.code) : '',
      last_error_message: err?.message ?? '',
      currency: currency ?? '',
      spend_at_click: spendCell(job.spend.atClick, currency),
      spend_at_confirm: spendCell(job.spend.atConfirm, currency),
      spend_settled: spendCell(settled, currency),
      spend_last: spendCell(job.spend.last, currency),
      spend_provisional: deltas ? String(deltas.provisional) : '',
      leaked_spend: deltas && currency ? amount(deltas.leakedSpend, currency) : '',
      remaining_budget_at_click: deltas && currency ? amount(deltas.remainingBudgetAtClick, currency) : '',
      budget_kept: deltas && currency ? amount(deltas.budgetKept, currency) : '',
    };
  });
}

/** One export row per audit entry, in the order given. */
export function auditExportRows(entries: readonly AuditEntry[]): AuditExportRow[] {
  return entries.map((e) => ({
    job_id: e.jobId,
    at: iso(e.at),
    from: e.from ?? '',
    to: e.to,
    event: e.event,
    attempt: String(e.attempt),
    detail: e.detail,
    request_id: e.requestId ?? '',
    code: e.code !== undefined ? String(e.code) : '',
  }));
}

/** CSV of job rows with the fixed column order. */
export function jobsCsv(jobs: readonly JobExportRow[], options: Omit<CsvOptions, 'columns'> = {}): string {
  return toCsv(jobs, { ...options, columns: JOB_EXPORT_COLUMNS });
}

/** CSV of audit rows with the fixed column order. */
export function auditCsv(entries: readonly AuditExportRow[], options: Omit<CsvOptions, 'columns'> = {}): string {
  return toCsv(entries, { ...options, columns: AUDIT_EXPORT_COLUMNS });
}
