import type { DatasetUploadProgressSubscription } from "../gql/graphql";
import { formatNumber } from "../ui/format";

export type ServerUploadProgress = DatasetUploadProgressSubscription["datasetUploadProgress"];

/** Before the server's first report, and for uploads that have none (CSV uploads). */
export const checkingAndStoring = "Uploaded; the gateway is checking and storing the images…";

/**
 * What the gateway is doing once every byte is sent, in words: the counts of `datasetUploadProgress`
 * and its ETA, rounded so the line does not flicker on each update.
 */
export function describeServerProgress(progress: ServerUploadProgress | null | undefined): string {
  if (!progress || progress.phase === "RECEIVING" || progress.total === 0) return checkingAndStoring;
  if (progress.phase === "SAVING" || progress.phase === "DONE") {
    return `Checked all ${formatNumber(progress.total)} files; saving the new version…`;
  }
  const skipped = progress.rejected > 0 ? ` (${formatNumber(progress.rejected)} skipped)` : "";
  const counts = `Checking and storing images: ${formatNumber(progress.processed)} of ${formatNumber(progress.total)}${skipped}`;
  return progress.etaSeconds === null ? `${counts}…` : `${counts}, ${describeEta(progress.etaSeconds)}`;
}

function describeEta(seconds: number): string {
  if (seconds < 10) return "a few seconds left";
  if (seconds < 90) return `about ${Math.round(seconds / 5) * 5} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}
