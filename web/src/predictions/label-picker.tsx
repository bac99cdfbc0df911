import { useId, useState, type KeyboardEvent } from "react";

/** Beyond this many labels the picker offers a filter, and lists only what matches. */
const FILTER_FROM = 12;
const MOST_SHOWN = 60;

export interface LabelPickerProps {
  /** The model's labels, in its output order. */
  labels: readonly string[];
  /** Labels the model ranked for this image, best first: offered first. */
  suggested: readonly string[];
  /**
   * A label not offered: the model's own answer, when the picker says what the right one is
   * instead (picking it would record the prediction as correct).
   */
  leftOut?: string;
  /** The label already recorded, marked as such. */
  current?: string | null;
  disabled?: boolean;
  onPick(label: string): void;
  onCancel(): void;
}

/**
 * The model's labels, the ones it ranked first, less the one left out; one click picks, and the
 * first choice has focus. Escape closes it.
 */
export function LabelPicker(props: LabelPickerProps) {
  const { labels, suggested, leftOut, current, disabled, onPick, onCancel } = props;
  const id = useId();
  const [filter, setFilter] = useState("");
  const ordered = pickerOrder(labels, suggested).filter((label) => label !== leftOut);
  const needle = filter.trim().toLowerCase();
  const matching = needle ? ordered.filter((label) => label.toLowerCase().includes(needle)) : ordered;
  const shown = matching.slice(0, MOST_SHOWN);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    event.stopPropagation();
    onCancel();
  };

  return (
    <div className="label-picker" role="group" aria-labelledby={`${id}-title`} onKeyDown={onKeyDown}>
      <p className="label-picker-title" id={`${id}-title`}>
        Pick the right label
      </p>
      {labels.length > FILTER_FROM && (
        <div className="field">
          <label htmlFor={`${id}-filter`}>Find a label</label>
          <input
            id={`${id}-filter`}
            type="search"
            autoComplete="off"
            value={filter}
            // The picker opened on a click that asked for it: typing can start at once.
            autoFocus
            onChange={(event) => setFilter(event.target.value)}
          />
        </div>
      )}
      {ordered.length === 0 ? (
        <p className="muted">This model version lists no other label to choose from.</p>
      ) : shown.length === 0 ? (
        <p className="muted">No label contains &ldquo;{filter.trim()}&rdquo;.</p>
      ) : (
        <ul className="label-choices">
          {shown.map((label, index) => (
            <li key={label}>
              <button
                type="button"
                disabled={disabled}
                aria-current={label === current || undefined}
                autoFocus={labels.length <= FILTER_FROM && index === 0}
                onClick={() => onPick(label)}
              >
                {label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {matching.length > shown.length && (
        <p className="hint">{matching.length - shown.length} more; type to narrow the list.</p>
      )}
      <div className="button-row">
        <button type="button" disabled={disabled} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** The model's ranked labels first, then the rest in its output order, each once. */
export function pickerOrder(labels: readonly string[], suggested: readonly string[]): string[] {
  const known = new Set(labels);
  const first = suggested.filter((label) => known.has(label));
  const firstSet = new Set(first);
  return [...new Set([...first, ...labels.filter((label) => !firstSet.has(label))])];
}
