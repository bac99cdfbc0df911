// The registry's types carry type-graphql decorators, which need the metadata polyfill first.
import "reflect-metadata";
import { loadConfig } from "../../config";
import { startCore, type Stops } from "../../core";
import { createLogger } from "../../logger";
import { readEmbeddedDatabaseUrl } from "./embedded-database-url";
import { startTracing } from "../../tracing/tracing";
import { applyMigrations } from "../../db/migrations";

/**
 * `npm run worker`: a process that only runs jobs (training, embeddings, every registered kind),
 * beside a gateway, to scale them out. It shares the gateway's database (DATABASE_URL, or the
 * embedded one of the gateway running on the same TESSERA_DATA_DIR) and blob store
 * (TESSERA_DATA_DIR), and is composed by the same root as the gateway (core.ts). Jobs run on the
 * tiers of INFERENCE_URL, or on a tier of its own (a child process, on INFERENCE_PORT or a free
 * port). TESSERA_TRAINING_WORKERS, TESSERA_EMBEDDING_WORKERS and TESSERA_RECONSTRUCTION_WORKERS set
 * how many jobs of each kind it runs at once (at least 1 training job here). SIGTERM hands running
 * jobs back to the queue.
 */
const SHUTDOWN_GRACE_MS = 15_000;

async function main() {
  const config = loadConfig({ ...process.env, INFERENCE_PORT: process.env.INFERENCE_PORT || "0" });
  const logger = createLogger({ level: config.logLevel, service: "worker" });
  const tracing = startTracing(config.tracing, logger, "tessera-worker");
  const databaseUrl = config.databaseUrl ?? (await readEmbeddedDatabaseUrl(config.dataDir));
  // A worker may start before any gateway (or with them, on a new database): the migrations run
  // once, under their lock, whoever comes first. The embedded database's gateway migrated it.
  if (config.databaseUrl) await applyMigrations(databaseUrl);
  const stops: Stops = [];
  // First in, so stopped last: the spans of the other parts' last work still go out.
  stops.push(["tracing", () => tracing.shutdown()]);
  const stopAll = async () => {
    for (const [part, stop] of stops.reverse())
      await stop().catch((error) => logger.error({ err: error, part }, "error while stopping"));
  };
  try {
    const core = await startCore(config, logger, databaseUrl, stops, {
      workers: {
        training: Math.max(1, config.trainingWorkers.workers),
        embeddings: config.jobs.embeddingWorkers,
        reconstructions: config.reconstructions.workers,
        adjustments: config.jobs.adjustmentWorkers,
        embeddingMaps: config.jobs.embeddingMapWorkers,
      },
    });
    await core.startWorkers();
    logger.info(
      { workerId: core.runner.workerId, tiers: core.tier.client.addresses(), wakeUps: core.notifier.mode },
      "worker ready",
    );
  } catch (error) {
    await stopAll();
    throw error;
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping: handing running jobs back");
    setTimeout(() => {
      logger.error("stopping took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await stopAll();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  createLogger({ level: "info", service: "worker" }).fatal(
    { err: error },
    error instanceof Error ? error.message : "the worker failed to start",
  );
  process.exit(1);
});
