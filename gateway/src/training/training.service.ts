import type { TrainingLimits } from "../config";
import type { PrismaClient, TrainingJob as TrainingJobRow } from "../generated/prisma/client";
import { conflict } from "../errors";
import { isUuid } from "../graphql/ids";
import type { JobQueue } from "../jobs/job-queue";
import type { JobKind } from "../jobs/job-kinds";
import { requireViewer, type Viewer } from "../users/access";
import {
  assertCanChangeJob,
  assertCanSeeJob,
  canSeeJob,
  resultIsPublicOf,
  resultVisibilityInclude,
} from "./training-access";
import { checkBaseModel } from "./training-base-model";
import { trainingLabels } from "./training-dataset";
import { toTrainingEvent } from "./training-event.types";
import type { TrainingEventLog } from "./training-events";
import { resolveTrainingOptions } from "./training-options";
import { toTrainingJob } from "./training-rows";
import { checkTargetModel } from "./training-target";
import type { TrainingInput } from "./training.inputs";
import type { TrainingJob } from "./training.types";

/** The queue kind that runs a training job (see jobs/job-kinds.ts). */
export const TRAIN_JOB = "train-model" satisfies JobKind;

/** A job's status can move while a cancel is decided; this many reads settle it. */
const CANCEL_ATTEMPTS = 3;

/** Starting, cancelling, finding and following training jobs; the worker runs them. */
export class TrainingService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobs: JobQueue,
    readonly events: TrainingEventLog,
    private readonly limits: TrainingLimits,
  ) {}

  /**
   * Checks everything that can be checked before queueing (the dataset's classes, the options,
   * the base model's outputs, the target model), then stores the job, logs its first progress
   * event and queues it. A refused input leaves no row and no queued job behind.
   */
  async startTraining(viewer: Viewer | null, input: TrainingInput): Promise<TrainingJob> {
    const user = requireViewer(viewer);
    const labels = await trainingLabels(this.prisma, user, input.datasetVersionId);
    const options = resolveTrainingOptions(input, this.limits, labels);
    await checkBaseModel(this.prisma, user, input.baseModelVersionId, options.featureOutput);
    const targetModelSlug = await checkTargetModel(this.prisma, user, input.targetModelSlug);
    const row = await this.prisma.trainingJob.create({
      data: {
        ownerId: user.id,
        datasetVersionId: input.datasetVersionId,
        baseModelVersionId: input.baseModelVersionId,
        targetModelSlug,
        options: JSON.parse(JSON.stringify(options)),
        labels,
        totalEpochs: options.epochs,
      },
    });
    try {
      // Logged before the queue can hand the job to a worker, so QUEUED comes first in the log.
      await this.events.append(row.id, "progress", {
        status: "QUEUED",
        phase: "QUEUED",
        trial: 0,
        epoch: 0,
        totalEpochs: options.epochs,
        step: 0,
        totalSteps: 0,
        progress: 0,
      });
      const queueJobId = await this.jobs.send(TRAIN_JOB, { trainingJobId: row.id }, { singletonKey: row.id });
      return toTrainingJob(
        await this.prisma.trainingJob.update({ where: { id: row.id }, data: { queueJobId } }),
      );
    } catch (error) {
      await this.prisma.trainingJob.delete({ where: { id: row.id } }).catch(() => {});
      throw error;
    }
  }

  /**
   * QUEUED: cancelled at once (its queued run too). RUNNING: asks the worker to stop, which it
   * does within seconds and then logs the cancellation. Finished: CONFLICT.
   */
  async cancelTraining(viewer: Viewer | null, id: string): Promise<TrainingJob> {
    const user = requireViewer(viewer);
    for (let attempt = 1; attempt <= CANCEL_ATTEMPTS; attempt++) {
      const job = assertCanChangeJob(user, await this.visibleRow(id), id);
      if (job.status === "QUEUED") {
        const reason = `Cancelled by ${user.handle} before it started`;
        const { count } = await this.prisma.trainingJob.updateMany({
          where: { id: job.id, status: "QUEUED" },
          data: { status: "CANCELLED", error: reason, finishedAt: new Date() },
        });
        if (count === 0) continue;
        if (job.queueJobId) await this.jobs.cancel(TRAIN_JOB, job.queueJobId);
        await this.events.append(job.id, "failed", { status: "CANCELLED", reason });
        return this.reload(job.id);
      }
      if (job.status === "RUNNING") {
        const { count } = await this.prisma.trainingJob.updateMany({
          where: { id: job.id, status: "RUNNING" },
          data: { cancelRequested: true },
        });
        if (count === 0) continue;
        return this.reload(job.id);
      }
      throw conflict(
        `Training job ${id} already ${job.status.toLowerCase()}; only QUEUED or RUNNING jobs can be cancelled`,
        { field: "id" },
      );
    }
    throw conflict(`Training job ${id} changed state while being cancelled; try again`, { field: "id" });
  }

  /** The job, or null when it does not exist or the viewer may not see it. */
  async findJob(viewer: Viewer | null, id: string): Promise<TrainingJob | null> {
    const row = await this.visibleRow(id);
    return row && canSeeJob(viewer, row) ? toTrainingJob(row) : null;
  }

  /** The job's current state, then its events as GraphQL union members (see TrainingEventLog). */
  async follow(viewer: Viewer | null, jobId: string, signal?: AbortSignal) {
    const job = assertCanSeeJob(viewer, await this.visibleRow(jobId), jobId);
    const records = this.events.subscribe(job.id, signal);
    return mapIterator(records, (record) => toTrainingEvent(record, job.labels));
  }

  private async visibleRow(id: string): Promise<(TrainingJobRow & { resultIsPublic: boolean }) | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.trainingJob.findUnique({ where: { id }, include: resultVisibilityInclude });
    if (!row) return null;
    const { resultModelVersion: _result, ...job } = row;
    return { ...job, resultIsPublic: resultIsPublicOf(row) };
  }

  private async reload(id: string): Promise<TrainingJob> {
    return toTrainingJob(await this.prisma.trainingJob.findUniqueOrThrow({ where: { id } }));
  }
}

/** `map` over an iterator that keeps its `return()`, so a client leaving still ends the source at once. */
function mapIterator<T, U>(source: AsyncIterableIterator<T>, map: (value: T) => U): AsyncIterableIterator<U> {
  const mapped: AsyncIterableIterator<U> = {
    next: async () => {
      const result = await source.next();
      return result.done ? { value: undefined, done: true } : { value: map(result.value), done: false };
    },
    return: async () => {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}
