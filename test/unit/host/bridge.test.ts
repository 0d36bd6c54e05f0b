// @vitest-environment happy-dom
// The page bridge (MAIN world) and the probe (isolated world) in one document: the same DOM and events,
// both worlds simulated by one realm.

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { installBridge } from '../../../lib/host/bridge';
import { CANDIDATES_EVENT, PROBE_EVENT } from '../../../lib/host/bridge-events';
import { type Candidate, parseCandidatesDetail, probeElement } from '../../../lib/host/bridge-protocol';
import { decorateNameLinks, fixtureNameLinks, loadFixture } from './fixture-dom';
import { ADVERTISER_ID, CAMPAIGN_RECORDS, RETARGETING_A } from './fixture-records';

let uninstall: (() => void) | undefined;

function install(): void {
  uninstall = installBridge(document);
}

afterEach(() => {
  uninstall?.();
  uninstall = undefined;
});

function ids(candidates: Candidate[]): string[] {
  return [...new Set(candidates.map((c) => c.id))].sort();
}

/** A bare element in a bare table, with the given own properties. */
function elementWith(props: Record<string, unknown>, wrapperProps: Record<string, unknown> = {}): HTMLElement {
  document.body.replaceChildren();
  const table = document.createElement('ks-virtual-table');
  const cell = document.createElement('div');
  cell.className = 'ks-virtual-table__cell cl-w-full cl-overflow-hidden';
  const link = document.createElement('a');
  link.className = 'KsLink KsLink--inherit';
  link.textContent = 'Spring Sale – US';
  cell.append(link);
  table.append(cell);
  document.body.append(table);
  Object.assign(link, props);
  Object.assign(cell, wrapperProps);
  return link;
}

describe('bridge and probe on a decorated fixture', () => {
  beforeEach(() => {
    loadFixture('campaign.2026-11-28');
    decorateNameLinks(fixtureNameLinks(document), CAMPAIGN_RECORDS);
    install();
  });

  test('a probe returns the row’s own campaign id and the advertiser id, with the fields they sat under', () => {
    const link = fixtureNameLinks(document)[2] as HTMLElement;
    const found = probeElement(link);
    expect(ids(found)).toEqual([ADVERTISER_ID, RETARGETING_A].sort());
    expect(found).toContainEqual({ id: RETARGETING_A, field: 'campaign_id' });
    expect(found).toContainEqual({ id: ADVERTISER_ID, field: 'advertiser_id' });
  });

  test.each(CAMPAIGN_RECORDS.map((record, index) => [index, record.campaign_id as string]))(
    'row %i yields its own campaign id and no other row’s (siblings and the data source are not walked)',
    (index, campaignId) => {
      const found = probeElement(fixtureNameLinks(document)[index] as HTMLElement);
      expect(ids(found)).toEqual([ADVERTISER_ID, campaignId].sort());
    },
  );

  test('the answer is a JSON string {"v":1,"candidates":[…]} dispatched on the probed element', () => {
    const link = fixtureNameLinks(document)[0] as HTMLElement;
    const details: unknown[] = [];
    link.addEventListener(CANDIDATES_EVENT, (e) => details.push((e as CustomEvent).detail));
    link.dispatchEvent(new CustomEvent(PROBE_EVENT, { composed: true }));
    expect(details).toHaveLength(1);
    expect(typeof details[0]).toBe('string');
    expect(JSON.parse(details[0] as string)).toEqual({
      v: 1,
      candidates: expect.arrayContaining([{ id: '1812345678901234561', field: 'campaign_id' }]),
    });
  });

  test('a forged answer with bad detail during a probe is ignored and the bridge’s answer still counts', () => {
    const link = fixtureNameLinks(document)[0] as HTMLElement;
    const forge = (): void => {
      link.dispatchEvent(new CustomEvent(CANDIDATES_EVENT, { detail: '{"v":1,"candidates":[{"id":"<script>"}]}' }));
      link.dispatchEvent(new CustomEvent(CANDIDATES_EVENT, { detail: { v: 1, candidates: [] } }));
    };
    document.addEventListener(PROBE_EVENT, forge, true);
    try {
      expect(ids(probeElement(link))).toEqual([ADVERTISER_ID, '1812345678901234561'].sort());
    } finally {
      document.removeEventListener(PROBE_EVENT, forge, true);
    }
  });

  test('an answer dispatched outside a probe changes nothing', () => {
    const link = fixtureNameLinks(document)[1] as HTMLElement;
    link.dispatchEvent(
      new CustomEvent(CANDIDATES_EVENT, { detail: '{"v":1,"candidates":[{"id":"1999999999999999999","field":"id"}]}' }),
    );
    expect(ids(probeElement(link))).toEqual([ADVERTISER_ID, '1812345678901234562'].sort());
  });

  test('after a recycle the same link answers with the new row’s id', () => {
    const links = fixtureNameLinks(document);
    const link = links[0] as HTMLElement;
    link.textContent = 'Spring Sale - US';
    decorateNameLinks([link], [CAMPAIGN_RECORDS[1] as Record<string, string>], { suffix: 'x7k2m9qa', shape: 'both' });
    expect(ids(probeElement(link))).toEqual([ADVERTISER_ID, '1812345678901234562'].sort());
  });

  test('a link outside the table (breadcrumb) has no props and yields nothing', () => {
    const crumb = document.querySelector('.ks-breadcrumb a') as HTMLElement;
    expect(probeElement(crumb)).toEqual([]);
  });

  test('after uninstall a probe gets no answer', () => {
    uninstall?.();
    uninstall = undefined;
    expect(probeElement(fixtureNameLinks(document)[0] as HTMLElement)).toEqual([]);
  });
});

