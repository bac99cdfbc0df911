import type { Prisma, TrainingJob } from "../../generated/prisma/client";
import { PermanentJobError, type JobContext, type JobHandler, type JobOutcome } from "../../jobs/job-kind";
import type { Viewer } from "../../users/access";
import type { TrainingOptions } from "../training-contracts";
import type { TrainingJobPayload, TrainingJobEvents } from "../training-job-kind";
import { resolveBase } from "./base-model";
import { JobProgress, type TrainingProgressDetail, type TrainingRecord } from "./job-progress";
import { evaluationSummary } from "./evaluations";
import { registerResult } from "./result-registration";
import type { JobRun, TrainingWorkerDeps, TrainingWorkerSettings } from "./run-context";
import { TrainingTier } from "./training-tier";
import { assignSplits, trainCounts, versionSamples } from "./training-samples";
import { plannedTrials, runTrials } from "./trial-schedule";

type TrainingContext = JobContext<TrainingJobPayload, TrainingJobEvents, TrainingProgressDetail>;

/**
 * The "train-model" kind's handler: prepares the samples and the base, runs the trials (each
 * resuming from its checkpoint when the job was resumed), exports and registers the best one.
 * The result version is linked to the job in the transaction that marks it SUCCEEDED.
 */
export function trainJobHandler(
  deps: TrainingWorkerDeps,
  settings: TrainingWorkerSettings,
): JobHandler<TrainingJobPayload, TrainingJobEvents, TrainingProgressDetail> {
  const tier = new TrainingTier(deps.tier);
  return async (context) => {
    const job = await deps.prisma.trainingJob.findUnique({ where: { id: context.payload.trainingJobId } });
    if (!job) throw new PermanentJobError("The training job was deleted");
    return trainJob(deps, settings, tier, context, job);
  };
}

/** Rows of a running job's training job, written only while the run still holds the job. */
function trainingRecord(context: TrainingContext): TrainingRecord {
  return {
    jobId: context.jobId,
    update: (data) => context.write((tx) => tx.trainingJob.update({ where: { id: context.jobId }, data })),
  };
}

async function trainJob(
  deps: TrainingWorkerDeps,
  settings: TrainingWorkerSettings,
  tier: TrainingTier,
  context: TrainingContext,
  job: TrainingJob,
): Promise<JobOutcome> {
  const { prisma } = deps;
  const { signal } = context;
  if (!job.datasetVersionId) throw new PermanentJobError("The dataset version was deleted");
  if (!job.baseModelVersionId) throw new PermanentJobError("The base model version was deleted");
  const options = job.options as unknown as TrainingOptions;
  const record = trainingRecord(context);
  await context.progress({
    fraction: context.startProgress.fraction,
    phase: "FEATURES",
    force: true,
    detail: {
      phase: "FEATURES",
      trial: 0,
      epoch: job.currentEpoch,
      totalEpochs: options.epochs,
      step: 0,
      totalSteps: 0,
    },
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
  if (!base) throw new PermanentJobError("The base model version was deleted");
  const run: JobRun = {
    deps,
    settings,
    tier,
    record,
    // Trials append "metrics" and "trial"; progress and endings go through the platform.
    events: {
      append: (_jobId, type, payload) =>
        context.emit(type as keyof TrainingJobEvents, payload as TrainingJobEvents[keyof TrainingJobEvents]),
    },
    signal,
    progress: new JobProgress(
      record,
      context,
      plannedTrials(options),
      options.epochs,
      context.startProgress.fraction,
    ),
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
  return {
    result: {
      resultModelVersionId: result.versionId,
      evaluation: evaluationSummary(result.evaluation),
    } as unknown as Prisma.InputJsonValue,
    commit: async (tx) => {
      await tx.trainingJob.update({
        where: { id: job.id },
        data: { evaluation: result.evaluation as unknown as Prisma.InputJsonValue },
      });
      await tx.modelVersion.update({ where: { id: result.versionId }, data: { trainingJobId: job.id } });
      // The job's evaluation now holds the exported trial's per-sample results; every trial's
      // copy (up to maxTrials of them) would only weigh on the rows.
      await tx.$executeRaw`
        UPDATE "TrainingTrial" SET evaluation = (evaluation - 'samples') #- '{test,samples}'
        WHERE "jobId" = ${job.id}::uuid AND jsonb_typeof(evaluation) = 'object'`;
    },
  };
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
