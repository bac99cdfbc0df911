import { useVirtualizer } from "@tanstack/react-virtual";
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from "react";
import { Link } from "react-router";
import { ErrorMessage } from "../ui/error-message";
import { columnsFor, movedIndex } from "./grid-navigation";
import { picked, selectAll, type GridSelection } from "./grid-selection";
import { classNameOf, type SampleCatalog, type SampleTile } from "./sample-catalog";
import { useCatalogSnapshot } from "./use-sample-catalog";
import { useSampleParam } from "./use-sample-param";

/** Tiles are at least this wide; the columns that fit share the rest of the width. */
const MIN_TILE = 148;
const GAP = 12;
/** File name and class under the thumbnail: rows have a fixed height, so they need no measuring. */
const CAPTION = 52;
const OVERSCAN_ROWS = 3;

export interface SampleGridProps {
  catalog: SampleCatalog;
  /** What the version says the grid will hold, until the first page says for sure. */
  expectedCount: number;
  label: string;
  /** What opening a sample does; by default the sample viewer opens over the page (`?sample=`). */
  onOpen?(sample: SampleTile): void;
  /**
   * Samples picked for an edit. With it, a click selects (Shift: a run, Ctrl/⌘: one more), as do
   * Space, Shift+arrows and Ctrl+A; a double click or Enter opens the sample, Escape clears.
   */
  selection?: GridSelection;
  onSelectionChange?(selection: GridSelection): void;
  /** Keys the grid leaves alone (number keys, Delete), with the sample the arrows reached: true when the page acted on one. */
  onShortcut?(event: KeyboardEvent<HTMLDivElement>, active: SampleTile | undefined): boolean;
}

/**
 * Thumbnails in rows, only the rows on screen in the DOM, pages loaded as they scroll into view.
 * One tab stop: the arrow keys, Home/End and Page Up/Down move through the grid (announced via
 * aria-activedescendant), Enter opens the sample.
 */
