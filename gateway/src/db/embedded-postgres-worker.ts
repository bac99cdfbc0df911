import { parentPort, workerData } from "node:worker_threads";
import { servePGliteInProcess, type ServedPGlite } from "./embedded-postgres";

/**
 * The embedded database's own thread: opens PGlite on the data directory and serves it on
 * 127.0.0.1, so every statement's WebAssembly runs here rather than beside the gateway's GraphQL,
 * uploads and jobs. The main thread keeps the data directory's lock and the password file; it
 * sends the password and the directory, then asks for snapshots and, last, for the close.
 */
export interface ThreadStart {
  /** The file URL of this module, which typescript-worker.mjs loads. */
  entry: string;
  dataDir: string;
  password: string;
}

export type ThreadRequest = { type: "snapshot"; id: number } | { type: "close" };

export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
}

export type ThreadMessage =
  | { type: "ready"; port: number }
  | { type: "failed"; error: ThreadError }
  | { type: "snapshot"; id: number; tarball: Blob }
  | { type: "snapshot-failed"; id: number; error: ThreadError }
  | { type: "closed"; error?: ThreadError };

const port = parentPort!;
const { dataDir, password } = workerData as ThreadStart;
const post = (message: ThreadMessage) => port.postMessage(message);

const describe = (error: unknown): ThreadError =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { name: "Error", message: String(error) };

/**
 * A trap in PGlite's WebAssembly (an abort, an out-of-bounds access) leaves its memory in an
 * unknown state: no later statement can be trusted. Thrown outside any promise, it ends this
 * thread, which the main thread sees and acts on.
 */
const onTrap = (error: Error) =>
  setImmediate(() => {
    throw error;
  });

const served = await servePGliteInProcess({ dataDir, password, onTrap }).catch((error: unknown) => {
  // The main thread has the error and ends this thread.
  post({ type: "failed", error: describe(error) });
  return null;
});
if (served) answer(served);

function answer(served: ServedPGlite): void {
  post({ type: "ready", port: served.port });
  port.on("message", (request: ThreadRequest) => {
    if (request.type === "close") {
      void served.close().then(
        () => post({ type: "closed" }),
        (error: unknown) => post({ type: "closed", error: describe(error) }),
      );
      return;
    }
    // A Blob crosses threads as a handle on the same bytes (PGlite's File arrives as a Blob of the
    // same type, which is all a later loadDataDir reads).
    served.snapshot().then(
      (tarball) => post({ type: "snapshot", id: request.id, tarball }),
      (error: unknown) => post({ type: "snapshot-failed", id: request.id, error: describe(error) }),
    );
  });
}
