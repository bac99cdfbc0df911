import path from "node:path";
import { loadConfig } from "../config";
import { createLogger } from "../logger";
import { startDatabase } from "./database";
import { diffMigration } from "./migrations";

/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database
 * under TESSERA_DATA_DIR (the gateway must not be running on it).
 * `npm run db:diff -- <name>`: writes the migration that brings prisma/migrations up to
 * prisma/schema.prisma. Offline: it builds the migrations in a throwaway in-memory database.
 */
const usage = "usage: npm run db:migrate | npm run db:diff -- <migration name>";

async function apply(): Promise<void> {
  const config = loadConfig();
  // Warnings only: the info lines of a start would bury the summary this command prints.
  const database = await startDatabase(config, createLogger({ level: "warn" }));
  await database.close();
  const where = database.embedded ? `the embedded database in ${config.dataDir}` : "DATABASE_URL";
  const applied = database.appliedMigrations;
  console.log(
    applied.length
      ? `Applied to ${where}:\n${applied.map((name) => `  ${name}`).join("\n")}`
      : `Nothing to apply: ${where} is up to date.`,
  );
}

async function diff(name: string | undefined): Promise<void> {
  if (!name) throw new UsageError(`db:diff needs a name for the migration.\n${usage}`);
  const outcome = await diffMigration(name);
  if (!outcome.written) {
    console.log("No changes: prisma/migrations already matches prisma/schema.prisma; nothing written.");
    return;
  }
  console.log(`Wrote ${path.relative(process.cwd(), outcome.migrationPath)}:\n\n${outcome.sql}`);
}

class UsageError extends Error {}

const [command, name] = process.argv.slice(2);
try {
  if (command === "apply") await apply();
  else if (command === "diff") await diff(name);
  else throw new UsageError(usage);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
// The schema engine leaves its advisory-lock timeout (10 s) running after the lock is taken.
process.exit();
