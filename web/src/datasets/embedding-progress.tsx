import { useMutation } from "@apollo/client/react";
import { EmbedDatasetVersionDocument, EmbeddingRunState } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatEnum } from "../ui/format";
import { StateBadge, type BadgeTone } from "../ui/state-badge";
import { describeProgress, isUnderway, type EmbeddingStatus } from "./embedding-statuses";

const tones: Record<EmbeddingRunState, BadgeTone> = {
  [EmbeddingRunState.Queued]: "busy",
  [EmbeddingRunState.Running]: "busy",
  [EmbeddingRunState.Succeeded]: "good",
  [EmbeddingRunState.Failed]: "bad",
};

export interface EmbeddingProgressProps {
  versionId: string;
  /** As the live subscription reports them. */
  statuses: readonly EmbeddingStatus[];
  onStarted(status: EmbeddingStatus): void;
}

/** One progress bar per embedding space, moving as the gateway reports each batch. */
export function EmbeddingProgress({ versionId, statuses, onStarted }: EmbeddingProgressProps) {
  const [embed, { loading, error }] = useMutation(EmbedDatasetVersionDocument, {
    variables: { datasetVersionId: versionId },
  });
  const start = async () => {
    const result = await embed().catch(() => null);
    if (result?.data) onStarted(result.data.embedDatasetVersion);
  };

  return (
    <section className="embedding-progress" aria-label="Embeddings">
      {statuses.length === 0 ? (
        <div className="embedding-none">
          <span>No embeddings yet: similarity search, the embedding map and the label check need them.</span>
          <button type="button" disabled={loading} onClick={() => void start()}>
            {loading ? "Starting…" : "Compute embeddings"}
          </button>
        </div>
      ) : (
        <ul>
          {statuses.map((status) => (
            <li key={status.space} className="embedding-space">
              <span className="embedding-space-name">
                Embeddings <code>{status.space}</code>{" "}
                <StateBadge state={status.state} tone={tones[status.state]} />
              </span>
              {isUnderway(status) || status.state === EmbeddingRunState.Failed ? (
                <>
                  <progress
                    max={Math.max(1, status.total)}
                    value={status.done}
                    aria-label={`Embedding progress in ${status.space}`}
                  />
                  <span className="muted" aria-live="polite">
                    {describeProgress(status)}
                  </span>
                </>
              ) : (
                <span className="muted">
                  {describeProgress(status)} with the {formatEnum(status.method).toLowerCase()} embedder
                </span>
              )}
              {status.error && (
                <p className="error-message embedding-error" role="alert">
                  <span className="error-code">{status.state}</span> {status.error}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
