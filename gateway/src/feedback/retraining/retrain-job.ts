import { setTimeout as sleep } from "node:timers/promises";
import type { Prisma, PrismaClient, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import { AppError, ErrorCode } from "../../errors";
import type { DeploymentsService } from "../../inference/deployments.service";
import { PermanentJobError, type JobContext, type JobHandler, type JobOutcome } from "../../jobs/job-kind";
import { TRAIN_JOB } from "../../training/training-job-kind";
import type { TrainingInput } from "../../training/training.inputs";
import type { TrainingService } from "../../training/training.service";
import type { Viewer } from "../../users/access";
import { disablePolicy, policyAccess } from "./policy-access";
import { promoteIfUnmoved } from "./promotion-commit";
import type { PromotionDecision } from "./promotion-decision";
import type { TrainingTemplate } from "./retraining.inputs";
import type { RetrainJobPayload } from "./retrain-job-kind";
import { runDatasetVersion, type RunVersionDeps } from "./run-dataset-version";
import { runDuel, type DuelResult } from "./run-duel";
import type { TierAccuracyDeps } from "./tier-accuracy";

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
 *  (0) on every start and resume, the owner's right to change the model and the dataset;
 *  (a) the dataset version with the corrections (runDatasetVersion: images checked first, then
 *      one transaction);
 *  (b) a training job from the policy's template on it, through TrainingService.startTraining,
 *      as a child Job of the run (found again by its parentId);
 *  (c) waiting for it: the run stays RUNNING and polls the training Job's row, its own heartbeat
 *      kept by the platform, so a dead worker's run is resumed by the stale-job sweep;
 *  (d) champion and challenger scored on the same held-out set through the tier (runDuel), and
 *      the decision stored with the alias move in the transaction that marks the run SUCCEEDED.
 */
export function retrainJobHandler(deps: RetrainJobDeps): JobHandler<RetrainJobPayload> {
  return async (context) => {
    const runId = context.payload.retrainingRunId;
    let run = await loadRun(deps.prisma, runId);
    const owner = await checkAccess(deps.prisma, run);
    await context.progress({ phase: "dataset", fraction: 0.02, force: true });
    const datasetVersionId =
      run.datasetVersionId ?? (await runDatasetVersion(deps, runId, run.policy, owner));
    await context.progress({ phase: "training", fraction: 0.1, force: true });
    const trainingJobId =
      run.trainingJobId ?? (await startTraining(deps, context, run.policy, owner, datasetVersionId));
    await waitForTraining(deps.prisma, context, trainingJobId);
    await context.progress({ phase: "evaluating", fraction: 0.85, force: true });
    run = await loadRun(deps.prisma, runId);
    const duel = await runDuel(deps, context, run.policy, trainingJobId);
    return outcome(deps, run, duel);
  };
}

async function loadRun(prisma: PrismaClient, runId: string): Promise<RunRow> {
  const run = await prisma.retrainingRun.findUnique({ where: { id: runId }, include: { policy: true } });
  if (!run) throw new PermanentJobError("The retraining policy was deleted, and its run with it", "DELETED");
  return run;
}

/**
 * The owner, if they may still change the policy's model and dataset (checked on every start
 * and resume); otherwise the policy is switched off, with an evaluation saying why, and the run
 * fails FORBIDDEN.
 */
async function checkAccess(prisma: PrismaClient, run: RunRow): Promise<Viewer> {
  const access = await policyAccess(prisma, run.policy);
  if (access.refusal === null) return access.owner;
  await prisma.$transaction((tx) => disablePolicy(tx, run.policyId, access.refusal, { runId: run.id }));
  throw new PermanentJobError(`The policy was disabled: ${access.refusal}`, ErrorCode.FORBIDDEN);
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

/**
 * The decision and the alias move commit with the run's success (the alias only if it did not
 * move meanwhile); a deployment that follows the alias is moved after (in the gateway the alias
 * listener would do it too; a worker has none). The corrections summary step (a) stored stays.
 */
function outcome(deps: RetrainJobDeps, run: RunRow, duel: DuelResult): JobOutcome {
  const { policy } = run;
  const corrections = (run.decision as { corrections?: unknown } | null)?.corrections;
  const stored = (decision: PromotionDecision) =>
    ({ ...(corrections !== undefined && { corrections }), ...decision }) as unknown as Prisma.InputJsonValue;
  let final = duel.decision;
  return {
    result: stored(duel.decision),
    commit: async (tx) => {
      final = await promoteIfUnmoved(tx, policy, duel.decision, duel.championVersionId);
      if (final !== duel.decision) {
        await tx.job.update({ where: { id: run.id }, data: { result: stored(final) } });
      }
      await tx.retrainingRun.update({
        where: { id: run.id },
        data: {
          decision: stored(final),
          promoted: final.promoted,
          championVersionId: duel.championVersionId,
          challengerVersionId: final.challenger.versionId,
          finishedAt: new Date(),
        },
      });
    },
    afterSuccess: async () => {
      if (final.promoted) {
        await deps.deployments.followAlias(policy.modelId, policy.promoteAlias, final.challenger.versionId);
      }
    },
  };
}
