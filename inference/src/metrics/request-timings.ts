import { AsyncLocalStorage } from "node:async_hooks";

/** TierTimings as tasks.proto carries them. */
export interface TierTimingsMessage {
  queue_ms: number;
  compute_ms: number;
  batch_size: number;
}

/**
 * Where one task call's time went in the batcher. A task may run its model more than once (an
 * Embed of many images): waits and runs add up, and the batch size is the largest it ran in.
 */
export class RequestTimings {
  private queueNs = 0;
  private computeNs = 0;
  private batchSize = 0;
  private executions = 0;

  /** One execution this request was part of: its wait, the whole run, the items of the batch. */
  record(queueNs: number, computeNs: number, batchSize: number): void {
    this.queueNs += Math.max(0, queueNs);
    this.computeNs += Math.max(0, computeNs);
    this.batchSize = Math.max(this.batchSize, batchSize);
    this.executions += 1;
  }

  /** Null when nothing ran in a batcher (a model on Triton, a task that needs no model). */
  message(): TierTimingsMessage | null {
    if (this.executions === 0) return null;
    return { queue_ms: this.queueNs / 1e6, compute_ms: this.computeNs / 1e6, batch_size: this.batchSize };
  }
}

const storage = new AsyncLocalStorage<RequestTimings>();

/**
 * Runs one task call with its own timings: whatever the call awaits (the runner, the batcher's
 * submit) sees them through `currentTimings`, so the tasks themselves need not pass them along.
 */
export function withRequestTimings<T>(timings: RequestTimings, work: () => T): T {
  return storage.run(timings, work);
}

/** The timings of the task call in whose async context this runs, if any (ModelInfer has none). */
export function currentTimings(): RequestTimings | undefined {
  return storage.getStore();
}
