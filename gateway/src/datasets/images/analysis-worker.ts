import { parentPort } from "node:worker_threads";
import { analyzeImage } from "./analyze-image";
import type { AnalysisAnswer, AnalysisRequest } from "./analysis-pool";

/**
 * A thread of ImageAnalysisPool: analyses each image it is sent, several at once (the decodes run
 * in libvips' threads meanwhile), and sends the bytes back with the answer, moved rather than copied.
 */
parentPort!.on("message", (request: AnalysisRequest) => void answer(request));

async function answer({ id, bytes, limits }: AnalysisRequest): Promise<void> {
  let reply: AnalysisAnswer;
  try {
    reply = { id, bytes, result: await analyzeImage(Buffer.from(bytes), limits) };
  } catch (error) {
    reply = {
      id,
      bytes,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
  parentPort!.postMessage(reply, [bytes]);
}
