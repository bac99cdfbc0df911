import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { queryRows } from "../support/database";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { startDatabase } from "../../src/db/database";
import { databasePasswordFile, startEmbeddedPostgres } from "../../src/db/embedded-postgres";
import { defaultMigrationPaths } from "../../src/db/migrations";
import { servePGlite } from "../../src/db/pglite-server";

const logger = createLogger({ level: "silent" });

const migrationNames = fs
  .readdirSync(defaultMigrationPaths.migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe("startDatabase without DATABASE_URL", () => {
  it("creates a migrated embedded database under the data directory and finds its data after a restart, even a crash", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-data-"));
    const config = loadConfig({ TESSERA_DATA_DIR: dataDir });

    const first = await startDatabase(config, logger);
    expect(first.embedded).toBe(true);
    expect(first.appliedMigrations).toEqual(migrationNames);
    expect(fs.existsSync(path.join(dataDir, "pg", "PG_VERSION"))).toBe(true);
    // Made at first start, readable by this user only, and the one the database asks for.
    const passwordFile = databasePasswordFile(dataDir);
    const password = fs.readFileSync(passwordFile, "utf8").trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, "pg")).mode & 0o777).toBe(0o700);
    expect(new URL(first.url).password).toBe(password);
    await queryRows(first.url, `INSERT INTO "Setting" ("key", "value") VALUES ('kept', 'across restarts')`);
    await expect(startEmbeddedPostgres(dataDir, logger)).rejects.toThrow(
      `The embedded database ${path.join(dataDir, "pg")} is in use by process ${process.pid}.`,
    );
    await first.close();
    // As after a crash and a container restart that gave the new process the same pid.
    fs.writeFileSync(path.join(dataDir, "pg.lock"), String(process.pid));

    const second = await startDatabase(config, logger);
    expect(await queryRows(second.url, `SELECT "key", "value" FROM "Setting"`)).toEqual([
      { key: "kept", value: "across restarts" },
    ]);
    expect(second.appliedMigrations).toEqual([]);
    expect(new URL(second.url).password).toBe(password);
    await second.close();
    fs.rmSync(dataDir, { recursive: true });
  });
});

describe("startDatabase with DATABASE_URL", () => {
  it("fails with install instructions when the server has no pgvector", async () => {
    // A server without the extension: PGlite started without its pgvector bundle.
    const db = await PGlite.create();
    const server = await servePGlite(db, { maxConnections: 4, password: "secret" });
    const url = `postgresql://postgres:secret@127.0.0.1:${server.port}/postgres`;
    try {
      const started = startDatabase(loadConfig({ DATABASE_URL: url }), logger);

      await expect(started).rejects.toThrow(
        `PostgreSQL 18 at 127.0.0.1:${server.port}/postgres has no pgvector extension, which Tessera needs. ` +
          "Install it on the database server, then start again:\n" +
          "  - Debian/Ubuntu: apt install postgresql-18-pgvector (from apt.postgresql.org if your release lacks it)\n" +
          "  - from source: build https://github.com/pgvector/pgvector with make && make install against that server's pg_config\n" +
          "  - Docker: run the pgvector/pgvector:pg18 image instead of postgres:18\n" +
          "Or leave DATABASE_URL unset to use the embedded database, which includes pgvector.",
      );
      expect(
        await queryRows(url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"),
      ).toEqual([{ n: 0 }]);
    } finally {
      await server.close();
      await db.close();
    }
  });

  it("says which server it could not reach, without the password", async () => {
    const config = loadConfig({ DATABASE_URL: "postgresql://tessera:secret@127.0.0.1:1/tessera" });

    await expect(startDatabase(config, logger)).rejects.toThrow(
      "Cannot connect to PostgreSQL at 127.0.0.1:1/tessera: connect ECONNREFUSED 127.0.0.1:1",
    );
  });
});
