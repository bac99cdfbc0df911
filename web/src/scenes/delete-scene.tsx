import { useMutation } from "@apollo/client/react";
import { useId, useState } from "react";
import { useNavigate } from "react-router";
import { DeleteSceneDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { scenesPath } from "./scene-paths";

/** Deleting takes every frame with it, so it asks once more, naming the scene. */
export function DeleteScene({ sceneId, name }: { sceneId: string; name: string }) {
  const id = useId();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [deleteScene, { loading, error }] = useMutation(DeleteSceneDocument, {
    variables: { id: sceneId },
    update(cache, result) {
      if (!result.data?.deleteScene) return;
      cache.evict({ id: cache.identify({ __typename: "Scene", id: sceneId }) });
      cache.gc();
    },
  });
  const onDelete = async () => {
    const result = await deleteScene().catch(() => null);
    if (result?.data?.deleteScene) navigate(scenesPath, { replace: true });
  };

  return (
    <section className="panel danger-zone" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Delete this scene</h2>
      <p className="muted">Its frames are deleted; finished reconstructions keep their files.</p>
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
            Delete scene…
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
