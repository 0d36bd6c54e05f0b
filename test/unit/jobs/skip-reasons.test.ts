import { describe, expect, test } from 'vitest';
import { type SkipInput, skipReason } from '../../../lib/jobs/skip-reasons';

const base: SkipInput = {
  level: 'campaign',
  action: 'ENABLE',
  advertiserId: '7000000000000000001',
  object: { operationStatus: 'DISABLE', secondaryStatus: 'CAMPAIGN_STATUS_DISABLE' },
  nameMatches: true,
  visibleName: 'Summer sale',
  parentName: null,
  latestJob: null,
};

function reason(patch: Partial<SkipInput>): string | null {
  return skipReason({ ...base, ...patch });
}

describe('skipReason: what is sent', () => {
  test.each([
    ['a paused campaign, resumed', {}],
    [
      'a delivering campaign, paused',
      { action: 'DISABLE', object: { operationStatus: 'ENABLE', secondaryStatus: null } },
    ],
    // Resuming what SafePause paused is its undo: the confirmed pause does not block it.
    ['a campaign SafePause paused, resumed', { latestJob: { action: 'DISABLE', state: 'confirmed' } }],
    ['a campaign whose pause settled, resumed', { latestJob: { action: 'DISABLE', state: 'settled' } }],
    ['a campaign whose earlier pause failed, resumed', { latestJob: { action: 'DISABLE', state: 'failed' } }],
    // Resuming a child of a paused parent is sent (the prompt warns that it will not deliver yet).
    [
      'an ad group off itself under a paused campaign, resumed',
      { level: 'adgroup', object: { operationStatus: 'DISABLE', secondaryStatus: 'ADGROUP_STATUS_CAMPAIGN_DISABLE' } },
    ],
  ] as [string, Partial<SkipInput>][])('%s', (_name, patch) => {
    expect(reason(patch)).toBeNull();
  });
});

describe('skipReason: what is skipped, and why', () => {
  test.each([
    [
      'resume of something already on',
      { object: { operationStatus: 'ENABLE', secondaryStatus: null } },
      /^Already on: nothing to send\.$/,
    ],
    ['pause of something already off', { action: 'DISABLE' }, /^Already paused: nothing to send\.$/],
    [
      'an ID TikTok does not list (deleted)',
      { object: null },
      /^TikTok does not list this ID for advertiser 7000000000000000001 \(deleted/,
    ],
    [
      'an object TikTok lists as deleted',
      { object: { operationStatus: 'DISABLE', secondaryStatus: 'CAMPAIGN_STATUS_DELETE' } },
      /^Deleted in TikTok/,
    ],
    [
      'a frozen ad group',
      { level: 'adgroup', object: { operationStatus: 'FROZEN', secondaryStatus: 'ADGROUP_STATUS_FROZEN' } },
      /^Frozen by TikTok \(it cannot be turned on again\)/,
    ],
    [
      'a status SafePause does not switch',
      { object: { operationStatus: 'SOMETHING_NEW', secondaryStatus: null } },
      /^TikTok reports status SOMETHING_NEW; SafePause only switches objects that are on or off\.$/,
    ],
    [
      'a renamed object',
      { nameMatches: false },
      /^The row showed “Summer sale”, but TikTok's name for this ID is different/,
    ],
    [
      'a resume already in flight',
      { latestJob: { action: 'ENABLE', state: 'sending' } },
      /^A resume of it is already in progress \(Sending\): nothing more to send\.$/,
    ],
    [
      'a pause still in flight, when resuming',
      { latestJob: { action: 'DISABLE', state: 'verifying' } },
      /^A pause of it is still in progress \(Waiting for TikTok\), so SafePause will not send the opposite change/,
    ],
    [
      'a resume still waiting for the token, when pausing',
      {
        action: 'DISABLE',
        object: { operationStatus: 'ENABLE', secondaryStatus: null },
        latestJob: { action: 'ENABLE', state: 'blocked' },
      },
      /^A resume of it is still in progress \(Needs token\)/,
    ],
    [
      'a pause of an ad group its paused campaign already stops',
      {
        level: 'adgroup',
        action: 'DISABLE',
        parentName: 'Spring',
        object: { operationStatus: 'ENABLE', secondaryStatus: 'ADGROUP_STATUS_CAMPAIGN_DISABLE' },
      },
      /^Already stopped by its campaign “Spring”: nothing to send\./,
    ],
  ] as [string, Partial<SkipInput>, RegExp][])('%s', (_name, patch, expected) => {
    expect(reason(patch)).toMatch(expected);
  });

  test('an unknown ID is reported as such even with a job in flight', () => {
    expect(reason({ object: null, latestJob: { action: 'ENABLE', state: 'queued' } })).toMatch(/does not list this ID/);
  });
});
