import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { ExportDatasetVersionDocument } from "../gql/graphql";
import { downloadUrl } from "../ui/download";
import { ErrorMessage } from "../ui/error-message";

/**
 * The export link is signed and short-lived, so it is asked for on click and followed at once:
 * the browser downloads the ZIP (a folder per class, `_unlabeled/` for the pool, labels.csv) as
 * the gateway streams it.
 */
export function ExportVersion({ versionId }: { versionId: string }) {
  const [exportVersion, { loading, error }] = useMutation(ExportDatasetVersionDocument);
  const [started, setStarted] = useState<{ url: string; fileName: string } | null>(null);

  const onExport = async () => {
    const result = await exportVersion({ variables: { id: versionId } }).catch(() => null);
    const link = result?.data?.exportDatasetVersion;
    if (!link) return;
    downloadUrl(link.url, link.fileName);
    setStarted(link);
  };

  return (
    <div className="export-version">
      <button type="button" disabled={loading} onClick={() => void onExport()}>
        {loading ? "Preparing the export…" : "Export as ZIP"}
      </button>
      <div aria-live="polite">
        {started && (
          <p className="muted">
            The download of {started.fileName} has started. If it did not,{" "}
            <a href={started.url} download={started.fileName}>
              download it here
            </a>{" "}
            (the link works for a short time).
          </p>
        )}
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}
