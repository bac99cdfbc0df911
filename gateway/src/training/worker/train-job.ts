import type { Prisma, TrainingJob } from "../../generated/prisma/client";
import type { JobHandler } from "../../jobs/job-queue";
import type { Viewer } from "../../users/access";
import type { TrainingOptions } from "../training-contracts";
import { resolveBase } from "./base-model";
import { claimJob, JobRecord } from "./job-record";
import { JobProgress } from "./job-progress";
import { JobInterrupted, JobWatch } from "./job-watch";
import { registerResult } from "./result-registration";
import type { RunningJobs } from "./running-jobs";
import type { JobRun, TrainingWorkerDeps, TrainingWorkerSettings } from "./run-context";
import { TrainingTier } from "./training-tier";
import { assignSplits, trainCounts, versionSamples } from "./training-samples";
import { plannedTrials, runTrials } from "./trial-schedule";

import { TRAIN_JOB } from "../training.service";

/** A reason the job fails with, written for its owner. */
class JobFailure extends Error {
  override name = "JobFailure";
}

/**
 * The queue's handler for "train-model": claims the job's row, prepares the samples and the base,
 * runs the trials, exports and registers the best one. Every way it can end is settled on the
 * row here, so the queue job completes (no retries of a job that cannot succeed). A job this
 * process stops in the middle of goes back to the queue; one another worker took over is left
 * to it.
 */
export function trainJobHandler(
  deps: TrainingWorkerDeps,
  settings: TrainingWorkerSettings,
  workerId: string,
  running: RunningJobs,
): JobHandler<{ trainingJobId: string }> {
  const tier = new TrainingTier(deps.tier);
  return async (queueJob) => {
    const { trainingJobId } = queueJob.payload;
    const claimed = await claimJob(deps.prisma, trainingJobId, workerId, queueJob.id, settings.staleAfterMs);
    // Finished, cancelled, deleted, or alive on another worker: nothing to do.
    if (!claimed) return;
    const logger = deps.logger.child({ trainingJobId, workerId });
    const record = new JobRecord(deps.prisma, deps.events, trainingJobId, workerId);
    const watch = new JobWatch(record, queueJob.signal, settings, logger);
    const untrack = running.track(watch);
    try {
      if (claimed.cancelRequested) throw new JobInterrupted("cancelled");
      await trainJob(deps, settings, tier, record, watch.signal, claimed);
    } catch (error) {
      const interruption = watch.interruption ?? (error instanceof JobInterrupted ? error.kind : null);
      if (interruption === "cancelled") await record.cancel();
      else if (interruption === "stopped") await handBack(deps, record, error);
      else if (interruption === null) {
        logger.warn({ err: error }, "training job failed");
        await record.fail(error instanceof Error ? error.message : String(error));
      }
    } finally {
      watch.stop();
      untrack();
    }
  };
}

/**
 * This process stops mid-job: the job waits again (QUEUED) with a fresh queue job, which any
 * other worker takes at once and resumes from the checkpoints. When the queue is already gone
 * the error goes to it, and its retry (or the stale-job sweep) brings the job back.
 */
async function handBack(deps: TrainingWorkerDeps, record: JobRecord, interruption: unknown): Promise<void> {
  if (!(await record.release())) return;
  const { jobId } = record;
  const queueJobId = await deps.jobs
    .send(TRAIN_JOB, { trainingJobId: jobId }, { singletonKey: jobId })
    .catch(() => {
      throw interruption;
    });
  if (queueJobId) {
    await deps.prisma.trainingJob.updateMany({
      where: { id: jobId, status: "QUEUED" },
      data: { queueJobId },
    });
  }
}

async function trainJob(
  deps: TrainingWorkerDeps,
  settings: TrainingWorkerSettings,
  tier: TrainingTier,
  record: JobRecord,
  signal: AbortSignal,
  job: TrainingJob,
): Promise<void> {
  const { prisma, events } = deps;
  if (!job.datasetVersionId) throw new JobFailure("The dataset version was deleted");
  if (!job.baseModelVersionId) throw new JobFailure("The base model version was deleted");
  const options = job.options as unknown as TrainingOptions;
  await events.append(job.id, "progress", {
    status: "RUNNING",
    phase: "FEATURES",
    trial: 0,
    epoch: job.currentEpoch,
    totalEpochs: options.epochs,
    step: 0,
    totalSteps: 0,
    progress: job.progress,
  });
  const ownerRow = await prisma.user.findUniqueOrThrow({ where: { id: job.ownerId } });
  const owner: Viewer = { id: ownerRow.id, handle: ownerRow.handle, role: ownerRow.role as Viewer["role"] };
  const labels = job.labels.length > 0 ? job.labels : await classNames(deps, job.datasetVersionId);
  const split = assignSplits(
    await versionSamples(prisma, job.datasetVersionId, labels),
    options.validationSplit,
    options.seed,
  );
  await record.update({ labels, splitCounts: split.counts as unknown as Prisma.InputJsonValue });
  const base = await resolveBase(
    prisma,
    deps.deployments,
    owner,
    job.baseModelVersionId,
    options.featureOutput,
    signal,
  );
  if (!base) throw new JobFailure("The base model version was deleted");
  const run: JobRun = {
    deps,
    settings,
    tier,
    record,
    signal,
    progress: new JobProgress(record, events, plannedTrials(options), options.epochs),
    job,
    owner,
    options,
    labels,
    samples: split.samples,
    trainCounts: trainCounts(split.samples, labels.length),
    base,
    address: tier.pickTier(),
  };
  const trials = await runTrials(run);
  signal.throwIfAborted();
  const result = await registerResult(run, trials);
  await record.succeed(result.versionId, result.evaluation);
}

/** A job queued without labels trains on the version's classes, by name. */
async function classNames(deps: TrainingWorkerDeps, versionId: string): Promise<string[]> {
  const classes = await deps.prisma.datasetClass.findMany({
    where: { members: { some: { versionId } } },
    select: { name: true },
    orderBy: { name: "asc" },
  });
  return classes.map((c) => c.name);
}
