import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { RecordFeedbackDocument, type FeedbackSource, type StoredFeedbackFragment } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import "./loop.css";
import { LabelPicker } from "./label-picker";

export interface FeedbackControlsProps {
  predictionId: string;
  /** The model version's labels: the picker's choices. */
  labels: readonly string[];
  /** The labels the model ranked for this image, best first. */
  predicted: readonly string[];
  /** Where the judgement is made: PLAYGROUND in the playground, API on the prediction log. */
  source: FeedbackSource;
  /** What is stored already, if anything. */
  feedback: StoredFeedbackFragment | null;
  /** Where the words say what is being judged ("this prediction", "blue/1.png"). */
  subject?: string;
  /** Active queries that count feedback, to refresh once it is recorded. */
  refetchQueries?: string[];
}

/**
 * "Correct" records a verdict; "Wrong? Pick the right label" opens the model's other labels (its
 * own answer is what "Correct" says) and one click records the correction. What is stored is
 * shown, and can be changed the same way.
 */
export function FeedbackControls({
  predictionId,
  labels,
  predicted,
  source,
  feedback,
  subject,
  refetchQueries,
}: FeedbackControlsProps) {
  const [picking, setPicking] = useState(false);
  const [changing, setChanging] = useState(false);
  const [record, { data, loading, error }] = useMutation(RecordFeedbackDocument, { refetchQueries });
  const stored = data?.recordFeedback ?? feedback;

  const send = async (input: { correctLabel: string } | { isCorrect: true }) => {
    const result = await record({
      variables: { input: { predictionId, ...input, source } },
    }).catch(() => null);
    if (result?.data) {
      setPicking(false);
      setChanging(false);
    }
  };

  const label = subject ? `Feedback on ${subject}` : "Feedback";
  return (
    <div className="feedback-controls" role="group" aria-label={label} aria-busy={loading}>
      {stored && !changing ? (
        <p className="feedback-stored" aria-live="polite">
          <StoredFeedbackText feedback={stored} />{" "}
          <button type="button" className="link-button" onClick={() => setChanging(true)}>
            Change
          </button>
        </p>
      ) : picking ? (
        <LabelPicker
          labels={labels}
          suggested={predicted.slice(1)}
          leftOut={predicted[0]}
          current={stored?.correctLabel}
          disabled={loading}
          onPick={(correctLabel) => void send({ correctLabel })}
          onCancel={() => setPicking(false)}
        />
      ) : (
        <div className="button-row">
          <button type="button" disabled={loading} onClick={() => void send({ isCorrect: true })}>
            {loading ? "Saving…" : "Correct"}
          </button>
          <button type="button" disabled={loading} onClick={() => setPicking(true)}>
            Wrong? Pick the right label
          </button>
          {changing && (
            <button type="button" className="link-button" onClick={() => setChanging(false)}>
              Keep it
            </button>
          )}
        </div>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

/** "Correct", or "Wrong: the right label is cat", with who said so last and when. */
export function StoredFeedbackText({ feedback }: { feedback: StoredFeedbackFragment }) {
  const who = (
    <span className="muted">
      {" "}
      ({feedback.createdBy.handle}, {formatDateTime(feedback.updatedAt)})
    </span>
  );
  if (feedback.isCorrect) {
    return (
      <>
        <span className="badge badge-good">Correct</span>
        {who}
      </>
    );
  }
  return (
    <>
      <span className="badge badge-bad">Wrong</span>{" "}
      {feedback.correctLabel ? (
        <>
          the right label is <strong>{feedback.correctLabel}</strong>
        </>
      ) : (
        "no right label given"
      )}
      {who}
    </>
  );
}
