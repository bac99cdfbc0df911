import { Worker } from "node:worker_threads";
import { AppError, ErrorCode, serviceUnavailable } from "../../errors";
import { workerBootstrap } from "../../threads/pure-worker";
import type { ImageAnalysisResult, ImageLimits } from "./analyze-image";

export interface AnalysedImage {
  result: ImageAnalysisResult;
  /** The bytes that were analysed: the same content as the caller's, in memory of its own. */
  bytes: Buffer;
}

/** Where analyzeImage runs (ImageAnalysisPool; tests substitute their own). */
export interface ImageAnalyser {
  /**
   * analyzeImage of `bytes`. The bytes may move to another thread (the caller's Buffer is then
   * empty): read them from the answer afterwards.
   */
  analyze(bytes: Buffer, limits: ImageLimits, signal?: AbortSignal): Promise<AnalysedImage>;
}

export interface ImageAnalysisPoolOptions {
  /** Threads at most (TESSERA_INGEST_THREADS); each starts on first need and stays. */
  workers: number;
  /**
   * Images one thread analyses at once: while one is decoded in libvips' threads, the thread
   * measures another. More wait in the pool's queue.
   */
  imagesPerWorker?: number;
  /** The thread's module (tests substitute one); analysis-worker.ts by default. */
  entry?: URL;
}

/** What the pool sends a thread. */
export interface AnalysisRequest {
  id: number;
  bytes: ArrayBuffer;
  limits: ImageLimits;
}

/** What a thread sends back: the bytes always come home. */
export type AnalysisAnswer =
  | { id: number; bytes: ArrayBuffer; result: ImageAnalysisResult }
  | { id: number; bytes: ArrayBuffer; error: string };

interface Task {
  id: number;
  bytes: ArrayBuffer;
  limits: ImageLimits;
  resolve(analysed: AnalysedImage): void;
  reject(error: Error): void;
}

interface PoolThread {
  worker: Worker;
  running: Map<number, Task>;
  /** An uncaught error in the thread, reported just before its exit. */
  uncaught: Error | null;
}

const analysisEntry = new URL("./analysis-worker.ts", import.meta.url);

/**
 * analyzeImage on a few worker threads, so that sharp's calls and the measuring pass (1–2 ms of
 * JavaScript per small image, more for a large one) leave the gateway's event loop, which
 * meanwhile reads the archive, stores blobs and answers requests. The bytes move to the thread and
 * back (copied only when they share Node's pooled buffer memory, under 4 KiB); the answer is the
 * same plain data analyzeImage gives on the caller's thread. Each thread costs about 50 MB.
 *
 * A thread that dies fails the images it held with INTERNAL_SERVER_ERROR and is replaced on the
 * next need. Aborting drops an image still queued; one already on a thread finishes (one image's
 * analysis), so every task settles. Threads are unreferenced while idle: an idle pool never keeps
 * the process alive. `close` (at shutdown) fails what is left and ends them.
 */
export class ImageAnalysisPool implements ImageAnalyser {
  readonly size: number;
  private readonly imagesPerWorker: number;
  private readonly entry: URL;
  private readonly threads: PoolThread[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor({ workers, imagesPerWorker = 4, entry = analysisEntry }: ImageAnalysisPoolOptions) {
    for (const [name, value] of [
      ["workers", workers],
      ["imagesPerWorker", imagesPerWorker],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`ImageAnalysisPool: ${name} must be an integer of at least 1, got ${value}`);
      }
    }
    this.size = workers;
    this.imagesPerWorker = imagesPerWorker;
    this.entry = entry;
  }

  /** Threads started, images on them and images waiting: for tests and logs. */
  get load(): { workers: number; running: number; queued: number } {
    const running = this.threads.reduce((sum, thread) => sum + thread.running.size, 0);
    return { workers: this.threads.length, running, queued: this.queue.length };
  }

  analyze(bytes: Buffer, limits: ImageLimits, signal?: AbortSignal): Promise<AnalysedImage> {
    if (this.closed) return Promise.reject(shutDown());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.queue.indexOf(task);
        if (index < 0) return;
        this.queue.splice(index, 1);
        reject(signal!.reason);
      };
      const done = () => signal?.removeEventListener("abort", onAbort);
      const task: Task = {
        id: this.nextId++,
        bytes: ownArrayBuffer(bytes),
        limits: { maxPixels: limits.maxPixels },
        resolve: (analysed) => {
          done();
          resolve(analysed);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(task);
      this.dispatch();
    });
  }

  /** Fails the queued images and those on a thread with SERVICE_UNAVAILABLE, and ends every thread. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(shutDown());
    await Promise.all(this.threads.map(({ worker }) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.threadWithRoom();
      if (!thread) return;
      const task = this.queue.shift()!;
      thread.running.set(task.id, task);
      thread.worker.ref();
      const request: AnalysisRequest = { id: task.id, bytes: task.bytes, limits: task.limits };
      thread.worker.postMessage(request, [task.bytes]);
    }
  }

  /** An idle thread, else a new one while there is room, else the least busy with room left. */
  private threadWithRoom(): PoolThread | undefined {
    const idle = this.threads.find((thread) => thread.running.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) return this.startThread();
    let best: PoolThread | undefined;
    for (const thread of this.threads) {
      if (thread.running.size < this.imagesPerWorker && (!best || thread.running.size < best.running.size)) {
        best = thread;
      }
    }
    return best;
  }

  private startThread(): PoolThread {
    const thread: PoolThread = {
      worker: new Worker(workerBootstrap, { workerData: { entry: this.entry.href } }),
      running: new Map(),
      uncaught: null,
    };
    thread.worker.on("message", (answer: AnalysisAnswer) => this.finish(thread, answer));
    // An uncaught error arrives here, then the exit; unheard, it would be thrown in this thread.
    thread.worker.on("error", (error) => (thread.uncaught = error));
    thread.worker.on("exit", (code) => this.lose(thread, code));
    thread.worker.unref();
    this.threads.push(thread);
    return thread;
  }

  private finish(thread: PoolThread, answer: AnalysisAnswer): void {
    const task = thread.running.get(answer.id);
    if (!task) return;
    thread.running.delete(answer.id);
    if (thread.running.size === 0) thread.worker.unref();
    if ("error" in answer) {
      task.reject(new Error(`Image analysis failed on its thread: ${answer.error}`));
    } else {
      task.resolve({ result: answer.result, bytes: Buffer.from(answer.bytes) });
    }
    this.dispatch();
  }

  private lose(thread: PoolThread, code: number): void {
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
    const error = this.closed
      ? shutDown()
      : new AppError(
          ErrorCode.INTERNAL_SERVER_ERROR,
          `The image analysis thread stopped unexpectedly (exit code ${code}` +
            `${thread.uncaught ? `: ${thread.uncaught.message}` : ""})`,
        );
    for (const task of thread.running.values()) task.reject(error);
    thread.running.clear();
    if (!this.closed) this.dispatch();
  }
}

function shutDown(): AppError {
  return serviceUnavailable("The gateway is shutting down: images are no longer analysed");
}

/**
 * The bytes' memory as an ArrayBuffer of their own, to move to a thread. Small Buffers share one
 * pooled ArrayBuffer (Buffer.allocUnsafe's slab), which must not move: those are copied (at most
 * 4 KiB), the others are moved as they are.
 */
function ownArrayBuffer(bytes: Buffer): ArrayBuffer {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
    return buffer;
  }
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
