/** Where the training pages live; other sections link here (a model version's lineage, a dataset version). */
export const trainingPath = "/training";

export function trainingJobPath(jobId: string): string {
  return `${trainingPath}/jobs/${encodeURIComponent(jobId)}`;
}

/** The start form, optionally filled in: from an earlier job, or with a dataset version or base chosen. */
export function startTrainingPath(
  prefill: { fromJob?: string; datasetVersionId?: string; baseModelVersionId?: string } = {},
): string {
  const params = new URLSearchParams();
  if (prefill.fromJob) params.set("from", prefill.fromJob);
  if (prefill.datasetVersionId) params.set("datasetVersionId", prefill.datasetVersionId);
  if (prefill.baseModelVersionId) params.set("baseModelVersionId", prefill.baseModelVersionId);
  const query = params.toString();
  return `${trainingPath}/new${query ? `?${query}` : ""}`;
}

/** Most jobs one comparison shows: each brings its trials' curves. */
export const maxComparedJobs = 8;

/** The comparison of these jobs (their best trials picked at first). */
export function comparePath(jobIds: readonly string[]): string {
  const params = new URLSearchParams({ jobs: jobIds.slice(0, maxComparedJobs).join(",") });
  return `${trainingPath}/compare?${params}`;
}

/** The job ids a comparison URL names, each once, at most maxComparedJobs. */
export function comparedJobIds(params: URLSearchParams): string[] {
  const ids = (params.get("jobs") ?? "").split(",").map((id) => id.trim());
  return [...new Set(ids.filter((id) => id !== ""))].slice(0, maxComparedJobs);
}
