import { describe, expect, test } from 'vitest';
import type { JobState } from '../../../lib/jobs/types';
import { effectiveStatus, isInFlight, offeredAction } from '../../../lib/overlay/row-action';

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
