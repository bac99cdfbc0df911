import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { CancelJobDocument } from "../gql/graphql";

/**
 * Two steps, so a stray click does not throw away a running job. The answer is the job itself,
 * which replaces its row in the cache; a refusal goes to `onFailed`.
 */
export function CancelJobButton({
  jobId,
  jobName,
  onFailed,
}: {
  jobId: string;
  jobName: string;
  onFailed(error: unknown): void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [cancel, { loading }] = useMutation(CancelJobDocument, { variables: { id: jobId } });

  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} aria-label={`Cancel ${jobName}`}>
        Cancel
      </button>
    );
  }
  return (
    <span className="button-row" role="group" aria-label={`Confirm cancelling ${jobName}`}>
      <button
        type="button"
        className="danger"
        disabled={loading}
        onClick={() =>
          void cancel().then(
            () => setConfirming(false),
            (error: unknown) => {
              setConfirming(false);
              onFailed(error);
            },
          )
        }
      >
        {loading ? "Cancelling…" : "Cancel job"}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        Keep it
      </button>
    </span>
  );
}
