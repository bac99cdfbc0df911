import { useMutation } from "@apollo/client/react";
import { useId, useState } from "react";
import { useNavigate } from "react-router";
import { DeleteRetrainingPolicyDocument, SetRetrainingPolicyEnabledDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { policiesPath } from "./retraining-paths";

/** Pause or resume the scheduled evaluations, or delete the policy (its history goes with it). */
export function PolicyControls({
  policyId,
  modelId,
  enabled,
  name,
}: {
  policyId: string;
  modelId: string;
  enabled: boolean;
  name: string;
}) {
  const id = useId();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [setEnabled, toggling] = useMutation(SetRetrainingPolicyEnabledDocument);
  const [deletePolicy, deleting] = useMutation(DeleteRetrainingPolicyDocument, {
    variables: { id: policyId },
    update(cache, result) {
      if (!result.data?.deleteRetrainingPolicy) return;
      cache.evict({ id: cache.identify({ __typename: "RetrainingPolicy", id: policyId }) });
      cache.gc();
    },
  });
  const onDelete = async () => {
    const result = await deletePolicy().catch(() => null);
    if (result?.data?.deleteRetrainingPolicy) navigate(policiesPath(modelId), { replace: true });
  };
  const busy = toggling.loading || deleting.loading;

  return (
    <section className="panel" aria-labelledby={`${id}-title`} aria-busy={busy}>
      <h2 id={`${id}-title`}>Policy</h2>
      <p aria-live="polite">
        {enabled ? (
          <>
            <span className="badge badge-good">Enabled</span> evaluated on schedule
          </>
        ) : (
          <>
            <span className="badge badge-neutral">Disabled</span> not evaluated until enabled again
          </>
        )}
      </p>
      <div className="button-row">
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void setEnabled({ variables: { id: policyId, enabled: !enabled } }).catch(() => null)
          }
        >
          {enabled ? "Disable" : "Enable"}
        </button>
        {confirming ? (
          <span role="group" aria-label="Confirm deletion" className="button-row">
            <button type="button" className="danger" disabled={busy} onClick={() => void onDelete()}>
              {deleting.loading ? "Deleting…" : `Delete ${name} for good`}
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)} autoFocus>
              Keep it
            </button>
          </span>
        ) : (
          <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
      </div>
      <ErrorMessage error={toggling.error ?? deleting.error} />
    </section>
  );
}
