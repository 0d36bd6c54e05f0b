import { describe, expect, test } from 'vitest';
import { cascadeText, countByParent, parentEffect, stoppedByParent } from '../../../lib/jobs/cascade';

describe('stoppedByParent', () => {
  test.each([
    ['adgroup', 'ADGROUP_STATUS_CAMPAIGN_DISABLE', 'campaign'],
    ['ad', 'AD_STATUS_CAMPAIGN_DISABLE', 'campaign'],
    ['ad', 'AD_STATUS_ADGROUP_DISABLE', 'adgroup'],
    ['adgroup', 'ADGROUP_STATUS_DISABLE', null],
    ['adgroup', 'ADGROUP_STATUS_DELIVERY_OK', null],
    ['ad', null, null],
    ['campaign', 'CAMPAIGN_STATUS_DISABLE', null],
  ] as const)('%s with %s → %s', (level, secondary, parent) => {
    expect(stoppedByParent(level, secondary)).toBe(parent);
  });
});

describe('cascadeText', () => {
  test('a campaign pause counts the ad groups and ads that stop with it', () => {
    expect(cascadeText('campaign', 'DISABLE', { adgroups: 3, ads: 12 })).toBe(
      '3 ad groups and 12 ads of it stop with it.',
    );
    expect(cascadeText('campaign', 'DISABLE', { adgroups: 1, ads: 1 })).toBe('1 ad group and 1 ad of it stop with it.');
    expect(cascadeText('campaign', 'DISABLE', { adgroups: 0, ads: 0 })).toBe('None of its ad groups or ads are on.');
  });

  test('unknown counts still say that children stop', () => {
    expect(cascadeText('campaign', 'DISABLE', { adgroups: null, ads: 4 })).toContain('did not say how many');
    expect(cascadeText('adgroup', 'DISABLE', {})).toContain('Its ads stop with it');
  });

  test('an ad group pause counts its ads; ads and resumes have no cascade', () => {
    expect(cascadeText('adgroup', 'DISABLE', { ads: 2 })).toBe('2 ads of it stop with it.');
    expect(cascadeText('adgroup', 'DISABLE', { ads: 0 })).toBe('No ads of it are on.');
    expect(cascadeText('ad', 'DISABLE', { ads: 5 })).toBeNull();
    expect(cascadeText('campaign', 'ENABLE', { adgroups: 1, ads: 1 })).toBeNull();
  });
});

describe('parentEffect', () => {
  test('pausing a child its paused campaign already stops sends nothing', () => {
    const effect = parentEffect('adgroup', 'DISABLE', 'ADGROUP_STATUS_CAMPAIGN_DISABLE', 'Summer sale');
    expect(effect?.problem).toMatch(/^Already stopped by its campaign “Summer sale”/);
    expect(effect?.warning).toBeNull();
  });

  test('resuming a child of a paused parent warns and names the parent', () => {
    const effect = parentEffect('ad', 'ENABLE', 'AD_STATUS_ADGROUP_DISABLE', 'Group A');
    expect(effect?.problem).toBeNull();
    expect(effect?.warning).toBe(
      'Its ad group “Group A” is paused: it will not deliver until that ad group is on too.',
    );
    expect(parentEffect('ad', 'ENABLE', 'AD_STATUS_CAMPAIGN_DISABLE', null)?.warning).toContain(
      'Its campaign is paused',
    );
  });

  test('no effect when the parent is not what stops it', () => {
    expect(parentEffect('adgroup', 'DISABLE', 'ADGROUP_STATUS_DELIVERY_OK', 'x')).toBeNull();
    expect(parentEffect('campaign', 'ENABLE', 'CAMPAIGN_STATUS_DISABLE', null)).toBeNull();
  });
});

describe('countByParent', () => {
  test('counts live children per parent, ignoring children off on their own switch', () => {
    const counts = countByParent([
      { parentId: '1', operationStatus: 'ENABLE' },
      { parentId: '1', operationStatus: 'ENABLE' },
      { parentId: '1', operationStatus: 'DISABLE' },
      { parentId: '2', operationStatus: 'ENABLE' },
      { parentId: null, operationStatus: 'ENABLE' },
    ]);
    expect([...counts]).toEqual([
      ['1', 2],
      ['2', 1],
    ]);
  });
});
