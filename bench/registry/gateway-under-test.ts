import { randomBytes } from "node:crypto";
import { loadConfig } from "../../gateway/src/config";
import { startDatabase } from "../../gateway/src/db/database";
import { createLogger } from "../../gateway/src/logger";
import { startGateway } from "../../gateway/src/server";
import { UNLIMITED_RATES } from "../../gateway/test/support/gateway";
import { createBenchDatabase } from "../cluster/cluster-under-test";

/** SQL statements the gateway sent, by their first keyword (SELECT, UPDATE, BEGIN, …). */
export class StatementCounter {
  private counts = new Map<string, number>();

  record(sql: string): void {
    const keyword = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "OTHER";
    this.counts.set(keyword, (this.counts.get(keyword) ?? 0) + 1);
  }

  reset(): void {
    this.counts.clear();
  }

  total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  /** "SELECT 3, UPDATE 1" divided by `requests`, most frequent first. */
  perRequest(requests: number): string {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([keyword, count]) => `${keyword} ${+(count / requests).toFixed(2)}`)
      .join(", ");
  }
}

export interface GatewayUnderTest {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The embedded database the gateway runs on, for hand-written SQL beside it. */
  databaseUrl: string;
  adminToken: string;
  statements: StatementCounter;
  /** Stops the gateway (and the inference tier it started), then the database. */
  stop(): Promise<void>;
}

/**
 * The embedded database under the data directory, or with BENCH_DATABASE_URL a new database on that
 * PostgreSQL server (the gateway applies its migrations), dropped when closed.
 */
export async function startBenchDatabase(
  config: ReturnType<typeof loadConfig>,
  logger: ReturnType<typeof createLogger>,
): Promise<{ url: string; close(): Promise<void> }> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) return startDatabase(config, logger);
  const created = await createBenchDatabase(serverUrl);
  return { url: created.url, close: created.drop };
}

/** Where the gateway under test keeps its rows, for the bench's first line. */
export const benchDatabaseName = () =>
  process.env.BENCH_DATABASE_URL ? "PostgreSQL server (BENCH_DATABASE_URL)" : "embedded PostgreSQL";

/**
 * The real gateway, in this process, on an embedded database under `dataDir` (or BENCH_DATABASE_URL's server). The database is
 * started here and handed over as DATABASE_URL because the running gateway does not expose its URL.
 */
export async function startGatewayUnderTest(dataDir: string): Promise<GatewayUnderTest> {
  const adminToken = `tsr_bench_${randomBytes(16).toString("hex")}`;
  const env = {
    TESSERA_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: "0",
    // 0: the local tier takes a free port, so a bench never collides with a running stack.
    INFERENCE_PORT: "0",
    TESSERA_ADMIN_TOKEN: adminToken,
    ...UNLIMITED_RATES,
    LOG_LEVEL: process.env.LOG_LEVEL,
  };
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel });
  const database = await startBenchDatabase(config, logger);
  const statements = new StatementCounter();
  try {
    const gateway = await startGateway(loadConfig({ ...env, DATABASE_URL: database.url }), logger, {
      onQuery: (sql) => statements.record(sql),
    });
    return {
      url: gateway.url,
      databaseUrl: database.url,
      adminToken,
      statements,
      async stop() {
        try {
          await gateway.stop();
        } finally {
          await database.close();
        }
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
