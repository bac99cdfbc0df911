import type { GatewayConfig } from "./config";
import type { Logger } from "./logger";
import { createPgPool, createPrisma } from "./db/prisma";
import type { PrismaClient } from "./generated/prisma/client";
import { createBlobStore } from "./storage/create-blob-store";
import { traceBlobStore } from "./tracing/blob-tracing";
import { BlobReferences } from "./blobs/blob-references";
import { QuotasService } from "./quotas/quotas.service";
import { ModelsService } from "./models/models.service";
import { startTier, type TierHandle } from "./tier/tier";
import { DeploymentsService } from "./inference/deployments.service";
import { DatasetQualityService } from "./datasets/quality/quality.service";
import { createEmbeddings } from "./datasets/embeddings/start-embeddings";
import { createEmbeddingMaps } from "./datasets/embeddings/maps/start-embedding-maps";
import { JobQueue, type JobPayloads } from "./jobs/job-queue";
import { JobEventLog } from "./jobs/job-event-log";
import { JobNotifier } from "./jobs/job-notifier";
import { ClusterBus } from "./cluster/cluster-bus";
import { relayAdjustmentFits, relayServingChanges } from "./cluster/cluster-relays";
import { JobRunner } from "./jobs/job-runner";
import { JobsService } from "./jobs/jobs.service";
import { jobKinds } from "./jobs/job-kinds";
import { trainingJobKind, stopTrials } from "./training/training-job-kind";
import { trainJobHandler } from "./training/worker/train-job";
import { defaultTrainingWorkerSettings } from "./training/worker/run-context";
import { clearCheckpoint, reconstructionJobKind } from "./reconstructions/reconstruction-job-kind";
import { reconstructJobHandler } from "./reconstructions/worker/reconstruct-job";
import { ActiveAdjustments } from "./feedback/predictions/active-adjustments";
import { adjustmentJobKind } from "./feedback/predictions/adjustment-job-kind";
import { adjustmentJobHandler } from "./feedback/predictions/adjustment-job";
import { createRetraining } from "./feedback/retraining/start-retraining";
import { holdSharedImageAnalysis } from "./datasets/images/shared-analysis-pool";

/** pg-boss's longest expiry (24 hours), less a margin. */
const QUEUE_EXPIRY_SECONDS = 23 * 60 * 60;

/** A stop step, named for the log; steps run in reverse order of registration. */
export type Stops = Array<[part: string, stop: () => Promise<unknown>]>;

export interface CoreOptions {
  /** Sees every SQL statement of the API's client (tests count them to catch N+1 queries). */
  onQuery?: (sql: string) => void;
  /** Jobs of each kind this process runs at once (0: none; other processes run them). */
  workers: {
    training: number;
    embeddings: number;
    reconstructions: number;
    /** Feedback-adjustment fits (default 1: each is short and runs on its own thread). */
    adjustments?: number;
    /** Embedding-map projections (default 1: each runs on its own thread). */
    embeddingMaps?: number;
  };
}

/**
 * What every Tessera process that touches data shares — the gateway (`npm start`) and a worker
 * (`npm run worker`): the database clients, the blob store, the tier, deployments, the job
 * platform (queue, event log, wake-ups, runner) and the kinds' handlers. One composition root, so
 * a worker runs jobs exactly as the gateway does. `stops` receives each part's stop step.
 */
