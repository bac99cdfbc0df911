import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEphemeralPostgres } from "../../src/db/embedded-postgres";
import { applyMigrations, defaultMigrationPaths } from "../../src/db/migrations";
import { createPrisma, type PoolOptions, type PrismaClient } from "../../src/db/prisma";

/**
 * Databases for tests. By default an in-memory PGlite per call; with TEST_DATABASE_URL (a
 * PostgreSQL server with pgvector, e.g. from .ci/run) a new database on that server per call,
 * dropped on close.
 */
export interface EmptyDatabase {
  url: string;
  close(): Promise<void>;
}

export interface TestDatabase extends EmptyDatabase {
  prisma: PrismaClient;
}

const serverUrl = process.env.TEST_DATABASE_URL || null;

/** Whether tests run against a real server (TEST_DATABASE_URL) rather than PGlite. */
export const onRealServer = serverUrl !== null;

/** A fresh database with every migration applied and no rows; `options` go to its Prisma pool. */
export async function createTestDatabase(options: PoolOptions = {}): Promise<TestDatabase> {
  const database = serverUrl
    ? await createServerDatabase(serverUrl, true)
    : await startFromSnapshot("migrated");
  const prisma = createPrisma(database.url, options);
  return {
    url: database.url,
    prisma,
    async close() {
      await prisma.$disconnect();
      await database.close();
    },
  };
}

/** A fresh database with nothing in it: no migrations applied, no extension created. */
export function createEmptyDatabase(): Promise<EmptyDatabase> {
  return serverUrl ? createServerDatabase(serverUrl, false) : startFromSnapshot("empty");
}

async function createServerDatabase(url: string, migrated: boolean): Promise<EmptyDatabase> {
  const name = `tessera_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdmin(url, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  const database = {
    url: databaseUrl.toString(),
    async close() {
      await withAdmin(url, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
  if (migrated) await applyMigrations(database.url);
  return database;
}

async function withAdmin<T>(url: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A new PGlite starts in about 4 s (initdb in WebAssembly); one loaded from a data-directory
 * snapshot in about 1 s. Snapshots are kept in the temp directory, named by everything that shapes
 * them, and shared by test files and runs.
 */
async function startFromSnapshot(kind: "empty" | "migrated"): Promise<EmptyDatabase> {
  const database = await startEphemeralPostgres(await snapshot(kind));
  return { url: database.url, close: () => database.close() };
}

const snapshots = new Map<string, Promise<Blob>>();

function snapshot(kind: "empty" | "migrated"): Promise<Blob> {
  let pending = snapshots.get(kind);
  if (!pending) {
    pending = loadOrBuildSnapshot(kind);
    snapshots.set(kind, pending);
  }
  return pending;
}

async function loadOrBuildSnapshot(kind: "empty" | "migrated"): Promise<Blob> {
  const file = path.join(os.tmpdir(), `tessera-test-pglite-${kind}-${snapshotKey(kind)}.tar`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const database = await startEphemeralPostgres(kind === "migrated" ? await snapshot("empty") : undefined);
  try {
    if (kind === "migrated") await applyMigrations(database.url);
    const built = await database.snapshot();
    // Written aside then renamed, so a test file running beside this one never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(await built.arrayBuffer()));
    fs.renameSync(partial, file);
    return built;
  } finally {
    await database.close();
  }
}

function snapshotKey(kind: "empty" | "migrated"): string {
  const hash = createHash("sha256");
  // PGlite's entry point is <package>/dist/index.*; its package.json (and version) sits above.
  const pgliteEntry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  hash.update(fs.readFileSync(path.join(path.dirname(pgliteEntry), "..", "package.json")));
  if (kind === "migrated") {
    const { migrationsDir } = defaultMigrationPaths;
    for (const name of fs.readdirSync(migrationsDir).sort()) {
      const file = path.join(migrationsDir, name, "migration.sql");
      if (fs.existsSync(file)) hash.update(name).update(fs.readFileSync(file));
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** The rows of one statement, on a connection of its own (closed after). */
export async function queryRows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}