describe('bridge and probe without a decorated fixture', () => {
  test('without the bridge a probe returns []', () => {
    const link = elementWith({ __reactProps$abc: { record: { campaign_id: '1812345678901234561' } } });
    expect(probeElement(link)).toEqual([]);
  });

  test('a probe on an element without framework props returns []', () => {
    install();
    expect(probeElement(elementWith({}))).toEqual([]);
  });

  test.each([
    [
      'props on the wrapper only',
      {},
      { __reactProps$q1w2e3: { children: { props: { record: { campaign_id: '1812345678901234561' } } } } },
    ],
    [
      'a fiber on the link only',
      {
        __reactFiber$z9: {
          memoizedProps: {},
          return: { memoizedProps: { record: { campaign_id: '1812345678901234561' } } },
        },
      },
      {},
    ],
    [
      'an id in a children array',
      { __reactProps$r: { children: ['Spring', { props: { campaign_id: '1812345678901234561' } }] } },
      {},
    ],
  ])('ids are found with %s', (_, linkProps, wrapperProps) => {
    install();
    expect(ids(probeElement(elementWith(linkProps, wrapperProps)))).toEqual(['1812345678901234561']);
  });

  test.each([
    ['a 19-digit string', '7301234567890123456', ['7301234567890123456']],
    ['a 15-digit string', '701234567890123', ['701234567890123']],
    ['a 16-digit safe integer, as a string', 1823456789012345, ['1823456789012345']],
    ['a 14-digit string', '70123456789012', []],
    ['a 20-digit string', '70123456789012345678', []],
    ['digits with a sign', '-7301234567890123456', []],
    ['an unsafe integer (already lossy)', Number('7301234567890123456'), []],
    ['a 14-digit number', 70123456789012, []],
    ['a bigint', 7301234567890123456n, ['7301234567890123456']],
  ])('%s', (_, value, expected) => {
    install();
    expect(ids(probeElement(elementWith({ __reactProps$a: { record: { id: value } } })))).toEqual(expected);
  });

  test('camelCase keys become snake_case fields; odd keys become "other"', () => {
    install();
    const found = probeElement(
      elementWith({
        __reactProps$a: { record: { campaignId: '1812345678901234561', 'x-id2': '1812345678901234562' } },
      }),
    );
    expect(found).toEqual([
      { id: '1812345678901234561', field: 'campaign_id' },
      { id: '1812345678901234562', field: 'other' },
    ]);
  });

  test('only properties named __reactProps$ / __reactFiber$ are read', () => {
    install();
    const link = elementWith({
      __reactContainer$a: { campaign_id: '1812345678901234561' },
      __reactEvents$a: { campaign_id: '1812345678901234562' },
      campaign_id: '1812345678901234563',
    });
    expect(probeElement(link)).toEqual([]);
  });

  test('the ancestor walk stops at the virtual table (its props list every row)', () => {
    install();
    const link = elementWith({});
    Object.assign(link.closest('ks-virtual-table') as Element, {
      __reactProps$t: { dataSource: [{ campaign_id: '1812345678901234561' }] },
    });
    expect(probeElement(link)).toEqual([]);
  });

  test('ancestors beyond three levels are not read', () => {
    install();
    document.body.replaceChildren();
    const outer = document.createElement('div');
    let parent: HTMLElement = outer;
    for (let i = 0; i < 3; i++) {
      const child = document.createElement('div');
      parent.append(child);
      parent = child;
    }
    const link = document.createElement('a');
    parent.append(link);
    document.body.append(outer);
    Object.assign(outer, { __reactProps$o: { record: { campaign_id: '1812345678901234561' } } });
    Object.assign(outer.firstElementChild as Element, {
      __reactProps$o: { record: { campaign_id: '1812345678901234562' } },
    });
    expect(ids(probeElement(link))).toEqual(['1812345678901234562']);
  });

  test('the fiber walk follows `return` at most twice (higher fibers hold other rows)', () => {
    install();
    const fiberAt = (memoizedProps: unknown, parent: unknown = null) => ({ memoizedProps, return: parent });
    const third = fiberAt({ campaign_id: '1812345678901234563' });
    const second = fiberAt({ campaign_id: '1812345678901234562' }, third);
    const first = fiberAt({}, second);
    const own = fiberAt({}, first);
    expect(ids(probeElement(elementWith({ __reactFiber$f: own })))).toEqual(['1812345678901234562']);
  });

  test('an answer dispatched on another element and bubbling into the link is not taken', () => {
    install();
    const link = elementWith({ __reactProps$a: { campaign_id: '1812345678901234561' } });
    const child = document.createElement('span');
    link.append(child);
    const forge = (): void => {
      child.dispatchEvent(
        new CustomEvent(CANDIDATES_EVENT, {
          bubbles: true,
          detail: '{"v":1,"candidates":[{"id":"1812345678901234569","field":"campaign_id"}]}',
        }),
      );
    };
    document.addEventListener(PROBE_EVENT, forge, true);
    try {
      expect(ids(probeElement(link))).toEqual(['1812345678901234561']);
    } finally {
      document.removeEventListener(PROBE_EVENT, forge, true);
    }
  });

  test('a valid answer from a page script during a probe is merged: candidates only, never a choice', () => {
    install();
    const link = elementWith({ __reactProps$a: { campaign_id: '1812345678901234561' } });
    const forge = (): void => {
      link.dispatchEvent(
        new CustomEvent(CANDIDATES_EVENT, {
          detail: '{"v":1,"candidates":[{"id":"1812345678901234569","field":"campaign_id"}]}',
        }),
      );
    };
    document.addEventListener(PROBE_EVENT, forge, true);
    try {
      expect(ids(probeElement(link))).toEqual(['1812345678901234561', '1812345678901234569']);
    } finally {
      document.removeEventListener(PROBE_EVENT, forge, true);
    }
  });

  test('a cyclic fiber graph terminates', () => {
    install();
    const fiber: Record<string, unknown> = { memoizedProps: { record: { campaign_id: '1812345678901234561' } } };
    fiber.return = fiber;
    fiber.self = fiber;
    expect(ids(probeElement(elementWith({ __reactFiber$c: fiber })))).toEqual(['1812345678901234561']);
  });

  test('an answer holds at most 32 candidates', () => {
    install();
    const record = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [
        `id_${'x'.repeat(i % 26)}${i}`,
        `18123456789012${String(i).padStart(5, '0')}`,
      ]),
    );
    expect(probeElement(elementWith({ __reactProps$a: { record } }))).toHaveLength(32);
  });

  test('a very wide or deep object is walked only within the node cap (no hang, nearest ids first)', () => {
    install();
    let deep: Record<string, unknown> = { campaign_id: '1812345678901234569' };
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const wide = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, { nested: { deeper: i } }]));
    const found = probeElement(
      elementWith({ __reactProps$a: { record: { campaign_id: '1812345678901234561' }, deep, wide } }),
    );
    expect(ids(found)).toEqual(['1812345678901234561']);
  });

  test('getters are not invoked (no page code runs while reading)', () => {
    install();
    let calls = 0;
    const record = {
      get campaign_id() {
        calls++;
        return '1812345678901234561';
      },
    };
    expect(probeElement(elementWith({ __reactProps$a: { record } }))).toEqual([]);
    expect(calls).toBe(0);
  });

  test('a proxy whose traps throw does not throw into the page and other ids are still found', () => {
    install();
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    const link = elementWith({ __reactProps$a: { hostile, record: { campaign_id: '1812345678901234561' } } });
    expect(ids(probeElement(link))).toEqual(['1812345678901234561']);
  });

  test('a shadowed document.addEventListener (DOM clobbering) does not stop the bridge', () => {
    Object.defineProperty(document, 'addEventListener', {
      value: () => {
        throw new Error('clobbered');
      },
      configurable: true,
    });
    try {
      install();
      expect(ids(probeElement(elementWith({ __reactProps$a: { campaign_id: '1812345678901234561' } })))).toEqual([
        '1812345678901234561',
      ]);
    } finally {
      delete (document as unknown as Record<string, unknown>).addEventListener;
    }
  });

  test('a probe on an element inside an open shadow root is answered for that element', () => {
    install();
    document.body.replaceChildren();
    const host = document.createElement('ks-table-wrap-1-0-0');
    const shadow = host.attachShadow({ mode: 'open' });
    const link = document.createElement('a');
    shadow.append(link);
    document.body.append(host);
    Object.assign(link, { __reactProps$s: { record: { campaign_id: '1812345678901234561' } } });
    expect(ids(probeElement(link))).toEqual(['1812345678901234561']);
  });
});

