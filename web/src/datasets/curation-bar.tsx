import { useId, useState } from "react";
import type { ClassCountRowFragment } from "../gql/graphql";
import type { SampleTile } from "./sample-catalog";

/** Number keys 1–9 pick the first nine classes, in the version's order. */
export const SHORTCUT_CLASSES = 9;

export interface CurationBarProps {
  /** The selected samples that are loaded, in grid order. */
  selected: readonly SampleTile[];
  classes: readonly ClassCountRowFragment[];
  /** Proposes giving every selected sample this class (the page confirms it). */
  onRelabel(label: string): void;
  onDelete(): void;
  onClear(): void;
  /** Said when a pick changes nothing (every selected sample is already in that class). */
  status: string | null;
}

/**
 * What can be done to the selected samples: a class for all of them (a button per class, or its
 * number key), another class by name (a new name makes the class), or deletion; the page
 * confirms each with a message.
 */
export function CurationBar({ selected, classes, onRelabel, onDelete, onClear, status }: CurationBarProps) {
  const id = useId();
  const [target, setTarget] = useState("");
  const count = selected.length;

  return (
    <section className="curation-bar panel" aria-labelledby={`${id}-title`}>
      <div className="curation-bar-row">
        <h2 id={`${id}-title`} className="curation-count" aria-live="polite">
          {count === 0
            ? "No sample selected"
            : `${count.toLocaleString()} sample${count === 1 ? "" : "s"} selected`}
        </h2>
        {count > 0 && (
          <button type="button" onClick={onClear} aria-keyshortcuts="Escape">
            Clear
          </button>
        )}
        <p className="hint curation-hint">
          Click, Shift+click or Ctrl+click to select; double-click a sample, or press Enter on it, to open it.
          Number keys give the selection a class; Delete removes it (or the sample the arrows reached).
        </p>
      </div>
      {count > 0 && (
        <div className="curation-bar-row">
          <ul className="shortcut-list key-caps" aria-label="Relabel the selection as">
            {classes.slice(0, SHORTCUT_CLASSES).map((entry, index) => (
              <li key={entry.classId}>
                <button
                  type="button"
                  aria-keyshortcuts={String(index + 1)}
                  onClick={() => onRelabel(entry.name)}
                >
                  <kbd>{index + 1}</kbd> {entry.name}
                </button>
              </li>
            ))}
          </ul>
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (target.trim()) onRelabel(target.trim());
            }}
          >
            <div className="field">
              <label htmlFor={`${id}-target`}>Move to class</label>
              <input
                id={`${id}-target`}
                list={`${id}-classes`}
                value={target}
                placeholder="A class, or a new name"
                onChange={(event) => setTarget(event.target.value)}
              />
              <datalist id={`${id}-classes`}>
                {classes.map((entry) => (
                  <option key={entry.classId} value={entry.name} />
                ))}
              </datalist>
            </div>
            <button type="submit" disabled={!target.trim()}>
              Move
            </button>
          </form>
          <button type="button" className="danger" aria-keyshortcuts="Delete" onClick={onDelete}>
            Delete {count === 1 ? "it" : `all ${count.toLocaleString()}`}
          </button>
        </div>
      )}
      {status && (
        <p className="muted" role="status">
          {status}
        </p>
      )}
    </section>
  );
}
