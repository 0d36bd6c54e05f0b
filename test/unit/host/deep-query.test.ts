// @vitest-environment happy-dom
import { beforeEach, describe, expect, test } from 'vitest';
import { deepQuery, deepQueryAll, isVersionedTag } from '../../../lib/host/deep-query';

beforeEach(() => {
  document.body.replaceChildren();
});

/** Nests `levels` open shadow roots under body and returns the innermost root. */
function nestShadows(levels: number, mode: ShadowRootMode = 'open'): ShadowRoot | HTMLElement {
  let parent: ShadowRoot | HTMLElement = document.body;
  for (let i = 0; i < levels; i++) {
    const host = document.createElement(`ks-layout-1-0-${i}`);
    parent.append(host);
    parent = host.attachShadow({ mode });
  }
  return parent;
}

describe('isVersionedTag', () => {
  test.each([
    ['ks-switch', 'ks-switch-1-2-3', true],
    ['ks-switch', 'ks-switch', true],
    ['ks-button', 'ks-button-1-1-14', true],
    ['ks-switch', 'ks-switch-group-1-0-0', false],
    ['ks-switch', 'ks-switches', false],
    ['ks-switch', 'ks-switch-', false],
    ['ks-button', 'ks-icon-button-1-0-2', false],
    ['KS-VIRTUAL-TABLE', 'ks-virtual-table', true],
  ])('%s matches <%s>: %s', (prefix, tag, expected) => {
    expect(isVersionedTag(prefix)(document.createElement(tag))).toBe(expected);
  });
});

describe('deepQueryAll', () => {
  test('finds versioned elements in the light DOM and in nested open shadow roots', () => {
    document.body.append(document.createElement('ks-switch-1-2-3'));
    nestShadows(2).append(document.createElement('ks-switch-1-2-4'));
    const { matches, truncated } = deepQueryAll(document.body, isVersionedTag('ks-switch'));
    expect(matches.map((el) => el.localName).sort()).toEqual(['ks-switch-1-2-3', 'ks-switch-1-2-4']);
    expect(truncated).toBe(false);
  });

  test('does not enter closed shadow roots', () => {
    const root = nestShadows(1, 'closed');
    root.append(document.createElement('ks-switch-1-2-3'));
    expect(deepQueryAll(document.body, isVersionedTag('ks-switch')).matches).toEqual([]);
  });

  test('stops at the shadow depth cap and says so', () => {
    nestShadows(3).append(document.createElement('ks-switch-1-2-3'));
    const capped = deepQueryAll(document.body, isVersionedTag('ks-switch'), { maxShadowDepth: 2, maxNodes: 1000 });
    expect(capped).toEqual({ matches: [], truncated: true });
    const enough = deepQueryAll(document.body, isVersionedTag('ks-switch'), { maxShadowDepth: 3, maxNodes: 1000 });
    expect(enough.matches).toHaveLength(1);
  });

  test('stops at the node cap and says so', () => {
    for (let i = 0; i < 50; i++) document.body.append(document.createElement('div'));
    document.body.append(document.createElement('ks-switch-1-2-3'));
    expect(deepQueryAll(document.body, isVersionedTag('ks-switch'), { maxShadowDepth: 4, maxNodes: 50 })).toEqual({
      matches: [],
      truncated: true,
    });
    expect(
      deepQueryAll(document.body, isVersionedTag('ks-switch'), { maxShadowDepth: 4, maxNodes: 51 }).matches,
    ).toHaveLength(1);
  });

  test('returns light-DOM matches in document order', () => {
    for (const version of ['1-0-1', '1-0-2', '1-0-3']) {
      const wrap = document.createElement('div');
      wrap.append(document.createElement(`ks-button-${version}`));
      document.body.append(wrap);
    }
    expect(deepQueryAll(document.body, isVersionedTag('ks-button')).matches.map((el) => el.localName)).toEqual([
      'ks-button-1-0-1',
      'ks-button-1-0-2',
      'ks-button-1-0-3',
    ]);
  });
});

describe('deepQuery', () => {
  test('returns the first match or null', () => {
    expect(deepQuery(document.body, isVersionedTag('ks-virtual-table'))).toBeNull();
    const table = document.createElement('ks-virtual-table');
    nestShadows(1).append(table);
    expect(deepQuery(document.body, isVersionedTag('ks-virtual-table'))).toBe(table);
  });
});
