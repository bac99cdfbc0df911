import { parentPort, Worker, workerData } from "node:worker_threads";

/**
 * Pure arithmetic on a thread of its own: a drift test, a batch selection or an adjustment fit
 * is seconds of numerics, which on the gateway's own thread would stall every request meanwhile.
 * The caller names an entry module (a TypeScript file that calls answerInWorker) and its input,
 * a plain object whose typed arrays' buffers move to the thread rather than being copied (they
 * are detached here afterwards). One thread per call: these calls are rare, so a pool would only
 * hold memory. Aborting ends the thread.
 */
export function runInWorker<Input, Output>(
  entry: URL,
  input: Input,
  options: { name: string; transfer?: readonly ArrayBuffer[]; signal?: AbortSignal },
): Promise<Output> {
  const { name, transfer = [], signal } = options;
  signal?.throwIfAborted();
  const request: WorkerRequest<Input> = { entry: entry.href, input };
  const worker = new Worker(workerBootstrap, { workerData: request, transferList: [...transfer] });
  return new Promise<Output>((resolve, reject) => {
    const onAbort = () => void worker.terminate();
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = (finish: () => void) => {
      signal?.removeEventListener("abort", onAbort);
      finish();
      void worker.terminate();
    };
    worker.once("message", (answer: WorkerAnswer<Output>) =>
      settle(() => ("error" in answer ? reject(failure(name, answer.error)) : resolve(answer.output))),
    );
    worker.once("error", (error) => settle(() => reject(error)));
    worker.once("exit", (code) =>
      settle(() => reject(signal?.reason ?? new Error(`${name}'s thread exited with code ${code}`))),
    );
  });
}

/**
 * The entry module's side: runs `run` on the input runInWorker sent and posts the output back,
 * moving the buffers `transfer` names; an exception goes back as its class and message.
 */
export function answerInWorker<Input, Output>(
  run: (input: Input) => Output,
  transfer?: (output: Output) => ArrayBuffer[],
): void {
  const { input } = workerData as WorkerRequest<Input>;
  let answer: WorkerAnswer<Output>;
  try {
    const output = run(input);
    parentPort!.postMessage({ output } satisfies WorkerAnswer<Output>, transfer?.(output) ?? []);
    return;
  } catch (error) {
    answer = {
      error:
        error instanceof Error
          ? { name: error.name, message: error.message }
          : { name: "Error", message: String(error) },
    };
  }
  parentPort!.postMessage(answer);
}

/** The ArrayBuffers behind typed arrays, each once (a transfer list may not repeat one); shared memory stays shared. */
export function buffersOf(...arrays: ReadonlyArray<ArrayLike<number> | undefined>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) {
    if (ArrayBuffer.isView(array) && array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  }
  return [...buffers];
}

interface WorkerRequest<Input> {
  /** The entry module's file URL, which typescript-worker.mjs loads. */
  entry: string;
  input: Input;
}

type WorkerAnswer<Output> = { output: Output } | { error: { name: string; message: string } };

/** Worker threads start without tsx; this plain-JavaScript file loads a thread's TypeScript entry. */
export const workerBootstrap = new URL("./typescript-worker.mjs", import.meta.url);

/** The built-in classes an error keeps across the thread (callers tell a RangeError, a code error, apart). */
const errorClasses: Record<string, new (message: string) => Error> = {
  RangeError,
  TypeError,
  ReferenceError,
  SyntaxError,
};

function failure(name: string, error: { name: string; message: string }): Error {
  return new (errorClasses[error.name] ?? Error)(`${name} failed: ${error.message}`);
}