describe('parseCandidatesDetail (the answer is page-controlled input)', () => {
  const valid = { id: '7301234567890123456', field: 'campaign_id' };
  test.each([
    ['a valid answer', JSON.stringify({ v: 1, candidates: [valid] }), [valid]],
    [
      'a 20-digit id',
      JSON.stringify({ v: 1, candidates: [{ id: '73012345678901234567', field: 'id' }] }),
      [{ id: '73012345678901234567', field: 'id' }],
    ],
    ['an empty list', '{"v":1,"candidates":[]}', []],
    ['an object, not a string', { v: 1, candidates: [valid] }, []],
    ['null', null, []],
    ['invalid JSON', '{"v":1,"candidates":[', []],
    ['another version', JSON.stringify({ v: 2, candidates: [valid] }), []],
    ['an extra top-level key', JSON.stringify({ v: 1, candidates: [valid], extra: true }), []],
    ['an extra candidate key', JSON.stringify({ v: 1, candidates: [{ ...valid, name: 'x' }] }), []],
    ['a 14-digit id', JSON.stringify({ v: 1, candidates: [{ id: '73012345678901', field: 'id' }] }), []],
    ['a 21-digit id', JSON.stringify({ v: 1, candidates: [{ id: '730123456789012345678', field: 'id' }] }), []],
    ['a numeric id', JSON.stringify({ v: 1, candidates: [{ id: 730123456789012, field: 'id' }] }), []],
    ['an id with markup', JSON.stringify({ v: 1, candidates: [{ id: '<img src=x>', field: 'id' }] }), []],
    ['an uppercase field', JSON.stringify({ v: 1, candidates: [{ ...valid, field: 'CampaignId' }] }), []],
    ['a 33-character field', JSON.stringify({ v: 1, candidates: [{ ...valid, field: 'a'.repeat(33) }] }), []],
    ['33 candidates', JSON.stringify({ v: 1, candidates: Array(33).fill(valid) }), []],
    ['a detail over 4096 characters', `{"v":1,"candidates":[]${' '.repeat(4096)}}`, []],
    ['a __proto__ key', '{"v":1,"candidates":[],"__proto__":{"polluted":true}}', []],
  ])('%s', (_, detail, expected) => {
    expect(parseCandidatesDetail(detail)).toEqual(expected);
  });
});
