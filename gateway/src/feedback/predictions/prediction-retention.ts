import type { PredictionsService } from "./predictions.service";

/** How often expired predictions are deleted: retention is counted in days, so minutes of lag are nothing. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Deletes expired predictions at start and then every SWEEP_INTERVAL_MS, like the inference
 * artifacts' sweep: a timer in each gateway rather than a job, because a sweep has no state to
 * resume, is safe on every replica at once, and a Job row every ten minutes would only crowd the
 * Jobs page. Returns the stop step (waits for a sweep in progress).
 */
export function startPredictionRetention(predictions: PredictionsService, intervalMs = SWEEP_INTERVAL_MS) {
  let running: Promise<unknown> | undefined;
  const sweep = () => {
    running ??= predictions.sweepExpired().finally(() => (running = undefined));
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
