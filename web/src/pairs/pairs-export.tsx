import { useApolloClient } from "@apollo/client/react";
import { useState } from "react";
import { TrainingPairsExportLinkDocument } from "../gql/graphql";
import { downloadUrl } from "../ui/download";
import { ErrorMessage } from "../ui/error-message";

type ExportState =
  | { phase: "idle" }
  | { phase: "asking" }
  | { phase: "started"; url: string }
  | { phase: "failed"; error: unknown };

/**
 * The export link is signed and short-lived, so it is asked for on click, never kept: the ZIP
 * (a folder per session, both images and metadata.json, plus training-log.jsonl) then downloads.
 */
export function PairsExport({ pairs }: { pairs: number }) {
  const client = useApolloClient();
  const [state, setState] = useState<ExportState>({ phase: "idle" });

  const exportPairs = async () => {
    setState({ phase: "asking" });
    try {
      const { data } = await client.query({
        query: TrainingPairsExportLinkDocument,
        fetchPolicy: "network-only",
      });
      if (!data) throw new Error("The server answered without an export link");
      downloadUrl(data.trainingPairsExport, "training-pairs.zip");
      setState({ phase: "started", url: data.trainingPairsExport });
    } catch (error) {
      setState({ phase: "failed", error });
    }
  };

  return (
    <div className="pairs-export">
      <button
        type="button"
        className="primary"
        disabled={pairs === 0 || state.phase === "asking"}
        onClick={() => void exportPairs()}
      >
        {state.phase === "asking" ? "Preparing the export…" : "Export as ZIP"}
      </button>
      <div aria-live="polite">
        {state.phase === "started" && (
          <p className="muted">
            The download has started. If it did not, <a href={state.url}>download the ZIP</a> (the link works
            for a short time).
          </p>
        )}
      </div>
      {state.phase === "failed" && <ErrorMessage error={state.error} />}
    </div>
  );
}
