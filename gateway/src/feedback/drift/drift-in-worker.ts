import { buffersOf, runInWorker } from "../../threads/pure-worker";
import type { DriftMeasurement, DriftSettings } from "./drift-test";
import type { SampleMatrix } from "./sample-matrix";

export interface DriftRequest {
  recent: SampleMatrix;
  reference: SampleMatrix;
  settings: DriftSettings;
}

const entry = new URL("./drift-worker.ts", import.meta.url);

/**
 * testForDrift on a thread of its own (runInWorker): MMD's permutations or the classifier's folds
 * are seconds of arithmetic at a 500-row window. Same answer as testForDrift, bit for bit (it is
 * seeded). Both matrices' data move to the thread (detached here). Aborting ends it.
 */
export function testForDriftInWorker(
  recent: SampleMatrix,
  reference: SampleMatrix,
  settings: DriftSettings,
  signal?: AbortSignal,
): Promise<DriftMeasurement> {
  return runInWorker<DriftRequest, DriftMeasurement>(
    entry,
    { recent, reference, settings },
    { name: "The drift test", transfer: buffersOf(recent.data, reference.data), signal },
  );
}
