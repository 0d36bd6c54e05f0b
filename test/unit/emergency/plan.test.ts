import { describe, expect, test } from 'vitest';
import {
  confirmationMatches,
  isStoppable,
  restorePlan,
  type StopRecord,
  summarizeStop,
} from '../../../lib/emergency/plan';
import { createJob } from '../../../lib/jobs/state-machine';
import type { Job, JobState } from '../../../lib/jobs/types';

const ADV = '7556508952121393153';

function stop(ids: string[], extra: Partial<StopRecord> = {}): StopRecord {
  return {
    id: 'stop-1',
    advertiserId: ADV,
    advertiserName: 'Northwind Outfitters (US)',
    currency: 'USD',
    timeZone: 'America/Los_Angeles',
    createdAt: 1_000,
    campaigns: ids.map((id) => ({ id, name: `C ${id}`, modifyTime: '2026-11-28 08:00:00', lifetimeSpend: '10.00' })),
    alreadyOff: 0,
    jobIds: null,
    skipped: [],
    restore: null,
    ...extra,
  };
}

function job(
  objectId: string,
  state: JobState,
  opts: { actorId?: string; modifyTime?: string; atClick?: number; last?: number; code?: number } = {},
): Job {
  const { job: j } = createJob(
    {
      id: `job-${objectId}`,
      level: 'campaign',
      advertiserId: ADV,
      objectId,
      objectName: `C ${objectId}`,
      action: 'DISABLE',
      actor: { kind: 'emergency', id: opts.actorId ?? 'stop-1' },
      baseline: { operationStatus: 'ENABLE', modifyTime: '2026-11-28 08:00:00' },
    },
    1_000,
  );
  return {
    ...j,
    state,
    lastRead: { operationStatus: 'DISABLE', modifyTime: opts.modifyTime ?? '2026-11-28 09:00:00', at: 2_000 },
    lastError:
      opts.code === undefined ? null : { kind: 'tiktok', message: 'No permission.', code: opts.code, at: 2_000 },
    spend: {
      atClick: opts.atClick === undefined ? null : { value: opts.atClick, at: 1_000 },
      reads: 1,
      atConfirm: null,
      last: opts.last === undefined ? null : { value: opts.last, at: 3_000 },
      atWindow: null,
    },
  };
}

describe('which campaigns an emergency stop covers', () => {
  test.each([
    ['ENABLE', 'CAMPAIGN_STATUS_ENABLE', true],
    ['ENABLE', 'CAMPAIGN_STATUS_BUDGET_EXCEED', true],
    ['ENABLE', null, true],
    ['DISABLE', 'CAMPAIGN_STATUS_DISABLE', false],
    ['FROZEN', 'CAMPAIGN_STATUS_ENABLE', false],
    ['ENABLE', 'CAMPAIGN_STATUS_DELETE', false],
  ])('%s / %s → %s', (operationStatus, secondaryStatus, expected) => {
    expect(isStoppable({ operationStatus, secondaryStatus })).toBe(expected);
  });
});

describe('typed confirmation', () => {
  test('the advertiser name, ignoring case and surrounding spaces', () => {
    expect(confirmationMatches('  northwind outfitters (us) ', 'Northwind Outfitters (US)', 300)).toBe(true);
  });
  test('the exact count', () => {
    expect(confirmationMatches('300', 'Northwind', 300)).toBe(true);
    expect(confirmationMatches('299', 'Northwind', 300)).toBe(false);
    expect(confirmationMatches('3000', 'Northwind', 300)).toBe(false);
  });
  test('anything else is refused, including a lookalike name and an empty entry', () => {
    expect(confirmationMatches('', 'Northwind', 3)).toBe(false);
    expect(confirmationMatches('Northwind Outfitters', 'Northwind Outfitters (US)', 3)).toBe(false);
    expect(confirmationMatches('Nor\u200bthwind', 'Northwind', 3)).toBe(false);
    expect(confirmationMatches('yes', 'Northwind', 3)).toBe(false);
  });
});

