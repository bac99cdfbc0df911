import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import type { Logger } from "../logger";
import { workerBootstrap } from "../threads/pure-worker";
import type { ThreadError, ThreadMessage, ThreadRequest, ThreadStart } from "./embedded-postgres-worker";
import { servePGlite, SUPERUSER } from "./pglite-server";

/** PostgreSQL (PGlite, with pgvector) served to ordinary drivers on 127.0.0.1, behind a password. */
export interface EmbeddedPostgres {
  /** Holds the password: give it only to this machine's processes, never log it. */
  url: string;
  port: number;
  /** The whole data directory as a tarball; `startEphemeralPostgres(snapshot)` starts from it. */
  snapshot(): Promise<Blob>;
  /** Stops serving and closes PGlite so everything written is on disk for the next start. */
  close(): Promise<void>;
}

// Prisma's pool, raw SQL pools and the schema engine each hold a few connections.
const MAX_CONNECTIONS = 64;

const PASSWORD_FILE = "database-password";

export const databasePasswordFile = (dataDir: string) => path.join(dataDir, PASSWORD_FILE);

export interface EmbeddedPostgresOptions {
  /**
   * Hears that the database's thread stopped on its own (a WebAssembly abort, an uncaught error),
   * after the data directory's lock is released. By default the process logs it and exits with 1:
   * a gateway whose database is gone must not go on answering, and whatever supervises it starts
   * it again on the same data (PGlite recovers from its write-ahead log like PostgreSQL).
   */
  onThreadLost?: (error: Error) => void;
  /** Sees the database's thread once it serves; tests end it to see a lost thread handled. */
  onThreadStarted?: (thread: Worker) => void;
  /** Sees the database's thread as soon as it exists; tests check that a failed start ends it. */
  onThreadCreated?: (thread: Worker) => void;
}

/**
 * Keeps its data under `<dataDir>/pg` and its password in `<dataDir>/database-password`; one
 * process at a time may use it. PGlite runs on a thread of its own, so its statements' CPU does
 * not compete with requests on the gateway's thread.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const pgDir = path.join(dataDir, "pg");
  // Owner-only, at every start: the database holds the URL-signing key and every token hash, the
  // blob store private models. mkdir's `mode` applies only to a directory it creates, so one an
  // earlier version left open is changed here. The directories alone suffice: nobody else can
  // reach what is inside them, whatever its own mode.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  ownerOnly(dataDir, logger);
  const releaseLock = lockDataDir(pgDir);
  try {
    const fresh = !fs.existsSync(path.join(pgDir, "PG_VERSION"));
    fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(pgDir, 0o700);
    const password = databasePassword(dataDir);
    const started = Date.now();
    const onThreadLost =
      options.onThreadLost ??
      ((error: Error) => {
        logger.fatal(
          { err: error, dataDir: pgDir },
          "the embedded database stopped; exiting so that the gateway is started again on its data",
        );
        process.exit(1);
      });
    const { embedded, thread } = await startInThread(
      { dataDir: pgDir, password },
      releaseLock,
      onThreadLost,
      options.onThreadCreated,
    );
    options.onThreadStarted?.(thread);
    logger.info(
      { dataDir: pgDir, port: embedded.port, ms: Date.now() - started, fresh },
      fresh ? "embedded PostgreSQL created" : "embedded PostgreSQL opened",
    );
    return embedded;
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * A data directory someone else owns (a shared mount) cannot be changed; it still works, and the
 * database directory inside it, ours, is owner-only regardless.
 */
