import { concatenate, copyInputs, splitOutputs } from "./batch-tensors";
import { cancelled, resourceExhausted, unavailable } from "./errors";
import { InputBuffers } from "./input-buffers";
import { ownsItsBuffers } from "./private-buffers";
import { currentTimings, type RequestTimings } from "../metrics/request-timings";
import type { DynamicBatchingSettings } from "./model-config";
import type { Tensor } from "./model-runner";
import type { ComputeTimes, VersionStatistics } from "./model-statistics";
import type { SessionRunResult } from "./session-pool";

/** Where batches run: the session pool of a model version. */
export interface BatchExecutor {
  /** How many batches can run at once (the instance count); 1 when not given. */
  readonly size?: number;
  hasIdleInstance(): boolean;
  onIdle(listener: () => void): void;
  run(feeds: Record<string, Tensor>, fetches: string[]): Promise<SessionRunResult>;
}

export interface BatcherOptions {
  /** "model "x" version 1", for messages. */
  label: string;
  executor: BatchExecutor;
  /** 0: the model has no batch dimension and every request runs alone. */
  maxBatchSize: number;
  /** null: requests are not merged (Triton's default scheduler). */
  dynamicBatching: DynamicBatchingSettings | null;
  maxQueueSize: number;
  inputNames: readonly string[];
  /** Every output the version serves, in the model's order. */
  outputNames: readonly string[];
  statistics: VersionStatistics;
}

interface QueuedRequest {
  inputs: Record<string, Tensor>;
  /** Batch size of the request: its first dimension, or 1 without a batch dimension. */
  items: number;
  outputs: readonly string[];
  /** Requests merge only with others whose inputs have the same shape after dimension 0. */
  shapeKey: string;
  enqueuedAt: bigint;
  /** The submitting task call's timings: the batch runs in another request's async context. */
  timings: RequestTimings | undefined;
  settled: boolean;
  resolve: (outputs: Record<string, Tensor>) => void;
  reject: (error: Error) => void;
  detach: () => void;
}

const elapsedNs = (since: bigint) => Number(process.hrtime.bigint() - since);

/**
 * Triton's dynamic batcher for one model version. When an instance is free it takes the oldest
 * request and the later ones of the same shape, in order, up to max_batch_size: it sends at once a
 * batch of a preferred size (the largest reachable), a batch that cannot grow, or whatever is
 * queued once the oldest request has waited max_queue_delay; otherwise it waits for more.
 */
export class DynamicBatcher {
  private readonly queue: QueuedRequest[] = [];
  private running = 0;
  private accepting = true;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private drained: (() => void) | null = null;
  private readonly preferred: readonly number[];
  private readonly delayNs: number;
  /** Memory for merged inputs, handed back by the executor after each run. */
  private readonly inputBuffers: InputBuffers;

  constructor(private readonly options: BatcherOptions) {
    const batching = options.maxBatchSize > 0 ? options.dynamicBatching : null;
    this.preferred = batching?.preferredBatchSizes.length
      ? batching.preferredBatchSizes
      : [options.maxBatchSize];
    this.delayNs = (batching?.maxQueueDelayMicroseconds ?? 0) * 1000;
    this.inputBuffers = new InputBuffers((options.executor.size ?? 1) + 1);
    options.executor.onIdle(() => this.dispatch());
  }

  /** Requests waiting for an instance. */
  get queueLength(): number {
    return this.queue.length;
  }

  /** Queues a validated request; rejects with RESOURCE_EXHAUSTED at once when the queue is full. */
  submit(inputs: Record<string, Tensor>, outputs: readonly string[], signal?: AbortSignal) {
    if (!this.accepting) return Promise.reject(unavailable(`${this.options.label} is unloading`));
    if (signal?.aborted) return Promise.reject(cancelled("the request was cancelled"));
    if (this.queue.length >= this.options.maxQueueSize) {
      return Promise.reject(
        resourceExhausted(
          `${this.options.label} has ${this.queue.length} requests waiting, its limit (max_queue_size ` +
            `${this.options.maxQueueSize}); retry later`,
        ),
      );
    }
    const batched = this.options.maxBatchSize > 0;
    const first = this.options.inputNames[0];
    const shapes = this.options.inputNames.map((name) =>
      inputs[name]!.shape.slice(batched ? 1 : 0).join("x"),
    );
    return new Promise<Record<string, Tensor>>((resolve, reject) => {
      const request: QueuedRequest = {
        inputs,
        items: batched && first ? inputs[first]!.shape[0]! : 1,
        outputs: outputs.length > 0 ? outputs : this.options.outputNames,
        shapeKey: shapes.join("|"),
        enqueuedAt: process.hrtime.bigint(),
        timings: currentTimings(),
        settled: false,
        resolve,
        reject,
        detach: () => undefined,
      };
      if (signal) {
        const onAbort = () => this.abort(request);
        signal.addEventListener("abort", onAbort, { once: true });
        request.detach = () => signal.removeEventListener("abort", onAbort);
      }
      this.queue.push(request);
      this.dispatch();
    });
  }

