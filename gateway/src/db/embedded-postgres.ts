import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import type { Logger } from "../logger";
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

/**
 * Keeps its data under `<dataDir>/pg` and its password in `<dataDir>/database-password`; one
 * process at a time may use it.
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedPostgres> {
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
    const db = await PGlite.create({ dataDir: pgDir, extensions: { vector } });
    const embedded = await serve(db, password, releaseLock);
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
 * snapshot; its password lives only in its URL.
 */
export async function startEphemeralPostgres(snapshot?: Blob): Promise<EmbeddedPostgres> {
  const db = await PGlite.create({ extensions: { vector }, ...(snapshot ? { loadDataDir: snapshot } : {}) });
  return serve(db, newPassword(), () => {});
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

async function serve(db: PGlite, password: string, onClosed: () => void): Promise<EmbeddedPostgres> {
  const server = await servePGlite(db, { maxConnections: MAX_CONNECTIONS, password }).catch(async (error) => {
    await db.close();
    throw error;
  });
  let closing: Promise<void> | null = null;
  return {
    url: `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/postgres`,
    port: server.port,
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
