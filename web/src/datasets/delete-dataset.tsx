import { useMutation } from "@apollo/client/react";
import { useId, useState } from "react";
import { useNavigate } from "react-router";
import { DeleteDatasetDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";

/** Deleting takes every version and image with it, so it asks once more, naming the dataset. */
export function DeleteDataset({ datasetId, name }: { datasetId: string; name: string }) {
  const id = useId();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [deleteDataset, { loading, error }] = useMutation(DeleteDatasetDocument, {
    variables: { id: datasetId },
    update(cache, result) {
      if (!result.data?.deleteDataset) return;
      cache.evict({ id: cache.identify({ __typename: "Dataset", id: datasetId }) });
      cache.gc();
    },
  });
  const onDelete = async () => {
    const result = await deleteDataset().catch(() => null);
    if (result?.data?.deleteDataset) navigate("/datasets", { replace: true });
  };

  return (
    <section className="panel danger-zone" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Delete this dataset</h2>
      <p className="muted">All its versions, images and embeddings are deleted.</p>
      {confirming ? (
        <div className="button-row" role="group" aria-label="Confirm deletion">
          <button type="button" className="danger" disabled={loading} onClick={() => void onDelete()}>
            {loading ? "Deleting…" : `Delete ${name} for good`}
          </button>
          <button type="button" disabled={loading} onClick={() => setConfirming(false)} autoFocus>
            Keep it
          </button>
        </div>
      ) : (
        <div className="button-row">
          <button type="button" onClick={() => setConfirming(true)}>
            Delete dataset…
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
