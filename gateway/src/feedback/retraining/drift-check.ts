import { mix32 } from "@tessera/seeded-random";
import type { PrismaClient, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import { describeDrift, testForDrift, type DriftSettings } from "../drift/drift-test";
import { sampleMatrix } from "../drift/sample-matrix";
import { recentPredictionVectors, referenceVectors, type DriftEmbeddingDeps } from "./drift-embeddings";
import type { TriggerCheck } from "./evaluation-verdict";
import type { DriftTriggerSettings } from "./policy-settings";
import { MIN_MEASURED } from "./trigger-checks";

/**
 * The drift trigger: the model's last `window` predictions against as many samples of the
 * champion's training version (the version its promote alias names was trained on; the policy's
 * dataset's latest version when the champion was not trained here or there is none yet), both as
 * FEATURE embeddings. Fewer than MIN_MEASURED vectors on either side answer "not enough data".
 * The test's seed comes from the policy's id, so the same data always gets the same p-value.
 */
export async function driftCheck(
  deps: DriftEmbeddingDeps,
  policy: PolicyRow,
  settings: DriftTriggerSettings,
  signal?: AbortSignal,
): Promise<TriggerCheck> {
  const referenceVersionId = await trainingVersionOf(deps.prisma, policy);
  const base = { method: settings.method, pValueThreshold: settings.pValue, minEffect: settings.minEffect };
  const recent = await recentPredictionVectors(deps, policy.modelId, settings.window, signal);
  const reference = referenceVersionId
    ? await referenceVectors(deps, referenceVersionId, settings.window, signal)
    : [];
  if (recent.length < MIN_MEASURED || reference.length < MIN_MEASURED) {
    const short =
      recent.length < MIN_MEASURED
        ? `${recent.length} recent predictions with an image`
        : `${reference.length} training samples with an image`;
    return {
      trigger: "drift",
      met: false,
      reason: `drift: not enough data (${short}; needs ${MIN_MEASURED})`,
      metrics: { ...base, recent: recent.length, reference: reference.length, referenceVersionId },
    };
  }
  const seeded: DriftSettings = { ...settings, seed: policySeed(policy.id) };
  const measured = testForDrift(sampleMatrix(recent), sampleMatrix(reference), seeded);
  return {
    trigger: "drift",
    met: measured.drifted,
    reason: describeDrift(measured, seeded),
    metrics: {
      ...base,
      statistic: measured.statistic,
      pValue: measured.pValue,
      effect: measured.effect,
      recent: measured.recent,
      reference: measured.reference,
      referenceVersionId,
      ...measured.details,
    },
  };
}

async function trainingVersionOf(prisma: PrismaClient, policy: PolicyRow): Promise<string | null> {
  const alias = await prisma.modelAlias.findUnique({
    where: { modelId_alias: { modelId: policy.modelId, alias: policy.promoteAlias } },
    select: { version: { select: { trainedOnId: true } } },
  });
  if (alias?.version.trainedOnId) return alias.version.trainedOnId;
  const latest = await prisma.datasetVersion.findFirst({
    where: { datasetId: policy.datasetId },
    orderBy: { number: "desc" },
    select: { id: true },
  });
  return latest?.id ?? null;
}

function policySeed(policyId: string): number {
  return mix32(Number.parseInt(policyId.replace(/-/g, "").slice(0, 8), 16));
}
