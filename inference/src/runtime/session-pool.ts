import { Worker } from "node:worker_threads";
import { buffersOf } from "./batch-tensors";
import { internal, unavailable } from "./errors";
import type { Tensor } from "./model-runner";
import type { SessionMetadata } from "./model-signature";
import { ModelLoadError } from "./model-signature";
import type {
  SessionRunReply,
  SessionRunRequest,
  SessionRunTimings,
  SessionWorkerData,
  SessionWorkerStartup,
} from "./session-worker-protocol";

export interface SessionPoolOptions extends SessionWorkerData {
  /** Number of session workers (Triton's instance_group count). */
  instanceCount: number;
}

export interface SessionRunResult {
  outputs: Record<string, Tensor>;
  timings: SessionRunTimings;
  /** The feeds' buffers, back from the worker once it no longer reads them (absent: not reusable). */
  inputBuffers?: ArrayBuffer[];
}

interface Instance {
  worker: Worker;
  /** The run this worker is doing, if any. */
  running: { id: number; resolve: (result: SessionRunResult) => void; reject: (error: Error) => void } | null;
}

const workerUrl = new URL("./session-worker.ts", import.meta.url);
const tsxApi = import.meta.resolve("tsx/esm/api");

/**
 * Workers do not inherit the parent's `--import tsx` hooks, so each one registers tsx itself
 * before importing the TypeScript worker; this also works under test runners with their own loader.
 */
const bootstrap = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(workerUrl.href)});`,
  )}`,
);

/**
 * The instances of one model version, each an onnxruntime session in a worker thread. A run goes
 * to an idle instance; the caller (the batcher) learns through `onIdle` when one frees up.
 */
export class SessionPool {
  private readonly idleListeners: Array<() => void> = [];
  private readonly lostListeners: Array<(reason: string) => void> = [];
  private nextId = 0;
  private closing = false;

  private constructor(
    private readonly instances: Instance[],
    readonly metadata: SessionMetadata,
    readonly providers: string[],
    readonly fallbacks: string[],
  ) {
    for (const instance of instances) this.watch(instance);
  }

  /** Starts every instance; rejects with ModelLoadError (onnxruntime's reason) if any cannot load. */
  static async open(options: SessionPoolOptions): Promise<SessionPool> {
    const { instanceCount, ...data } = options;
    const started = await Promise.allSettled(Array.from({ length: instanceCount }, () => startWorker(data)));
    const failure = started.find((result) => result.status === "rejected");
    if (failure) {
      await Promise.all(
        started.map((result) =>
          result.status === "fulfilled" ? result.value.worker.terminate() : undefined,
        ),
      );
      throw failure.reason;
    }
    const ready = started.map((result) => (result as PromiseFulfilledResult<StartedWorker>).value);
    const first = ready[0]!.startup;
    const instances = ready.map(({ worker }) => ({ worker, running: null }));
    return new SessionPool(instances, first.metadata, first.providers, first.fallbacks);
  }

  hasIdleInstance(): boolean {
    return this.instances.some((instance) => instance.running === null);
  }

  onIdle(listener: () => void): void {
    this.idleListeners.push(listener);
  }

  /** Called when an instance stops on its own; the pool has one less instance from then on. */
  onInstanceLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  get size(): number {
    return this.instances.length;
  }

  /** Runs on an idle instance; the caller checks `hasIdleInstance` first. Input buffers are transferred. */
  run(feeds: Record<string, Tensor>, fetches: string[]): Promise<SessionRunResult> {
    const instance = this.instances.find((candidate) => candidate.running === null);
    if (!instance) return Promise.reject(new Error("SessionPool.run called with no idle instance"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      instance.running = { id, resolve, reject };
      const request: SessionRunRequest = { type: "run", id, feeds, fetches };
      instance.worker.postMessage(request, buffersOf(Object.values(feeds)));
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.instances.map((instance) => instance.worker.terminate()));
  }

  private watch(instance: Instance): void {
    instance.worker.on("message", (reply: SessionRunReply) => {
      const running = instance.running;
      if (!running || running.id !== reply.id) return;
      instance.running = null;
      if (reply.type === "result") {
        const { outputs, timings, inputBuffers } = reply;
        running.resolve({ outputs, timings, inputBuffers });
      } else running.reject(internal(`onnxruntime could not run the model: ${reply.reason}`));
      for (const listener of this.idleListeners) listener();
    });
    instance.worker.once("exit", (code) => {
      if (this.closing) return;
      const reason = `a model instance stopped unexpectedly (exit code ${code})`;
      this.instances.splice(this.instances.indexOf(instance), 1);
      instance.running?.reject(unavailable(reason));
      for (const listener of this.lostListeners) listener(reason);
    });
  }
}

interface StartedWorker {
  worker: Worker;
  startup: Extract<SessionWorkerStartup, { type: "ready" }>;
}

function startWorker(data: SessionWorkerData): Promise<StartedWorker> {
  const worker = new Worker(bootstrap, { workerData: data });
  worker.unref();
  // Whatever happens to a worker is handled through its exit; an unhandled "error" event would
  // otherwise be thrown in the tier's main thread.
  worker.on("error", () => undefined);
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new ModelLoadError(`the model instance stopped while loading (exit code ${code})`));
    worker.once("exit", onExit);
    worker.once("message", (startup: SessionWorkerStartup) => {
      worker.off("exit", onExit);
      if (startup.type === "ready") return resolve({ worker, startup });
      void worker.terminate();
      reject(new ModelLoadError(startup.reason));
    });
  });
}
