import { exponentialBackoff, type JobKind } from "../../../jobs/job-kind";

/** The Job's payload: the EmbeddingMap row (version × space × method) it fills. */
export interface EmbeddingMapJobPayload {
  mapId: string;
  /** For clients (the Jobs page links to the version); the map row holds it too. */
  datasetVersionId: string;
}

export const EMBEDDING_MAP_JOB = "compute-embedding-map";

export const embeddingMapJobKind: JobKind<EmbeddingMapJobPayload> = {
  name: EMBEDDING_MAP_JOB,
  graphqlName: "COMPUTE_EMBEDDING_MAP",
  description:
    "Projects a dataset version's vectors in one embedding space onto two dimensions (PCA or UMAP)",
  payloadVersion: 1,
  readPayload(stored) {
    const { mapId, datasetVersionId } = stored as Partial<EmbeddingMapJobPayload>;
    if (typeof mapId !== "string") throw new Error("A compute-embedding-map payload names its map");
    return { mapId, datasetVersionId: datasetVersionId ?? "" };
  },
  maxAttempts: 3,
  retryDelayMs: exponentialBackoff(5_000, 60_000),
  checkpoint: "none: a resumed run reads the vectors and projects them again (minutes at most)",
  eventTypes: [],
};
