import pg from "pg";
import type { GatewayConfig } from "../config";
import type { Logger } from "../logger";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrations";

/** The database the gateway runs on, migrated and ready. */
export interface Database {
  url: string;
  embedded: boolean;
  /** Migrations this start applied, in order; empty when the database was up to date. */
  appliedMigrations: string[];
  close(): Promise<void>;
}

/** The database cannot be used as it is; the message says what to do. */
export class DatabaseSetupError extends Error {
  override name = "DatabaseSetupError";
}

/**
 * Embedded PostgreSQL under `config.dataDir` when no DATABASE_URL is set, else that server; then
 * checks that pgvector can be installed there and applies pending migrations.
 */
export async function startDatabase(config: GatewayConfig, logger: Logger): Promise<Database> {
  const embedded = config.databaseUrl === null ? await startEmbeddedPostgres(config.dataDir, logger) : null;
  const url = embedded?.url ?? config.databaseUrl!;
  try {
    await requirePgvector(url);
    const started = Date.now();
    const appliedMigrations = await applyMigrations(url);
    logger.info(
      { applied: appliedMigrations, ms: Date.now() - started },
      appliedMigrations.length ? "migrations applied" : "database is up to date",
    );
    return {
      url,
      embedded: embedded !== null,
      appliedMigrations,
      close: () => embedded?.close() ?? Promise.resolve(),
    };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}

/** Fails with install instructions when the server has no pgvector (the first migration creates it). */
export async function requirePgvector(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseSetupError(
      `Cannot connect to PostgreSQL at ${describe(url)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    const { rows } = await client.query<{ available: boolean; major: number }>(
      `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available,
              current_setting('server_version_num')::int / 10000 AS major`,
    );
    const { available, major } = rows[0]!;
    if (available) return;
    throw new DatabaseSetupError(
      `PostgreSQL ${major} at ${describe(url)} has no pgvector extension, which Tessera needs. ` +
        "Install it on the database server, then start again:\n" +
        `  - Debian/Ubuntu: apt install postgresql-${major}-pgvector (from apt.postgresql.org if your release lacks it)\n` +
        "  - from source: build https://github.com/pgvector/pgvector with make && make install against that server's pg_config\n" +
        `  - Docker: run the pgvector/pgvector:pg${major} image instead of postgres:${major}\n` +
        "Or leave DATABASE_URL unset to use the embedded database, which includes pgvector.",
    );
  } finally {
    await client.end();
  }
}

/** host:port/database, without credentials, for messages. */
function describe(url: string): string {
  try {
    const { hostname, port, pathname } = new URL(url);
    return `${hostname}:${port || 5432}${pathname}`;
  } catch {
    return "DATABASE_URL (not a valid URL)";
  }
}
