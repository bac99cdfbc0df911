import { buffersOf, runInWorker } from "../../threads/pure-worker";
import type { AdjustmentOptions, FittedAdjustment } from "../adjustments/fit-adjustment";
import type { LabelledScores } from "../adjustments/vector-scaling";

export interface FitRequest {
  data: LabelledScores;
  options: AdjustmentOptions;
}

const entry = new URL("./fit-worker.ts", import.meta.url);

/**
 * fitAdjustment on a thread of its own (runInWorker): a fit is seconds of arithmetic (folds ×
 * iterations × rows × classes), which on the gateway's own thread would stall every request
 * meanwhile. The data's arrays move to the thread (detached here). Aborting ends it.
 */
export function fitInWorker(
  data: LabelledScores,
  options: AdjustmentOptions,
  signal?: AbortSignal,
): Promise<FittedAdjustment> {
  return runInWorker<FitRequest, FittedAdjustment>(
    entry,
    { data, options },
    { name: "The fit", transfer: buffersOf(data.probabilities, data.targets), signal },
  );
}
