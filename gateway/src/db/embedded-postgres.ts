import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import type { Logger } from "../logger";
import { servePGlite } from "./pglite-server";

/** PostgreSQL 17 (PGlite, with pgvector) served to ordinary drivers on 127.0.0.1. */
export interface EmbeddedPostgres {
  url: string;
  /** The whole data directory as a tarball; `startEphemeralPostgres(snapshot)` starts from it. */
  snapshot(): Promise<Blob>;
  /** Stops serving and closes PGlite so everything written is on disk for the next start. */
  close(): Promise<void>;
}

// Prisma's pool, raw SQL pools and the schema engine each hold a few connections.
const MAX_CONNECTIONS = 64;

/** Keeps its data under `<dataDir>/pg`; one process at a time may use it. */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedPostgres> {
  const pgDir = path.join(dataDir, "pg");
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = lockDataDir(pgDir);
  try {
    const fresh = !fs.existsSync(path.join(pgDir, "PG_VERSION"));
    const started = Date.now();
    const db = await PGlite.create({ dataDir: pgDir, extensions: { vector } });
    const embedded = await serve(db, releaseLock);
    logger.info(
      { dataDir: pgDir, url: embedded.url, ms: Date.now() - started, fresh },
      fresh ? "embedded PostgreSQL created" : "embedded PostgreSQL opened",
    );
    return embedded;
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** A throwaway in-memory database (tests, the shadow database of `db:diff`), optionally from a snapshot. */
export async function startEphemeralPostgres(snapshot?: Blob): Promise<EmbeddedPostgres> {
  const db = await PGlite.create({ extensions: { vector }, ...(snapshot ? { loadDataDir: snapshot } : {}) });
  return serve(db, () => {});
}

async function serve(db: PGlite, onClosed: () => void): Promise<EmbeddedPostgres> {
  const server = await servePGlite(db, { maxConnections: MAX_CONNECTIONS }).catch(async (error) => {
    await db.close();
    throw error;
  });
  let closing: Promise<void> | null = null;
  return {
    url: `postgresql://postgres@127.0.0.1:${server.port}/postgres`,
    snapshot: () => db.dumpDataDir("none"),
    close() {
      closing ??= (async () => {
        try {
          await server.close();
        } finally {
          await db.close();
          onClosed();
        }
      })();
      return closing;
    },
  };
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
      return () => {
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