export async function startCore(
  config: GatewayConfig,
  logger: Logger,
  databaseUrl: string,
  stops: Stops,
  options: CoreOptions,
) {
  const prisma = createPrisma(databaseUrl, { onQuery: options.onQuery });
  stops.push(["prisma", () => prisma.$disconnect()]);
  // Workers' own pool: their progress and per-epoch writes never queue behind API requests.
  const workerPrisma: PrismaClient = createPrisma(databaseUrl, {
    poolMax:
      4 + 2 * (options.workers.training + options.workers.embeddings + options.workers.reconstructions),
  });
  stops.push(["worker prisma", () => workerPrisma.$disconnect()]);
  const blobs = await createBlobStore(config.blobStorage, config.signedUrlTtlSeconds, logger);
  stops.push(["blob store", () => blobs.close()]);
  // Dataset images are analysed on these threads; stopped after the HTTP server has drained.
  stops.push(["image analysis threads", holdSharedImageAnalysis(config.ingestThreads)]);
  const store = traceBlobStore(blobs.store);
  const quotas = new QuotasService(prisma, config.quotas);
  const references = new BlobReferences(prisma, store, logger, quotas);
  // The model lists' hand-written SQL: counted by onQuery like Prisma's statements.
  // Few connections: a list page takes one or two statements (the embedded database runs one at a time).
  const listPool = createPgPool(databaseUrl, { onQuery: options.onQuery, poolMax: 4 });
  stops.push(["model list pool", () => listPool.end()]);
  const models = new ModelsService(prisma, store, references, config, listPool);
  const tier: TierHandle = await startTier(config, logger, { deadlineMs: config.inferenceDeadlineMs });
  stops.push(["inference tier", () => tier.stop()]);
  const deployments = new DeploymentsService(
    prisma,
    store,
    tier.client,
    logger,
    config.inferenceDeadlineMs,
    config.deploymentLimits,
  );
  const pool = createPgPool(databaseUrl);
  stops.push(["vector pool", () => pool.end()]);

  // A run may take hours: pg-boss's own expiry (which would free the worker's slot while the run
  // goes on) is set far out; a dead worker is noticed by the job's heartbeat instead.
  const queue = await JobQueue.start<JobPayloads>(databaseUrl, logger, {
    kinds: Object.fromEntries(
      jobKinds.map(({ kind }) => [kind.name, { retryLimit: 2, expireInSeconds: QUEUE_EXPIRY_SECONDS }]),
    ),
  });
  // Stopped before the tier and the database (stops run in reverse): running jobs fail over.
  stops.push(["job queue", () => queue.stop({ timeoutMs: 5_000 })]);
  const events = new JobEventLog(prisma, logger);
  stops.push(["job event log", async () => events.close()]);
  // With notifications every append wakes followers and the timer is only a safety net; without
  // them (the embedded database, a lost listener) followers poll.
  const pollMs = events.pollIntervalMs;
  const notifier = await JobNotifier.start(databaseUrl, (jobId) => events.wake(jobId), logger, {
    onModeChange: (mode) => events.setPollInterval(mode === "notify" ? 2_000 : pollMs),
  });
  stops.push(["job notifier", () => notifier.stop()]);
  // News for the other gateway replicas and workers on this database (their caches); "local" on
  // the embedded database, where this process is alone.
  const bus = await ClusterBus.start(databaseUrl, logger);
  stops.push(["cluster bus", () => bus.stop()]);
  relayServingChanges(bus, deployments);
  const jobs = new JobsService(prisma, queue, events, quotas);
  await jobs.prepare(jobKinds.map((entry) => entry.kind));
  // One log: the runner's appends go through its own pool's transactions and wake this process's
  // subscribers at once.
  const runner = new JobRunner(workerPrisma, queue, events, logger, {
    pollMs: config.jobs.cancelPollMs,
    retryDelayFactor: config.jobs.retryDelayFactor,
    heartbeatMs: config.trainingWorkers.heartbeatMs,
    staleAfterMs: config.trainingWorkers.staleAfterMs,
    sweepIntervalMs: config.trainingWorkers.sweepIntervalMs,
  });
  jobs.onCancelRequested = (jobId) => runner.cancelLocally(jobId);
  jobs.finishHooks.set(trainingJobKind.name, stopTrials);
  jobs.finishHooks.set(reconstructionJobKind.name, clearCheckpoint);

  const datasetQuality = new DatasetQualityService(prisma, store);
  const embedding = createEmbeddings({
    prisma,
    workerPrisma,
    pool,
    store,
    jobs,
    tier: tier.client,
    deployments,
    logger,
    // A version's quality report uses its vectors (suspected label errors): refresh it now.
    onSucceeded: (versionId) => datasetQuality.computeQuality(versionId),
  });
  const embeddingMaps = createEmbeddingMaps({ prisma, workerPrisma, pool, jobs });
  // Classifications read each version's active adjustment from memory; a fit by any process refreshes it.
  const adjustments = new ActiveAdjustments(prisma);
  const adjustmentFitted = relayAdjustmentFits(bus, adjustments);
  const retraining = createRetraining({
    config,
    prisma,
    workerPrisma,
    pool,
    store,
    references,
    tier: tier.client,
    deployments,
    jobs,
    logger,
  });
  /** Starts this process's workers; call once everything jobs rely on is in place. */
  const startWorkers = async () => {
    await embedding.work(runner, options.workers.embeddings);
    await embeddingMaps.work(runner, options.workers.embeddingMaps ?? 1);
    await runner.work(
      trainingJobKind,
      trainJobHandler(
        { prisma: workerPrisma, store, tier: tier.client, deployments, models, logger },
        defaultTrainingWorkerSettings,
      ),
      { concurrency: options.workers.training, onFinished: stopTrials },
    );
    await runner.work(
      reconstructionJobKind,
      reconstructJobHandler({ prisma: workerPrisma, store, references, tier: tier.client }),
      { concurrency: options.workers.reconstructions, onFinished: clearCheckpoint },
    );
    await runner.work(
      adjustmentJobKind,
      adjustmentJobHandler({
        prisma: workerPrisma,
        onFitted: adjustmentFitted,
      }),
      { concurrency: options.workers.adjustments ?? 1 },
    );
    const stopScheduler = await retraining.work(runner);
    stops.push(["retraining scheduler", stopScheduler]);
    runner.startSweeping();
    // Stopped before the job queue, which must still be there to take running jobs back.
    stops.push(["job runner", () => runner.stop()]);
  };

  return {
    prisma,
    store,
    references,
    quotas,
    models,
    tier,
    deployments,
    pool,
    jobs,
    runner,
    notifier,
    bus,
    datasetQuality,
    embedding,
    embeddingMaps,
    adjustments,
    retraining,
    startWorkers,
  };
}

export type Core = Awaited<ReturnType<typeof startCore>>;
