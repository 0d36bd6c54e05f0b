import { describe, expect, test } from 'vitest';
import type { JobState } from '../../../lib/jobs/types';
import { changedSinceJob, effectiveStatus, isInFlight, offeredAction } from '../../../lib/overlay/row-action';

const job = (action: 'DISABLE' | 'ENABLE', state: JobState) => ({ action, state });

describe('offeredAction', () => {
  test.each([
    ['ENABLE', undefined, 'DISABLE'],
    ['DISABLE', undefined, 'ENABLE'],
    ['FROZEN', undefined, 'ENABLE'],
    ['UNKNOWN', undefined, 'ENABLE'],
    // TikTok showed the pause (or its spend is being watched): the row offers Resume although the catalog said on.
    ['ENABLE', job('DISABLE', 'confirmed'), 'ENABLE'],
    ['ENABLE', job('DISABLE', 'settled'), 'ENABLE'],
    ['ENABLE', job('DISABLE', 'still-spending'), 'ENABLE'],
    ['DISABLE', job('ENABLE', 'confirmed'), 'DISABLE'],
    // In flight: the row keeps the action it had (its button is busy) until TikTok shows the change.
    ['ENABLE', job('DISABLE', 'verifying'), 'DISABLE'],
    ['DISABLE', job('ENABLE', 'queued'), 'ENABLE'],
    ['ENABLE', job('DISABLE', 'blocked'), 'DISABLE'],
    // Finished without applying: the API status decides.
    ['ENABLE', job('DISABLE', 'failed'), 'DISABLE'],
    ['DISABLE', job('DISABLE', 'superseded'), 'ENABLE'],
    ['ENABLE', job('DISABLE', 'undone'), 'DISABLE'],
  ] as const)('status %s with job %o offers %s', (status, latest, action) => {
    expect(offeredAction(status, latest)).toBe(action);
  });
});

describe('effectiveStatus and isInFlight', () => {
  test('a resume TikTok confirmed reads as on; an in-flight one as still off', () => {
    expect(effectiveStatus('DISABLE', job('ENABLE', 'confirmed'))).toBe('ENABLE');
    expect(effectiveStatus('DISABLE', job('ENABLE', 'sending'))).toBe('DISABLE');
  });

  test.each([
    ['queued', true],
    ['sending', true],
    ['retrying', true],
    ['unknown', true],
    ['sent', true],
    ['verifying', true],
    ['blocked', true],
    ['confirmed', false],
    ['settled', false],
    ['still-spending', false],
    ['stuck', false],
    ['failed', false],
    ['superseded', false],
    ['undone', false],
  ] as const)('%s in flight: %s', (state, inFlight) => {
    expect(isInFlight(job('DISABLE', state))).toBe(inFlight);
  });
});

describe('a read taken after the job', () => {
  const paused = { action: 'DISABLE' as const, state: 'settled' as const, updatedAt: 1_000 };

  test('someone turned it back on after SafePause paused it: the read wins and the row offers Pause', () => {
    expect(changedSinceJob('ENABLE', paused, 2_000)).toBe(true);
    expect(offeredAction('ENABLE', paused, 2_000)).toBe('DISABLE');
  });

  test('a read from before the job (or at the same moment) does not override it', () => {
    expect(changedSinceJob('ENABLE', paused, 1_000)).toBe(false);
    expect(offeredAction('ENABLE', paused, 500)).toBe('ENABLE');
    expect(offeredAction('ENABLE', paused, undefined)).toBe('ENABLE');
  });

  test('a later read that agrees with the job, or shows a status SafePause cannot act on, changes nothing', () => {
    expect(changedSinceJob('DISABLE', paused, 2_000)).toBe(false);
    expect(changedSinceJob('FROZEN', paused, 2_000)).toBe(false);
    expect(changedSinceJob('UNKNOWN', paused, 2_000)).toBe(false);
  });

  test('only an applied job can be overtaken: one in flight keeps its busy row', () => {
    const inFlight = { action: 'DISABLE' as const, state: 'verifying' as const, updatedAt: 1_000 };
    expect(changedSinceJob('ENABLE', inFlight, 2_000)).toBe(false);
    expect(offeredAction('ENABLE', inFlight, 2_000)).toBe('DISABLE');
    const failed = { action: 'DISABLE' as const, state: 'failed' as const, updatedAt: 1_000 };
    expect(changedSinceJob('ENABLE', failed, 2_000)).toBe(false);
  });

  test("the job's own status read is the reference: a spend watch settling later does not hide a person's change", () => {
    // Confirmed by a read at 1 000, settled by the spend watch at 5 000; someone turned it back on, read at 3 000.
    const settled = { action: 'DISABLE' as const, state: 'settled' as const, updatedAt: 5_000, statusReadAt: 1_000 };
    expect(changedSinceJob('ENABLE', settled, 3_000)).toBe(true);
    expect(offeredAction('ENABLE', settled, 3_000)).toBe('DISABLE');
    // A catalog read from before the job's own read still loses to the job.
    expect(changedSinceJob('ENABLE', settled, 900)).toBe(false);
    expect(offeredAction('ENABLE', settled, 900)).toBe('ENABLE');
  });
});
