import { randomUUID } from "node:crypto";
import type { TrainingLimits } from "../config";
import type { PrismaClient } from "../generated/prisma/client";
import { notFound } from "../errors";
import { isUuid } from "../graphql/ids";
import type { JobsService } from "../jobs/jobs.service";
import { mapRecords } from "../jobs/map-records";
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
import { TrainingEventView, trainingStartingState } from "./training-event-view";
import { trainingJobKind } from "./training-job-kind";
import { resolveTrainingOptions } from "./training-options";
import { toTrainingJob, type TrainingJobWithJob } from "./training-rows";
import { checkTargetModel } from "./training-target";
import type { TrainingInput } from "./training.inputs";
import type { TrainingJob } from "./training.types";

/** Starting, cancelling, finding and following training jobs; the worker runs them. */
export class TrainingService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobs: JobsService,
    private readonly limits: TrainingLimits,
  ) {}

  /**
   * Checks everything that can be checked before queueing (the dataset's classes, the options,
   * the base model's outputs, the target model), then stores the job, logs its first progress
   * event and queues it. A refused input leaves no row and no queued job behind. `parentId` makes
   * the job a child of another (a retraining run finds its training job by it after a restart).
   */
  async startTraining(
    viewer: Viewer | null,
    input: TrainingInput,
    placement: { parentId?: string | null } = {},
  ): Promise<TrainingJob> {
    const user = requireViewer(viewer);
    const labels = await trainingLabels(this.prisma, user, input.datasetVersionId);
    const options = resolveTrainingOptions(input, this.limits, labels);
    await checkBaseModel(this.prisma, user, input.baseModelVersionId, options.featureOutput);
    const targetModelSlug = await checkTargetModel(this.prisma, user, input.targetModelSlug);
    // The Job, its first event, its queue job and the training row commit together or not at all.
    const id = randomUUID();
    await this.prisma.$transaction(async (tx) => {
      await this.jobs.enqueue(tx, trainingJobKind, {
        id,
        ownerId: user.id,
        payload: { trainingJobId: id },
        parentId: placement.parentId ?? null,
        startedByUser: true,
      });
      await tx.trainingJob.create({
        data: {
          id,
          ownerId: user.id,
          datasetVersionId: input.datasetVersionId,
          baseModelVersionId: input.baseModelVersionId,
          targetModelSlug,
          options: JSON.parse(JSON.stringify(options)),
          labels,
          totalEpochs: options.epochs,
        },
      });
    });
    this.jobs.queued(trainingJobKind);
    return this.reload(id);
  }

  /**
   * QUEUED: cancelled at once (its queued run too). RUNNING: asks the worker to stop, which it
   * does within seconds and then logs the cancellation. Finished: CONFLICT.
   */
  async cancelTraining(viewer: Viewer | null, id: string): Promise<TrainingJob> {
    const user = requireViewer(viewer);
    const visible = assertCanChangeJob(user, await this.visibleRow(id), id);
    await this.jobs.cancel(user, visible.id, { what: "Training job" });
    return this.reload(visible.id);
  }

  /** The job, or null when it does not exist or the viewer may not see it. */
  async findJob(viewer: Viewer | null, id: string): Promise<TrainingJob | null> {
    const row = await this.visibleRow(id);
    return row && canSeeJob(viewer, row) ? toTrainingJob(row) : null;
  }

  /** The job's current state, then its events as GraphQL union members (see TrainingEventLog). */
  async follow(viewer: Viewer | null, jobId: string, signal?: AbortSignal) {
    const job = assertCanSeeJob(viewer, await this.visibleRow(jobId), jobId);
    const view = new TrainingEventView(job.totalEpochs);
    const records = this.jobs.events.subscribe(
      job.id,
      (seq) => trainingStartingState(this.prisma, job.id, seq),
      signal,
    );
    return mapRecords(records, (record) => {
      const training = view.toTraining(record);
      return training ? toTrainingEvent(training, job.labels) : null;
    });
  }

  private async visibleRow(id: string): Promise<(TrainingJobWithJob & { resultIsPublic: boolean }) | null> {
    if (!isUuid(id)) return null;
    const row = await readWithJob(this.prisma, id);
    if (!row) return null;
    const { resultModelVersion: _result, ...job } = row;
    return { ...job, resultIsPublic: resultIsPublicOf(row) };
  }

  private async reload(id: string): Promise<TrainingJob> {
    const row = await readWithJob(this.prisma, id);
    if (!row) throw notFound(`Training job ${id}`);
    return toTrainingJob(row);
  }
}

/**
 * A training job and its Job read job first: the job turns SUCCEEDED in the transaction that
 * stores the evaluation, so a row read after its job is never older than the status.
 */
async function readWithJob(prisma: PrismaClient, id: string) {
  const row = await prisma.job.findUnique({
    where: { id },
    include: { trainingJob: { include: resultVisibilityInclude } },
  });
  if (!row?.trainingJob) return null;
  const { trainingJob, ...job } = row;
  return { ...trainingJob, job };
}