export function SampleGrid(props: SampleGridProps) {
  const { catalog, expectedCount, label, onOpen, selection, onSelectionChange, onShortcut } = props;
  const id = useId();
  const snapshot = useCatalogSnapshot(catalog);
  const { sampleHref, open } = useSampleParam();
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(4 * MIN_TILE + 3 * GAP);
  const [active, setActive] = useState(0);
  const count = snapshot.totalCount ?? expectedCount;
  const columns = columnsFor(width, MIN_TILE, GAP);
  const tile = Math.floor((width - (columns - 1) * GAP) / columns);
  const rowHeight = tile + CAPTION;
  const rows = Math.ceil(count / columns);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(MIN_TILE, element.clientWidth - 2 * GAP)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // The app does not run the React Compiler, which is what this rule protects.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: OVERSCAN_ROWS,
    paddingStart: GAP,
    paddingEnd: GAP,
  });
  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);
  const visibleRows = virtualizer.getVirtualItems();
  const lastRow = visibleRows.at(-1)?.index ?? 0;

  useEffect(() => {
    catalog.ensure(Math.min(count, (lastRow + 1 + OVERSCAN_ROWS) * columns));
  }, [catalog, count, lastRow, columns]);

  const rowsPerPage = Math.max(1, Math.floor((scroller.current?.clientHeight ?? rowHeight) / rowHeight));
  const ids = snapshot.samples.map((sample) => sample.sampleId);
  const selecting = selection !== undefined && onSelectionChange !== undefined;
  const openSample = (sample: SampleTile) => {
    if (onOpen) onOpen(sample);
    else open(sample.sampleId);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const modifier = event.ctrlKey || event.metaKey;
    if (event.key === "Enter" || (event.key === " " && !selecting)) {
      const sample = snapshot.samples[active];
      if (sample) {
        event.preventDefault();
        openSample(sample);
      }
      return;
    }
    if (selecting && selectionKey(event, active, ids, selection, onSelectionChange)) {
      event.preventDefault();
      return;
    }
    if (onShortcut?.(event, snapshot.samples[active])) {
      event.preventDefault();
      return;
    }
    const from = Math.min(active, count - 1);
    const next = movedIndex(event.key, modifier, from, { count, columns, rowsPerPage });
    if (next === null) return;
    event.preventDefault();
    setActive(next);
    if (selecting && event.shiftKey) {
      const anchored = selection.anchor === null ? { ...selection, anchor: from } : selection;
      onSelectionChange(picked(anchored, ids, { index: next, range: true, toggle: false }));
    }
    virtualizer.scrollToIndex(Math.floor(next / columns), { align: "auto" });
  };
  const onTileClick = (event: MouseEvent, index: number, sample: SampleTile) => {
    setActive(index);
    if (selecting) {
      // A link still, so it can be opened in a new tab; a click here picks instead of following.
      event.preventDefault();
      const pick = { index, range: event.shiftKey, toggle: event.ctrlKey || event.metaKey };
      onSelectionChange(picked(selection, ids, pick));
      return;
    }
    onOpen?.(sample);
  };
  const activeRendered =
    visibleRows.some((row) => row.index === Math.floor(active / columns)) && active < snapshot.samples.length;

  return (
    <div className="sample-grid-frame">
      <p className="muted sample-grid-status" aria-live="polite">
        {snapshot.samples.length < count
          ? `${snapshot.samples.length.toLocaleString()} of ${count.toLocaleString()} loaded`
          : `${count.toLocaleString()} images`}
        <span className="visually-hidden">
          . Arrow keys move between images, Enter opens one
          {selecting && "; Space selects, Shift+arrows select a run, Escape clears the selection"}.
        </span>
      </p>
      <div
        ref={scroller}
        className="sample-grid"
        role="grid"
        aria-label={label}
        aria-rowcount={rows}
        aria-colcount={columns}
        aria-activedescendant={activeRendered ? `${id}-${active}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {visibleRows.map((row) => (
            <div
              key={row.key}
              role="row"
              aria-rowindex={row.index + 1}
              className="sample-grid-row"
              style={{
                transform: `translateY(${row.start}px)`,
                gridTemplateColumns: `repeat(${columns}, ${tile}px)`,
                gap: GAP,
              }}
            >
              {Array.from({ length: columns }, (_, column) => {
                const index = row.index * columns + column;
                if (index >= count) return null;
                const sample = snapshot.samples[index];
                return sample ? (
                  <Tile
                    key={sample.sampleId}
                    id={`${id}-${index}`}
                    sample={sample}
                    href={sampleHref(sample.sampleId)}
                    size={tile}
                    active={index === active}
                    selected={selecting ? selection.selected.has(sample.sampleId) : undefined}
                    column={column}
                    onClick={(event) => onTileClick(event, index, sample)}
                    onDoubleClick={selecting ? () => openSample(sample) : undefined}
                    picking={onOpen !== undefined}
                  />
                ) : (
                  <div
                    key={`pending-${index}`}
                    role="gridcell"
                    aria-colindex={column + 1}
                    className="sample-tile sample-tile-pending"
                  >
                    <span className="visually-hidden">Loading</span>
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      {snapshot.error !== null && (
        <div className="grid-error">
          <ErrorMessage error={snapshot.error} />
          <button type="button" onClick={() => catalog.retry()}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

interface TileProps {
  id: string;
  sample: SampleTile;
  href: string;
  /** Width and height of the thumbnail's box, px. */
  size: number;
  active: boolean;
  /** Whether it is in the selection; undefined where the grid does not select. */
  selected: boolean | undefined;
  column: number;
  onClick(event: MouseEvent): void;
  onDoubleClick?(): void;
  /** A button that hands the sample to `onOpen` rather than a link to the viewer. */
  picking: boolean;
}

function Tile(props: TileProps) {
  const { id, sample, href, size, active, selected, column, onClick, onDoubleClick, picking } = props;
  const fileName = sample.originalPath.split("/").at(-1) ?? sample.originalPath;
  const content = (
    <>
      <img src={sample.thumbnailUrl} alt="" loading="lazy" decoding="async" width={size} height={size} />
      <span className="sample-tile-name" title={sample.originalPath}>
        {fileName}
      </span>
      <span className="sample-tile-class">{classNameOf(sample)}</span>
    </>
  );
  const name = `${sample.originalPath}, class ${classNameOf(sample)}`;
  return (
    <div
      role="gridcell"
      id={id}
      aria-colindex={column + 1}
      aria-selected={selected ?? active}
      className={`sample-tile${active ? " sample-tile-active" : ""}${selected ? " sample-tile-selected" : ""}`}
    >
      {picking ? (
        <button type="button" tabIndex={-1} onClick={onClick} aria-label={name}>
          {content}
        </button>
      ) : (
        <Link to={href} tabIndex={-1} onClick={onClick} onDoubleClick={onDoubleClick} aria-label={name}>
          {content}
        </Link>
      )}
    </div>
  );
}

/** Space, Ctrl/⌘+A and Escape on a selecting grid; true when the key changed the selection. */
function selectionKey(
  event: KeyboardEvent,
  active: number,
  ids: readonly string[],
  selection: GridSelection,
  onChange: (selection: GridSelection) => void,
): boolean {
  if (event.key === " ") {
    onChange(picked(selection, ids, { index: active, range: event.shiftKey, toggle: !event.shiftKey }));
    return true;
  }
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "a") {
    onChange(selectAll(ids));
    return true;
  }
  if (event.key === "Escape" && selection.selected.size > 0) {
    onChange({ selected: new Set(), anchor: null });
    return true;
  }
  return false;
}
