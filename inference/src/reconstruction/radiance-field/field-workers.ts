import { Worker } from "node:worker_threads";
import type { WorkerReply, WorkerRequest, WorkerSetup } from "./worker-protocol";

const workerUrl = new URL("./field-worker.ts", import.meta.url);
const tsxApi = import.meta.resolve("tsx/esm/api");

/**
 * Workers do not inherit the parent's `--import tsx` hooks, so each registers tsx itself before
 * importing the TypeScript worker (as runtime/session-pool.ts does).
 */
const bootstrap = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(workerUrl.href)});`,
  )}`,
);

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
}

/** The threads of one run; each answers its requests in order, so replies match a FIFO of callers. */
export class FieldWorkers {
  private readonly workers: Worker[];
  private readonly pending: Pending[][];
  private closed = false;

  constructor(setups: WorkerSetup[]) {
    this.workers = setups.map((setup) => new Worker(bootstrap, { workerData: setup }));
    this.pending = this.workers.map(() => []);
    this.workers.forEach((worker, index) => {
      worker.unref();
      worker.on("error", () => undefined);
      worker.on("message", (reply: WorkerReply) => {
        const waiting = this.pending[index]!.shift();
        if (!waiting) return;
        if (reply.type === "failed")
          waiting.reject(new Error(`radiance-field worker failed: ${reply.reason}`));
        else waiting.resolve(reply);
      });
      worker.once("exit", (code) => {
        const lost = this.pending[index]!.splice(0);
        for (const waiting of lost) {
          waiting.reject(new Error(`a radiance-field worker stopped unexpectedly (exit code ${code})`));
        }
      });
    });
  }

  get count(): number {
    return this.workers.length;
  }

  /** Sends worker i the request `requestFor(i)` and resolves with every reply, in worker order. */
  all<Reply extends WorkerReply>(requestFor: (index: number) => WorkerRequest): Promise<Reply[]> {
    if (this.closed) return Promise.reject(new Error("the radiance-field run is closed"));
    return Promise.all(
      this.workers.map(
        (worker, index) =>
          new Promise<Reply>((resolve, reject) => {
            this.pending[index]!.push({ resolve: resolve as (reply: WorkerReply) => void, reject });
            worker.postMessage(requestFor(index));
          }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
