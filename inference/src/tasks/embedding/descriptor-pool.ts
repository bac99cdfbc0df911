import { Worker } from "node:worker_threads";
import { unavailable } from "../../runtime/errors";
import type { DescriptorAnswer, DescriptorJob } from "./descriptor-jobs";

interface PendingJob {
  id: number;
  job: DescriptorJob;
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
  signal?: AbortSignal;
}

interface PoolWorker {
  worker: Worker;
  busyWith: PendingJob | null;
}

const bootstrap = new URL("./typescript-worker.mjs", import.meta.url);
const entry = new URL("./descriptor-worker.ts", import.meta.url).href;

/**
 * A few worker threads that compute descriptors, one job each at a time, the rest queued.
 * Workers start on the first job; one that dies fails its job and is replaced on the next.
 */
export class DescriptorPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: PendingJob[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`A pool needs at least one worker; got ${size}`);
  }

  run(job: DescriptorJob, signal?: AbortSignal): Promise<Float32Array[]> {
    if (this.closed) return Promise.reject(unavailable("The feature embedder is shut down"));
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      // One Train call sends hundreds of jobs on its signal: each job's listener must go when the
      // job ends, or they pile up on the signal for the whole call (MaxListenersExceededWarning).
      const onAbort = () => this.dropQueued(pending);
      const pending: PendingJob = {
        id: this.nextId++,
        job,
        resolve: (vectors) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(vectors);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
        signal,
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0))
      pending.reject(unavailable("The feature embedder is shut down"));
    await Promise.all(this.workers.splice(0).map(({ worker }) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const idle = this.workers.find((candidate) => !candidate.busyWith) ?? this.startWorker();
      if (!idle) return;
      const pending = this.queue.shift()!;
      idle.busyWith = pending;
      idle.worker.ref();
      idle.worker.postMessage({ ...pending.job, id: pending.id });
    }
  }

  private startWorker(): PoolWorker | undefined {
    if (this.workers.length >= this.size) return undefined;
    const poolWorker: PoolWorker = {
      worker: new Worker(bootstrap, { workerData: { entry } }),
      busyWith: null,
    };
    poolWorker.worker.on("message", (answer: DescriptorAnswer) => this.finish(poolWorker, answer));
    poolWorker.worker.on("error", (error) => this.lose(poolWorker, error));
    poolWorker.worker.on("exit", (code) =>
      this.lose(poolWorker, new Error(`The descriptor worker exited with code ${code}`)),
    );
    // Referenced only while it has a job: an idle pool must not keep a process alive.
    poolWorker.worker.unref();
    this.workers.push(poolWorker);
    return poolWorker;
  }

  private finish(poolWorker: PoolWorker, answer: DescriptorAnswer): void {
    const pending = poolWorker.busyWith;
    poolWorker.busyWith = null;
    poolWorker.worker.unref();
    if (pending && pending.id === answer.id) {
      if ("error" in answer) pending.reject(new Error(`The descriptor worker failed: ${answer.error}`));
      else pending.resolve(answer.vectors);
    }
    this.dispatch();
  }

  private lose(poolWorker: PoolWorker, error: Error): void {
    const index = this.workers.indexOf(poolWorker);
    if (index < 0) return;
    this.workers.splice(index, 1);
    poolWorker.busyWith?.reject(error);
    poolWorker.busyWith = null;
    if (!this.closed) this.dispatch();
  }

  private dropQueued(pending: PendingJob): void {
    const index = this.queue.indexOf(pending);
    if (index < 0) return;
    this.queue.splice(index, 1);
    pending.reject(pending.signal?.reason instanceof Error ? pending.signal.reason : new Error("aborted"));
  }
}
