import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { CancelReconstructionDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";

/** Two steps, so a stray click does not throw away a running reconstruction. */
export function CancelReconstruction({ id }: { id: string }) {
  const [confirming, setConfirming] = useState(false);
  const [cancel, { loading, error }] = useMutation(CancelReconstructionDocument, { variables: { id } });
  return (
    <>
      {confirming ? (
        <span className="button-row" role="group" aria-label="Confirm cancelling the reconstruction">
          <button
            type="button"
            className="danger"
            disabled={loading}
            onClick={() =>
              void cancel().then(
                () => setConfirming(false),
                () => setConfirming(false),
              )
            }
          >
            {loading ? "Cancelling…" : "Cancel reconstruction"}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </span>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Cancel…
        </button>
      )}
      <ErrorMessage error={error} />
    </>
  );
}
