import { parentPort, workerData } from "node:worker_threads";
import { fitAdjustment } from "../adjustments/fit-adjustment";
import type { FitRequest } from "./fit-in-worker";

const { data, options } = workerData as FitRequest;
try {
  const fitted = fitAdjustment(data, options);
  parentPort!.postMessage({ fitted }, [fitted.parameters.buffer as ArrayBuffer]);
} catch (error) {
  parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
