import { exponentialBackoff, type JobKind } from "../../jobs/job-kind";

/** The Job's payload: the EmbeddingRun (version × space) it fills. */
export interface EmbeddingJobPayload {
  runId: string;
  /** For clients (the Jobs page links to the version); the run holds it too. */
  datasetVersionId: string;
}

export const EMBED_JOB = "embed-dataset-version";

export const embeddingJobKind: JobKind<EmbeddingJobPayload> = {
  name: EMBED_JOB,
  graphqlName: "EMBED_DATASET_VERSION",
  description: "Embeds a dataset version's samples into an embedding space",
  payloadVersion: 1,
  readPayload(stored) {
    const { runId, datasetVersionId } = stored as Partial<EmbeddingJobPayload>;
    if (typeof runId !== "string") throw new Error("An embed-dataset-version payload names its run");
    return { runId, datasetVersionId: datasetVersionId ?? "" };
  },
  maxAttempts: 6,
  retryDelayMs: exponentialBackoff(5_000, 60_000),
  checkpoint: "the vectors already stored: a resumed run embeds only samples without one in its space",
  eventTypes: [],
};
