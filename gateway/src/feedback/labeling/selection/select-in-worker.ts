import { buffersOf, runInWorker } from "../../../threads/pure-worker";
import type { BatchSelection, Pick } from "./select-batch";

const entry = new URL("./select-worker.ts", import.meta.url);

/**
 * selectBatch on a thread of its own (runInWorker): k-center or k-means over β·k candidates of
 * a few hundred dimensions is seconds of arithmetic. Same picks as selectBatch (it is seeded).
 * The probabilities' and embeddings' typed arrays move to the thread (detached here). Aborting
 * ends it.
 */
export function selectBatchInWorker(selection: BatchSelection, signal?: AbortSignal): Promise<Pick[]> {
  const transfer = buffersOf(
    selection.probabilities,
    selection.embeddings?.values,
    selection.labelled?.values,
  );
  return runInWorker<BatchSelection, Pick[]>(entry, selection, {
    name: "The batch selection",
    transfer,
    signal,
  });
}
