// The registry's types carry type-graphql decorators, which need the metadata polyfill first.
import "reflect-metadata";
import path from "node:path";
import { BlobReferences } from "../../blobs/blob-references";
import { loadConfig } from "../../config";
import { createPrisma } from "../../db/prisma";
import { DeploymentsService } from "../../inference/deployments.service";
import { JobQueue } from "../../jobs/job-queue";
import { logger as rootLogger } from "../../logger";
import { ModelsService } from "../../models/models.service";
import { LocalBlobStore } from "../../storage/local-blob-store";
import { startTier } from "../../tier/tier";
import { TrainingEventLog } from "../training-events";
import { readEmbeddedDatabaseUrl } from "./embedded-database-url";
import { defaultTrainingWorkerSettings } from "./run-context";
import { startTrainingWorkers } from "./training-workers";

/**
 * `npm run worker`: a process that only trains, beside a gateway, to scale training out. It
 * shares the gateway's database (DATABASE_URL, or the embedded one of the gateway running on the
 * same TESSERA_DATA_DIR) and blob store (TESSERA_DATA_DIR). Training runs on the tiers of
 * INFERENCE_URL, or on a tier of its own (a child process, on INFERENCE_PORT or a free port).
 * TESSERA_TRAINING_WORKERS sets how many jobs it trains at once (at least 1 here).
 */
const SHUTDOWN_GRACE_MS = 15_000;

async function main() {
  const logger = rootLogger.child({ component: "training-worker-process" });
  const config = loadConfig({ ...process.env, INFERENCE_PORT: process.env.INFERENCE_PORT || "0" });
  const databaseUrl = config.databaseUrl ?? (await readEmbeddedDatabaseUrl(config.dataDir));
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error) => logger.error({ err: error }, "error while stopping"));
  };
  try {
    const prisma = createPrisma(databaseUrl);
    stops.push(() => prisma.$disconnect());
    const store = new LocalBlobStore(path.join(config.dataDir, "blobs"));
    const references = new BlobReferences(prisma, store, logger);
    const models = new ModelsService(prisma, store, references, config);
    const tier = await startTier(config, logger, { deadlineMs: config.inferenceDeadlineMs });
    stops.push(() => tier.stop());
    const deployments = new DeploymentsService(
      prisma,
      store,
      tier.client,
      logger,
      config.inferenceDeadlineMs,
      config.deploymentLimits,
    );
    const jobs = await JobQueue.start(databaseUrl, logger);
    stops.push(() => jobs.stop({ timeoutMs: 5_000 }));
    const events = new TrainingEventLog(prisma, logger);
    const workers = await startTrainingWorkers(
      { prisma, store, jobs, tier: tier.client, deployments, models, events, logger },
      {
        ...defaultTrainingWorkerSettings,
        ...config.trainingWorkers,
        workers: Math.max(1, config.trainingWorkers.workers),
      },
    );
    stops.push(() => workers.stop());
    logger.info({ workerId: workers.workerId, tiers: tier.client.addresses() }, "training worker ready");
  } catch (error) {
    await stopAll();
    throw error;
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "training worker stopping: handing running jobs back");
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
  rootLogger.fatal(
    { err: error },
    error instanceof Error ? error.message : "the training worker failed to start",
  );
  process.exit(1);
});
