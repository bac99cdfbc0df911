/**
 * Which samples of a grid are selected, as file managers do it: a click selects one, Shift+click
 * the run from the anchor (the last plain or Ctrl click) to the clicked one, Ctrl/⌘+click adds or
 * takes away one. Kept by sample id, so loading more pages never changes what is selected.
 */
export interface GridSelection {
  selected: ReadonlySet<string>;
  /** Index where the next Shift+click or Shift+arrow run starts; null before any pick. */
  anchor: number | null;
}

export const emptySelection: GridSelection = { selected: new Set(), anchor: null };

export interface Pick {
  /** Index of the picked item in `ids`. */
  index: number;
  /** Shift held: select the run from the anchor to here (and nothing else). */
  range: boolean;
  /** Ctrl or ⌘ held: add or take away this one, keeping the rest. */
  toggle: boolean;
}

/** The selection after a click (or a Space or Shift+arrow, which the grid turns into picks). */
export function picked(selection: GridSelection, ids: readonly string[], pick: Pick): GridSelection {
  const id = ids[pick.index];
  if (id === undefined) return selection;
  if (pick.range && selection.anchor !== null) {
    const [from, to] = [Math.min(selection.anchor, pick.index), Math.max(selection.anchor, pick.index)];
    const run = ids.slice(from, to + 1);
    // Ctrl+Shift adds the run to what was selected; Shift alone replaces it.
    const selected = new Set(pick.toggle ? [...selection.selected, ...run] : run);
    return { selected, anchor: selection.anchor };
  }
  if (pick.toggle) {
    const selected = new Set(selection.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { selected, anchor: pick.index };
  }
  return { selected: new Set([id]), anchor: pick.index };
}

/** Every loaded item, the anchor on the first. */
export function selectAll(ids: readonly string[]): GridSelection {
  return { selected: new Set(ids), anchor: ids.length > 0 ? 0 : null };
}
