import { useMutation } from "@apollo/client/react";
import { useEffect, useEffectEvent, useId, useMemo, useReducer, useRef, useState } from "react";
import {
  LabelingBatchDocument,
  LabelingBatchesDocument,
  SubmitLabelsDocument,
  type SubmitLabelsMutation,
} from "../gql/graphql";
import { formatFraction } from "../ui/format";
import { firstBatchesPage } from "./batch-list";
import { batchShortcuts, itemImage, topPredictions, type LabelingItem } from "./labeling-items";
import { LabelingSubmit } from "./labeling-submit";
import { initialQueue, labelInputs, queueReducer } from "./queue-state";

export type SubmittedVersion = SubmitLabelsMutation["submitLabels"];

export interface LabelingQueueProps {
  batchId: string;
  items: readonly LabelingItem[];
  /** The model's labels: what an item can be given. */
  labels: readonly string[];
  onSubmitted(version: SubmittedVersion, given: ReadonlyMap<string, string>): void;
}

const SHOWN_PREDICTIONS = 5;

// Keys pressed here are the element's own: text typed into it.
const TEXT_ENTRY = "input, select, textarea, [contenteditable]:not([contenteditable='false'])";

/**
 * One item at a time, driven from the keyboard: number keys give a label (then the next item
 * without one comes up), ←/→ or K/J move, U undoes the last label, / types another label (one of
 * the model's or a class of the dataset), and Ctrl/⌘+Enter submits the labels given. Keys typed
 * into a field are the field's; plain Enter is never ours, so on a focused button it presses that
 * button (a mouse click leaves focus on one) rather than submitting the batch.
 */
