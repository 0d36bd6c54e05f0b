/**
 * Writes the README's Reliability table from the fault suite's own results (run after `npm run test:faults`):
 * - FAULTS_REPORT_DIR/chaos.json: the summary of the seeded chaos runs (test/unit/faults/chaos.test.ts);
 * - FAULTS_REPORT_DIR/playwright.json: Playwright's JSON report of the browser fault specs, whose `fault`, `does` and
 *   `check` annotations give each scenario's row.
 * Only the part of README.md between `<!-- reliability:start -->` and `<!-- reliability:end -->` is rewritten (the
 * markers and a "## Reliability" heading are added after the Safety section when absent). Exits 1 when an input is
 * missing or a row failed (the table is still written, failures included).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const START = '<!-- reliability:start -->';
const END = '<!-- reliability:end -->';
const HEADING = '## Reliability and security';

interface ChaosSummary {
  runs: number;
  passed: number;
  seeds: number[];
  failingSeeds: number[];
  killsByPoint: Record<string, number>;
  restarts: number;
  tokenLosses: number;
  faultsFired: number;
  faultsByKind?: Record<string, number>;
  jobs: number;
  statusUpdates: number;
  appliedUpdates: number;
  invariants: { key: string; text: string; failingSeeds: number[] }[];
}

interface PwAnnotation {
  type: string;
  description?: string;
}
interface PwResult {
  status: string;
  annotations?: PwAnnotation[];
}
interface PwTest {
  projectName?: string;
  status?: string;
  annotations?: PwAnnotation[];
  results: PwResult[];
}
interface PwSpec {
  title: string;
  file?: string;
  tests: PwTest[];
}
interface PwSuite {
  title?: string;
  file?: string;
  specs?: PwSpec[];
  suites?: PwSuite[];
}

export interface Row {
  fault: string;
  does: string;
  check: string;
  result: 'passed' | 'failed';
  runs: string;
}

function cell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

export function chaosRows(chaos: ChaosSummary): Row[] {
  const kills = Object.values(chaos.killsByPoint).reduce((a, b) => a + b, 0);
  const where = Object.entries(chaos.killsByPoint)
    .map(([point, n]) => `${point} ${n}`)
    .join(', ');
  const fault =
    `Seeded chaos of the job engine (real sandbox API, fake IndexedDB): ${kills} worker kills at random awaits (${where}), ` +
    `${chaos.restarts} restarts (${chaos.tokenLosses} without the session token), ${chaos.faultsFired} API faults fired ` +
    '(retryable and refusal codes, hangs, answers lost after applying, 5xx, malformed, numeric IDs, missing fields, outages)';
  const does: Record<string, string> = {
    'one-send': 'Reads the status before any resend after an unknown outcome',
    'recorded-first': 'Commits each job step (job + audit row) before its request leaves',
    'confirmed-by-read': 'Confirms only from a status read showing the new status',
    deadline: 'Resumes every open job on start; stops a job at its deadline',
    audit: 'Writes each step with its audit row in one transaction',
    engine: 'Turns every API failure into a recorded job step',
  };
  const seeds = `${chaos.seeds[0]}–${chaos.seeds.at(-1)}`;
  return chaos.invariants.map((inv, i) => ({
    fault: i === 0 ? fault : '〃 (same runs)',
    does: does[inv.key] ?? '',
    check: inv.text,
    result: inv.failingSeeds.length === 0 && chaos.runs > 0 ? 'passed' : 'failed',
    runs:
      inv.failingSeeds.length === 0
        ? `${chaos.runs} (seeds ${seeds})`
        : `${chaos.runs - inv.failingSeeds.length}/${chaos.runs}; failing seeds ${inv.failingSeeds.join(', ')}`,
  }));
}

function* specsOf(suite: PwSuite): Generator<PwSpec> {
  for (const spec of suite.specs ?? []) yield spec;
  for (const child of suite.suites ?? []) yield* specsOf(child);
}

export function browserRows(report: { suites?: PwSuite[] }): Row[] {
  const rows: Row[] = [];
  for (const suite of report.suites ?? []) {
    for (const spec of specsOf(suite)) {
      for (const test of spec.tests) {
        const annotations = [...(test.annotations ?? []), ...test.results.flatMap((r) => r.annotations ?? [])];
        const note = (type: string) => annotations.find((a) => a.type === type)?.description ?? '';
        const fault = note('fault') || spec.title;
        const passed = test.results.length > 0 && test.results.every((r) => r.status === 'passed');
        rows.push({
          fault,
          does: note('does'),
          check: [note('check') || spec.title, note('observed')].filter(Boolean).join('. Observed: '),
          result: passed ? 'passed' : 'failed',
          runs: note('runs') || String(test.results.length),
        });
      }
    }
  }
  return rows;
}

export function renderSection(chaos: ChaosSummary, chaosTable: Row[], browser: Row[], when: Date): string {
  const header = '| Fault injected | What SafePause does | Check | Result | Runs |\n|---|---|---|---|---|';
  const line = (r: Row) =>
    `| ${cell(r.fault)} | ${cell(r.does)} | ${cell(r.check)} | ${r.result === 'passed' ? 'passed' : '**failed**'} | ${cell(r.runs)} |`;
  const failed = [...chaosTable, ...browser].filter((r) => r.result === 'failed').length;
  return [
    START,
    `Generated by \`npm run test:faults:report\` from the results of \`npm run test:faults\` (${when.toISOString().slice(0, 10)}): ` +
      `${chaos.runs} seeded chaos runs of the job engine and ${browser.length} browser scenarios against the built ` +
      `extension and the sandbox. ${failed === 0 ? 'Every row passed.' : `${failed} row(s) failed.`} A chaos seed ` +
      'replays alone with `FAULT_SEED=<seed> npx vitest run test/unit/faults`.',
    '',
    header,
    ...chaosTable.map(line),
    ...browser.map(line),
    END,
  ].join('\n');
}

/** README with the section replaced (or added, under its heading, after the Safety section). */
export function spliceReadme(readme: string, section: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start !== -1 && end > start) return readme.slice(0, start) + section + readme.slice(end + END.length);
  const block = `${HEADING}\n\n${section}\n\n`;
  const safety = readme.search(/^## Safety/m);
  const next = safety === -1 ? -1 : readme.slice(safety + 1).search(/^## /m);
  if (next === -1) return `${readme.trimEnd()}\n\n${block.trimEnd()}\n`;
  const at = safety + 1 + next;
  return readme.slice(0, at) + block + readme.slice(at);
}

/**
 * `--merge`: the results hold only some of the browser specs (e.g. `playwright test -c playwright.faults.config.ts
 * test/faults/kill-schedule.spec.ts`). Their rows replace the table's rows of the same fault (or are added), the
 * others stay as they were, and the introduction says which rows came from which run.
 */
export function mergeRows(readme: string, rows: Row[], when: Date): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error('the README has no reliability table to merge into');
  const lines = readme
    .slice(start + START.length, end)
    .trim()
    .split('\n');
  const line = (r: Row) =>
    `| ${cell(r.fault)} | ${cell(r.does)} | ${cell(r.check)} | ${r.result === 'passed' ? 'passed' : '**failed**'} | ${cell(r.runs)} |`;
  const faultOf = (text: string) => text.split(' | ')[0]?.replace(/^\| /, '') ?? '';
  const kept = lines.filter((l) => !l.startsWith('| ') || !rows.some((r) => cell(r.fault) === faultOf(l)));
  const day = when.toISOString().slice(0, 10);
  const intro = kept.map((l) =>
    l.startsWith('Generated by')
      ? `${l.replace(/ Rows merged from later runs:.*$/, '')} Rows merged from later runs: ${rows.length} (${day}, \`npm run test:faults:report -- --merge\`).`
      : l,
  );
  return `${readme.slice(0, start)}${START}\n${[...intro, ...rows.map(line)].join('\n')}\n${readme.slice(end)}`;
}

