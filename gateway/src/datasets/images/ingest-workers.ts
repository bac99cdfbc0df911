import { availableParallelism } from "node:os";

/**
 * TESSERA_INGEST_THREADS' default, the threads that analyse dataset images: one fewer than the
 * cores (the event loop keeps one busy reading archives and storing blobs), at least 1, at most 4
 * (past that the event loop's own share of an ingest is the limit). On 2 cores: 1.
 */
export function defaultIngestWorkers(cores = availableParallelism()): number {
  return Math.min(4, Math.max(1, cores - 1));
}
