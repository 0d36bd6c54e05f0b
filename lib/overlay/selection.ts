/**
 * Row selection for bulk actions, kept by object ID (never by row element: the page recycles rows while
 * scrolling). The order used for shift-click ranges is the order in which rows were seen on screen, top to
 * bottom, across scrolls. Pure: the overlay keeps one of these and replaces it on every change.
 */
export interface Selection {
  /** IDs in the order their rows were first seen, as the page lists them. */
  order: string[];
  /** Selected IDs with the corroborated name each had when selected. */
  selected: Map<string, string>;
  /** The ID last clicked without shift: one end of a shift-click range. */
  anchor: string | null;
}

export function emptySelection(): Selection {
  return { order: [], selected: new Map(), anchor: null };
}

/**
 * Merges the IDs of one frame (top to bottom) into the seen order: a new ID goes right after the row above
 * it in this frame, or before the first known row below it, or at the end. Known IDs keep their place.
 */
export function mergeSeen(order: readonly string[], frame: readonly string[]): string[] {
  const next = [...order];
  const index = new Map(next.map((id, i) => [id, i]));
  let newOnes = 0;
  let previous: string | null = null;
  for (let k = 0; k < frame.length; k += 1) {
    const id = frame[k] as string;
    if (!index.has(id)) {
      let at = next.length;
      if (previous !== null) at = (index.get(previous) ?? next.length - 1) + 1;
      else {
        const below = frame.slice(k + 1).find((other) => index.has(other));
        if (below !== undefined) at = index.get(below) ?? next.length;
      }
      next.splice(at, 0, id);
      newOnes += 1;
      for (let i = at; i < next.length; i += 1) index.set(next[i] as string, i);
    }
    previous = id;
  }
  return newOnes === 0 ? (order as string[]) : next;
}

/** The IDs from `from` to `to` in seen order (both ends included); just `to` if either end was never seen. */
export function rangeBetween(order: readonly string[], from: string | null, to: string): string[] {
  const a = from === null ? -1 : order.indexOf(from);
  const b = order.indexOf(to);
  if (a < 0 || b < 0) return [to];
  return order.slice(Math.min(a, b), Math.max(a, b) + 1);
}

/**
 * A click on a row's checkbox. Without shift it toggles that row and makes it the anchor; with shift every
 * row from the anchor to it takes the clicked row's new state. `nameOf` gives each ID's corroborated name;
 * IDs without one (never identified) are left out.
 */
export function clickRow(
  selection: Selection,
  id: string,
  shift: boolean,
  nameOf: (id: string) => string | undefined,
): Selection {
  const select = !selection.selected.has(id);
  const ids = shift ? rangeBetween(selection.order, selection.anchor, id) : [id];
  const selected = new Map(selection.selected);
  for (const each of ids) {
    const name = nameOf(each);
    if (select && name !== undefined) selected.set(each, name);
    else if (!select) selected.delete(each);
  }
  return { ...selection, selected, anchor: id };
}

/** Adds every given row (ID and name) to the selection. */
export function selectAll(selection: Selection, rows: readonly { id: string; name: string }[]): Selection {
  const selected = new Map(selection.selected);
  for (const row of rows) selected.set(row.id, row.name);
  return { ...selection, selected };
}

export function clearSelection(selection: Selection): Selection {
  return { ...selection, selected: new Map(), anchor: null };
}

/** Drops IDs from the selection (rows whose identity changed on screen). */
export function deselect(selection: Selection, ids: Iterable<string>): Selection {
  const selected = new Map(selection.selected);
  for (const id of ids) selected.delete(id);
  return { ...selection, selected };
}

export interface SelectedTarget {
  id: string;
  name: string;
}

/**
 * The selection split by the action each row offers (its own button's): the bar offers `Pause N selected` for
 * the rows that are on and `Resume M selected` for the rest, each in the order they were selected.
 */
export function splitByAction(
  selection: Selection,
  actionOf: (id: string) => 'DISABLE' | 'ENABLE',
): Record<'DISABLE' | 'ENABLE', SelectedTarget[]> {
  const split: Record<'DISABLE' | 'ENABLE', SelectedTarget[]> = { DISABLE: [], ENABLE: [] };
  for (const [id, name] of selection.selected) split[actionOf(id)].push({ id, name });
  return split;
}
