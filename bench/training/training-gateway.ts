import { randomBytes } from "node:crypto";
import { loadConfig } from "../../gateway/src/config";
import { startDatabase } from "../../gateway/src/db/database";
import { createLogger } from "../../gateway/src/logger";
import { startGateway, type RunningGateway } from "../../gateway/src/server";
import { UNLIMITED_RATES } from "../../gateway/test/support/gateway";
import { deferCleanup } from "../lib/cleanup";

export interface TrainingGateway {
  running: RunningGateway;
  /** The database the gateway runs on (for a second process on the same one). */
  databaseUrl: string;
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * The real gateway in this process, on an embedded database under `dataDir` (or on
 * `externalDatabaseUrl`), with no training worker: a job stays as the bench leaves it, and its
 * events are the ones the bench appends.
 */
export async function startTrainingGateway(
  dataDir: string,
  externalDatabaseUrl?: string,
): Promise<TrainingGateway> {
  const adminToken = `tsr_bench_${randomBytes(16).toString("hex")}`;
  const env = {
    TESSERA_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: "0",
    INFERENCE_PORT: "0",
    TESSERA_ADMIN_TOKEN: adminToken,
    ...UNLIMITED_RATES,
    LOG_LEVEL: process.env.LOG_LEVEL,
    TESSERA_TRAINING_WORKERS: "0",
  };
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel });
  const database = externalDatabaseUrl
    ? { url: externalDatabaseUrl, close: async () => {} }
    : await startDatabase(config, logger);
  const running = await startGateway(loadConfig({ ...env, DATABASE_URL: database.url }), logger).catch(
    async (error: unknown) => {
      await database.close();
      throw error;
    },
  );
  const stop = deferCleanup(async () => {
    try {
      await running.stop();
    } finally {
      await database.close();
    }
  });
  return { running, adminToken, databaseUrl: database.url, stop };
}
