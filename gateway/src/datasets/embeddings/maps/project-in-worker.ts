import { buffersOf, runInWorker } from "../../../threads/pure-worker";
import type { ProjectedMap, ProjectionInput } from "./project-vectors";

const entry = new URL("./project-worker.ts", import.meta.url);

/**
 * projectVectors on a thread of its own: UMAP of thousands of points is minutes of arithmetic
 * (PCA seconds), which on the process's main thread would stall every request meanwhile. The
 * vectors move to the thread (detached here). Aborting (cancel, shutdown) ends it.
 */
export function projectInWorker(input: ProjectionInput, signal?: AbortSignal): Promise<ProjectedMap> {
  return runInWorker<ProjectionInput, ProjectedMap>(entry, input, {
    name: `The ${input.method} projection`,
    transfer: buffersOf(input.vectors),
    signal,
  });
}
