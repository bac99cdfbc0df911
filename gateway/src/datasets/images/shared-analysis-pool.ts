import { ImageAnalysisPool } from "./analysis-pool";
import { defaultIngestWorkers } from "./ingest-workers";

let shared: { pool: ImageAnalysisPool; holders: number } | null = null;

/**
 * The process's one analysis pool, which every dataset ingest shares (uploads, CSV uploads,
 * imports, added samples): its threads bound the process's analysis however many uploads run.
 * Started with the default size if nothing holds it yet.
 */
export function sharedImageAnalysis(): ImageAnalysisPool {
  shared ??= { pool: new ImageAnalysisPool({ workers: defaultIngestWorkers() }), holders: 0 };
  return shared.pool;
}

/**
 * Sizes the shared pool (startCore, from TESSERA_INGEST_THREADS) and returns its stop step: the
 * pool closes when the last holder stops (tests run several gateways in one process). A size
 * given while others hold the pool is ignored; theirs stays.
 */
export function holdSharedImageAnalysis(workers: number): () => Promise<void> {
  if (!shared || (shared.holders === 0 && shared.pool.size !== workers)) {
    const unheld = shared?.pool;
    shared = { pool: new ImageAnalysisPool({ workers }), holders: 0 };
    void unheld?.close();
  }
  const held = shared;
  held.holders += 1;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    held.holders -= 1;
    if (held.holders > 0) return;
    if (shared === held) shared = null;
    await held.pool.close();
  };
}
