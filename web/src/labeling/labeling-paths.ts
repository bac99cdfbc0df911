/** Where the labelling pages live; other sections link here without loading them. */
export const labelingRoot = "/labeling";

/** The form for a new batch, its pool set to a dataset version's unlabeled samples when given. */
export function newBatchPath(datasetVersionId?: string): string {
  return `${labelingRoot}/new${datasetVersionId ? `?datasetVersion=${encodeURIComponent(datasetVersionId)}` : ""}`;
}

export function batchPath(batchId: string): string {
  return `${labelingRoot}/batches/${encodeURIComponent(batchId)}`;
}
