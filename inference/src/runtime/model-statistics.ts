/** A cumulative count and the total nanoseconds those occurrences took (Triton's StatisticDuration). */
export interface Duration {
  count: number;
  ns: number;
}

export interface ComputeTimes {
  inputNs: number;
  inferNs: number;
  outputNs: number;
}

export interface BatchStatistics {
  batchSize: number;
  computeInput: Duration;
  computeInfer: Duration;
  computeOutput: Duration;
}

const zero = (): Duration => ({ count: 0, ns: 0 });
const add = (duration: Duration, ns: number) => {
  duration.count += 1;
  duration.ns += Math.max(0, Math.round(ns));
};

/**
 * Counters of one model version, with Triton's meanings: per request, `success` is its whole time
 * in the tier, `queue` its wait in the batcher and `compute_*` the time of the execution it was
 * part of; `inference_count` adds each request's batch size, `execution_count` one per execution.
 */
export class VersionStatistics {
  lastInference = 0;
  inferenceCount = 0;
  executionCount = 0;
  readonly success = zero();
  readonly fail = zero();
  readonly queue = zero();
  readonly computeInput = zero();
  readonly computeInfer = zero();
  readonly computeOutput = zero();
  private readonly batches = new Map<number, BatchStatistics>();

  /** One session run of `batchSize` items. */
  recordExecution(batchSize: number, compute: ComputeTimes): void {
    this.executionCount += 1;
    let batch = this.batches.get(batchSize);
    if (!batch) {
      batch = { batchSize, computeInput: zero(), computeInfer: zero(), computeOutput: zero() };
      this.batches.set(batchSize, batch);
    }
    add(batch.computeInput, compute.inputNs);
    add(batch.computeInfer, compute.inferNs);
    add(batch.computeOutput, compute.outputNs);
  }

  /** A request answered: `items` is its batch size (1 for a model without a batch dimension). */
  recordSuccess(items: number, totalNs: number, queueNs: number, compute: ComputeTimes): void {
    this.inferenceCount += items;
    this.lastInference = Date.now();
    add(this.success, totalNs);
    add(this.queue, queueNs);
    add(this.computeInput, compute.inputNs);
    add(this.computeInfer, compute.inferNs);
    add(this.computeOutput, compute.outputNs);
  }

  recordFailure(totalNs: number): void {
    add(this.fail, totalNs);
  }

  batchStatistics(): BatchStatistics[] {
    return [...this.batches.values()].sort((a, b) => a.batchSize - b.batchSize);
  }
}
