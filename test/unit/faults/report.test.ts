/** The README's Reliability table: written only between its markers, from the suite's own results. */
import { describe, expect, test } from 'vitest';
import { browserRows, chaosRows, mergeRows, renderSection, spliceReadme } from '../../../scripts/faults-report';

const README = '# SafePause\n\nIntro.\n\n## Safety guarantees\n\n- Nothing is lost.\n\n## Limits\n\nSome.\n';
const CHAOS = {
  runs: 3,
  passed: 2,
  seeds: [1, 2, 3],
  failingSeeds: [2],
  killsByPoint: { 'db-before': 2, 'fetch-after-send': 1 },
  restarts: 3,
  tokenLosses: 1,
  faultsFired: 9,
  jobs: 6,
  statusUpdates: 8,
  appliedUpdates: 5,
  invariants: [
    { key: 'one-send', text: 'At most one applied update', failingSeeds: [2] },
    { key: 'audit', text: 'Append-only | ordered', failingSeeds: [] },
  ],
};
const PLAYWRIGHT = {
  suites: [
    {
      title: 'restart.spec.ts',
      specs: [
        {
          title: 'browser restart',
          tests: [
            {
              annotations: [
                { type: 'fault', description: 'Browser closed' },
                { type: 'does', description: 'Waits for the token' },
                { type: 'check', description: 'One send' },
              ],
              results: [{ status: 'passed' }],
            },
          ],
        },
      ],
      suites: [{ specs: [{ title: 'nested, no notes', tests: [{ results: [{ status: 'failed' }] }] }] }],
    },
  ],
};

describe('the reliability report', () => {
  test('rows come from the chaos summary and the Playwright annotations, failures included', () => {
    const chaos = chaosRows(CHAOS);
    expect(chaos.map((r) => r.result)).toEqual(['failed', 'passed']);
    expect(chaos[0]?.runs).toContain('failing seeds 2');
    expect(chaos[0]?.fault).toContain('3 worker kills');
    const browser = browserRows(PLAYWRIGHT);
    expect(browser).toEqual([
      { fault: 'Browser closed', does: 'Waits for the token', check: 'One send', result: 'passed', runs: '1' },
      { fault: 'nested, no notes', does: '', check: 'nested, no notes', result: 'failed', runs: '1' },
    ]);
    const section = renderSection(CHAOS, chaos, browser, new Date('2026-11-30T00:00:00Z'));
    expect(section).toContain('Append-only \\| ordered');
    expect(section).toContain('2 row(s) failed');
  });

  test('the section is added under its heading after the Safety section, then replaced in place; nothing else changes', () => {
    const first = spliceReadme(README, '<!-- reliability:start -->\nA\n<!-- reliability:end -->');
    expect(first).toBe(
      '# SafePause\n\nIntro.\n\n## Safety guarantees\n\n- Nothing is lost.\n\n## Reliability and security\n\n' +
        '<!-- reliability:start -->\nA\n<!-- reliability:end -->\n\n## Limits\n\nSome.\n',
    );
    const second = spliceReadme(first, '<!-- reliability:start -->\nB\n<!-- reliability:end -->');
    expect(second).toBe(first.replace('\nA\n', '\nB\n'));
  });

  test('a partial run merges its rows: same fault replaced, new fault added, the rest kept, the intro says so', () => {
    const full = spliceReadme(
      README,
      renderSection(CHAOS, chaosRows(CHAOS), browserRows(PLAYWRIGHT), new Date('2026-11-30T00:00:00Z')),
    );
    const rows = [
      { fault: 'Browser closed', does: 'Waits', check: 'Two checks', result: 'passed' as const, runs: '1' },
      {
        fault: 'Kill schedule',
        does: 'Resumes',
        check: 'Invariants. Observed: 100/100',
        result: 'passed' as const,
        runs: '100',
      },
    ];
    const merged = mergeRows(full, rows, new Date('2026-12-06T00:00:00Z'));
    expect(merged).toContain('| Browser closed | Waits | Two checks | passed | 1 |');
    expect(merged).not.toContain('| Browser closed | Waits for the token |');
    expect(merged).toContain('| nested, no notes |');
    expect(merged).toContain('| Kill schedule | Resumes | Invariants. Observed: 100/100 | passed | 100 |');
    expect(merged).toContain('Rows merged from later runs: 2 (2026-12-06');
    expect(merged.split('Rows merged from later runs').length).toBe(2);
    expect(mergeRows(merged, rows.slice(1), new Date('2026-12-07T00:00:00Z')).split('Rows merged').length).toBe(2);
    expect(() => mergeRows(README, rows, new Date())).toThrow('no reliability table');
  });
});
