import { Worker } from "node:worker_threads";
import type { AdjustmentOptions, FittedAdjustment } from "../adjustments/fit-adjustment";
import type { LabelledScores } from "../adjustments/vector-scaling";

export interface FitRequest {
  entry: string;
  data: LabelledScores;
  options: AdjustmentOptions;
}

const bootstrap = new URL("./typescript-worker.mjs", import.meta.url);
const entry = new URL("./fit-worker.ts", import.meta.url).href;

/**
 * fitAdjustment on a thread of its own: a fit is seconds of arithmetic (folds × iterations × rows
 * × classes), which on the gateway's own thread would stall every request meanwhile. One thread
 * per fit: fits are rare (after feedback), so a pool would only hold memory. Aborting ends it.
 */
export function fitInWorker(
  data: LabelledScores,
  options: AdjustmentOptions,
  signal?: AbortSignal,
): Promise<FittedAdjustment> {
  signal?.throwIfAborted();
  const request: FitRequest = { entry, data, options };
  const worker = new Worker(bootstrap, { workerData: request });
  return new Promise<FittedAdjustment>((resolve, reject) => {
    const onAbort = () => void worker.terminate();
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = (finish: () => void) => {
      signal?.removeEventListener("abort", onAbort);
      finish();
      void worker.terminate();
    };
    worker.once("message", (answer: { fitted: FittedAdjustment } | { error: string }) =>
      settle(() =>
        "error" in answer ? reject(new Error(`The fit failed: ${answer.error}`)) : resolve(answer.fitted),
      ),
    );
    worker.once("error", (error) => settle(() => reject(error)));
    worker.once("exit", (code) =>
      settle(() => reject(signal?.reason ?? new Error(`The fit's thread exited with code ${code}`))),
    );
  });
}
