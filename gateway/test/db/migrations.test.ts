import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, defaultMigrationPaths } from "../../src/db/migrations";
import { createPrisma } from "../../src/db/prisma";
import { createLogger } from "../../src/logger";
import { UsersService } from "../../src/users/users.service";
import { createEmptyDatabase, onRealServer, type EmptyDatabase, queryRows } from "../support/database";

const logger = createLogger({ level: "silent" });

const migrationNames = fs
  .readdirSync(defaultMigrationPaths.migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

let database: EmptyDatabase | null = null;
afterEach(async () => {
  await database?.close();
  database = null;
});

describe("applyMigrations", () => {
  it("applies every migration to an empty database and records it as prisma migrate deploy does", async () => {
    database = await createEmptyDatabase();

    expect(await applyMigrations(database.url)).toEqual(migrationNames);

    const recorded = await queryRows<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
      logs: string | null;
    }>(database.url, "SELECT * FROM _prisma_migrations ORDER BY migration_name");
    expect(recorded).toEqual(
      migrationNames.map((name) => ({
        id: expect.any(String),
        migration_name: name,
        checksum: createHash("sha256")
          .update(fs.readFileSync(path.join(defaultMigrationPaths.migrationsDir, name, "migration.sql")))
          .digest("hex"),
        started_at: expect.any(Date),
        finished_at: expect.any(Date),
        applied_steps_count: 1,
        rolled_back_at: null,
        logs: null,
      })),
    );
    const tables = await queryRows<{ tablename: string }>(
      database.url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    const models = [
      ...fs.readFileSync(defaultMigrationPaths.schemaPath, "utf8").matchAll(/^model (\w+)/gm),
    ].map((match) => match[1]);
    expect(tables.map((row) => row.tablename).sort()).toEqual([...models, "_prisma_migrations"].sort());
    const [distance] = await queryRows<{ distance: number }>(
      database.url,
      "SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector AS distance",
    );
    expect(distance).toEqual({ distance: 2 });
  });

  it("applies nothing the second time", async () => {
    database = await createEmptyDatabase();
    await applyMigrations(database.url);

    expect(await applyMigrations(database.url)).toEqual([]);
    expect(await queryRows(database.url, "SELECT migration_name FROM _prisma_migrations")).toHaveLength(
      migrationNames.length,
    );
  });

  it("rolls a failing migration back whole and names it and the database's error", async () => {
    database = await createEmptyDatabase();
    const migrationsDir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-migrations-"));
    fs.cpSync(defaultMigrationPaths.migrationsDir, migrationsDir, { recursive: true });
    fs.mkdirSync(path.join(migrationsDir, "29990101000000_broken"));
    fs.writeFileSync(
      path.join(migrationsDir, "29990101000000_broken", "migration.sql"),
      `INSERT INTO "Setting" ("key", "value") VALUES ('written; before the error', 'x');\nSELECT * FROM "NoSuchTable";\n`,
    );

    await expect(applyMigrations(database.url, { migrationsDir })).rejects.toThrow(
      'Migration 29990101000000_broken failed: relation "NoSuchTable" does not exist (42P01)',
    );
    expect(await queryRows(database.url, `SELECT * FROM "Setting"`)).toEqual([]);
    fs.rmSync(migrationsDir, { recursive: true });
  });

  // PGlite is one session for every connection, so only a real server can show replicas waiting on each other.
  it.skipIf(!onRealServer)(
    "lets only one of several replicas starting at once apply a migration",
    async () => {
      database = await createEmptyDatabase();
      const url = database.url;

      const results = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);

      expect(results.flat().sort()).toEqual(migrationNames);
      expect(await queryRows(url, "SELECT migration_name FROM _prisma_migrations")).toHaveLength(
        migrationNames.length,
      );
    },
  );
});

describe("the migration to tsr_<public id>_<secret> tokens", () => {
  const name = "20261206222614_api_token_public_ids_and_user_deactivation";

  it("keeps tokens issued before it working, shown by a new public id instead of their first characters", async () => {
    database = await createEmptyDatabase();
    const before = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-migrations-"));
    for (const earlier of migrationNames.filter((migration) => migration < name)) {
      fs.cpSync(path.join(defaultMigrationPaths.migrationsDir, earlier), path.join(before, earlier), {
        recursive: true,
      });
    }
    await applyMigrations(database.url, { migrationsDir: before });
    fs.rmSync(before, { recursive: true });
    const legacy = "tsr_abcdefghijkl_Xy-_Xy-_Xy-_Xy-_Xy-_Xy-_Xy-_Zz";
    const [user] = await queryRows<{ id: string }>(
      database.url,
      `INSERT INTO "User" (id, handle, "updatedAt") VALUES (gen_random_uuid(), 'ada', now()) RETURNING id`,
    );
    await queryRows(
      database.url,
      `INSERT INTO "ApiToken" (id, "userId", name, prefix, "tokenHash")
       VALUES (gen_random_uuid(), '${user!.id}', 'laptop', '${legacy.slice(0, 10)}',
               '${createHash("sha256").update(legacy).digest("hex")}')`,
    );

    await applyMigrations(database.url);

    const [row] = await queryRows<Record<string, unknown>>(database.url, `SELECT * FROM "ApiToken"`);
    expect(row).not.toHaveProperty("prefix");
    expect(row!.publicId).toMatch(/^[0-9a-f]{12}$/);
    expect(row!.secretHash).toBeNull();
    const prisma = createPrisma(database.url);
    try {
      const viewer = await new UsersService(prisma, logger).authenticate(legacy);
      expect(viewer).toMatchObject({ handle: "ada", role: "MEMBER" });
    } finally {
      await prisma.$disconnect();
    }
  });
});
