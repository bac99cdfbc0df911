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
