import { setTimeout as sleep } from "node:timers/promises";
import type { Prisma, PrismaClient, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import { AppError, ErrorCode } from "../../errors";
import type { DeploymentsService } from "../../inference/deployments.service";
import { PermanentJobError, type JobContext, type JobHandler, type JobOutcome } from "../../jobs/job-kind";
import { TRAIN_JOB } from "../../training/training-job-kind";
import type { TrainingOptions } from "../../training/training-contracts";
import type { TrainingInput } from "../../training/training.inputs";
import type { TrainingService } from "../../training/training.service";
import type { Viewer } from "../../users/access";
import { heldOutSet } from "./held-out-set";
import { decidePromotion, type PromotionDecision } from "./promotion-decision";
import type { TrainingTemplate } from "./retraining.inputs";
import type { RetrainJobPayload } from "./retrain-job-kind";
import { runDatasetVersion, type RunVersionDeps } from "./run-dataset-version";
import { accuracyOnTier, UnscorableVersion, type TierAccuracyDeps } from "./tier-accuracy";

/** How often a run reads its training job's row while it waits (one indexed row read). */
const TRAINING_POLL_MS = 500;

export interface RetrainJobDeps extends RunVersionDeps, TierAccuracyDeps {
  prisma: PrismaClient;
  training: TrainingService;
  deployments: DeploymentsService;
}

type Context = JobContext<RetrainJobPayload>;
type RunRow = Prisma.RetrainingRunGetPayload<{ include: { policy: true } }>;

/**
 * A retraining run, step by step; every step's result is on the run row (or is the child training
 * Job), so a run resumed after its worker died continues where it was:
 *  (a) the dataset version with the corrections (runDatasetVersion: one transaction);
 *  (b) a training job from the policy's template on it, through TrainingService.startTraining,
 *      as a child Job of the run (found again by its parentId);
 *  (c) waiting for it: the run stays RUNNING and polls the training Job's row, its own heartbeat
 *      kept by the platform, so a dead worker's run is resumed by the stale-job sweep;
 *  (d) champion and challenger scored on the same held-out set through the tier, and the decision
 *      stored with the alias move in the transaction that marks the run SUCCEEDED.
 */
export function retrainJobHandler(deps: RetrainJobDeps): JobHandler<RetrainJobPayload> {
  return async (context) => {
    const runId = context.payload.retrainingRunId;
    let run = await loadRun(deps.prisma, runId);
    const owner = await ownerOf(deps.prisma, run.policy.ownerId);
    await context.progress({ phase: "dataset", fraction: 0.02, force: true });
    const datasetVersionId =
      run.datasetVersionId ?? (await runDatasetVersion(deps, runId, run.policy, owner.id));
    await context.progress({ phase: "training", fraction: 0.1, force: true });
    const trainingJobId =
      run.trainingJobId ?? (await startTraining(deps, context, run.policy, owner, datasetVersionId));
    await waitForTraining(deps.prisma, context, trainingJobId);
    await context.progress({ phase: "evaluating", fraction: 0.85, force: true });
    run = await loadRun(deps.prisma, runId);
    const { decision, championVersionId } = await duel(deps, context, run.policy, trainingJobId);
    return outcome(deps, run.policy, runId, decision, championVersionId);
  };
}

async function loadRun(prisma: PrismaClient, runId: string): Promise<RunRow> {
  const run = await prisma.retrainingRun.findUnique({ where: { id: runId }, include: { policy: true } });
  if (!run) throw new PermanentJobError("The retraining policy was deleted, and its run with it", "DELETED");
  return run;
}

async function ownerOf(prisma: PrismaClient, userId: string): Promise<Viewer> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  return { id: user.id, handle: user.handle, role: user.role as Viewer["role"] };
}

/** The child training job: the one started before a restart, else a new one (recorded on the run). */
async function startTraining(
  deps: RetrainJobDeps,
  context: Context,
  policy: PolicyRow,
  owner: Viewer,
  datasetVersionId: string,
): Promise<string> {
  const runId = context.jobId;
  const started = await deps.prisma.job.findFirst({
    where: { parentId: runId, kind: TRAIN_JOB },
    select: { id: true },
  });
  let trainingJobId = started?.id;
  if (!trainingJobId) {
    const model = await deps.prisma.model.findUniqueOrThrow({ where: { id: policy.modelId } });
    const input = {
      ...(policy.trainingTemplate as unknown as TrainingTemplate),
      datasetVersionId,
      targetModelSlug: model.slug,
    } as TrainingInput;
    try {
      trainingJobId = (await deps.training.startTraining(owner, input, { parentId: runId })).id;
    } catch (error) {
      // The template was checked when the policy was made; the version or base may have changed since.
      if (error instanceof AppError && error.code !== ErrorCode.SERVICE_UNAVAILABLE) {
        throw new PermanentJobError(`The training job could not start: ${error.message}`, error.code);
      }
      throw error;
    }
  }
  await deps.prisma.retrainingRun.update({ where: { id: runId }, data: { trainingJobId } });
  return trainingJobId;
}

