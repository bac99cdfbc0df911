import { JobKind, JobStatus } from "../gql/graphql";
import { jobKindLabel } from "./job-kinds";

/**
 * A finished job in one sentence: "Training job ada/flowers succeeded", "Embeddings of dataset
 * flowers v3 failed: the tier is unavailable". `subjectName` is null while it is not known.
 */
export function jobNoticeText(
  job: { kind: string; status: JobStatus; error: { message: string } | null },
  subjectName: string | null,
): string {
  return `${whatRan(job.kind, subjectName)} ${outcome(job.status, job.error)}`;
}

function whatRan(kind: string, subjectName: string | null): string {
  if (kind === JobKind.TrainModel) return subjectName ? `Training job ${subjectName}` : "A training job";
  if (kind === JobKind.EmbedDatasetVersion) {
    return subjectName ? `Embeddings of dataset ${subjectName}` : "Embeddings of a dataset";
  }
  return `${jobKindLabel(kind)} job${subjectName ? ` ${subjectName}` : ""}`;
}

function outcome(status: JobStatus, error: { message: string } | null): string {
  if (status === JobStatus.Succeeded) return "succeeded";
  if (status === JobStatus.Cancelled) return "was cancelled";
  if (status === JobStatus.Failed) return error?.message ? `failed: ${error.message}` : "failed";
  return status.toLowerCase();
}

/** Whether `pathname` shows the page at `path` (or one of its tabs). */
export function isOnPage(pathname: string, path: string): boolean {
  return pathname === path || pathname.startsWith(`${path}/`);
}
