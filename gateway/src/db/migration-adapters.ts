import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  isDriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";

const CHAR_OID = 18; // PostgreSQL's one-byte "char", used by catalog columns such as pg_constraint.contype
const TEXT_OID = 25;

/**
 * The connections the WASM schema engine works through. No shadow database: adapter-pg's is a
 * `CREATE DATABASE` on the same server, which on PGlite is no separate database, and the diff in
 * ./migrations builds its reference database itself.
 */
export class MigrationAdapters implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";
  #pools: pg.Pool[] = [];
  /** The database's own words for the last script that failed; the engine reports only a category. */
  lastScriptError: string | null = null;

  constructor(private readonly url: string) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.#adapter(this.url);
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    return Promise.reject(new Error("Tessera gives the schema engine no shadow database."));
  }

  async close(): Promise<void> {
    await Promise.all(this.#pools.splice(0).map((pool) => pool.end()));
  }

  async #adapter(url: string): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on("connect", readCharColumnsAsText);
    this.#pools.push(pool);
    return forSchemaEngine(await new PrismaPg(pool).connect(), (message) => (this.lastScriptError = message));
  }
}

/**
 * Two fixes to adapter-pg 7 for the schema engine:
 * - It splits a script on every ";" (breaking strings and function bodies) and sends the pieces
 *   one by one over the pool. Send it as one simple-protocol query instead, as Prisma's native
 *   engine does: PostgreSQL runs it in one implicit transaction, so a failed migration leaves nothing.
 * - It rejects PostgreSQL's one-byte "char" type ("Unsupported column type char"), which the
 *   engine's schema describer selects (pg_constraint.contype) and reads as a character.
 */
function forSchemaEngine(
  adapter: SqlDriverAdapter,
  onScriptError: (message: string) => void,
): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: async (query) => {
      const result = await adapter.queryRaw(query);
      for (const column of charColumns.get(result.rows) ?? [])
        result.columnTypes[column] = ColumnTypeEnum.Character;
      return result;
    },
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: async (script) => {
      try {
        await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
      } catch (error) {
        const cause = isDriverAdapterError(error) ? error.cause : null;
        if (cause && "originalMessage" in cause)
          onScriptError(`${cause.originalMessage} (${cause.originalCode})`);
        throw error;
      }
    },
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    ...(adapter.getConnectionInfo && { getConnectionInfo: () => adapter.getConnectionInfo!() }),
    dispose: () => adapter.dispose(),
  };
}

type QueryResults = pg.QueryResult | pg.QueryResult[];

/**
 * Positions of the "char" columns of a result, keyed by its rows array, which adapter-pg passes
 * through unchanged; the driver-level hook below sees the column types, the adapter-level one
 * above sets them.
 */
const charColumns = new WeakMap<unknown[], number[]>();

/** Lets adapter-pg accept "char" columns by presenting them as text (their text form is the character). */
function readCharColumnsAsText(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const retype = (results: QueryResults) => {
    for (const result of Array.isArray(results) ? results : [results]) {
      const columns: number[] = [];
      result?.fields?.forEach((field, index) => {
        if (field.dataTypeID !== CHAR_OID) return;
        field.dataTypeID = TEXT_OID;
        columns.push(index);
      });
      if (columns.length > 0) charColumns.set(result.rows, columns);
    }
    return results;
  };
  client.query = ((...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      return query(...args.slice(0, -1), (error: Error | null, results: QueryResults) =>
        callback(error, error ? results : retype(results)),
      );
    }
    const pending = query(...args);
    return pending instanceof Promise ? pending.then(retype) : pending;
  }) as typeof client.query;
}