function ownerOnly(dataDir: string, logger: Logger): void {
  try {
    fs.chmodSync(dataDir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") throw error;
    logger.warn({ dataDir }, "the data directory belongs to another user: it could not be made owner-only");
  }
}

/**
 * A throwaway in-memory database (tests, the shadow database of `db:diff`), optionally from a
 * snapshot; its password lives only in its URL. It stays on the caller's thread: a thread of its
 * own adds about 0.3 s to each start (a fresh isolate loading PGlite and compiling its
 * WebAssembly again), paid by every test file, while what clients talk to is the same server.
 */
export async function startEphemeralPostgres(snapshot?: Blob): Promise<EmbeddedPostgres> {
  const password = newPassword();
  const served = await servePGliteInProcess({ password, snapshot });
  return { url: databaseUrl(password, served.port), ...served };
}

/**
 * The password made at first start, kept readable by this user only. A file a person loosened is
 * tightened again rather than refused: the gateway cannot tell who read it meanwhile, so the
 * cure for that is deleting the file, which makes a new password at the next start.
 */
function databasePassword(dataDir: string): string {
  const file = databasePasswordFile(dataDir);
  try {
    fs.writeFileSync(file, `${newPassword()}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    fs.chmodSync(file, 0o600);
  }
  const password = fs.readFileSync(file, "utf8").trim();
  if (!password)
    throw new Error(`${file} is empty: delete it and start again to make a new database password`);
  return password;
}

const newPassword = () => randomBytes(32).toString("base64url");

const databaseUrl = (password: string, port: number) =>
  `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/** PGlite served on 127.0.0.1, in the calling thread; the URL is the caller's to make. */
export type ServedPGlite = Omit<EmbeddedPostgres, "url">;

/** Opens PGlite (on `dataDir`, else in memory, from `snapshot` if given) and serves it in this thread. */
export async function servePGliteInProcess(options: {
  dataDir?: string;
  snapshot?: Blob;
  password: string;
  onTrap?: (error: Error) => void;
}): Promise<ServedPGlite> {
  const { dataDir, snapshot, password, onTrap } = options;
  const db = await PGlite.create({
    extensions: { vector },
    ...(dataDir ? { dataDir } : {}),
    ...(snapshot ? { loadDataDir: snapshot } : {}),
  });
  const server = await servePGlite(db, { maxConnections: MAX_CONNECTIONS, password, onTrap }).catch(
    async (error) => {
      await db.close();
      throw error;
    },
  );
  let closing: Promise<void> | null = null;
  return {
    port: server.port,
    snapshot: () => db.dumpDataDir("none"),
    close() {
      closing ??= (async () => {
        try {
          await server.close();
        } finally {
          await db.close();
        }
      })();
      return closing;
    },
  };
}

const threadEntry = new URL("./embedded-postgres-worker.ts", import.meta.url);

/**
 * Opens and serves PGlite on a thread of its own. Resolves once it serves, or rejects with the
 * thread's own error (a corrupt data directory, say) after the thread has ended. `onClosed` runs
 * once the thread is gone after a successful start, whether closed or lost; `onLost` after it,
 * when the thread stopped on its own.
 */
function startInThread(
  start: Omit<ThreadStart, "entry">,
  onClosed: () => void,
  onLost: (error: Error) => void,
  onCreated?: (thread: Worker) => void,
): Promise<{ embedded: EmbeddedPostgres; thread: Worker }> {
  const worker = new Worker(workerBootstrap, {
    workerData: { entry: threadEntry.href, ...start } satisfies ThreadStart,
  });
  onCreated?.(worker);
  // An uncaught error in the thread arrives here, then its exit; unheard, it would be thrown here.
  let uncaught: Error | null = null;
  worker.on("error", (error) => (uncaught = error));
  const stopped = (code: number, doing: string) =>
    new Error(
      `the embedded database's thread stopped ${doing} (exit code ${code})` +
        (uncaught ? `: ${uncaught.message}` : ""),
      { cause: uncaught ?? undefined },
    );

  return new Promise((resolve, reject) => {
    const exitedStarting = (code: number) => reject(stopped(code, "while starting"));
    worker.once("exit", exitedStarting);
    // The first message is "ready" or "failed"; the rest answer requests made after "ready".
    worker.once("message", (message: ThreadMessage) => {
      worker.off("exit", exitedStarting);
      if (message.type === "failed") {
        const error = fromThread(message.error);
        void worker.terminate().then(() => reject(error));
      } else if (message.type === "ready") {
        const hooks = { onClosed, onLost, stopped };
        resolve({ embedded: threadedPostgres(worker, message.port, start.password, hooks), thread: worker });
      }
    });
  });
}

function threadedPostgres(
  worker: Worker,
  port: number,
  password: string,
  hooks: {
    onClosed: () => void;
    onLost: (error: Error) => void;
    stopped: (code: number, doing: string) => Error;
  },
): EmbeddedPostgres {
  let state: "open" | "closing" | "gone" = "open";
  let closing: Promise<void> | null = null;
  let answerClose: ((error?: Error) => void) | null = null;
  const snapshots = new Map<number, { resolve: (tarball: Blob) => void; reject: (error: Error) => void }>();
  let nextSnapshot = 0;

  worker.on("message", (message: ThreadMessage) => {
    if (message.type === "snapshot" || message.type === "snapshot-failed") {
      const waiting = snapshots.get(message.id);
      snapshots.delete(message.id);
      if (message.type === "snapshot") waiting?.resolve(message.tarball);
      else waiting?.reject(fromThread(message.error));
    } else if (message.type === "closed") {
      answerClose?.(message.error && fromThread(message.error));
    }
  });
  worker.once("exit", (code) => {
    const wasOpen = state === "open";
    if (state !== "gone") {
      state = "gone";
      hooks.onClosed();
    }
    const error = hooks.stopped(code, wasOpen ? "unexpectedly" : "while closing");
    for (const waiting of snapshots.values()) waiting.reject(error);
    snapshots.clear();
    answerClose?.(error);
    if (wasOpen) hooks.onLost(error);
  });

  return {
    url: databaseUrl(password, port),
    port,
    snapshot() {
      if (state !== "open") return Promise.reject(new Error("the embedded database is closed"));
      const id = nextSnapshot++;
      return new Promise<Blob>((resolve, reject) => {
        snapshots.set(id, { resolve, reject });
        worker.postMessage({ type: "snapshot", id } satisfies ThreadRequest);
      });
    },
    close() {
      closing ??=
        state === "gone"
          ? Promise.resolve()
          : new Promise<void>((resolve, reject) => {
              state = "closing";
              answerClose = (error) => {
                answerClose = null;
                // Everything is on disk: the thread has nothing left to do.
                void worker.terminate().then(() => {
                  if (state !== "gone") {
                    state = "gone";
                    hooks.onClosed();
                  }
                  if (error) reject(error);
                  else resolve();
                });
              };
              worker.postMessage({ type: "close" } satisfies ThreadRequest);
            });
      return closing;
    },
  };
}

/** The thread's error as this thread's, with its message, name and stack. */
function fromThread(error: ThreadError): Error {
  return Object.assign(new Error(error.message), {
    name: error.name,
    ...(error.stack ? { stack: error.stack } : {}),
  });
}

/** Data directories this process has open: a lock naming our own pid is stale unless listed here. */
const openHere = new Set<string>();

/**
 * PGlite has no postmaster to refuse a second process, and two processes writing one data
 * directory corrupt it. A lock file names the holder; a lock left by a dead process (or by an
 * earlier life of this pid, as after a container restart) is taken over.
 */
function lockDataDir(pgDir: string): () => void {
  const lockPath = `${pgDir}.lock`;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      openHere.add(pgDir);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        openHere.delete(pgDir);
        fs.rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(fs.readFileSync(lockPath, "utf8"));
    if (holder === process.pid ? openHere.has(pgDir) : isAlive(holder)) {
      throw new Error(
        `The embedded database ${pgDir} is in use by process ${holder}. ` +
          "Stop that process, or give this one another TESSERA_DATA_DIR.",
      );
    }
    fs.rmSync(lockPath, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