async function waitForTraining(prisma: PrismaClient, context: Context, trainingJobId: string): Promise<void> {
  for (;;) {
    const job = await prisma.job.findUnique({
      where: { id: trainingJobId },
      select: { status: true, progress: true, errorMessage: true },
    });
    if (!job) throw new PermanentJobError(`Training job ${trainingJobId} was deleted`, "DELETED");
    if (job.status === "SUCCEEDED") return;
    if (job.status === "FAILED" || job.status === "CANCELLED") {
      throw new PermanentJobError(
        `Training job ${trainingJobId} ${job.status.toLowerCase()}${job.errorMessage ? `: ${job.errorMessage}` : ""}`,
        "TRAINING_FAILED",
      );
    }
    await context.progress({ phase: "training", fraction: 0.1 + 0.7 * job.progress });
    await sleep(TRAINING_POLL_MS, undefined, { signal: context.signal });
  }
}

/** Step (d): the challenger (the training's result) against the version behind the alias. */
async function duel(
  deps: RetrainJobDeps,
  context: Context,
  policy: PolicyRow,
  trainingJobId: string,
): Promise<{ decision: PromotionDecision; championVersionId: string | null }> {
  const training = await deps.prisma.trainingJob.findUniqueOrThrow({
    where: { id: trainingJobId },
    include: { resultModelVersion: { select: { id: true } } },
  });
  if (!training.resultModelVersion || !training.datasetVersionId) {
    throw new PermanentJobError(
      `Training job ${trainingJobId} registered no model version`,
      "TRAINING_FAILED",
    );
  }
  const heldOut = await heldOutSet(deps.prisma, {
    datasetVersionId: training.datasetVersionId,
    labels: training.labels,
    options: training.options as unknown as TrainingOptions,
  });
  if (heldOut.samples.length === 0) {
    throw new PermanentJobError(
      "The new dataset version has no held-out sample to compare the models on",
      "FAILED",
    );
  }
  const alias = await deps.prisma.modelAlias.findUnique({
    where: { modelId_alias: { modelId: policy.modelId, alias: policy.promoteAlias } },
  });
  const name = (role: string) => `_retraining.${context.jobId.replace(/-/g, "")}.${role}`;
  const challenger = await accuracyOnTier(
    deps,
    training.resultModelVersion.id,
    heldOut,
    name("challenger"),
    context.signal,
  );
  await context.progress({ phase: "evaluating", fraction: 0.92 });
  const summary = { source: heldOut.source, count: heldOut.samples.length };
  const margin = policy.mustBeatChampionBy;
  if (!alias) {
    return {
      decision: decidePromotion({ heldOut: summary, champion: null, challenger, margin }),
      championVersionId: null,
    };
  }
  try {
    const champion = await accuracyOnTier(deps, alias.versionId, heldOut, name("champion"), context.signal);
    return {
      decision: decidePromotion({ heldOut: summary, champion, challenger, margin }),
      championVersionId: alias.versionId,
    };
  } catch (error) {
    if (!(error instanceof UnscorableVersion)) throw error;
    const decision = decidePromotion({
      heldOut: summary,
      champion: null,
      championError: error.message,
      challenger,
      margin,
    });
    return { decision, championVersionId: alias.versionId };
  }
}

/**
 * The decision and the alias move commit with the run's success; a deployment that follows the
 * alias is moved after (in the gateway the alias listener would do it too; a worker has none).
 */
function outcome(
  deps: RetrainJobDeps,
  policy: PolicyRow,
  runId: string,
  decision: PromotionDecision,
  championVersionId: string | null,
): JobOutcome {
  const challengerId = decision.challenger.versionId;
  return {
    result: decision as unknown as Prisma.InputJsonValue,
    commit: async (tx) => {
      if (decision.promoted) {
        await tx.modelAlias.upsert({
          where: { modelId_alias: { modelId: policy.modelId, alias: policy.promoteAlias } },
          create: { modelId: policy.modelId, alias: policy.promoteAlias, versionId: challengerId },
          update: { versionId: challengerId },
        });
      }
      await tx.retrainingRun.update({
        where: { id: runId },
        data: {
          decision: decision as unknown as Prisma.InputJsonValue,
          promoted: decision.promoted,
          championVersionId,
          challengerVersionId: challengerId,
          finishedAt: new Date(),
        },
      });
    },
    afterSuccess: async () => {
      if (decision.promoted)
        await deps.deployments.followAlias(policy.modelId, policy.promoteAlias, challengerId);
    },
  };
}
