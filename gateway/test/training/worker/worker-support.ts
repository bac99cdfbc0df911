import { expect } from "vitest";
import type { TrainingEventRecord } from "../../../src/training/training-contracts";
import { TrainingEventView } from "../../../src/training/training-event-view";
import { createLogger } from "../../../src/logger";
import { startLocalTier } from "../../../src/tier/local-tier";
import { createTestDatabase } from "../../support/database";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import type { WorkerProcess } from "./worker-process";
import { featureEmbedderVersionId, startedJob, uploadTextures, type Job } from "../api/training-api";

/** What the worker tests share: a gateway whose workers notice a dead worker within seconds. */

export const FAST_SWEEP = {
  TESSERA_TRAINING_HEARTBEAT_MS: "300",
  TESSERA_TRAINING_STALE_MS: "2000",
  TESSERA_TRAINING_SWEEP_MS: "500",
};

export function startWorkerGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  return startTestGateway({ env: { ...FAST_SWEEP, ...env } });
}

/**
 * A gateway that runs no jobs itself, and what `npm run worker` processes need to share its
 * database, blob store and tier: `workerEnv` for spawnWorker. `gateway.prisma` is a client on
 * that shared database (the harness's own assertion client is on a database of its own).
 */
export interface WorkerHarness {
  gateway: TestGateway;
  workerEnv: Record<string, string>;
  workers: WorkerProcess[];
  stop(): Promise<void>;
}

export async function startWorkerHarness(): Promise<WorkerHarness> {
  const database = await createTestDatabase();
  const tier = await startLocalTier({ port: 0, tritonUrl: null, logger: createLogger({ level: "silent" }) });
  const shared = {
    ...FAST_SWEEP,
    DATABASE_URL: database.url,
    INFERENCE_URL: tier.url,
    TESSERA_TRAINING_WORKERS: "0",
  };
  const started = await startTestGateway({ env: { ...shared, TESSERA_EMBEDDING_WORKERS: "0" } });
  const gateway = { ...started, prisma: database.prisma };
  const workers: WorkerProcess[] = [];
  return {
    gateway,
    workerEnv: { ...shared, TESSERA_DATA_DIR: gateway.dataDir },
    workers,
    async stop() {
      for (const worker of workers) await worker.kill();
      await gateway.stop();
      await tier.stop();
      await database.close();
    },
  };
}

export interface TrainingFixture {
  versionId: string;
  classNames: string[];
  baseId: string;
}

/** A small texture dataset (uploaded by the admin) and the built-in embedder as the base. */
export async function textureFixture(
  gateway: TestGateway,
  name: string,
  options: { classes?: number; imagesPerClass?: number } = {},
): Promise<TrainingFixture> {
  const { versionId, classNames } = await uploadTextures(gateway, name, gateway.adminToken, {
    classes: options.classes ?? 3,
    imagesPerClass: options.imagesPerClass ?? 6,
  });
  return { versionId, classNames, baseId: await featureEmbedderVersionId(gateway) };
}

export function startJob(
  gateway: TestGateway,
  fixture: TrainingFixture,
  targetModelSlug: string,
  options: Record<string, unknown>,
): Promise<Job> {
  return startedJob(gateway, {
    datasetVersionId: fixture.versionId,
    baseModelVersionId: fixture.baseId,
    targetModelSlug,
    ...options,
  });
}

/**
 * The training row with its Job's lifecycle beside it (status, progress, attempts, error, worker,
 * queue job, times): the whole job as the API shows it, `error` being the Job's errorMessage.
 */
export async function jobState(gateway: TestGateway, jobId: string) {
  const { job, ...training } = await gateway.prisma.trainingJob.findUniqueOrThrow({
    where: { id: jobId },
    include: { job: true },
  });
  return {
    ...training,
    status: job.status,
    progress: job.progress,
    attempts: job.attempts,
    cancelRequested: job.cancelRequested,
    error: job.errorMessage,
    errorCode: job.errorCode,
    queueJobId: job.queueJobId,
    workerId: job.workerId,
    heartbeatAt: job.heartbeatAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

/** Polls the job until `until` holds (or the time is up). */
export async function waitForJob(
  gateway: TestGateway,
  jobId: string,
  until: (job: { status: string; currentEpoch: number }) => boolean,
  timeoutMs = 45_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobState(gateway, jobId);
    if (until(job)) return job;
    if (Date.now() > deadline) {
      throw new Error(`job ${jobId} still ${job.status} (epoch ${job.currentEpoch}, error ${job.error})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until trial 0 has stored a checkpoint of `epoch` or later; returns the checkpoint's epoch. */
export async function waitForCheckpoint(gateway: TestGateway, jobId: string, epoch: number): Promise<number> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const trial = await gateway.prisma.trainingTrial.findFirst({ where: { jobId, number: 0 } });
    if ((trial?.checkpointEpoch ?? 0) >= epoch) return trial!.checkpointEpoch!;
    if (Date.now() > deadline)
      throw new Error(`trial 0 of job ${jobId} stored no checkpoint of epoch ${epoch}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const finished = (job: { status: string }) =>
  ["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status);

/** The job's event log, in order, as stored (the job platform's "state" and "progress", training's "metrics" and "trial"). */
export async function eventLog(gateway: TestGateway, jobId: string) {
  return gateway.prisma.jobEvent.findMany({ where: { jobId }, orderBy: { seq: "asc" } });
}

/** The job's event log as `trainingProgress` streams it: progress, metrics, trial, completed, failed. */
export async function trainingEventLog(gateway: TestGateway, jobId: string): Promise<TrainingEventRecord[]> {
  const { totalEpochs } = await gateway.prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } });
  const view = new TrainingEventView(totalEpochs);
  return (await eventLog(gateway, jobId)).flatMap((event) => view.toTraining(event) ?? []);
}

/** Stored metrics of a trial as "epoch:name" keys, sorted, with how often each appears. */
export async function storedMetricKeys(gateway: TestGateway, jobId: string, trial = 0): Promise<string[]> {
  const rows = await gateway.prisma.trainingMetric.findMany({
    where: { jobId, trial },
    orderBy: [{ epoch: "asc" }, { name: "asc" }],
  });
  return rows.map((row) => `${row.epoch}:${row.name}`);
}

/** The metric names the tier reports every epoch. */
export const EPOCH_METRICS = [
  "accuracy",
  "epoch_seconds",
  "learning_rate",
  "loss",
  "samples_per_second",
  "val_accuracy",
  "val_loss",
];

/** Every epoch 1…epochs with every metric, exactly once. */
export function everyEpochOnce(epochs: number): string[] {
  return Array.from({ length: epochs }, (_, i) => EPOCH_METRICS.map((name) => `${i + 1}:${name}`)).flat();
}

export function expectNoErrors(body: { errors?: readonly unknown[] }): void {
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
}
