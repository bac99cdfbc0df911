import { availableParallelism } from "node:os";
import type { InferenceSession } from "onnxruntime-node";

/**
 * The session options the tier gives a model of one instance (inference/src/runtime/
 * session-worker.ts and local-model.ts), so in-process baselines run the same engine settings:
 * the host's cores as intra-op threads, no inter-op parallelism, idle threads that sleep.
 */
export function tierSessionOptions(intraOpThreads = availableParallelism()): InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  };
}