  /** Stops taking requests and resolves once every queued and running one has its answer. */
  drain(): Promise<void> {
    this.accepting = false;
    this.draining ??= new Promise((resolve) => {
      this.drained = resolve;
      this.checkDrained();
    });
    return this.draining;
  }

  /** Answers every queued request with `reason` (the version can no longer run). */
  failQueued(reason: string): void {
    for (const request of this.queue.splice(0)) this.settle(request, unavailable(reason));
    this.checkDrained();
  }

  private abort(request: QueuedRequest): void {
    const index = this.queue.indexOf(request);
    if (index >= 0) this.queue.splice(index, 1);
    // A request already running finishes with its batch; its answer is dropped.
    this.settle(request, cancelled("the request was cancelled"));
    this.checkDrained();
  }

  private dispatch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length > 0 && this.options.executor.hasIdleInstance()) {
      const batch = this.nextBatch();
      if (!batch) return;
      for (const request of batch) this.queue.splice(this.queue.indexOf(request), 1);
      this.execute(batch);
    }
  }

  /** The batch to send now, or null after arming a timer for the oldest request's deadline. */
  private nextBatch(): QueuedRequest[] | null {
    const oldest = this.queue[0]!;
    if (this.options.maxBatchSize === 0 || this.options.dynamicBatching === null) return [oldest];
    const batch: QueuedRequest[] = [];
    let items = 0;
    let best = { length: 0, items: 0 };
    let full = false;
    for (const request of this.queue) {
      if (request.shapeKey !== oldest.shapeKey) continue;
      if (items + request.items > this.options.maxBatchSize) {
        full = true;
        break;
      }
      batch.push(request);
      items += request.items;
      if (this.preferred.includes(items)) best = { length: batch.length, items };
    }
    if (best.length > 0) return batch.slice(0, best.length);
    const waited = elapsedNs(oldest.enqueuedAt);
    if (full || items >= this.options.maxBatchSize || waited >= this.delayNs) return batch;
    this.timer = setTimeout(() => this.dispatch(), Math.ceil((this.delayNs - waited) / 1e6));
    return null;
  }

  private execute(batch: QueuedRequest[]): void {
    const { executor, maxBatchSize, outputNames, statistics } = this.options;
    const dispatchedAt = process.hrtime.bigint();
    const feeds = this.merge(batch);
    const mergeNs = elapsedNs(dispatchedAt);
    const wanted = new Set(batch.flatMap((request) => request.outputs));
    const fetches = outputNames.filter((name) => wanted.has(name));
    this.running += 1;
    executor
      .run(feeds, fetches)
      .then((result) => {
        if (result.inputBuffers) this.inputBuffers.give(result.inputBuffers);
        const answers =
          maxBatchSize > 0
            ? splitOutputs(
                result.outputs,
                batch.map((request) => request.items),
              )
            : [result.outputs];
        const totalNs = elapsedNs(dispatchedAt);
        const inputNs = mergeNs + result.timings.inputNs;
        const compute: ComputeTimes = {
          inputNs,
          inferNs: result.timings.inferNs,
          outputNs: totalNs - inputNs - result.timings.inferNs,
        };
        const batchItems = batch.reduce((sum, request) => sum + request.items, 0);
        statistics.recordExecution(batchItems, compute);
        batch.forEach((request, index) => {
          if (request.settled) return;
          const queueNs = Number(dispatchedAt - request.enqueuedAt);
          statistics.recordSuccess(request.items, elapsedNs(request.enqueuedAt), queueNs, compute);
          request.timings?.record(queueNs, totalNs, batchItems);
          this.settle(request, pick(answers[index]!, request.outputs));
        });
      })
      .catch((error: Error) => {
        for (const request of batch) {
          if (!request.settled) statistics.recordFailure(elapsedNs(request.enqueuedAt));
          this.settle(request, error);
        }
      })
      .finally(() => {
        this.running -= 1;
        this.checkDrained();
        this.dispatch();
      });
  }

  /** The batch's inputs in memory of its own, which goes to the session worker and comes back. */
  private merge(batch: QueuedRequest[]): Record<string, Tensor> {
    const only = batch.length === 1 ? batch[0]!.inputs : null;
    if (only && ownsItsBuffers(only)) return only;
    if (this.options.maxBatchSize === 0) return copyInputs(only!, this.inputBuffers);
    return concatenate(
      batch.map((request) => request.inputs),
      this.options.inputNames,
      this.inputBuffers,
    );
  }

  private settle(request: QueuedRequest, answer: Record<string, Tensor> | Error): void {
    if (request.settled) return;
    request.settled = true;
    request.detach();
    if (answer instanceof Error) request.reject(answer);
    else request.resolve(answer);
  }

  private checkDrained(): void {
    if (!this.drained || this.queue.length > 0 || this.running > 0) return;
    this.drained();
    this.drained = null;
  }
}

function pick(outputs: Record<string, Tensor>, names: readonly string[]): Record<string, Tensor> {
  return Object.fromEntries(names.map((name) => [name, outputs[name]!]));
}