describe('summary', () => {
  test('counts stopped, in flight and failed, and the spend since the click in cents', () => {
    const s = stop(['1', '2', '3', '4']);
    const jobs = [
      job('1', 'confirmed', { atClick: 10.1, last: 10.35 }),
      job('2', 'settled', { atClick: 20, last: 20.2 }),
      job('3', 'verifying'),
      job('4', 'failed', { code: 40001 }),
      job('5', 'confirmed', { actorId: 'another-stop' }),
    ];
    const summary = summarizeStop(s, jobs);
    expect(summary).toMatchObject({ total: 4, stopped: 2, inFlight: 1, changedSince: 0, done: false });
    expect(summary.failed).toEqual([{ id: '4', name: 'C 4', code: 40001, message: 'No permission.' }]);
    expect(summary.leakedSinceClick).toBe(45);
  });
  test('a campaign whose job was never written counts as in flight; a skipped one as failed with the reason', () => {
    const s = stop(['1', '2', '3'], { skipped: ['3'] });
    const summary = summarizeStop(s, [job('1', 'confirmed')]);
    expect(summary.inFlight).toBe(1);
    expect(summary.failed.map((f) => f.id)).toEqual(['3']);
    expect(summary.leakedSinceClick).toBeNull();
    expect(summary.done).toBe(false);
  });
  test('a joined open pause listed in jobIds counts for the stop', () => {
    const s = stop(['1'], { jobIds: { '1': 'job-1' } });
    expect(summarizeStop(s, [job('1', 'confirmed', { actorId: 'x' })]).stopped).toBe(1);
  });
});

describe('restore point', () => {
  const current = (entries: [string, string | null, string][]) =>
    new Map(entries.map(([id, operationStatus, modifyTime]) => [id, { operationStatus, modifyTime, name: `C ${id}` }]));

  test('resumes only what the stop paused, still off and untouched since', () => {
    const s = stop(['1', '2', '3', '4', '5', '6']);
    const jobs = [
      job('1', 'settled'),
      job('2', 'confirmed'),
      job('3', 'settled'),
      job('4', 'settled'),
      job('5', 'failed', { code: 40001 }),
      job('6', 'undone'),
    ];
    const plan = restorePlan(
      s,
      jobs,
      current([
        ['1', 'DISABLE', '2026-11-28 09:00:00'],
        ['2', 'DISABLE', '2026-11-28 09:00:00'],
        ['3', 'ENABLE', '2026-11-28 09:30:00'],
        ['4', 'DISABLE', '2026-11-28 09:45:00'],
        ['5', 'ENABLE', '2026-11-28 08:00:00'],
        ['6', 'ENABLE', '2026-11-28 09:10:00'],
      ]),
    );
    expect(plan.resume.map((r) => r.id)).toEqual(['1', '2']);
    expect(plan.skipped.map((r) => [r.id, r.reason])).toEqual([
      ['3', 'on-again'],
      ['4', 'changed-since'],
      ['5', 'not-paused-by-stop'],
      ['6', 'on-again'],
    ]);
  });

  test('never resumes what was already off before the stop (it is not in the stop) nor what is gone', () => {
    const s = stop(['1', '2']);
    const plan = restorePlan(s, [job('1', 'settled'), job('2', 'settled')], current([['1', null, '']]));
    expect(plan.resume).toEqual([]);
    expect(plan.skipped.map((r) => r.reason)).toEqual(['gone', 'gone']);
  });

  test('a second restore skips what the first one resumed', () => {
    const s = stop(['1', '2'], { restore: { at: 5_000, campaignIds: ['1'] } });
    const plan = restorePlan(
      s,
      [job('1', 'settled'), job('2', 'settled')],
      current([
        ['1', 'DISABLE', '2026-11-28 09:00:00'],
        ['2', 'DISABLE', '2026-11-28 09:00:00'],
      ]),
    );
    expect(plan.resume.map((r) => r.id)).toEqual(['2']);
    expect(plan.skipped.map((r) => r.reason)).toEqual(['already-restored']);
  });
});
