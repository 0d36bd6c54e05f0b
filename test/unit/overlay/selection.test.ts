import { describe, expect, test } from 'vitest';
import {
  clearSelection,
  clickRow,
  deselect,
  emptySelection,
  mergeSeen,
  rangeBetween,
  selectAll,
  splitByAction,
} from '../../../lib/overlay/selection';

const names = (id: string) => `name ${id}`;

describe('mergeSeen', () => {
  test('appends rows seen while scrolling down, in screen order, without repeats', () => {
    let order = mergeSeen([], ['1', '2', '3', '4']);
    order = mergeSeen(order, ['3', '4', '5', '6']);
    expect(order).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  test('rows revealed by scrolling up go before the first known row below them', () => {
    let order = mergeSeen([], ['5', '6', '7']);
    order = mergeSeen(order, ['3', '4', '5']);
    expect(order).toEqual(['3', '4', '5', '6', '7']);
  });

  test('a row that appears between known rows goes right after the one above it', () => {
    expect(mergeSeen(['1', '2', '9'], ['2', '3', '9'])).toEqual(['1', '2', '3', '9']);
  });

  test('returns the same array when nothing is new', () => {
    const order = ['1', '2'];
    expect(mergeSeen(order, ['2', '1'])).toBe(order);
  });
});

describe('rangeBetween', () => {
  test('both ends included, in either direction', () => {
    const order = ['a', 'b', 'c', 'd', 'e'];
    expect(rangeBetween(order, 'b', 'd')).toEqual(['b', 'c', 'd']);
    expect(rangeBetween(order, 'd', 'b')).toEqual(['b', 'c', 'd']);
  });

  test('without a known anchor only the clicked row', () => {
    expect(rangeBetween(['a', 'b'], null, 'b')).toEqual(['b']);
    expect(rangeBetween(['a', 'b'], 'z', 'b')).toEqual(['b']);
  });
});

describe('clickRow', () => {
  const seen = { ...emptySelection(), order: ['1', '2', '3', '4', '5', '6'] };

  test('a plain click toggles one row and sets the anchor', () => {
    const once = clickRow(seen, '2', false, names);
    expect([...once.selected]).toEqual([['2', 'name 2']]);
    expect(once.anchor).toBe('2');
    expect(clickRow(once, '2', false, names).selected.size).toBe(0);
  });

  test('shift-click selects the range from the anchor, across rows no longer on screen', () => {
    const s = clickRow(clickRow(seen, '2', false, names), '5', true, names);
    expect([...s.selected.keys()]).toEqual(['2', '3', '4', '5']);
    expect(s.anchor).toBe('5');
  });

  test('shift-click on a selected row clears the range', () => {
    let s = clickRow(seen, '1', false, names);
    s = clickRow(s, '6', true, names);
    s = clickRow(clickRow(s, '3', false, names), '3', false, names);
    s = clickRow(s, '5', true, names);
    expect([...s.selected.keys()]).toEqual(['1', '2', '6']);
  });

  test('rows without a corroborated name are never selected', () => {
    const s = clickRow(clickRow(seen, '1', false, names), '3', true, (id) => (id === '2' ? undefined : names(id)));
    expect([...s.selected.keys()]).toEqual(['1', '3']);
  });
});

describe('selectAll, deselect, clearSelection', () => {
  test('work by ID and keep the seen order', () => {
    let s = selectAll(emptySelection(), [
      { id: '1', name: 'a' },
      { id: '2', name: 'b' },
    ]);
    s = deselect(s, ['1']);
    expect([...s.selected]).toEqual([['2', 'b']]);
    const cleared = clearSelection({ ...s, order: ['1', '2'], anchor: '2' });
    expect(cleared.selected.size).toBe(0);
    expect(cleared.anchor).toBeNull();
    expect(cleared.order).toEqual(['1', '2']);
  });
});

describe('splitByAction', () => {
  const selected = selectAll(emptySelection(), [
    { id: '1', name: 'on one' },
    { id: '2', name: 'off one' },
    { id: '3', name: 'on two' },
    { id: '4', name: 'frozen' },
  ]);
  const actions: Record<string, 'DISABLE' | 'ENABLE'> = {
    '1': 'DISABLE',
    '2': 'ENABLE',
    '3': 'DISABLE',
    '4': 'ENABLE',
  };

  test('a mixed selection splits into the rows to pause and the rows to resume, in selection order', () => {
    const split = splitByAction(selected, (id) => actions[id] ?? 'ENABLE');
    expect(split.DISABLE).toEqual([
      { id: '1', name: 'on one' },
      { id: '3', name: 'on two' },
    ]);
    expect(split.ENABLE).toEqual([
      { id: '2', name: 'off one' },
      { id: '4', name: 'frozen' },
    ]);
  });

  test('a selection of one kind leaves the other action empty', () => {
    expect(splitByAction(selected, () => 'ENABLE').DISABLE).toEqual([]);
    expect(splitByAction(selected, () => 'ENABLE').ENABLE).toHaveLength(4);
    expect(splitByAction(emptySelection(), () => 'DISABLE')).toEqual({ DISABLE: [], ENABLE: [] });
  });
});
