import type { RefObject } from "react";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ErrorMessage } from "../ui/error-message";

export interface LabelingSubmitProps {
  given: number;
  total: number;
  sending: boolean;
  error: unknown;
  /** Whether the person asked to submit with items still unlabelled, and is being asked to confirm. */
  confirming: boolean;
  onSubmit(): void;
  onConfirm(): void;
  onCancel(): void;
  submitButton: RefObject<HTMLButtonElement | null>;
}

const labelsWord = (count: number) => `${count} label${count === 1 ? "" : "s"}`;
const itemsWord = (count: number) => `${count} item${count === 1 ? "" : "s"}`;

/**
 * The count of labels given and the Submit button (Ctrl/⌘+Enter). A batch takes labels once, so
 * submitting with items unlabelled first asks, naming how many would go without.
 */
export function LabelingSubmit(props: LabelingSubmitProps) {
  const { given, total, sending, error, confirming, onSubmit, onConfirm, onCancel, submitButton } = props;
  const unlabelled = total - given;
  return (
    <div className="labeling-submit">
      <p aria-live="polite">
        {given} of {total} labelled
        {unlabelled > 0 && given > 0 && "; items without a label are left out"}.
      </p>
      <button
        ref={submitButton}
        type="button"
        className="primary"
        aria-keyshortcuts="Control+Enter Meta+Enter"
        disabled={given === 0 || sending}
        onClick={onSubmit}
      >
        {sending ? "Submitting…" : `Submit ${labelsWord(given)}`}
      </button>
      {confirming && unlabelled > 0 && !sending && (
        <SubmitConfirmation given={given} unlabelled={unlabelled} onConfirm={onConfirm} onCancel={onCancel} />
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

function SubmitConfirmation({
  given,
  unlabelled,
  onConfirm,
  onCancel,
}: {
  given: number;
  unlabelled: number;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <ConfirmDialog
      title={`Submit ${labelsWord(given)} with ${itemsWord(unlabelled)} unlabelled?`}
      confirmLabel={`Submit ${labelsWord(given)} anyway`}
      cancelLabel="Keep labelling"
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {unlabelled === 1 ? "1 item has" : `${unlabelled} items have`} no label. A batch takes its labels once:
      after submitting, {unlabelled === 1 ? "it" : "they"} can only be labelled in a new batch.
    </ConfirmDialog>
  );
}
