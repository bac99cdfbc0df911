import { JobStatus, type JobRowFragment } from "../gql/graphql";

type Progress = JobRowFragment["progress"];

/** "embedding · 120 of 400", or "35%" where the kind gives no counts. */
export function describeJobProgress(progress: Progress): string {
  const figures =
    progress.done !== null && progress.total !== null
      ? `${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}`
      : `${Math.round(progress.fraction * 100)}%`;
  return progress.phase ? `${progress.phase} · ${figures}` : figures;
}

/** How far a finished job got, in words; null when there is nothing worth saying. */
export function describeFinishedProgress(status: JobStatus, progress: Progress): string | null {
  if (status === JobStatus.Succeeded) {
    return progress.done !== null && progress.total !== null
      ? `${progress.done.toLocaleString()} done`
      : null;
  }
  if (progress.fraction <= 0) return null;
  return `stopped at ${describeJobProgress(progress)}`;
}
