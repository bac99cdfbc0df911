export interface GridShape {
  /** Items in the grid, loaded or not. */
  count: number;
  columns: number;
  /** Rows one screen of the grid shows, for Page Up / Page Down. */
  rowsPerPage: number;
}

/**
 * Where a key moves the active item of a grid of `count` items laid out in rows of `columns`:
 * arrows by one, Home/End to the row's ends, Ctrl+Home/End to the grid's, Page Up/Down by a
 * screen. Null for keys the grid does not handle, so they keep their usual meaning.
 */
export function movedIndex(key: string, ctrlKey: boolean, index: number, shape: GridShape): number | null {
  const { count, columns, rowsPerPage } = shape;
  if (count === 0) return null;
  const last = count - 1;
  const column = index % columns;
  const rowStart = index - column;
  const clamp = (value: number) => Math.min(last, Math.max(0, value));
  switch (key) {
    case "ArrowRight":
      return clamp(index + 1);
    case "ArrowLeft":
      return clamp(index - 1);
    case "ArrowDown":
      return index + columns <= last ? index + columns : index;
    case "ArrowUp":
      return index - columns >= 0 ? index - columns : index;
    case "Home":
      return ctrlKey ? 0 : rowStart;
    case "End":
      return ctrlKey ? last : clamp(rowStart + columns - 1);
    case "PageDown":
      return clamp(index + columns * Math.max(1, rowsPerPage));
    case "PageUp":
      return clamp(index - columns * Math.max(1, rowsPerPage));
    default:
      return null;
  }
}

/** How many tiles of `tileWidth` fit in `width` with `gap` between them (at least one). */
export function columnsFor(width: number, tileWidth: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (tileWidth + gap)));
}
