import { parentPort } from "node:worker_threads";
import type { AnalysisAnswer, AnalysisRequest } from "../../../src/datasets/images/analysis-pool";
import { analyzeImage } from "../../../src/datasets/images/analyze-image";

/**
 * A stand-in for analysis-worker.ts that answers the same way, except that an image whose bytes
 * start with "CRASH" ends the thread with an uncaught error before anything answers it, as a bug
 * or an exhausted heap in the thread would.
 */
parentPort!.on("message", ({ id, bytes, limits }: AnalysisRequest) => {
  if (Buffer.from(bytes, 0, 5).toString("latin1") === "CRASH") throw new Error("simulated crash");
  void analyzeImage(Buffer.from(bytes), limits).then((result) => {
    parentPort!.postMessage({ id, bytes, result } satisfies AnalysisAnswer, [bytes]);
  });
});
