import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { tracingEnabled } from "@tessera/tracing";
import { PrismaClient } from "../generated/prisma/client";
import { traceSqlPool } from "../tracing/sql-tracing";

export { PrismaClient };

export interface PoolOptions {
  /** Called with every SQL statement as it is sent: one call per round trip to the server. */
  onQuery?: (sql: string) => void;
  /** Most connections the pool opens (pg's default: 10). */
  poolMax?: number;
}

/** A plain pg pool for hand-written SQL, on the same database and with the same options as Prisma's. */
export function createPgPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, ...(options.poolMax && { max: options.poolMax }) });
  // An idle connection the server drops is discarded and replaced on next use; without a listener
  // the pool's "error" event would end the process.
  pool.on("error", () => {});
  const { onQuery } = options;
  if (onQuery) pool.on("connect", (client) => observeQueries(client, onQuery));
  if (tracingEnabled()) traceSqlPool(pool);
  return pool;
}

/** Prisma Client on adapter-pg; `$disconnect()` also ends its pool. */
export function createPrisma(url: string, options: PoolOptions = {}): PrismaClient {
  const adapter = new PrismaPg(createPgPool(url, options), { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}

/**
 * Observes at the connection, below Prisma: Prisma's query event reports operations, while this
 * sees each statement actually sent, including BEGIN/COMMIT and the extra queries of relation loads.
 */
function observeQueries(client: pg.PoolClient, onQuery: (sql: string) => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const [first] = args;
    onQuery(typeof first === "string" ? first : String((first as { text?: unknown }).text));
    return query(...args);
  }) as typeof client.query;
}