function main(): void {
  const dir = resolve(process.env.FAULTS_REPORT_DIR ?? 'playwright-report/faults');
  if (process.argv.includes('--merge')) {
    const report = JSON.parse(readFileSync(join(dir, 'playwright.json'), 'utf8')) as { suites?: PwSuite[] };
    const rows = browserRows(report);
    const readmePath = resolve('README.md');
    writeFileSync(readmePath, mergeRows(readFileSync(readmePath, 'utf8'), rows, new Date()));
    console.info(`faults-report: ${rows.length} row(s) merged into the README Reliability table.`);
    if (rows.length === 0 || rows.some((r) => r.result === 'failed')) process.exit(1);
    return;
  }
  const chaosFile = join(dir, 'chaos.json');
  const pwFile = join(dir, 'playwright.json');
  for (const file of [chaosFile, pwFile]) {
    if (!existsSync(file)) {
      console.error(`faults-report: ${file} is missing; run \`npm run test:faults\` first.`);
      process.exit(1);
    }
  }
  const chaos = JSON.parse(readFileSync(chaosFile, 'utf8')) as ChaosSummary;
  const report = JSON.parse(readFileSync(pwFile, 'utf8')) as { suites?: PwSuite[] };
  const chaosTable = chaosRows(chaos);
  const browser = browserRows(report);
  const readmePath = resolve('README.md');
  const section = renderSection(chaos, chaosTable, browser, new Date());
  writeFileSync(readmePath, spliceReadme(readFileSync(readmePath, 'utf8'), section));
  const failed = [...chaosTable, ...browser].filter((r) => r.result === 'failed');
  console.info(
    `faults-report: README Reliability table written (${chaosTable.length} chaos rows, ${browser.length} browser rows, ${failed.length} failed).`,
  );
  if (failed.length > 0 || browser.length === 0) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
