/**
 * Seeded chaos runs of the job engine (see chaos.ts). `npm run test:unit` runs a few seeds; `npm run test:faults`
 * runs FAULT_RUNS of them. A failing run prints its seed: replay it alone with FAULT_SEED=<seed>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditRecord } from '../../../lib/store/db';
import type { LoggedRequest } from '../../../sandbox/api/request-log';
import type { RunningSandbox } from '../../../sandbox/server';
import { openSandbox } from '../sandbox/harness';
import { type ChaosResult, INVARIANTS, type Invariant, invariantOf, runChaos, verifyAudit, verifySends } from './chaos';

const only = process.env.FAULT_SEED;
const runs = Number(process.env.FAULT_RUNS ?? 8);
const base = Number(process.env.FAULT_SEED_BASE ?? 1);
const seeds = only !== undefined && only !== '' ? [Number(only)] : Array.from({ length: runs }, (_, i) => base + i);

let sb: RunningSandbox;
const results: ChaosResult[] = [];

beforeAll(async () => {
  sb = await openSandbox({ campaigns: 40, secondAdvertiserCampaigns: 5 });
});

afterAll(async () => {
  await sb?.close();
  const failed = results.filter((r) => !r.ok);
  const kills = results.reduce((n, r) => n + r.kills.length, 0);
  const fired = results.reduce((n, r) => n + r.faultsFired, 0);
  console.info(
    `chaos: ${results.length} runs (seeds ${seeds[0]}..${seeds.at(-1)}), ${kills} worker kills, ${fired} API faults fired, ` +
      `${results.length - failed.length} passed${failed.length ? `; failing seeds: ${failed.map((r) => r.seed).join(', ')}` : ''}`,
  );
  const dir = process.env.FAULTS_REPORT_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    const summary = {
      runs: results.length,
      passed: results.length - failed.length,
      seeds: results.map((r) => r.seed),
      failingSeeds: failed.map((r) => r.seed),
      killsByPoint: countBy(results.flatMap((r) => r.kills)),
      restarts: results.reduce((n, r) => n + r.restarts, 0),
      tokenLosses: results.reduce((n, r) => n + r.tokenLosses, 0),
      faultsFired: fired,
      faultsByKind: countBy(results.flatMap((r) => r.faultKinds)),
      jobs: results.reduce((n, r) => n + r.jobs, 0),
      statusUpdates: results.reduce((n, r) => n + r.statusUpdates, 0),
      appliedUpdates: results.reduce((n, r) => n + r.appliedUpdates, 0),
      outcomes: countBy(results.flatMap((r) => Object.entries(r.outcomes).flatMap(([s, n]) => Array(n).fill(s)))),
      invariants: Object.entries(INVARIANTS).map(([key, text]) => ({
        key,
        text,
        failingSeeds: results.filter((r) => r.broken.includes(key as Invariant)).map((r) => r.seed),
      })),
      violations: failed.map((r) => ({ seed: r.seed, violations: r.violations })),
    };
    writeFileSync(join(dir, 'chaos.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
});

function countBy(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[item] = (out[item] ?? 0) + 1;
  return out;
}

describe('seeded chaos: API faults and worker kills at random awaits', () => {
  test.each(seeds)('seed %i', { timeout: 120_000 }, async (seed) => {
    const result = await runChaos(sb, seed);
    results.push(result);
    if (process.env.FAULT_TRACE)
      console.info(
        `seed ${seed}: ${JSON.stringify({ ...result, trace: undefined })}\n    ${result.trace.join('\n    ')}`,
      );
    if (!result.ok) {
      console.error(
        `chaos run failed: replay with FAULT_SEED=${seed}\n  ${result.violations.join('\n  ')}\n  trace:\n    ${result.trace.join('\n    ')}`,
      );
    }
    expect(result.violations, `FAULT_SEED=${seed}`).toEqual([]);
    expect(result.jobs).toBeGreaterThan(0);
  });
});

describe('the chaos checks catch what they look for', () => {
  const row = (seq: number, jobId: string, from: AuditRecord['from'], to: AuditRecord['to'], at: number) =>
    ({
      seq,
      jobId,
      from,
      to,
      at,
      event: from === null ? 'created' : 'send-started',
      attempt: 0,
      detail: '',
      advertiserId: '1',
      level: 'campaign',
      objectId: '5',
      actor: 'user',
    }) as AuditRecord;
  const update = (seq: number, code: number | null): LoggedRequest =>
    ({
      seq,
      path: '/open_api/v1.3/campaign/status/update/',
      body: { campaign_ids: ['5'], operation_status: 'DISABLE' },
      code,
      requestId: `r${seq}`,
      fault: null,
    }) as LoggedRequest;

  test('two applied updates without a read between are reported', () => {
    const found: string[] = [];
    const audit = [
      row(1, 'j', null, 'queued', 0),
      row(2, 'j', 'queued', 'sending', 1),
      row(3, 'j', 'sending', 'sending', 2),
    ];
    verifySends(
      [{ objectId: '5' } as never],
      audit,
      [update(1, 0), update(2, 0)],
      new Map(),
      new Map([['5', 'DISABLE']]),
      (t) => found.push(t),
    );
    expect(found.join('\n')).toMatch(/no status read between/);
    expect(found.map(invariantOf)).toContain('one-send');
  });

  test('a rewritten audit row and a broken from/to chain are reported', () => {
    const found: string[] = [];
    const first = [row(1, 'j', null, 'queued', 0), row(2, 'j', 'queued', 'sending', 1)];
    const second = [row(1, 'j', null, 'queued', 0), row(2, 'j', 'retrying', 'sending', 1)];
    verifyAudit([{ id: 'j', state: 'sending' } as never], [first, second], (t) => found.push(t));
    expect(found.join('\n')).toMatch(/not append-only/);
    expect(found.join('\n')).toMatch(/goes from retrying/);
  });
});
