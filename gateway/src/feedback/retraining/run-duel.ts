import type { RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import type { DeploymentConfig, Preprocessing } from "../../inference/deployments.types";
import { PermanentJobError, type JobContext } from "../../jobs/job-kind";
import { limits } from "../../limits";
import type { TrainingOptions } from "../../training/training-contracts";
import { heldOutSet } from "./held-out-set";
import { decidePromotion, type PromotionDecision } from "./promotion-decision";
import type { RetrainJobPayload } from "./retrain-job-kind";
import { accuracyOnTier, UnscorableVersion, type TierAccuracyDeps } from "./tier-accuracy";

export interface DuelResult {
  decision: PromotionDecision;
  championVersionId: string | null;
}

/**
 * Step (d) of a run: the challenger (the training's result) against the version behind the
 * alias, on the same held-out set. Each is scored with the preprocessing it is served with: the
 * champion with its deployment's stored config, the challenger with that of the deployment that
 * follows the alias (the one it would take over); defaults where there is none.
 */
export async function runDuel(
  deps: TierAccuracyDeps,
  context: JobContext<RetrainJobPayload>,
  policy: PolicyRow,
  trainingJobId: string,
): Promise<DuelResult> {
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
  const following = await deps.prisma.deployment.findFirst({
    where: { alias: policy.promoteAlias, modelVersion: { modelId: policy.modelId } },
    select: { config: true },
  });
  const name = (role: string) => `_retraining.${context.jobId.replace(/-/g, "")}.${role}`;
  const challenger = await accuracyOnTier(
    deps,
    training.resultModelVersion.id,
    heldOut,
    name("challenger"),
    preprocessingOf(following?.config),
    context.signal,
  );
  await context.progress({ phase: "evaluating", fraction: 0.92 });
  const base = {
    heldOut: { source: heldOut.source, count: heldOut.samples.length, minimum: limits.retraining.heldOutMin },
    challenger,
    margin: policy.mustBeatChampionBy,
  };
  if (!alias) return { decision: decidePromotion({ ...base, champion: null }), championVersionId: null };
  const deployed = await deps.prisma.deployment.findUnique({
    where: { modelVersionId: alias.versionId },
    select: { config: true },
  });
  try {
    const champion = await accuracyOnTier(
      deps,
      alias.versionId,
      heldOut,
      name("champion"),
      preprocessingOf(deployed?.config),
      context.signal,
    );
    return { decision: decidePromotion({ ...base, champion }), championVersionId: alias.versionId };
  } catch (error) {
    if (!(error instanceof UnscorableVersion)) throw error;
    const decision = decidePromotion({ ...base, champion: null, championError: error.message });
    return { decision, championVersionId: alias.versionId };
  }
}

/** A deployment's stored (resolved) config's preprocessing; null without one. */
function preprocessingOf(config: unknown): Preprocessing | null {
  return (config as Partial<DeploymentConfig> | null | undefined)?.preprocessing ?? null;
}