export function LabelingQueue({ batchId, items, labels, onSubmitted }: LabelingQueueProps) {
  const id = useId();
  const [state, dispatch] = useReducer(queueReducer, items, (all) =>
    initialQueue(all.map((item) => item.id)),
  );
  const [submit, submission] = useMutation(SubmitLabelsDocument, {
    // The batch is submitted now, and the list shows what it became: both are fetched again, so
    // coming back to either does not offer the queue again.
    refetchQueries: [
      { query: LabelingBatchDocument, variables: { id: batchId } },
      { query: LabelingBatchesDocument, variables: firstBatchesPage },
    ],
  });
  const [confirming, setConfirming] = useState(false);
  const [other, setOther] = useState("");
  const otherInput = useRef<HTMLInputElement>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  const item = items[state.index];
  const shortcuts = useMemo(() => batchShortcuts(labels, items), [labels, items]);
  const given = labelInputs(state);

  const send = async () => {
    setConfirming(false);
    if (given.length === 0 || submission.loading) return;
    const result = await submit({ variables: { batchId, labels: given } }).catch(() => null);
    if (result?.data) onSubmitted(result.data.submitLabels, state.labels);
  };
  // A batch takes labels once: leaving items out is confirmed first (asking again confirms).
  const requestSubmit = () => {
    if (given.length === 0 || submission.loading) return;
    if (given.length < items.length && !confirming) setConfirming(true);
    else void send();
  };

  // An effect event: the listener is added once and still sees this render's state.
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if ((event.target as Element | null)?.closest?.(TEXT_ENTRY)) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey) {
      event.preventDefault();
      requestSubmit();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (/^[1-9]$/.test(key)) {
      const label = shortcuts[Number(key) - 1];
      if (label !== undefined) dispatch({ type: "label", label });
    } else if (key === "ArrowRight" || key === "j") dispatch({ type: "move", by: 1 });
    else if (key === "ArrowLeft" || key === "k") dispatch({ type: "move", by: -1 });
    else if (key === "u") dispatch({ type: "undo" });
    else if (key === "/") otherInput.current?.focus();
    else return;
    event.preventDefault();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, []);

  if (!item) return <p className="muted">This batch has no items.</p>;
  const current = state.labels.get(item.id);
  const image = itemImage(item);
  const name = item.sample?.originalPath ?? `Prediction ${item.prediction?.id ?? item.id}`;

  return (
    <div className="labeling-queue key-caps">
      <section className="labeling-item" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>
          Item {state.index + 1} of {items.length}
          {item.random && <span className="badge badge-busy">random pick</span>}
        </h2>
        <p className="muted">
          {name} · uncertainty {item.uncertainty.toFixed(2)}
          {current !== undefined && (
            <>
              {" "}
              · labelled <strong>{current}</strong>
            </>
          )}
        </p>
        <div className="labeling-image">
          {image ? <img src={image} alt={name} /> : <p className="muted">The image was not kept.</p>}
        </div>
      </section>
      <aside className="labeling-side">
        <section aria-labelledby={`${id}-guess`}>
          <h3 id={`${id}-guess`}>The model&apos;s guess</h3>
          <ol className="labeling-predictions" aria-label="Top predictions">
            {topPredictions(item, SHOWN_PREDICTIONS).map((prediction) => (
              <li key={prediction.label}>
                <span>{prediction.label}</span>
                <meter min={0} max={1} value={prediction.score} aria-label={`Score of ${prediction.label}`} />
                <span className="muted">{formatFraction(prediction.score)}</span>
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby={`${id}-pick`}>
          <h3 id={`${id}-pick`}>Label</h3>
          <ul className="labeling-shortcuts shortcut-list" aria-label="Labels by number key">
            {shortcuts.map((label, index) => (
              <li key={label}>
                <button
                  type="button"
                  aria-keyshortcuts={String(index + 1)}
                  aria-pressed={current === label}
                  onClick={() => dispatch({ type: "label", label })}
                >
                  <kbd>{index + 1}</kbd> {label}
                </button>
              </li>
            ))}
          </ul>
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (!other.trim()) return;
              dispatch({ type: "label", label: other.trim() });
              setOther("");
              otherInput.current?.blur();
            }}
          >
            <div className="field">
              <label htmlFor={`${id}-other`}>
                Another label <kbd>/</kbd>
              </label>
              <input
                id={`${id}-other`}
                ref={otherInput}
                list={`${id}-labels`}
                value={other}
                onChange={(event) => setOther(event.target.value)}
              />
              <datalist id={`${id}-labels`}>
                {labels.map((label) => (
                  <option key={label} value={label} />
                ))}
              </datalist>
            </div>
            <button type="submit" disabled={!other.trim()}>
              Give it
            </button>
          </form>
        </section>
        <div className="button-row labeling-moves">
          <button
            type="button"
            aria-keyshortcuts="ArrowLeft K"
            onClick={() => dispatch({ type: "move", by: -1 })}
          >
            ← Previous
          </button>
          <button
            type="button"
            aria-keyshortcuts="ArrowRight J"
            onClick={() => dispatch({ type: "move", by: 1 })}
          >
            Next →
          </button>
          <button
            type="button"
            aria-keyshortcuts="U"
            disabled={state.history.length === 0}
            onClick={() => dispatch({ type: "undo" })}
          >
            Undo
          </button>
        </div>
        <LabelingSubmit
          given={given.length}
          total={items.length}
          sending={submission.loading}
          error={submission.error}
          confirming={confirming}
          onSubmit={requestSubmit}
          onConfirm={() => void send()}
          onCancel={() => {
            setConfirming(false);
            submitButton.current?.focus();
          }}
          submitButton={submitButton}
        />
      </aside>
      <ol className="labeling-strip" aria-label="Items of the batch">
        {items.map((entry, index) => {
          const label = state.labels.get(entry.id);
          return (
            <li key={entry.id}>
              <button
                type="button"
                aria-current={index === state.index ? "true" : undefined}
                aria-label={`Item ${index + 1}${entry.random ? ", random pick" : ""}${label ? `, labelled ${label}` : ""}`}
                className={label ? "labelled" : undefined}
                onClick={() => dispatch({ type: "go", index })}
              >
                {index + 1}
                {entry.random && <span aria-hidden="true">★</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
