import { startEmbeddedPostgres } from "../../src/db/embedded-postgres";
import { createLogger } from "../../src/logger";

// Run by embedded-thread.test.ts as its own process: opens the embedded database in argv[2] with
// the gateway's default handling of a lost thread, then ends the thread as a WebAssembly abort
// would. The process must exit with 1 on its own; if it did not, it would end with 0.
await startEmbeddedPostgres(process.argv[2]!, createLogger({ level: "info" }), {
  onThreadStarted: (thread) => setImmediate(() => void thread.terminate()),
});
